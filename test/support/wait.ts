/**
 * How long a test waits for something that normally takes milliseconds (an event reaching a store,
 * a row, terminal text). Tests share a 2-core machine and an engine with other work, where a quiet
 * 50 ms can become seconds: a wait is a bound on "never", not a speed target. Speed targets are
 * measured and printed by `npm run bench`.
 */
export const PATIENCE_MS = 15_000;

/** Polls `probe` until it returns something other than undefined/false; fails after timeoutMs. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = PATIENCE_MS, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Milliseconds until `probe` holds (for a figure printed beside the test, never a limit). */
export async function timeUntil(what: string, probe: () => boolean, timeoutMs = PATIENCE_MS): Promise<number> {
  const started = Date.now();
  await waitFor(what, probe, timeoutMs);
  return Date.now() - started;
}
