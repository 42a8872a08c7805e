// The engine's disk (GET /system/df) as four sections, each with what could be reclaimed, biggest
// first. Read-only: the prunes that reclaim it are elsewhere.
import type { DiskUsage } from '../../contract/layers';

export type DiskSection = 'images' | 'containers' | 'volumes' | 'buildCache';

export interface DiskTotals {
  section: DiskSection;
  size: number;
  reclaimable: number;
  count: number;
}

/**
 * Images: their layers counted once (LayersSize); an image no container uses frees what only it
 * holds (size minus what it shares). Containers: writable layers, a stopped one's reclaimable.
 * Volumes: those no container uses. Build cache: records neither in use nor shared.
 */
export function diskTotals(u: DiskUsage): DiskTotals[] {
  const sum = <T>(list: T[], size: (x: T) => number) => list.reduce((n, x) => n + size(x), 0);
  const sections: DiskTotals[] = [
    { section: 'images', size: u.layersSize, reclaimable: sum(u.images.filter((i) => i.containers === 0), (i) => i.size - i.sharedSize), count: u.images.length },
    { section: 'containers', size: sum(u.containers, (c) => c.sizeRw), reclaimable: sum(u.containers.filter((c) => c.state !== 'running' && c.state !== 'paused'), (c) => c.sizeRw), count: u.containers.length },
    { section: 'volumes', size: sum(u.volumes, (v) => v.size), reclaimable: sum(u.volumes.filter((v) => v.refCount === 0), (v) => v.size), count: u.volumes.length },
    { section: 'buildCache', size: sum(u.buildCache.filter((b) => !b.shared), (b) => b.size), reclaimable: sum(u.buildCache.filter((b) => !b.inUse && !b.shared), (b) => b.size), count: u.buildCache.length },
  ];
  return sections.sort((a, b) => b.size - a.size);
}
