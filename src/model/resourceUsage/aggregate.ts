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

/** Every second any track has a point for, within [from, to], in order. */
export function timeAxis(tracks: readonly PlotTrack[], from: number, to = Infinity): number[] {
  const seen = new Set<number>();
  for (const t of tracks) for (const p of t.points) if (p.t >= from && p.t <= to) seen.add(p.t);
  return [...seen].sort((a, b) => a - b);
}

/**
 * A track's values on the axis: null where it has no point, which uPlot draws as a gap. A single
 * second missed between two points (samples a little early or late land in the same second) is
 * not a gap: it takes the value before it.
 */
export function align(xs: readonly number[], points: readonly UsagePoint[], metric: Metric): (number | null)[] {
  const at = new Map<number, number | null>();
  for (const p of points) at.set(p.t, p[metric]);
  return xs.map((x) => (at.has(x) ? at.get(x)! : at.has(x - 1) && at.has(x + 1) ? at.get(x - 1)! : null));
}

/**
 * The sum of the members' values at each second. Members sampled a second apart still add up:
 * one with no point at x counts with its point at x - 1, if any. Null where no member counts.
 */
export function sumSeries(xs: readonly number[], members: readonly PlotTrack[], metric: Metric): (number | null)[] {
  const maps = members.map((m) => {
    const at = new Map<number, number | null>();
    for (const p of m.points) at.set(p.t, p[metric]);
    return at;
  });
  return xs.map((x) => {
    let sum: number | null = null;
    for (const at of maps) {
      const v = at.has(x) ? at.get(x) : at.get(x - 1);
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
