// What the Kubernetes export reads from a container, a Compose service or a Swarm service: one
// shape for all three sources (fromDocker.ts, fromCompose.ts), turned into manifests by manifests.ts.
import type { Protocol } from '../../contract/records';

export interface WorkloadPort {
  containerPort: number;
  protocol: Protocol;
  /** Published on the host (Docker) or the ingress (Swarm), on a port the engine picked when hostPort is undefined. */
  published?: boolean;
  /** The host port asked for; undefined when only exposed or when the engine picks one. */
  hostPort?: number;
  /** "5433-5435:5432": the host range one container port took from. */
  hostPortEnd?: number;
}

export interface WorkloadMount {
  /** volume: a named volume; anonymous: a volume with no name of the user's; bind: a host path. */
  type: 'volume' | 'anonymous' | 'bind' | 'tmpfs' | 'other';
  source: string;
  target: string;
  readOnly: boolean;
  /** A tmpfs's size limit (its size= option). */
  sizeBytes?: number;
}

/** Docker's HEALTHCHECK: the test as the engine stores it (["CMD", ...] or ["CMD-SHELL", "..."]). */
export interface WorkloadHealth {
  test: string[];
  intervalSeconds?: number;
  timeoutSeconds?: number;
  retries?: number;
  startPeriodSeconds?: number;
}

export interface Workload {
  /** The name in Docker: container, Compose service or Swarm service. */
  name: string;
  image?: string;
  /** Built by Compose from a build: section; image is then the local name it would get, if known. */
  built?: boolean;
  /** Docker's entrypoint: Kubernetes' command. */
  entrypoint?: string[];
  /** Docker's command: Kubernetes' args. */
  command?: string[];
  workingDir?: string;
  user?: string;
  labels: Record<string, string>;
  /** null: taken from the environment Compose ran in, no value known. */
  env: Record<string, string | null>;
  ports: WorkloadPort[];
  /** Loopback addresses its ports were published on in Docker (127.0.0.1). */
  loopback?: string[];
  mounts: WorkloadMount[];
  health?: WorkloadHealth;
  /** Docker's restart policy name: no, always, unless-stopped, on-failure (Swarm: none, on-failure, any). */
  restart?: string;
  limits: { memoryBytes?: number; cpus?: number };
  reservations: { memoryBytes?: number; cpus?: number };
  replicas: number;
  /** How long a stop waits before the kill (Docker's stop timeout, Compose's stop_grace_period). */
  stopGraceSeconds?: number;
  tty?: boolean;
  stdin?: boolean;
  /** Kubernetes' imagePullPolicy, from Compose's pull_policy. */
  pullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** A Swarm service in global mode: one task per node. */
  global?: boolean;
  dependsOn: string[];
  networks: string[];
  /** Docker's --read-only: the root filesystem cannot be written. */
  readOnlyRoot?: boolean;
  /** Docker's --shm-size when not its default 64 MiB: /dev/shm as a memory emptyDir of that size. */
  shmSizeBytes?: number;
  /** Docker's --dns, --dns-search and --dns-option: the pod's dnsConfig. */
  dns?: { nameservers: string[]; searches: string[]; options: string[] };
  /** Settings with no Kubernetes equivalent here, as Docker names them ("privileged", "network_mode: host"). */
  unsupported: string[];
}

export function emptyWorkload(name: string): Workload {
  return { name, labels: {}, env: {}, ports: [], mounts: [], limits: {}, reservations: {}, replicas: 1, dependsOn: [], networks: [], unsupported: [] };
}

/** What is exported: one container, a Compose project or service, a Swarm service or stack. */
export interface ExportInput {
  /** What the user exported, for the header ("container web", "Compose project shop"). */
  title: string;
  /** A Compose project or Swarm stack name: `app.kubernetes.io/part-of`. */
  partOf?: string;
  workloads: Workload[];
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

export interface ExportOptions {
  serviceType: ServiceType;
  /** Each PersistentVolumeClaim's request, e.g. "1Gi". */
  volumeSize: string;
}

export const DEFAULT_VOLUME_SIZE = '1Gi';

/** The API the manifests are written for and validated against (kubernetes-models 5.1.0). */
export const KUBERNETES_VERSION = '1.34';
