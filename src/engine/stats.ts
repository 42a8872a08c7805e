// A container's stats: one answer (one-shot), or a followed stream of about one a second. Dialled
// directly, as logs are: dockerode's stats() buffers an unfollowed answer and cannot be aborted.
import type { EngineStats, StatsSubscription } from '../contract/stats';
import type { Connection } from './connection';
import { EngineError } from './errors';
import { followJsonLines } from './jsonLines';

type Dial = { dial(opts: object, cb: (err: Error | null, res: NodeJS.ReadableStream) => void): void };

function dial(c: Connection, id: string, stream: boolean, signal: AbortSignal): Promise<NodeJS.ReadableStream | undefined> {
  return c.orMissing(
    (d) =>
      new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        (d as unknown as { modem: Dial }).modem.dial(
          {
            path: `/containers/${encodeURIComponent(id)}/stats?`,
            method: 'GET',
            // one-shot: answer from the next collection at once, without waiting a second for a
            // precpu sample (the model takes CPU from the previous reading instead). API 1.41+;
            // older engines ignore it and answer a second later with precpu_stats.
            options: stream ? { stream: true } : { stream: false, 'one-shot': true },
            isStream: true,
            abortSignal: signal,
            statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
          },
          (err, res) => (err ? reject(err) : resolve(res)),
        ),
      ),
  );
}

/** One answer, or undefined when the container no longer exists. */
export async function statsOnce(c: Connection, id: string, signal?: AbortSignal): Promise<EngineStats | undefined> {
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const stream = await dial(c, id, false, abort.signal);
    if (!stream) return undefined;
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (b: Buffer) => chunks.push(b));
      stream.on('end', resolve);
      stream.on('error', reject);
      stream.on('close', resolve);
    });
    const text = Buffer.concat(chunks).toString('utf8').trim();
    if (!text) throw new EngineError('other', 'the engine ended the stats answer before sending it');
    return JSON.parse(text) as EngineStats;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Follows a container's stats. The engine ends the stream when the container stops; `ended`
 * settles then (undefined: a 404 or a clean end) or on an error. Undefined when it does not exist.
 */
export async function statsStream(c: Connection, id: string, onStats: (s: EngineStats) => void): Promise<StatsSubscription | undefined> {
  const abort = new AbortController();
  const stream = await dial(c, id, true, abort.signal);
  if (!stream) return undefined;
  return followJsonLines<EngineStats>(stream, abort, onStats);
}
