// The engine's /events stream, decoded into EngineEvents. Never times out while quiet.
import type Docker from 'dockerode';
import type { EventSubscription } from '../contract/client';
import type { EngineEvent } from '../contract/records';
import type { Connection } from './connection';
import { toEngineEvent } from './convert';
import { EngineError } from './errors';
import { followJsonLines } from './jsonLines';

/**
 * The stream's headers must come within this: an engine that accepted the connection while
 * starting, then froze or died, would otherwise leave the caller waiting on it forever.
 */
const OPEN_DEADLINE_MS = 10_000;

export async function events(c: Connection, sinceNano: number | undefined, onEvent: (e: EngineEvent) => void, filters?: Record<string, string[]>): Promise<EventSubscription> {
  const abort = new AbortController();
  const since = sinceNano === undefined ? undefined : `${Math.floor(sinceNano / 1e9)}.${String(sinceNano % 1e9).padStart(9, '0')}`;
  // No timeout once open, ever: a quiet engine sends nothing for hours.
  let late = false;
  const deadline = setTimeout(() => {
    late = true;
    abort.abort();
  }, OPEN_DEADLINE_MS);
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await c.call((d) =>
      d.getEvents({
        since,
        filters: JSON.stringify(filters ?? { type: ['container', 'image', 'volume', 'network'] }),
        abortSignal: abort.signal,
      } as Docker.GetEventsOptions),
    )) as NodeJS.ReadableStream;
  } catch (err) {
    if (late) throw new EngineError('timeout', `the engine did not open its event stream within ${OPEN_DEADLINE_MS / 1000} s`);
    throw err;
  } finally {
    clearTimeout(deadline);
  }
  const sub = followJsonLines<Parameters<typeof toEngineEvent>[0]>(stream, abort, (raw) => {
    const e = toEngineEvent(raw);
    if (e) onEvent(e);
  });
  return { ended: sub.ended.then((err) => err ?? new Error('the event stream ended')), close: sub.close };
}
