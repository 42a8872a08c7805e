// Shared by test/engine/faults.test.ts and bench/faults.ts: a live EngineSession on the second
// engine with its event subscriptions counted at the client, and "restart the engine, start a
// container the moment it answers, see its row".
import type Docker from 'dockerode';
import type { EngineClient, EventSubscription } from '../../src/contract/client';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { EngineSession } from '../../src/session/engineSession';
import type { EmptyEngine } from './emptyEngine';
import { BASE_IMAGE, testLabels } from './testEngine';

export interface CountedSession {
  session: EngineSession;
  /** Event subscriptions the session holds open right now, counted where the client hands them out. */
  openStreams(): number;
}

export function countedSession(socket: string, pingTimeoutMs = 3000): CountedSession {
  let open = 0;
  const wrap = (c: EngineClient): EngineClient =>
    new Proxy(c, {
      get(target, prop, receiver) {
        if (prop !== 'events') return Reflect.get(target, prop, receiver) as unknown;
        return async (...args: Parameters<EngineClient['events']>): Promise<EventSubscription> => {
          const sub = await target.events(...args);
          open++;
          let counted = true;
          const uncount = () => {
            if (counted) open--;
            counted = false;
          };
          void sub.ended.then(uncount);
          return {
            ended: sub.ended,
            close: () => {
              uncount();
              sub.close();
            },
          };
        };
      },
    });
  const session = new EngineSession({ resolve: () => resolveEndpoint({ setting: `unix://${socket}`, env: {} }), createClient: (e) => wrap(createEngineClient(e)), pingTimeoutMs });
  return { session, openStreams: () => open };
}

async function until(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * Kills the engine, waits until the session knows, starts it again, and at the moment it answers
 * /_ping starts a labelled container. Returns milliseconds from that answer to its row being in the
 * session's store. `whileDown` runs with the engine dead (the caller's own checks).
 */
export async function restartAndTime(engine: EmptyEngine, docker: Docker, session: EngineSession, whileDown?: () => Promise<void>, timeoutMs = 60_000): Promise<{ ms: number; id: string; readyMs: number; startedMs: number }> {
  await engine.kill();
  await until('the session to see the engine gone', () => session.status.state === 'unreachable', timeoutMs);
  await whileDown?.();
  await engine.start();
  const answered = Date.now();
  let readyMs: number | undefined;
  const ready = until('ready', () => session.status.state === 'ready' && session.streaming, timeoutMs).then(() => (readyMs = Date.now() - answered));
  const c = await docker.createContainer({ Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: testLabels() });
  await c.start();
  // How much of the figure is the engine's own create and start, on a busy machine most of it.
  const startedMs = Date.now() - answered;
  await until('the new container row', () => session.containers.get(c.id)?.state === 'running', timeoutMs);
  const ms = Date.now() - answered;
  await ready;
  return { ms, id: c.id, readyMs: readyMs!, startedMs };
}
