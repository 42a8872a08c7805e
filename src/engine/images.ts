// Images: list, inspect, remove, prune, and what a run needs from one.
import type { ImageConfig, PruneOptions } from '../contract/client';
import type { ImageRecord, PruneResult } from '../contract/records';
import type { Connection } from './connection';
import { imageInspectToRecord, toImageRecord } from './convert';
import { pruneFilters } from './resources';

export function listImages(c: Connection): Promise<ImageRecord[]> {
  return c.call(async (d) => (await d.listImages({ all: false })).map(toImageRecord));
}

export function image(c: Connection, idOrRef: string): Promise<ImageRecord | undefined> {
  return c.orMissing(async (d) => imageInspectToRecord(await d.getImage(idOrRef).inspect()));
}

export function removeImage(c: Connection, ref: string): Promise<void> {
  return c.call((d) => d.getImage(ref).remove({ force: false, noprune: false }));
}

export function pruneImages(c: Connection, opts: PruneOptions = {}): Promise<PruneResult> {
  return c.call(async (d) => {
    const r = await d.pruneImages({ filters: JSON.stringify(pruneFilters(opts, { dangling: ['true'] })) } as object);
    return { removed: (r.ImagesDeleted ?? []).map((x) => x.Deleted ?? '').filter(Boolean), spaceReclaimed: r.SpaceReclaimed ?? 0 };
  });
}

export function imageConfig(c: Connection, image: string): Promise<ImageConfig | undefined> {
  return c.orMissing(async (d) => {
    const cfg = (await d.getImage(image).inspect()).Config;
    const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []);
    return { exposedPorts: Object.keys(cfg?.ExposedPorts ?? {}), cmd: list(cfg?.Cmd), entrypoint: list(cfg?.Entrypoint) };
  });
}
