/** Polls `probe` until it returns something other than undefined/false; fails after timeoutMs. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Milliseconds until `probe` holds. */
export async function timeUntil(what: string, probe: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(what, probe, timeoutMs);
  return Date.now() - started;
}
