// (f) of npm run bench: how soon a live EngineSession says "unreachable" after its engine dies, and
// how soon it is ready (streaming again) after the engine answers. The engine tests only check
// that both happen; these are the speed targets (2 s and 3 s), measured on a quiet engine of its own.
import { createEngineClient, resolveEndpoint } from '../src/engine/index';
import { EngineSession } from '../src/session/engineSession';
import { startEmptyEngine } from '../test/support/emptyEngine';

export interface Recovery {
  /** Kill sent to the engine -> session unreachable. */
  downMs: number[];
  /** Engine answers a ping again -> session ready and streaming. */
  upMs: number[];
}

async function until(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > timeoutMs) throw new Error(`recovery bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now();
}

export async function measureRecovery(rounds = 5, bridgeCidr = process.env.BENCH_RECOVERY_CIDR ?? '198.18.252.1/24'): Promise<Recovery> {
  if (process.getuid?.() !== 0) throw new Error('the recovery bench starts its own dockerd, which needs root');
  const engine = await startEmptyEngine({ bridgeCidr });
  const session = new EngineSession({ resolve: () => resolveEndpoint({ setting: `unix://${engine.socket}`, env: {} }), createClient: createEngineClient, pingTimeoutMs: 1000 });
  const out: Recovery = { downMs: [], upMs: [] };
  try {
    session.setLive(true);
    await session.connect();
    await until('the first connect', () => session.status.state === 'ready' && session.streaming);
    for (let i = 0; i < rounds; i++) {
      const killed = Date.now();
      await engine.kill();
      out.downMs.push((await until('unreachable', () => session.status.state === 'unreachable')) - killed);
      await engine.start();
      const answered = Date.now();
      out.upMs.push((await until('ready again', () => session.status.state === 'ready' && session.streaming)) - answered);
    }
  } finally {
    session.dispose();
    await engine.stop();
  }
  return out;
}
