// Every field of a container's inspect answer (Config and HostConfig, Engine API 1.41) and what the
// Kubernetes export does with it: carried over ("mapped", in fromDocker.ts), listed at the top of
// the document when it is set apart from Docker's default ("listed"), or meaningless in a cluster
// ("engine": set by the engine itself or about the Docker host only). A field an engine adds later
// and this table does not know is listed whenever it is set, so nothing is dropped without a word.

export type FieldFate =
  | { fate: 'mapped' }
  | {
      fate: 'listed';
      /** The name the note uses (Compose's where it has one). */
      name: string;
      /** Values that mean "not set" besides null, "", 0, false, [] and {}. */
      defaults?: unknown[];
      /** The setting as the note shows it; a bare name for a switch. */
      show?: (value: unknown) => string;
    }
  | { fate: 'engine'; why: string };

const mapped: FieldFate = { fate: 'mapped' };
const engine = (why: string): FieldFate => ({ fate: 'engine', why });
const listed = (name: string, more: { defaults?: unknown[]; show?: (value: unknown) => string } = {}): FieldFate => ({ fate: 'listed', name, ...more });
const flag = (name: string): FieldFate => listed(name, { show: () => name });

/** "nofile=1024:2048" as `--ulimit` writes it. */
function showUlimits(v: unknown): string {
  if (!Array.isArray(v)) return showValue(v);
  return (v as { Name?: string; Soft?: number; Hard?: number }[]).map((u) => `${u.Name}=${u.Soft}${u.Hard !== u.Soft ? `:${u.Hard}` : ''}`).join(', ');
}

export const CONFIG_FIELDS: Readonly<Record<string, FieldFate>> = {
  Hostname: engine('the container id unless set; a pod is named by Kubernetes'),
  Domainname: listed('domainname'),
  User: mapped,
  AttachStdin: engine('how the CLI attached when it ran the container'),
  AttachStdout: engine('how the CLI attached when it ran the container'),
  AttachStderr: engine('how the CLI attached when it ran the container'),
  ExposedPorts: mapped,
  Tty: mapped,
  OpenStdin: mapped,
  StdinOnce: listed('stdin_once', { show: () => 'stdin_once' }),
  Env: mapped,
  Cmd: mapped,
  Healthcheck: mapped,
  ArgsEscaped: engine('Windows images only'),
  Image: mapped,
  Volumes: mapped,
  WorkingDir: mapped,
  Entrypoint: mapped,
  NetworkDisabled: flag('network disabled'),
  MacAddress: listed('mac_address'),
  OnBuild: engine('instructions for images built from this one'),
  Labels: mapped,
  StopSignal: listed('stop_signal', { defaults: ['SIGTERM', '15'] }),
  StopTimeout: mapped,
  Shell: engine('the shell of the image\'s build'),
};

export const HOST_CONFIG_FIELDS: Readonly<Record<string, FieldFate>> = {
  Binds: mapped,
  Mounts: mapped,
  ContainerIDFile: engine('a file the CLI wrote on the Docker host'),
  LogConfig: listed('logging', { show: (v) => (v as { Type?: string }).Type ?? '', defaults: [] }),
  NetworkMode: mapped,
  PortBindings: mapped,
  RestartPolicy: mapped,
  AutoRemove: flag('rm'),
  VolumeDriver: listed('volume_driver'),
  VolumesFrom: listed('volumes_from'),
  ConsoleSize: engine('the size of the terminal the CLI ran in'),
  Annotations: listed('annotations'),
  Capabilities: listed('capabilities'),
  CapAdd: listed('cap_add'),
  CapDrop: listed('cap_drop'),
  CgroupnsMode: listed('cgroupns', { defaults: ['host', 'private'] }),
  Dns: mapped,
  DnsOptions: mapped,
  DnsSearch: mapped,
  ExtraHosts: listed('extra_hosts'),
  GroupAdd: listed('group_add'),
  IpcMode: listed('ipc', { defaults: ['private', 'shareable'] }),
  Cgroup: listed('cgroup'),
  Links: listed('links'),
  OomScoreAdj: listed('oom_score_adj'),
  PidMode: listed('pid'),
  Privileged: flag('privileged'),
  PublishAllPorts: flag('publish_all'),
  ReadonlyRootfs: mapped,
  SecurityOpt: listed('security_opt'),
  StorageOpt: listed('storage_opt'),
  Tmpfs: mapped,
  UTSMode: listed('uts'),
  UsernsMode: listed('userns_mode'),
  ShmSize: mapped,
  Sysctls: listed('sysctls'),
  Runtime: listed('runtime', { defaults: ['runc'] }),
  Isolation: listed('isolation', { defaults: ['default'] }),
  CpuShares: listed('cpu_shares'),
  Memory: mapped,
  NanoCpus: mapped,
  CgroupParent: listed('cgroup_parent'),
  BlkioWeight: listed('blkio_weight'),
  BlkioWeightDevice: listed('blkio_weight_device'),
  BlkioDeviceReadBps: listed('device_read_bps'),
  BlkioDeviceWriteBps: listed('device_write_bps'),
  BlkioDeviceReadIOps: listed('device_read_iops'),
  BlkioDeviceWriteIOps: listed('device_write_iops'),
  CpuPeriod: mapped,
  CpuQuota: mapped,
  CpuRealtimePeriod: listed('cpu_rt_period'),
  CpuRealtimeRuntime: listed('cpu_rt_runtime'),
  CpusetCpus: listed('cpuset'),
  CpusetMems: listed('cpuset_mems'),
  Devices: listed('devices', { show: (v) => (!Array.isArray(v) ? showValue(v) : (v as { PathOnHost?: string }[]).map((d) => d.PathOnHost ?? '').join(', ')) }),
  DeviceCgroupRules: listed('device_cgroup_rules'),
  DeviceRequests: listed('gpus', { show: (v) => (!Array.isArray(v) ? showValue(v) : (v as { Driver?: string; Count?: number }[]).map((d) => `${d.Driver || 'gpu'} x${d.Count === -1 ? 'all' : d.Count}`).join(', ')) }),
  KernelMemory: listed('kernel_memory'),
  KernelMemoryTCP: listed('kernel_memory_tcp'),
  MemoryReservation: mapped,
  // Docker sets swap to twice the memory limit on its own when only --memory is given.
  MemorySwap: engine('swap, which Kubernetes nodes turn off'),
  MemorySwappiness: listed('mem_swappiness'),
  OomKillDisable: flag('oom_kill_disable'),
  PidsLimit: listed('pids_limit'),
  Ulimits: listed('ulimits', { show: showUlimits }),
  CpuCount: listed('cpu_count'),
  CpuPercent: listed('cpu_percent'),
  IOMaximumIOps: listed('io_maxiops'),
  IOMaximumBandwidth: listed('io_maxbandwidth'),
  MaskedPaths: engine('the engine\'s default masked /proc and /sys paths'),
  ReadonlyPaths: engine('the engine\'s default read-only /proc paths'),
  Init: flag('init'),
};

function isUnset(value: unknown, defaults: readonly unknown[] = []): boolean {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return defaults.includes(value);
}

function showValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ');
  return String(value);
}

/**
 * The settings of one inspect section that do not carry over and are set: "ulimits: nofile=1024",
 * "privileged". A field the table does not know is shown by its Docker name.
 */
export function listedSettings(section: Readonly<Record<string, unknown>> | undefined, table: Readonly<Record<string, FieldFate>>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(section ?? {})) {
    const f = table[key];
    if (f && f.fate !== 'listed') continue;
    if (!f) {
      if (!isUnset(value)) out.push(`${key}: ${showValue(value)}`);
      continue;
    }
    // The log driver Docker uses by default has nothing to say.
    if (key === 'LogConfig' && ['json-file', 'local', ''].includes((value as { Type?: string } | null)?.Type ?? '')) continue;
    if (isUnset(value, f.defaults)) continue;
    // A value of another shape than the engine's own (an engine of another version) is shown as it is.
    const shown = f.show && (Array.isArray(value) || typeof value !== 'object') ? f.show(value) : showValue(value);
    out.push(shown === f.name ? f.name : `${f.name}: ${shown}`);
  }
  return out;
}
