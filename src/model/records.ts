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
  /** The engine's own status text, e.g. "Up 5 minutes". */
  status: string;
  /** Seconds since the epoch. */
  created: number;
  command: string;
  ports: PortRecord[];
  labels: Record<string, string>;
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
