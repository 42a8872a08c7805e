// A Swarm object is updated with the version it was read at. When a concurrent change got there
// first, the engine refuses ("update out of sequence"): read again and retry once with the fresh
// version; a second refusal means someone keeps changing it, which the user is told.
import { classifyError, EngineError } from './errors';

export interface Versioned<S> {
  version: number;
  spec: S;
}

/** What dockerd says when the version sent is not the current one (swarmkit's errSequence). */
export function isOutOfSequence(err: unknown): boolean {
  return /update out of sequence|version.*(out of date|mismatch)/i.test((err as Error)?.message ?? '');
}

export async function updateWithRetry<S, R>(read: () => Promise<Versioned<S>>, write: (current: Versioned<S>) => Promise<R>): Promise<R> {
  for (let attempt = 0; ; attempt++) {
    const current = await read();
    try {
      return await write(current);
    } catch (err) {
      if (!isOutOfSequence(err)) throw err;
      if (attempt >= 1) {
        const e = classifyError(err);
        throw new EngineError('api', `changed by someone else twice while Berth updated it (version ${current.version}): ${e.message}`, 409);
      }
    }
  }
}
