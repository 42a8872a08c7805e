// Replica counts: what a service row says ("3/3 running"), and what a user may type for Scale.
import type { ServiceRecord, TaskRecord } from '../../contract/swarm';

/** The engine refuses nothing below this, but more than this many tasks is a typo, not a plan. */
export const MAX_REPLICAS = 10_000;

export interface ReplicaCount {
  running: number;
  desired: number;
}

/** Tasks that are meant to run now (not the shut-down history the engine keeps). */
export function currentTasks(tasks: readonly TaskRecord[]): TaskRecord[] {
  return tasks.filter((t) => t.desiredState === 'running' || t.desiredState === 'ready' || t.desiredState === 'accepted');
}

/**
 * Counted from the tasks Berth holds, as `docker service ls` counts them: running tasks meant to
 * run, of the replicas asked for (a global service: of the tasks meant to run, one per node).
 */
export function countReplicas(service: ServiceRecord, tasks: readonly TaskRecord[]): ReplicaCount {
  const own = currentTasks(tasks.filter((t) => t.serviceId === service.id));
  const running = own.filter((t) => t.state === 'running').length;
  const desired = service.mode === 'replicated' ? (service.replicas ?? 0) : own.length;
  return { running, desired };
}

/** Whether the service has what it asked for and nothing is still starting or stopping. */
export function isConverged(service: ServiceRecord, tasks: readonly TaskRecord[]): boolean {
  const own = tasks.filter((t) => t.serviceId === service.id);
  const { running, desired } = countReplicas(service, own);
  if (running !== desired) return false;
  if (service.updateState === 'updating' || service.updateState === 'rollback_started') return false;
  // A task told to stop that still runs holds its slot (and its port) until it has stopped.
  // (A scale-down marks its tasks 'remove', a replaced task 'shutdown'.)
  return !own.some((t) => (t.desiredState === 'shutdown' || t.desiredState === 'remove') && t.state === 'running');
}

export type ReplicasProblem = { kind: 'notANumber'; text: string } | { kind: 'negative' } | { kind: 'tooMany'; max: number };

/** A replica count as typed: a whole number from 0 to MAX_REPLICAS. */
export function parseReplicas(text: string): { replicas: number } | { problem: ReplicasProblem } {
  const t = text.trim();
  if (/^-\d+$/.test(t)) return { problem: { kind: 'negative' } };
  if (!/^\d+$/.test(t)) return { problem: { kind: 'notANumber', text: t } };
  const n = Number(t);
  if (n > MAX_REPLICAS) return { problem: { kind: 'tooMany', max: MAX_REPLICAS } };
  return { replicas: n };
}
