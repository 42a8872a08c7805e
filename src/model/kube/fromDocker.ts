// Workloads from the engine's inspect answers (the Engine API's JSON, as client.inspect returns it):
// a container, or a Swarm service. Only the fields read here are typed.
import type { Protocol } from '../../contract/records';
import { CONFIG_FIELDS, HOST_CONFIG_FIELDS, listedSettings } from './inspectFields';
import { emptyWorkload, type Workload, type WorkloadHealth, type WorkloadMount, type WorkloadPort } from './workload';

interface DockerHealthcheck {
  Test?: string[] | null;
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
}

interface DockerMount {
  Type?: string;
  Name?: string;
  Source?: string;
  Destination?: string;
  Target?: string;
  RW?: boolean;
  ReadOnly?: boolean;
}

export interface ContainerInspect {
  Name?: string;
  Config?: {
    Image?: string;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    WorkingDir?: string;
    User?: string;
    Env?: string[] | null;
    Labels?: Record<string, string> | null;
    ExposedPorts?: Record<string, unknown> | null;
    Healthcheck?: DockerHealthcheck;
    StopTimeout?: number;
    Tty?: boolean;
    OpenStdin?: boolean;
  } & Record<string, unknown>;
  HostConfig?: {
    PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
    Memory?: number;
    MemoryReservation?: number;
    NanoCpus?: number;
    CpuQuota?: number;
    CpuPeriod?: number;
    RestartPolicy?: { Name?: string };
    Privileged?: boolean;
    CapAdd?: string[] | null;
    Devices?: unknown[] | null;
    NetworkMode?: string;
    PidMode?: string;
    IpcMode?: string;
    ExtraHosts?: string[] | null;
    Sysctls?: Record<string, string> | null;
    Links?: string[] | null;
    Tmpfs?: Record<string, string> | null;
    ReadonlyRootfs?: boolean;
    ShmSize?: number;
    Dns?: string[] | null;
    DnsSearch?: string[] | null;
    DnsOptions?: string[] | null;
  } & Record<string, unknown>;
  Mounts?: DockerMount[] | null;
  NetworkSettings?: { Networks?: Record<string, unknown> | null };
}

/** What the container's image sets itself: left out, so the manifests say only what the container changed. */
export interface ImageDefaults {
  env?: string[] | null;
  labels?: Record<string, string> | null;
  cmd?: string[] | null;
  entrypoint?: string[] | null;
  workingDir?: string;
  user?: string;
}

/** An image's own settings from its inspect answer. */
export function imageDefaults(inspect: { Config?: { Env?: string[] | null; Labels?: Record<string, string> | null; Cmd?: string[] | null; Entrypoint?: string[] | null; WorkingDir?: string; User?: string } | null } | undefined): ImageDefaults {
  const c = inspect?.Config ?? {};
  return { env: c.Env, labels: c.Labels, cmd: c.Cmd, entrypoint: c.Entrypoint, workingDir: c.WorkingDir, user: c.User };
}

const NS = 1e9;
const seconds = (ns: number | undefined) => (ns ? Math.max(1, Math.ceil(ns / NS)) : undefined);

function envRecord(env: readonly string[] | null | undefined, skip: ReadonlySet<string> = new Set()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of env ?? []) {
    if (skip.has(entry)) continue;
    const eq = entry.indexOf('=');
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

function health(h: DockerHealthcheck | undefined): WorkloadHealth | undefined {
  if (!h?.Test?.length) return undefined;
  return { test: [...h.Test], intervalSeconds: seconds(h.Interval), timeoutSeconds: seconds(h.Timeout), retries: h.Retries || undefined, startPeriodSeconds: seconds(h.StartPeriod) };
}

function sameList(a: readonly string[] | null | undefined, b: readonly string[] | null | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** A volume the engine named itself: 64 hex digits. */
const ANONYMOUS = /^[0-9a-f]{64}$/;

function mountOf(m: DockerMount, volumeName?: (name: string) => string): WorkloadMount {
  const target = m.Destination ?? m.Target ?? '';
  const readOnly = m.RW === false || m.ReadOnly === true;
  switch (m.Type) {
    case 'volume': {
      const name = m.Name ?? m.Source ?? '';
      return ANONYMOUS.test(name) || !name ? { type: 'anonymous', source: '', target, readOnly } : { type: 'volume', source: volumeName ? volumeName(name) : name, target, readOnly };
    }
    case 'bind':
      return { type: 'bind', source: m.Source ?? '', target, readOnly };
    case 'tmpfs':
      return { type: 'tmpfs', source: '', target, readOnly };
    default:
      return { type: 'other', source: m.Source ?? m.Name ?? '', target, readOnly };
  }
}

/** Docker's default /dev/shm: 64 MiB. */
const DEFAULT_SHM = 64 * 1024 * 1024;

/** The size in bytes of a tmpfs's options ("size=64m,mode=1777"), as the kernel reads it (k, m, g; a bare number is bytes). */
export function tmpfsSize(options: string | undefined): number | undefined {
  const m = /(?:^|,)size=(\d+)([kmg]?)(?:,|$)/i.exec(options ?? '');
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[m[2].toLowerCase()];
}

function portKey(key: string): { containerPort: number; protocol: Protocol } {
  const [port, proto = 'tcp'] = key.split('/');
  return { containerPort: Number(port), protocol: proto as Protocol };
}

export interface ContainerReadOptions {
  /** The name to export under (a Compose service's name) instead of the container's. */
  name?: string;
  replicas?: number;
  image?: ImageDefaults;
  /** Docker's volume name -> the name to claim (a Compose project's volumes lose their prefix). */
  volumeName?: (name: string) => string;
}

/** A workload from a container's inspect answer. */
export function workloadFromContainer(inspect: ContainerInspect, opts: ContainerReadOptions = {}): Workload {
  const cfg = inspect.Config ?? {};
  const host = inspect.HostConfig ?? {};
  const img = opts.image ?? {};
  const w = emptyWorkload(opts.name ?? (inspect.Name ?? '').replace(/^\//, ''));
  w.image = cfg.Image;
  w.replicas = opts.replicas ?? 1;
  if (cfg.Entrypoint?.length && !sameList(cfg.Entrypoint, img.entrypoint)) w.entrypoint = [...cfg.Entrypoint];
  // An entrypoint given anew drops the image's command, so the command is then always written.
  if (cfg.Cmd?.length && (w.entrypoint || !sameList(cfg.Cmd, img.cmd))) w.command = [...cfg.Cmd];
  if (cfg.WorkingDir && cfg.WorkingDir !== img.workingDir) w.workingDir = cfg.WorkingDir;
  if (cfg.User && cfg.User !== img.user) w.user = cfg.User;
  const imageLabels = img.labels ?? {};
  // Compose's own labels mean nothing to Kubernetes; the part-of label says the project.
  for (const [k, v] of Object.entries(cfg.Labels ?? {})) if (imageLabels[k] !== v && !k.startsWith('com.docker.compose.')) w.labels[k] = v;
  w.env = envRecord(cfg.Env, new Set(img.env ?? []));

  const seen = new Set<string>();
  for (const [key, bindings] of Object.entries(host.PortBindings ?? {})) {
    const { containerPort, protocol } = portKey(key);
    for (const b of bindings ?? []) {
      const hostPort = b.HostPort ? Number(b.HostPort) : undefined;
      w.ports.push({ containerPort, protocol, published: true, hostPort });
      if (b.HostIp && /^(127\.|::1$|localhost$)/.test(b.HostIp)) w.loopback = [...new Set([...(w.loopback ?? []), b.HostIp])];
    }
    seen.add(key);
  }
  for (const key of Object.keys(cfg.ExposedPorts ?? {})) if (!seen.has(key)) w.ports.push(portKey(key));
  w.ports.sort(comparePorts);

  w.mounts = (inspect.Mounts ?? [])
    .map((m) => mountOf(m, opts.volumeName))
    .concat(Object.entries(host.Tmpfs ?? {}).map(([target, options]) => ({ type: 'tmpfs' as const, source: '', target, readOnly: /(^|,)ro(,|$)/.test(options), ...(tmpfsSize(options) ? { sizeBytes: tmpfsSize(options) } : {}) })))
    .sort((a, b) => a.target.localeCompare(b.target));
  w.health = health(cfg.Healthcheck);
  if (cfg.StopTimeout !== undefined && cfg.StopTimeout >= 0) w.stopGraceSeconds = cfg.StopTimeout;
  if (cfg.Tty) w.tty = true;
  if (cfg.OpenStdin) w.stdin = true;
  const restart = host.RestartPolicy?.Name;
  if (restart) w.restart = restart;
  if (host.Memory) w.limits.memoryBytes = host.Memory;
  if (host.MemoryReservation) w.reservations.memoryBytes = host.MemoryReservation;
  if (host.NanoCpus) w.limits.cpus = host.NanoCpus / NS;
  else if (host.CpuQuota && host.CpuQuota > 0) w.limits.cpus = host.CpuQuota / (host.CpuPeriod || 100_000);
  w.networks = Object.keys(inspect.NetworkSettings?.Networks ?? {}).filter((n) => !['bridge', 'host', 'none'].includes(n)).sort();

  if (host.ReadonlyRootfs) w.readOnlyRoot = true;
  if (host.ShmSize && host.ShmSize !== DEFAULT_SHM) w.shmSizeBytes = host.ShmSize;
  if (host.Dns?.length || host.DnsSearch?.length || host.DnsOptions?.length) w.dns = { nameservers: [...(host.Dns ?? [])], searches: [...(host.DnsSearch ?? [])], options: [...(host.DnsOptions ?? [])] };
  const mode = host.NetworkMode ?? '';
  if (mode === 'host' || mode.startsWith('container:')) w.unsupported.push(`network_mode: ${mode}`);
  // Everything else set apart from Docker's defaults that Kubernetes has no place for (inspectFields.ts).
  w.unsupported.push(...listedSettings(cfg, CONFIG_FIELDS), ...listedSettings(host, HOST_CONFIG_FIELDS));
  return w;
}

export function comparePorts(a: WorkloadPort, b: WorkloadPort): number {
  return a.containerPort - b.containerPort || a.protocol.localeCompare(b.protocol) || (a.hostPort ?? 0) - (b.hostPort ?? 0);
}

export interface ServiceInspect {
  Spec?: {
    Name?: string;
    Labels?: Record<string, string> | null;
    TaskTemplate?: {
      ContainerSpec?: {
        Image?: string;
        Command?: string[] | null;
        Args?: string[] | null;
        Env?: string[] | null;
        Dir?: string;
        User?: string;
        Labels?: Record<string, string> | null;
        Mounts?: { Type?: string; Source?: string; Target?: string; ReadOnly?: boolean }[] | null;
        Healthcheck?: DockerHealthcheck;
        Privileges?: unknown;
        StopGracePeriod?: number;
        TTY?: boolean;
        OpenStdin?: boolean;
        CapabilityAdd?: string[] | null;
        Hosts?: string[] | null;
      };
      Resources?: { Limits?: { NanoCPUs?: number; MemoryBytes?: number }; Reservations?: { NanoCPUs?: number; MemoryBytes?: number } };
      RestartPolicy?: { Condition?: string };
      Networks?: { Target?: string; Aliases?: string[] }[] | null;
      Placement?: { Constraints?: string[] | null };
    };
    Mode?: { Replicated?: { Replicas?: number }; Global?: unknown; ReplicatedJob?: unknown; GlobalJob?: unknown };
    EndpointSpec?: { Ports?: { Protocol?: string; TargetPort?: number; PublishedPort?: number; PublishMode?: string }[] | null };
  };
}

export const STACK_LABEL = 'com.docker.stack.namespace';

/** A workload from a Swarm service's inspect answer. `networkName` turns network ids into names. */
export function workloadFromService(inspect: ServiceInspect, opts: { networkName?: (id: string) => string | undefined } = {}): Workload {
  const spec = inspect.Spec ?? {};
  const stack = spec.Labels?.[STACK_LABEL];
  const fullName = spec.Name ?? '';
  // A stack's services are <stack>_<service>; the stack is the part-of label.
  const name = stack && fullName.startsWith(`${stack}_`) ? fullName.slice(stack.length + 1) : fullName;
  const task = spec.TaskTemplate ?? {};
  const c = task.ContainerSpec ?? {};
  const w = emptyWorkload(name);
  // Swarm pins the digest it resolved ("nginx:1.27@sha256:…"); keep the tag the user asked for.
  w.image = c.Image?.replace(/@sha256:[0-9a-f]{64}$/, '');
  if (c.Command?.length) w.entrypoint = [...c.Command];
  if (c.Args?.length) w.command = [...c.Args];
  if (c.Dir) w.workingDir = c.Dir;
  if (c.User) w.user = c.User;
  for (const [k, v] of Object.entries({ ...(spec.Labels ?? {}), ...(c.Labels ?? {}) })) if (!k.startsWith('com.docker.stack.')) w.labels[k] = v;
  w.env = envRecord(c.Env);
  for (const p of spec.EndpointSpec?.Ports ?? []) {
    if (!p.TargetPort) continue;
    w.ports.push({ containerPort: p.TargetPort, protocol: (p.Protocol ?? 'tcp') as Protocol, published: true, hostPort: p.PublishedPort || undefined });
  }
  w.ports.sort(comparePorts);
  const stackPrefix = stack ? `${stack}_` : '';
  w.mounts = (c.Mounts ?? [])
    .map((m) => mountOf({ Type: m.Type, Name: m.Source, Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly }, (n) => (stackPrefix && n.startsWith(stackPrefix) ? n.slice(stackPrefix.length) : n)))
    .sort((a, b) => a.target.localeCompare(b.target));
  w.health = health(c.Healthcheck);
  if (c.StopGracePeriod !== undefined) w.stopGraceSeconds = Math.ceil(c.StopGracePeriod / NS);
  if (c.TTY) w.tty = true;
  if (c.OpenStdin) w.stdin = true;
  const condition = task.RestartPolicy?.Condition;
  if (condition) w.restart = condition;
  const lim = task.Resources?.Limits ?? {};
  const res = task.Resources?.Reservations ?? {};
  if (lim.MemoryBytes) w.limits.memoryBytes = lim.MemoryBytes;
  if (lim.NanoCPUs) w.limits.cpus = lim.NanoCPUs / NS;
  if (res.MemoryBytes) w.reservations.memoryBytes = res.MemoryBytes;
  if (res.NanoCPUs) w.reservations.cpus = res.NanoCPUs / NS;
  const mode = spec.Mode ?? {};
  if (mode.Global) {
    w.global = true;
    w.replicas = 1;
  } else w.replicas = mode.Replicated?.Replicas ?? 1;
  if (mode.ReplicatedJob || mode.GlobalJob) w.unsupported.push('mode: job');
  w.networks = (task.Networks ?? [])
    .map((n) => (n.Target ? (opts.networkName?.(n.Target) ?? n.Target) : ''))
    .filter((n) => n && n !== 'ingress')
    .map((n) => (stackPrefix && n.startsWith(stackPrefix) ? n.slice(stackPrefix.length) : n))
    .sort();
  if (c.CapabilityAdd?.length) w.unsupported.push(`cap_add: ${c.CapabilityAdd.join(', ')}`);
  if (c.Hosts?.length) w.unsupported.push(`extra_hosts: ${c.Hosts.join(', ')}`);
  if (task.Placement?.Constraints?.length) w.unsupported.push(`placement constraints: ${task.Placement.Constraints.join(', ')}`);
  return w;
}
