// Swarm mode: services, their tasks, and the nodes they run on, as Berth needs them. Types only.
import type { LogOptions } from './client';
import type { Protocol } from './records';

export type PublishMode = 'ingress' | 'host';

/** A service port: `publishedPort` undefined lets the engine pick one (per task in host mode). */
export interface ServicePort {
  targetPort: number;
  publishedPort?: number;
  protocol: Protocol;
  mode: PublishMode;
}

export interface SwarmInfo {
  /** The engine's LocalNodeState: inactive, pending, active, error or locked. */
  state: string;
  /** Whether this engine is a manager (can list services and nodes). */
  manager: boolean;
  nodeId: string;
  nodeAddr: string;
}

export interface UpdatePolicy {
  parallelism: number;
  /** Seconds between batches. */
  delaySeconds: number;
  failureAction: 'pause' | 'continue' | 'rollback';
  /** Max failure ratio tolerated during an update (0 to 1). */
  maxFailureRatio?: number;
  /** Seconds a task is watched after its update before it counts as healthy. */
  monitorSeconds?: number;
}

export interface ServiceRecord {
  id: string;
  /** Raises with each change; an update must carry the current one. */
  version: number;
  name: string;
  mode: 'replicated' | 'global';
  /** Replicated services only. */
  replicas?: number;
  /** The image as the spec names it, without a pinned digest. */
  image: string;
  labels: Record<string, string>;
  ports: ServicePort[];
  /** The engine's own count (API 1.41 service status), when it gave one. */
  runningTasks?: number;
  desiredTasks?: number;
  /** updating, paused, completed, rollback_started, rollback_paused, rollback_completed */
  updateState?: string;
  updateMessage?: string;
  /** Whether a previous spec exists, so Rollback can act. */
  canRollback: boolean;
  update?: UpdatePolicy;
  createdAt: string;
  updatedAt: string;
}

export interface TaskRecord {
  id: string;
  serviceId: string;
  /** Replicated tasks have a slot; global ones a node. */
  slot?: number;
  nodeId?: string;
  /** new, pending, assigned, accepted, preparing, starting, running, complete, shutdown, failed, rejected, orphaned, remove */
  state: string;
  desiredState: string;
  message: string;
  /** The engine's error for a failed or stuck task ("no suitable node (host-mode port already in use on 1 node)"). */
  error?: string;
  exitCode?: number;
  containerId?: string;
  /** When the task entered its state (ISO). */
  since: string;
  createdAt: string;
  /** Ports the task really got (host mode). */
  ports: ServicePort[];
}

export interface NodeRecord {
  id: string;
  version: number;
  hostname: string;
  role: 'manager' | 'worker';
  availability: 'active' | 'pause' | 'drain';
  /** ready, down, unknown, disconnected */
  state: string;
  addr: string;
  engineVersion: string;
  leader: boolean;
  /** Managers: reachable, unreachable or unknown. */
  reachability?: string;
}

export type RestartCondition = 'none' | 'on-failure' | 'any';

export interface ServiceCreateRequest {
  name: string;
  image: string;
  /** Undefined: a global service (one task per node). */
  replicas?: number;
  command?: string[];
  env: string[];
  ports: ServicePort[];
  labels?: Record<string, string>;
  update: UpdatePolicy;
  restart: { condition: RestartCondition; maxAttempts?: number };
}

/** One change to a service, applied to its current spec. */
export type ServiceChange =
  /** `ports`: published differently at the same time (the host-mode port rule's way out). */
  | { kind: 'scale'; replicas: number; ports?: ServicePort[] }
  | { kind: 'restart' }
  /** `update`: only the policy fields the user chose; the rest of the service's policy stays as it is. */
  | { kind: 'image'; image: string; update?: Partial<UpdatePolicy> }
  | { kind: 'command'; command: string[]; update?: Partial<UpdatePolicy> }
  | { kind: 'rollback' };

export type NodeAvailability = NodeRecord['availability'];

export interface SwarmClient {
  info(): Promise<SwarmInfo>;
  /** `docker swarm init` on this engine, listening and advertised on that address and port; returns the node id. */
  init(advertiseAddr: string, port?: number): Promise<string>;
  joinTokens(): Promise<{ worker: string; manager: string; managerAddr: string }>;
  listServices(): Promise<ServiceRecord[]>;
  /** One service through inspect: undefined when it no longer exists. */
  service(id: string): Promise<ServiceRecord | undefined>;
  /** Tasks of one service, or of every service. */
  listTasks(serviceId?: string): Promise<TaskRecord[]>;
  listNodes(): Promise<NodeRecord[]>;
  node(id: string): Promise<NodeRecord | undefined>;
  createService(req: ServiceCreateRequest): Promise<string>;
  /**
   * Applies a change to the service's current spec with its version; when a concurrent change got
   * there first, retries once with the fresh version, then fails with code 'conflict'.
   */
  updateService(id: string, change: ServiceChange): Promise<{ warnings: string[] }>;
  removeService(id: string): Promise<void>;
  updateNode(id: string, availability: NodeAvailability): Promise<void>;
  /** The service's merged task logs (frames), each line prefixed with its task by the engine's details. */
  serviceLogs(id: string, opts: LogOptions, signal?: AbortSignal): Promise<NodeJS.ReadableStream>;
  /** The raw inspect payload of a service, task or node. */
  inspect(kind: 'service' | 'task' | 'node', id: string): Promise<unknown>;
}
