// The engine contract: what the rest of Berth may ask of an engine. Types only, so importing it
// costs nothing at run time and never pulls in dockerode; src/engine/ implements it.
import type { BuildMessage } from './build';
import type { Endpoint } from './endpoint';
import type { EngineStats, StatsSubscription } from './stats';
import type { ContainerRecord, EngineEvent, EngineVersion, ImageRecord, NetworkRecord, Protocol, PruneResult, VolumeRecord } from './records';
import type { LifecycleClient } from './lifecycle';
import type { SwarmClient } from './swarm';
import type { FilesClient } from './files';
import type { PullRequest, PushRequest, TransferMessage } from './transfer';
import type { LayersClient } from './layers';

/** What stops a faithful recreate (Publish Port…); the UI puts it in words. */
export type RecreateBlocker =
  | { kind: 'network'; mode: string } // host or none: ports cannot be published there
  | { kind: 'sharedNetwork'; mode: string } // container:<id>
  | { kind: 'autoRemove' }
  | { kind: 'swarmTask' }
  | { kind: 'links' };

/** One published port: as typed (-p), as planned, and as sent with a run or a recreate. */
export interface PortBinding {
  containerPort: number;
  protocol: Protocol;
  /** Undefined: the engine picks a random free port. */
  hostPort?: number;
  /** Undefined only until model/ports bindAddress() fills it in: only what the user typed is set. */
  hostIp?: string;
}

/** A binding Publish Port… adds to a container: its address is always chosen by then. */
export type NewBinding = PortBinding & { hostIp: string };

export type InspectKind = 'container' | 'image' | 'volume' | 'network';

/** Restricts a prune to objects carrying this label (tests prune only what they made). */
export interface PruneOptions {
  label?: string;
}

export interface BuildRequest {
  /** The context as a tar stream. */
  context: NodeJS.ReadableStream;
  /** The Dockerfile's name inside the tar. */
  dockerfile: string;
  tag: string;
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  pull?: boolean;
  labels?: Record<string, string>;
  signal?: AbortSignal;
}

export interface LogOptions {
  follow: boolean;
  tail?: number | 'all';
  /** Seconds since the epoch, possibly with a fraction ("1700000000.123456789"). */
  since?: string;
  timestamps: boolean;
}

export interface ContainerStateInfo {
  name: string;
  tty: boolean;
  running: boolean;
  exitCode: number;
  /** ISO time it last stopped. */
  finishedAt?: string;
  /** ISO time its current (or last) run started. */
  startedAt?: string;
}

export interface ExecSession {
  stream: NodeJS.ReadWriteStream;
  resize(rows: number, cols: number): Promise<void>;
  /** The exit code once the process ended. */
  exitCode(): Promise<number | undefined>;
}

export interface ImageConfig {
  exposedPorts: string[];
  cmd: string[];
  entrypoint: string[];
}

export interface AttachedRun {
  id: string;
  /** The container's TTY, attached before it started. */
  stream: NodeJS.ReadWriteStream;
  /** Its exit code once it ends (removed, with autoRemove); undefined when the wait was cut short. */
  exitCode: Promise<number | undefined>;
}

export interface RunRequest {
  image: string;
  name?: string;
  ports: PortBinding[];
  env: string[];
  mounts: { type: 'volume' | 'bind'; source: string; target: string; readOnly: boolean }[];
  network?: string;
  restart?: { name: string; maximumRetryCount?: number };
  command?: string[];
  /** Keep stdin open with a TTY, for an attached terminal. */
  interactive?: boolean;
  autoRemove?: boolean;
  labels?: Record<string, string>;
}

export type ContainerAction = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill';

export interface EventSubscription {
  /** Settles once when the stream ends for any reason other than close(); with the error if any. */
  readonly ended: Promise<Error | undefined>;
  close(): void;
}

export interface EngineClient {
  readonly endpoint: Endpoint;
  ping(timeoutMs: number): Promise<EngineVersion>;
  listContainers(): Promise<ContainerRecord[]>;
  /** One container by id through inspect: undefined when it no longer exists. */
  container(id: string): Promise<ContainerRecord | undefined>;
  listImages(): Promise<ImageRecord[]>;
  /** One image by id or reference through inspect: undefined when it no longer exists. */
  image(idOrRef: string): Promise<ImageRecord | undefined>;
  listVolumes(): Promise<VolumeRecord[]>;
  volume(name: string): Promise<VolumeRecord | undefined>;
  listNetworks(): Promise<NetworkRecord[]>;
  network(id: string): Promise<NetworkRecord | undefined>;
  /** The engine's raw inspect payload. */
  inspect(kind: InspectKind, id: string): Promise<unknown>;
  /** start, stop, restart, pause, unpause or kill one container. */
  containerAction(id: string, action: ContainerAction): Promise<void>;
  /** Removes a container; never its volumes. */
  removeContainer(id: string, force: boolean): Promise<void>;
  /** Removes a tag, or the image when it has no other tag (never forced). */
  removeImage(ref: string): Promise<void>;
  removeVolume(name: string): Promise<void>;
  removeNetwork(id: string): Promise<void>;
  /** Removes dangling images no container uses. */
  pruneImages(opts?: PruneOptions): Promise<PruneResult>;
  /** Removes volumes no container uses, named ones included. */
  pruneVolumes(opts?: PruneOptions): Promise<PruneResult>;
  pruneNetworks(opts?: PruneOptions): Promise<PruneResult>;
  /**
   * Builds with the engine's builder, handing every stream message over as it arrives. Resolves
   * when the stream ends: whether the build succeeded is in the messages, not here.
   */
  build(req: BuildRequest, onMessage: (m: BuildMessage) => void): Promise<void>;
  /**
   * Pulls from a registry, handing every progress message over as it arrives. Rejects with the
   * engine's words when the stream ends in an error (the HTTP status alone says nothing), and with
   * an AbortError once the signal aborts: the request is cut, which stops the engine's pull.
   */
  pull(req: PullRequest, onMessage: (m: TransferMessage) => void): Promise<void>;
  /** Pushes a local tag to its registry, like pull(). */
  push(req: PushRequest, onMessage: (m: TransferMessage) => void): Promise<void>;
  /** Gives a local image one more name (repository:tag). */
  tag(image: string, reference: string): Promise<void>;
  /** The engine's tar of these images (docker save), streamed; aborting the signal ends it. */
  saveImages(names: string[], signal?: AbortSignal): Promise<NodeJS.ReadableStream>;
  /** Loads a tar (plain or gzip) into the engine (docker load), reporting its messages. */
  loadImages(tar: NodeJS.ReadableStream, onMessage: (m: TransferMessage) => void, signal?: AbortSignal): Promise<void>;
  /** Why a container cannot be recreated with more ports (empty: it can), and whether it runs. */
  recreateCheck(id: string): Promise<{ blockers: RecreateBlocker[]; running: boolean; name: string }>;
  /**
   * Recreates a container with these bindings added: same config, volumes re-attached by name.
   * When anything fails half-way the original is renamed back and restarted, never lost.
   */
  publishPorts(id: string, add: NewBinding[]): Promise<string>;
  /** What a run needs from an image, or undefined when the image does not exist. */
  imageConfig(image: string): Promise<ImageConfig | undefined>;
  resize(id: string, rows: number, cols: number): Promise<void>;
  /** Creates and starts a container; removes it again when the start fails, so nothing is half-made. */
  run(req: RunRequest): Promise<string>;
  /**
   * An interactive run in the docker CLI's order: create, attach, wait, then start, so nothing the
   * container prints before the attach is lost and its exit code is known even with autoRemove.
   */
  runAttached(req: RunRequest): Promise<AttachedRun>;
  /** Follows /events from `sinceNano` (or from now). Never times out while quiet. */
  events(sinceNano: number | undefined, onEvent: (e: EngineEvent) => void, filters?: Record<string, string[]>): Promise<EventSubscription>;
  /**
   * A container's log stream (frames unless the container has a TTY). Unfollowed, it ends at the
   * moment of the request, so a whole log can be streamed rather than buffered.
   */
  logs(id: string, opts: LogOptions, signal?: AbortSignal): Promise<NodeJS.ReadableStream>;
  /** What log and shell terminals need to know about a container, or undefined once it is gone. */
  containerState(id: string, signal?: AbortSignal): Promise<ContainerStateInfo | undefined>;
  /** Runs a command to completion without a TTY and returns its exit code (probing for a shell). */
  execStatus(id: string, cmd: string[]): Promise<number>;
  /** Starts an interactive exec with a TTY. */
  execTty(id: string, cmd: string[], size?: { rows: number; cols: number }): Promise<ExecSession>;
  /** One stats answer without waiting for a second sample (no precpu_stats); undefined once it is gone. */
  statsOnce(id: string, signal?: AbortSignal): Promise<EngineStats | undefined>;
  /** Follows a container's stats, an answer about every second; undefined once it is gone. */
  statsStream(id: string, onStats: (s: EngineStats) => void): Promise<StatsSubscription | undefined>;
  /** Create networks and volumes, connect, rename (absent in test doubles). */
  readonly lifecycle?: LifecycleClient;
  /** Swarm mode: services, tasks and nodes (absent in test doubles). */
  readonly swarm?: SwarmClient;
  /** Files inside containers, through the archive endpoints (absent in test doubles). */
  readonly files?: FilesClient;
  /** Image layers, saved images and disk usage (absent in test doubles). */
  readonly layers?: LayersClient;
  /**
   * The local unix socket an ssh engine is forwarded to, once connected: a child process such as
   * the Compose program reaches the same engine through it. Undefined for other engines.
   */
  forwardedSocket?(): string | undefined;
  dispose(): void;
}

/** Makes a client for an endpoint. The session gets one injected; only extension.ts names the engine's. */
export type EngineClientFactory = (endpoint: Endpoint) => EngineClient;
