// The rest of a container's lifecycle (issue 28): create networks and volumes, connect and
// disconnect, rename. Types only; src/engine/lifecycle.ts implements them.

export interface NetworkCreateRequest {
  name: string;
  driver: string;
  /** IPv4 (and, with ipv6, IPv6) blocks; empty: the engine picks from its pools. */
  subnets: { subnet: string; gateway?: string; ipRange?: string }[];
  internal: boolean;
  ipv6: boolean;
  /** Overlay networks only: standalone containers may join. */
  attachable: boolean;
  labels: Record<string, string>;
}

export interface VolumeCreateRequest {
  name: string;
  driver: string;
  options: Record<string, string>;
  labels: Record<string, string>;
}

/** A network's addressing and who holds which address, for the checks of Connect to Network…. */
export interface NetworkAddressing {
  id: string;
  name: string;
  driver: string;
  subnets: string[];
  gateways: string[];
  used: { ip: string; by: string }[];
  /** Containers attached, by id. */
  containers: string[];
}

/** What the engine offers for Create Network… and Create Volume…. */
export interface EngineDrivers {
  network: string[];
  volume: string[];
  /** Whether this engine is a Swarm manager: overlay networks need one. */
  swarmManager: boolean;
}

/** A container's limits as Update… shows them, and what it uses now. */
export interface ContainerLimits {
  name: string;
  running: boolean;
  autoRemove: boolean;
  restart: { name: string; maximumRetryCount?: number };
  memory: number;
  memorySwap: number;
  nanoCpus: number;
  /** Bytes in use now (running containers), as the engine's stats count it. */
  memoryUsage?: number;
  hostCpus: number;
}

/** GET /system/df, reduced to what a prune preview needs. */
export interface DiskUsage {
  containers: { id: string; name: string; state: string; sizeRw: number; imageId: string; labels: Record<string, string>; networks: string[]; volumes: string[] }[];
  images: { id: string; tags: string[]; size: number; sharedSize: number; containers: number; labels: Record<string, string> }[];
  volumes: { name: string; size: number; refCount: number; labels: Record<string, string> }[];
  buildCache: { id: string; size: number; inUse: boolean; shared: boolean; description: string }[];
}

export type PruneKind = 'container' | 'network' | 'image' | 'volume' | 'buildCache';

export interface LifecycleClient {
  drivers(): Promise<EngineDrivers>;
  /** Every network's addressing (for overlap checks and static IPs). */
  addressing(): Promise<NetworkAddressing[]>;
  createNetwork(req: NetworkCreateRequest): Promise<string>;
  createVolume(req: VolumeCreateRequest): Promise<string>;
  connect(network: string, container: string, opts: { aliases: string[]; ipv4?: string; ipv6?: string }): Promise<void>;
  disconnect(network: string, container: string): Promise<void>;
  rename(container: string, name: string): Promise<void>;
  limits(container: string): Promise<ContainerLimits>;
  diskUsage(): Promise<DiskUsage>;
  /** Removes exactly one object a prune preview listed (never forced: one in use since stays, with the engine's reason). */
  removeForPrune(kind: PruneKind, id: string): Promise<void>;
  /** GET /containers/{id}/export: the filesystem as a tar stream, never buffered. */
  exportFilesystem(container: string, signal?: AbortSignal): Promise<NodeJS.ReadableStream>;
  /** POST /images/create?fromSrc=-: a filesystem tar as an image; resolves its id. */
  importFilesystem(tar: NodeJS.ReadableStream, repo: string, tag: string, signal?: AbortSignal): Promise<string>;
  /** POST /commit: the container's filesystem and config as an image; resolves the image id. */
  commit(container: string, req: { repo: string; tag: string; author?: string; message?: string; changes: string[]; pause: boolean }): Promise<string>;
  /** POST /containers/{id}/update: only the fields given change; the container keeps running. */
  update(container: string, change: { restart?: { name: string; maximumRetryCount?: number }; memory?: number; memorySwap?: number; nanoCpus?: number }): Promise<void>;
}
