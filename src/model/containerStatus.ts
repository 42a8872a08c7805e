// A container's status ("Up 5 minutes", "Exited (2) 3 seconds ago") computed from its timestamps
// whenever a row renders, so it never goes stale, and put into the user's language.
//
// Where the times come from: inspect gives StartedAt/FinishedAt exactly. The list endpoint gives
// only the engine's English Status text, whose duration is a go-units bucket ("5 minutes" is
// 5:00 to 5:59). From a list, the time is anchored at the middle of that bucket, so it is off by
// at most half the bucket (±0.5 s for seconds, ±30 s for minutes, ±30 min for hours), and
// `timeError` says by how much. An event's inspect replaces it with the exact one, and
// `keepExactTimes` stops the next list from putting an approximate one back.

import type { ContainerRecord, Health } from './records';

export type TimeUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** A go-units HumanDuration bucket. second 0 is "less than a second", minute 1 "about a minute", hour 1 "about an hour". */
export interface Duration {
  unit: TimeUnit;
  count: number;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;

/** go-units HumanDuration, the buckets the engine's status text uses. */
export function durationOf(ms: number): Duration {
  const seconds = Math.floor(ms / S);
  if (seconds < 60) return { unit: 'second', count: Math.max(0, seconds) };
  const minutes = Math.floor(ms / M);
  if (minutes < 60) return { unit: 'minute', count: minutes };
  const hours = Math.floor(ms / H + 0.5);
  if (hours < 48) return { unit: 'hour', count: hours };
  if (hours < 24 * 7 * 2) return { unit: 'day', count: Math.floor(hours / 24) };
  if (hours < 24 * 30 * 2) return { unit: 'week', count: Math.floor(hours / 24 / 7) };
  if (hours < 24 * 365 * 2) return { unit: 'month', count: Math.floor(hours / 24 / 30) };
  return { unit: 'year', count: Math.floor(ms / H / 24 / 365) };
}

/** The durations [min, max) in ms that `durationOf` puts in bucket `d`. */
export function durationRange(d: Duration): [number, number] {
  const n = d.count;
  // Hours and longer come from hours rounded to the nearest: H rounded in [a, b) is ms in [a-½, b-½) h.
  const rounded = (a: number, b: number, lo: number, hi: number): [number, number] => [(Math.max(a, lo) - 0.5) * H, (Math.min(b, hi) - 0.5) * H];
  switch (d.unit) {
    case 'second':
      return [n * S, (n + 1) * S];
    case 'minute':
      return [n * M, (n + 1) * M];
    case 'hour':
      return rounded(n, n + 1, 1.5, 48);
    case 'day':
      return rounded(24 * n, 24 * (n + 1), 48, 24 * 14);
    case 'week':
      return rounded(24 * 7 * n, 24 * 7 * (n + 1), 24 * 14, 24 * 60);
    case 'month':
      return rounded(24 * 30 * n, 24 * 30 * (n + 1), 24 * 60, 24 * 365 * 2);
    case 'year':
      return [Math.max(n * 24 * 365 * H, 24 * 365 * 2 * H - 0.5 * H), (n + 1) * 24 * 365 * H];
  }
}

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
export function statusText(s: InspectState, nowMs: number, removing = false): string {
  const since = (t: string) => humanDuration(Math.max(0, nowMs - Date.parse(t || ZERO)));
  if (s.Running) {
    if (s.Paused) return `Up ${since(s.StartedAt)} (Paused)`;
    if (s.Restarting) return `Restarting (${s.ExitCode}) ${since(s.FinishedAt)} ago`;
    if (s.Health) return `Up ${since(s.StartedAt)} (${s.Health.Status === 'starting' ? 'health: starting' : s.Health.Status})`;
    return `Up ${since(s.StartedAt)}`;
  }
  if (removing || s.Status === 'removing') return 'Removal In Progress';
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

/**
 * What to store when `next` arrives for a known container: `next`, except that an approximate
 * time consistent with a more exact one already known keeps the exact one.
 */
export function keepExactTimes(prev: ContainerRecord, next: ContainerRecord): ContainerRecord {
  const error = next.timeError ?? 0;
  if ((prev.timeError ?? Infinity) >= error) return next;
  const agrees = (a: number | undefined, b: number | undefined) => b === undefined || (a !== undefined && Math.abs(a - b) <= error);
  const consistent = next.state === prev.state && next.health === prev.health && agrees(prev.startedAt, next.startedAt) && agrees(prev.finishedAt, next.finishedAt) && (next.exitCode === undefined || next.exitCode === prev.exitCode);
  // The status text that went with the exact times stays too, so an unchanged container compares equal.
  return consistent ? { ...next, status: prev.status, startedAt: prev.startedAt, finishedAt: prev.finishedAt, exitCode: prev.exitCode, timeError: prev.timeError } : next;
}

/** A container's status, in parts, at a moment. `raw` is the engine's text when the times are unknown. */
export type StatusView =
  | { kind: 'up'; since: Duration; paused: boolean; health?: Health }
  | { kind: 'exited' | 'restarting'; exitCode?: number; ago?: Duration }
  | { kind: 'created' | 'dead' | 'removing' }
  | { kind: 'raw'; text: string };

export function statusView(c: ContainerRecord, nowMs: number): StatusView {
  const elapsed = (t: number) => durationOf(Math.max(0, nowMs - t));
  switch (c.state) {
    case 'running':
    case 'paused':
      if (c.startedAt === undefined) return { kind: 'raw', text: c.status };
      return { kind: 'up', since: elapsed(c.startedAt), paused: c.state === 'paused', health: c.health };
    case 'exited':
    case 'restarting':
      return { kind: c.state, exitCode: c.exitCode, ago: c.finishedAt === undefined ? undefined : elapsed(c.finishedAt) };
    default:
      return { kind: c.state };
  }
}

/** The words a status is made of, in the user's language (the extension gives vscode.l10n ones). */
export interface StatusPhrases {
  up(duration: string): string;
  upPaused(duration: string): string;
  upHealth(duration: string, health: string): string;
  health(h: Health): string;
  exited(exitCode?: number, ago?: string): string;
  restarting(exitCode?: number, ago?: string): string;
  created: string;
  dead: string;
  removing: string;
  lessThanAMinute: string;
  aboutAMinute: string;
  aboutAnHour: string;
  lessThanAMinuteAgo: string;
  aboutAMinuteAgo: string;
  aboutAnHourAgo: string;
}

const unitFormats = new Map<string, Intl.NumberFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/** "5 minutes", "5 minutes" (fr), with the locale's plural forms and digits. */
// Rows re-render at most once a minute, so a count of seconds would be wrong for most of that
// minute: under a minute reads "less than a minute".
export function formatDuration(d: Duration, locale: string, p: StatusPhrases): string {
  if (d.unit === 'second') return p.lessThanAMinute;
  if (d.unit === 'minute' && d.count === 1) return p.aboutAMinute;
  if (d.unit === 'hour' && d.count === 1) return p.aboutAnHour;
  const key = `${locale}|${d.unit}`;
  let f = unitFormats.get(key);
  if (!f) unitFormats.set(key, (f = new Intl.NumberFormat(locale, { style: 'unit', unit: d.unit, unitDisplay: 'long' })));
  return f.format(d.count);
}

/** "3 seconds ago", "il y a 3 secondes". */
export function formatAgo(d: Duration, locale: string, p: StatusPhrases): string {
  if (d.unit === 'second') return p.lessThanAMinuteAgo;
  if (d.unit === 'minute' && d.count === 1) return p.aboutAMinuteAgo;
  if (d.unit === 'hour' && d.count === 1) return p.aboutAnHourAgo;
  let f = relativeFormats.get(locale);
  if (!f) relativeFormats.set(locale, (f = new Intl.RelativeTimeFormat(locale, { numeric: 'always' })));
  return f.format(-d.count, d.unit);
}

/** The status line of a row. `withHealth: false` leaves health out where it is shown beside it. */
export function formatStatus(v: StatusView, locale: string, p: StatusPhrases, withHealth = true): string {
  switch (v.kind) {
    case 'up': {
      const since = formatDuration(v.since, locale, p);
      if (v.paused) return p.upPaused(since);
      return v.health && withHealth ? p.upHealth(since, p.health(v.health)) : p.up(since);
    }
    case 'exited':
    case 'restarting':
      return p[v.kind](v.exitCode, v.ago && formatAgo(v.ago, locale, p));
    case 'raw':
      return v.text;
    default:
      return p[v.kind];
  }
}
