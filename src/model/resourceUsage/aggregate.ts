// Lines the panel plots from the containers' points: one time axis for all, a series per
// container, and the sums per Compose service and per project, which the Engine API does not give.
// Pure, so the webview script and the unit tests share it.
import type { Metric, UsagePoint } from './figures';
import type { TrackMeta, UsageMarker } from './history';

export interface PlotTrack {
  meta: TrackMeta;
  live: boolean;
  points: readonly UsagePoint[];
  markers: readonly UsageMarker[];
}

export type GroupKind = 'service' | 'project';

export interface UsageGroup {
  key: string;
  kind: GroupKind;
  project: string;
  service?: string;
  /** Container ids counted in the sum. */
  members: string[];
}

/**
 * The Compose projects and services the tracks belong to. A sum is drawn only where it adds
 * something: a project of two or more containers, a service of two or more replicas.
 */
export function groupsOf(metas: readonly TrackMeta[]): UsageGroup[] {
  const projects = new Map<string, UsageGroup>();
  const services = new Map<string, UsageGroup>();
  for (const m of metas) {
    if (!m.project) continue;
    const p = projects.get(m.project) ?? { key: `project:${m.project}`, kind: 'project' as const, project: m.project, members: [] };
    p.members.push(m.id);
    projects.set(m.project, p);
    if (!m.service) continue;
    const sk = `${m.project}/${m.service}`;
    const s = services.get(sk) ?? { key: `service:${sk}`, kind: 'service' as const, project: m.project, service: m.service, members: [] };
    s.members.push(m.id);
    services.set(sk, s);
  }
  const byKey = (a: UsageGroup, b: UsageGroup) => a.key.localeCompare(b.key);
  return [...[...projects.values()].sort(byKey), ...[...services.values()].sort(byKey)].filter((g) => g.members.length > 1);
}

/**
 * How far apart two points of a series may be and still be joined by a line. A panel's streams
 * give a point a second; under load answers come late, two or three seconds apart, and late is
 * not missing. Five times the cadence is the margin; beyond it the line breaks, as it always does
 * where the series was stopped, removed or the engine unreachable (a known "no data").
 */
export const SAMPLE_SECONDS = 1;
export const JOIN_SECONDS = 5 * SAMPLE_SECONDS;

/** Marker kinds that end a run of points: no line across them, however close the points. */
const BREAKS: ReadonlySet<string> = new Set(['stopped', 'removed', 'unreachable']);

/** Whether points at `a` and `b` (a < b) belong to one line. */
export function joined(a: number, b: number, markers: PlotTrack['markers'] = []): boolean {
  return b - a <= JOIN_SECONDS && !markers.some((m) => BREAKS.has(m.kind) && m.t >= a && m.t <= b);
}

/**
 * Every second any track has a point for, within [from, to], in order; plus, for each break in a
 * track's series, the second after its last point, where it has no value, so that the plot draws
 * a gap there instead of a line to the next point.
 */
export function timeAxis(tracks: readonly PlotTrack[], from: number, to = Infinity): number[] {
  const seen = new Set<number>();
  for (const t of tracks) {
    const pts = t.points;
    for (let i = 0; i < pts.length; i++) {
      const p = pts[i];
      if (p.t < from || p.t > to) continue;
      seen.add(p.t);
      const next = pts[i + 1];
      if (next && !joined(p.t, next.t, t.markers) && p.t + 1 < next.t) seen.add(p.t + 1);
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * A track's values on the axis: its point's value where it has one; undefined (drawn as a line
 * across) at a second between two joined points; null (drawn as a gap) elsewhere.
 */
export function align(xs: readonly number[], track: Pick<PlotTrack, 'points' | 'markers'>, metric: Metric): (number | null | undefined)[] {
  const pts = track.points;
  const out: (number | null | undefined)[] = [];
  let i = 0; // first point at or after x
  for (const x of xs) {
    while (i < pts.length && pts[i].t < x) i++;
    if (i < pts.length && pts[i].t === x) out.push(pts[i][metric]);
    else if (i > 0 && i < pts.length && joined(pts[i - 1].t, pts[i].t, track.markers)) out.push(undefined);
    else out.push(null);
  }
  return out;
}

/**
 * The sum of the members' values at each second. A member with no point at x counts with its
 * point before, when that one is joined to its next (late, not missing). Null where none counts.
 */
export function sumSeries(xs: readonly number[], members: readonly PlotTrack[], metric: Metric): (number | null)[] {
  const cols = members.map((m) => {
    const vals = align(xs, m, metric);
    let last: number | null = null;
    return vals.map((v) => (v === undefined ? last : (last = v)));
  });
  return xs.map((_x, j) => {
    let sum: number | null = null;
    for (const col of cols) {
      const v = col[j];
      if (v !== null && v !== undefined) sum = (sum ?? 0) + v;
    }
    return sum;
  });
}

/** A table row: the figures of a point, for a container or a group. */
export interface TableRow extends Omit<UsagePoint, 't'> {
  key: string;
  kind: 'container' | GroupKind;
  label: string;
  live: boolean;
}

export type SortKey = 'cpu' | 'mem' | 'rx' | 'tx' | 'read' | 'write' | 'label';

export function groupLabel(g: UsageGroup): string {
  return g.kind === 'project' ? g.project : `${g.project}/${g.service}`;
}

/** The latest figures of each container and group; a stopped container's are null. */
export function tableRows(tracks: readonly PlotTrack[], groups: readonly UsageGroup[]): TableRow[] {
  const latest = new Map<string, UsagePoint | undefined>();
  const rows: TableRow[] = [];
  for (const t of tracks) {
    const p = t.live ? t.points[t.points.length - 1] : undefined;
    latest.set(t.meta.id, p);
    rows.push({ key: t.meta.id, kind: 'container', label: t.meta.name, live: t.live, ...figures(p ? [p] : []) });
  }
  for (const g of groups) {
    const pts = g.members.map((id) => latest.get(id)).filter((p): p is UsagePoint => p !== undefined);
    rows.push({ key: g.key, kind: g.kind, label: groupLabel(g), live: pts.length > 0, ...figures(pts) });
  }
  return rows;
}

function figures(pts: readonly UsagePoint[]): Pick<TableRow, 'cpu' | 'mem' | 'memLimit' | 'rx' | 'tx' | 'read' | 'write'> {
  const sum = (m: Metric) => pts.reduce<number | null>((acc, p) => (p[m] === null ? acc : (acc ?? 0) + (p[m] as number)), null);
  return { cpu: sum('cpu'), mem: sum('mem'), memLimit: sum('memLimit'), rx: sum('rx'), tx: sum('tx'), read: sum('read'), write: sum('write') };
}

/** Top consumer first (nulls last); by name A to Z for 'label'. */
export function sortRows(rows: readonly TableRow[], by: SortKey, descending = by !== 'label'): TableRow[] {
  const dir = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (by === 'label') return dir * a.label.localeCompare(b.label);
    const x = a[by];
    const y = b[by];
    if (x === null && y === null) return a.label.localeCompare(b.label);
    if (x === null) return 1;
    if (y === null) return -1;
    return dir * (x - y) || a.label.localeCompare(b.label);
  });
}
