// Volumes and networks: list, inspect, remove, prune, and the raw inspect of any object.
import type { InspectKind, PruneOptions } from '../contract/client';
import type { NetworkRecord, PruneResult, VolumeRecord } from '../contract/records';
import type { Connection } from './connection';
import { toNetworkRecord, toVolumeRecord } from './convert';

export function pruneFilters(opts: PruneOptions, base: Record<string, string[]>): Record<string, string[]> {
  return opts.label ? { ...base, label: [opts.label] } : base;
}

export function inspect(c: Connection, kind: InspectKind, id: string): Promise<unknown> {
  return c.call<unknown>((d) => {
    const target = { container: () => d.getContainer(id), image: () => d.getImage(id), volume: () => d.getVolume(id), network: () => d.getNetwork(id) }[kind]();
    return target.inspect() as Promise<unknown>;
  });
}

export function listVolumes(c: Connection): Promise<VolumeRecord[]> {
  return c.call(async (d) => ((await d.listVolumes()).Volumes ?? []).map(toVolumeRecord));
}

export function volume(c: Connection, name: string): Promise<VolumeRecord | undefined> {
  return c.orMissing(async (d) => toVolumeRecord(await d.getVolume(name).inspect()));
}

export function removeVolume(c: Connection, name: string): Promise<void> {
  return c.call((d) => d.getVolume(name).remove({ force: false }));
}

export function pruneVolumes(c: Connection, opts: PruneOptions = {}): Promise<PruneResult> {
  return c.call(async (d) => {
    // Since API 1.42 a prune keeps named volumes unless asked with all=true; older engines reject that filter.
    const [major, minor] = c.apiVersion.split('.').map(Number);
    const all: Record<string, string[]> = major > 1 || (major === 1 && minor >= 42) ? { all: ['true'] } : {};
    const r = await d.pruneVolumes({ filters: JSON.stringify(pruneFilters(opts, all)) } as object);
    return { removed: r.VolumesDeleted ?? [], spaceReclaimed: r.SpaceReclaimed ?? 0 };
  });
}

export function listNetworks(c: Connection): Promise<NetworkRecord[]> {
  return c.call(async (d) => (await d.listNetworks()).map(toNetworkRecord));
}

export function network(c: Connection, id: string): Promise<NetworkRecord | undefined> {
  return c.orMissing(async (d) => toNetworkRecord(await d.getNetwork(id).inspect()));
}

export function removeNetwork(c: Connection, id: string): Promise<void> {
  return c.call((d) => d.getNetwork(id).remove({}));
}

export function pruneNetworks(c: Connection, opts: PruneOptions = {}): Promise<PruneResult> {
  return c.call(async (d) => {
    const r = await d.pruneNetworks({ filters: JSON.stringify(pruneFilters(opts, {})) } as object);
    return { removed: r.NetworksDeleted ?? [], spaceReclaimed: 0 };
  });
}
