// Which containers use an image, a volume or a network, from the container records alone.
import type { ContainerRecord, ImageRecord, NetworkRecord } from '../contract/records';

export function isActive(c: ContainerRecord): boolean {
  return c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
}

export function imageUsers(imageId: string, containers: readonly ContainerRecord[]): ContainerRecord[] {
  return containers.filter((c) => c.imageId === imageId);
}

export function volumeUsers(name: string, containers: readonly ContainerRecord[]): ContainerRecord[] {
  return containers.filter((c) => c.volumes.includes(name));
}

export function networkUsers(n: Pick<NetworkRecord, 'id' | 'name'>, containers: readonly ContainerRecord[]): ContainerRecord[] {
  return containers.filter((c) => onNetwork(c, n));
}

/** Whether a container is on a network (by id, or by name before its first start: see ContainerRecord.networks). */
export function onNetwork(c: Pick<ContainerRecord, 'networks'>, n: Pick<NetworkRecord, 'id' | 'name'>): boolean {
  return c.networks.includes(n.id) || c.networks.includes(n.name);
}

/** Networks the engine creates itself and refuses to remove. */
const BUILT_IN_NETWORKS = new Set(['bridge', 'host', 'none', 'podman']);

export function isBuiltInNetwork(n: Pick<NetworkRecord, 'name'>): boolean {
  return BUILT_IN_NETWORKS.has(n.name);
}

export interface ImageRemoval {
  /** The reference to pass to the engine: the tag, or the id for a dangling image. */
  ref: string;
  /** Only the tag goes: other tags still name the image, so no container is affected. */
  untagOnly: boolean;
  running: ContainerRecord[];
  stopped: ContainerRecord[];
}

/** What removing this row does, and which containers stand in the way when the image itself goes. */
export function planImageRemoval(image: ImageRecord, tag: string | undefined, containers: readonly ContainerRecord[]): ImageRemoval {
  const untagOnly = !!tag && image.repoTags.length > 1;
  const users = untagOnly ? [] : imageUsers(image.id, containers);
  return { ref: tag ?? image.id, untagOnly, running: users.filter(isActive), stopped: users.filter((c) => !isActive(c)) };
}

/** Case-insensitive substring filter over a row's searchable texts. */
export function matchesFilter(filter: string | undefined, ...texts: (string | undefined)[]): boolean {
  if (!filter) return true;
  const needle = filter.toLowerCase();
  return texts.some((t) => t?.toLowerCase().includes(needle));
}
