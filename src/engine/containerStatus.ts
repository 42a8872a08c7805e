// Reads the engine's own status text and inspect State back into times, and writes the text the
// engine would for an inspected container (the record's `status`). English, as the engine's.
//
// Where the times come from: inspect gives StartedAt/FinishedAt exactly. The list endpoint gives
// only the engine's English Status text, whose duration is a go-units bucket ("5 minutes" is
// 5:00 to 5:59). From a list, the time is anchored at the middle of that bucket, so it is off by
// at most half the bucket (±0.5 s for seconds, ±30 s for minutes, ±30 min for hours), and
// `timeError` says by how much. Rows put it in the user's language (src/model/containerStatus.ts).

import type { ContainerRecord } from '../contract/records';
import { durationOf, durationRange, type Duration, type TimeUnit } from '../model/durations';

const ENGLISH: Record<TimeUnit, string> = { second: 'second', minute: 'minute', hour: 'hour', day: 'day', week: 'week', month: 'month', year: 'year' };

/** The engine's English words for a bucket, as in its status text. */
export function humanDuration(ms: number): string {
  return englishDuration(durationOf(ms));
}

function englishDuration({ unit, count }: Duration): string {
  if (unit === 'second' && count === 0) return 'Less than a second';
  if (unit === 'minute' && count === 1) return 'About a minute';
  if (unit === 'hour' && count === 1) return 'About an hour';
  return `${count} ${ENGLISH[unit]}${count === 1 ? '' : 's'}`;
}

/** Reads the engine's English duration words back into a bucket; undefined when they are not go-units'. */
export function parseDuration(text: string): Duration | undefined {
  if (text === 'Less than a second') return { unit: 'second', count: 0 };
  if (text === 'About a minute') return { unit: 'minute', count: 1 };
  if (text === 'About an hour') return { unit: 'hour', count: 1 };
  const m = /^(\d+) (second|minute|hour|day|week|month|year)s?$/.exec(text);
  return m ? { unit: m[2] as TimeUnit, count: Number(m[1]) } : undefined;
}

export interface InspectState {
  Status: string;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  Dead: boolean;
  ExitCode: number;
  StartedAt: string;
  FinishedAt: string;
  Health?: { Status: string };
}

const ZERO = '0001-01-01T00:00:00Z';
const isZero = (t: string | undefined) => !t || t.startsWith('0001-01-01');

/** The engine's State.String() in English, for a moment `nowMs` (the record's `status`). */
export function statusText(s: InspectState, nowMs: number): string {
  const since = (t: string) => humanDuration(Math.max(0, nowMs - Date.parse(t || ZERO)));
  if (s.Running) {
    if (s.Paused) return `Up ${since(s.StartedAt)} (Paused)`;
    if (s.Restarting) return `Restarting (${s.ExitCode}) ${since(s.FinishedAt)} ago`;
    if (s.Health) return `Up ${since(s.StartedAt)} (${s.Health.Status === 'starting' ? 'health: starting' : s.Health.Status})`;
    return `Up ${since(s.StartedAt)}`;
  }
  if (s.Status === 'removing') return 'Removal In Progress';
  if (s.Dead) return 'Dead';
  if (isZero(s.StartedAt)) return 'Created';
  if (isZero(s.FinishedAt)) return '';
  return `Exited (${s.ExitCode}) ${since(s.FinishedAt)} ago`;
}

export type ContainerTimes = Pick<ContainerRecord, 'startedAt' | 'finishedAt' | 'exitCode' | 'timeError'>;

/** Every key set, even to undefined, so list and inspect records keep one key order (they are compared as JSON). */
const times = (startedAt?: number, finishedAt?: number, exitCode?: number, timeError?: number): ContainerTimes => ({ startedAt, finishedAt, exitCode, timeError });

/** Exact times from an inspect's State (ms since the epoch; the zero time means never). */
export function inspectTimes(s: Pick<InspectState, 'StartedAt' | 'FinishedAt' | 'ExitCode'>): ContainerTimes {
  const ms = (t: string) => (isZero(t) ? undefined : Date.parse(t));
  const finishedAt = ms(s.FinishedAt);
  return times(ms(s.StartedAt), finishedAt, finishedAt === undefined ? undefined : s.ExitCode, 0);
}

/** Approximate times read from a list's Status text at `listedAtMs` (see the top of this file). */
export function listTimes(status: string, listedAtMs: number): ContainerTimes {
  const anchor = (words: string) => {
    const d = parseDuration(words);
    if (!d) return undefined;
    const [min, max] = durationRange(d);
    return { at: listedAtMs - (min + max) / 2, error: (max - min) / 2 };
  };
  const up = /^Up (.+?)(?: \((?:Paused|healthy|unhealthy|health: starting)\))?$/.exec(status);
  if (up) {
    const a = anchor(up[1]);
    return times(a?.at, undefined, undefined, a?.error);
  }
  const ended = /^(?:Exited|Restarting) \((-?\d+)\) (.+) ago$/.exec(status);
  if (ended) {
    const a = anchor(ended[2]);
    return times(undefined, a?.at, Number(ended[1]), a?.error);
  }
  return times();
}
