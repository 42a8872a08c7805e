// Typed records of engine objects: what the views need, free of dockerode and vscode.

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type Health = 'healthy' | 'unhealthy' | 'starting';
export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface PortRecord {
  containerPort: number;
  protocol: Protocol;
  /** Absent when the port is exposed but not published. */
  hostPort?: number;
  hostIp?: string;
}

export interface ContainerRecord {
  id: string;
  name: string;
  image: string;
  imageId: string;
  state: ContainerState;
  health?: Health;
  /** The engine's English status text when listed or inspected, e.g. "Up 5 minutes"; rows show their own. */
  status: string;
  /** When it last started and finished, ms since the epoch; undefined when unknown or never. */
  startedAt?: number;
  finishedAt?: number;
  /** The last run's exit code, once it has finished. */
  exitCode?: number;
  /** How far startedAt/finishedAt may be off, in ms: 0 from an inspect, more from a list's text. */
  timeError?: number;
  /** Seconds since the epoch. */
  created: number;
  command: string;
  ports: PortRecord[];
  labels: Record<string, string>;
  /** Named volumes this container mounts. */
  volumes: string[];
  /** Networks it is attached to, by id; by name while the engine gives none (connected, never started). */
  networks: string[];
}

export interface ImageRecord {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** Bytes. */
  size: number;
  /** Seconds since the epoch. */
  created: number;
  labels: Record<string, string>;
}

export interface VolumeRecord {
  /** The volume's name: volumes have no other id. */
  id: string;
  driver: string;
  mountpoint: string;
  /** Seconds since the epoch; undefined when the driver does not say. */
  created?: number;
  scope: string;
  labels: Record<string, string>;
}

export interface NetworkRecord {
  id: string;
  name: string;
  driver: string;
  scope: string;
  /** Seconds since the epoch. */
  created?: number;
  internal: boolean;
  labels: Record<string, string>;
}

/** What a prune removed and how many bytes it gave back. */
export interface PruneResult {
  removed: string[];
  spaceReclaimed: number;
}

export interface EngineVersion {
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
  /** "Docker Engine", "Podman Engine", ... from the version's components. */
  product: string;
}

export type EngineEventType = 'container' | 'image' | 'volume' | 'network' | string;

/** One message of the engine's /events stream, reduced to what Berth acts on. */
export interface EngineEvent {
  type: EngineEventType;
  action: string;
  /** Container/image/volume/network id (for images: id or reference; for volumes: the name). */
  id: string;
  attributes: Record<string, string>;
  /** Nanoseconds since the epoch, used as `since` when the stream is resumed. */
  timeNano: number;
}
