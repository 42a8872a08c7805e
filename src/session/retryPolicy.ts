// How long to wait before reconnecting to an engine that does not answer, and when to stop.
// Pure, so the policy is unit-tested without a clock.
import type { Endpoint } from '../contract/endpoint';

/** Tries after which an ssh engine is left alone until the user retries or a view shows again. */
export const SSH_MAX_RETRIES = 5;

/**
 * The delay before retry `attempt` (0-based), or undefined: stop retrying on our own. A local
 * socket or tcp engine costs a failed connect, so it is retried quickly (250 ms, 500 ms, then every
 * second) for as long as a view is visible. Each ssh retry spawns an `ssh` process that may wait
 * for a host, so ssh backs off further (2, 4, 8, 16, 30 s) and stops after SSH_MAX_RETRIES.
 */
export function retryDelayMs(kind: Endpoint['kind'] | undefined, attempt: number): number | undefined {
  if (kind === 'ssh') return attempt < SSH_MAX_RETRIES ? Math.min(2000 * 2 ** attempt, 30_000) : undefined;
  return Math.min(250 * 2 ** attempt, 1000);
}
