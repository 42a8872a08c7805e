// A container's status ("Up 5 minutes", "Exited (2) 3 seconds ago") computed from its timestamps
// whenever a row renders, so it never goes stale, and put into the user's language. The times come
// from the engine (src/engine/containerStatus.ts): exact from an inspect, within `timeError` from a
// list's text. An event's inspect replaces an approximate time with the exact one, and
// `keepExactTimes` stops the next list from putting an approximate one back.

import type { ContainerRecord, Health } from '../contract/records';
import { durationOf, type Duration } from './durations';

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
