// A task row's words: its state, how long it has been in it, and why it failed.
import type { TaskRecord } from '../../contract/swarm';
import { durationOf } from '../durations';
import { formatDuration, type StatusPhrases } from '../containerStatus';

/** The words a task state is made of, in the user's language. */
export interface TaskPhrases {
  /** "Running 5 minutes", "Failed 2 minutes ago: exit code 1". */
  state(state: string, duration: string): string;
  /** Shown after the state when the task failed with an exit code. */
  exitCode(code: number): string;
  /** A task still to start, or shut down, that is meant to be something else. */
  desired(desired: string): string;
}

export type TaskTone = 'running' | 'starting' | 'failed' | 'stopped' | 'pending';

const STARTING = new Set(['new', 'assigned', 'accepted', 'preparing', 'starting', 'ready']);
const FAILED = new Set(['failed', 'rejected', 'orphaned']);

/** Which icon and colour the row gets. */
export function taskTone(t: TaskRecord): TaskTone {
  if (t.state === 'running') return 'running';
  if (FAILED.has(t.state)) return 'failed';
  if (t.state === 'pending') return 'pending';
  if (STARTING.has(t.state)) return 'starting';
  return 'stopped';
}

/** The state as a word, capitalised as the CLI does ("Running", "Pending"). */
export function stateWord(state: string): string {
  return state ? state[0].toUpperCase() + state.slice(1) : state;
}

/**
 * "Running less than a minute", "Failed 3 minutes · exit code 137 · desired: shutdown".
 * `nowMs` and `since` make the duration; the error itself is its own part of the row.
 */
export function taskStateText(t: TaskRecord, nowMs: number, locale: string, phrases: TaskPhrases, status: StatusPhrases): string {
  const sinceMs = Date.parse(t.since);
  const duration = Number.isFinite(sinceMs) ? formatDuration(durationOf(Math.max(0, nowMs - sinceMs)), locale, status) : '';
  const parts = [phrases.state(stateWord(t.state), duration).trim()];
  if (FAILED.has(t.state) || (t.state === 'complete' && t.exitCode)) {
    if (t.exitCode !== undefined && t.exitCode !== 0) parts.push(phrases.exitCode(t.exitCode));
  }
  if (t.desiredState && t.desiredState !== t.state && !(t.desiredState === 'running' && STARTING.has(t.state)) && t.state !== 'pending') parts.push(phrases.desired(t.desiredState));
  return parts.join(' · ');
}

/** Newest first within a slot, slots in order: what `docker service ps` shows. */
export function sortTasks(tasks: readonly TaskRecord[]): TaskRecord[] {
  return [...tasks].sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0) || (a.nodeId ?? '').localeCompare(b.nodeId ?? '') || b.createdAt.localeCompare(a.createdAt));
}

/** The tasks a service row shows: those meant to run, plus the latest few that failed or stopped. */
export function visibleTasks(tasks: readonly TaskRecord[], history = 3): TaskRecord[] {
  const sorted = sortTasks(tasks);
  // A replacement waiting out its restart delay is meant to run: desired 'ready' until then.
  const live = sorted.filter((t) => ['running', 'ready', 'accepted'].includes(t.desiredState) || t.state === 'running');
  const past = sorted.filter((t) => !live.includes(t)).sort((a, b) => b.since.localeCompare(a.since)).slice(0, history);
  return sortTasks([...live, ...past]);
}
