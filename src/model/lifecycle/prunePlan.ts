// What a prune removes, worked out from GET /system/df before anything is removed, so the preview
// lists exactly what goes and the space each frees. Removal then takes exactly these objects, one
// by one (never the engine's prune endpoints, which would also take whatever became unused since).
import type { DiskUsage, PruneKind } from '../../contract/lifecycle';
import type { NetworkRecord } from '../../contract/records';
import { isBuiltInNetwork } from '../usage';

export interface PruneItem {
  kind: PruneKind;
  id: string;
  name: string;
  /**
   * Bytes it frees: a container's writable layer, a volume's contents, a cache record's size, an
   * image's own layers (its size less what it shares with other images).
   */
  bytes: number;
}

export interface PruneChoice {
  kinds: PruneKind[];
  /** Every image no container uses, not only dangling ones. */
  allImages: boolean;
  /** Only objects carrying this label ("key" or "key=value"), as the engine's label filter. */
  label?: string;
}

function labelled(labels: Record<string, string> | undefined, label: string | undefined): boolean {
  if (!label) return true;
  const [k, v] = label.split(/=(.*)/s);
  return !!labels && k in labels && (v === undefined || labels[k] === v);
}

const STOPPED = new Set(['exited', 'created', 'dead']);

export function prunePlan(df: DiskUsage, networks: readonly NetworkRecord[], choice: PruneChoice): PruneItem[] {
  const on = new Set(choice.kinds);
  const items: PruneItem[] = [];
  // Containers go first: what only they used becomes unused, as docker system prune counts it.
  const gone = new Set(on.has('container') ? df.containers.filter((c) => STOPPED.has(c.state) && labelled(c.labels, choice.label)).map((c) => c.id) : []);
  for (const c of df.containers) if (gone.has(c.id)) items.push({ kind: 'container', id: c.id, name: c.name, bytes: c.sizeRw });
  const staying = df.containers.filter((c) => !gone.has(c.id));
  if (on.has('network'))
    for (const n of networks)
      if (!isBuiltInNetwork(n) && labelled(n.labels, choice.label) && !staying.some((c) => c.networks.includes(n.id) || c.networks.includes(n.name)))
        items.push({ kind: 'network', id: n.id, name: n.name, bytes: 0 });
  if (on.has('image'))
    for (const i of df.images)
      if ((choice.allImages || !i.tags.length) && labelled(i.labels, choice.label) && !staying.some((c) => c.imageId === i.id))
        items.push({ kind: 'image', id: i.id, name: i.tags.join(', ') || i.id.replace(/^sha256:/, '').slice(0, 12), bytes: Math.max(0, i.size - i.sharedSize) });
  if (on.has('volume'))
    for (const v of df.volumes)
      if (labelled(v.labels, choice.label) && !staying.some((c) => c.volumes.includes(v.name))) items.push({ kind: 'volume', id: v.name, name: v.name, bytes: v.size });
  // Build cache records carry no labels: a labelled prune (the tests') leaves them alone.
  if (on.has('buildCache') && !choice.label) for (const b of df.buildCache) if (!b.inUse) items.push({ kind: 'buildCache', id: b.id, name: b.description || b.id.slice(0, 12), bytes: b.shared ? 0 : b.size });
  return items;
}

export function totalBytes(items: readonly PruneItem[]): number {
  return items.reduce((n, i) => n + i.bytes, 0);
}
