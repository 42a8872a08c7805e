// Workloads from a Compose project's files (Berth's parsed model: each service's merged,
// interpolated definition), with the replica count the user scaled to when it runs.
import type { ComposeService } from '../compose/project';
import { shellWords } from '../shellWords';
import { comparePorts } from './fromDocker';
import { emptyWorkload, type Workload, type WorkloadHealth, type WorkloadMount, type WorkloadPort } from './workload';
import type { Protocol } from '../../contract/records';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v);

/** A Go duration ("1m30s", "500ms", "10s") in whole seconds, at least 1; undefined if unreadable. */
export function durationSeconds(text: unknown): number | undefined {
  if (typeof text === 'number') return Math.max(1, Math.ceil(text));
  if (typeof text !== 'string' || !text.trim()) return undefined;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6, µs: 1e-6, ns: 1e-9 };
  let total = 0;
  let rest = text.trim();
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2]];
    rest = rest.slice(m[0].length);
  }
  return Math.max(1, Math.ceil(total));
}

/** Compose's memory sizes ("512m", "1g", "1gb", 268435456) in bytes, 1024-based as Docker reads them. */
export function memoryBytes(v: unknown): number | undefined {
  if (typeof v === 'number') return v > 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(v);
  if (!m) return undefined;
  const power = ' kmgt'.indexOf(m[2].toLowerCase() || ' ');
  return Math.round(Number(m[1]) * 1024 ** power);
}

function words(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string' || !v.trim()) return undefined;
  const w = shellWords(v);
  return Array.isArray(w) ? w : ['/bin/sh', '-c', v];
}

function healthOf(v: unknown): WorkloadHealth | undefined {
  if (!isDict(v)) return undefined;
  if (v.disable === true) return { test: ['NONE'] };
  const t = v.test;
  const test = Array.isArray(t) ? t.map(String) : typeof t === 'string' ? ['CMD-SHELL', t] : [];
  if (!test.length) return undefined;
  const retries = Number(v.retries);
  return { test, intervalSeconds: durationSeconds(v.interval), timeoutSeconds: durationSeconds(v.timeout), retries: Number.isInteger(retries) && retries > 0 ? retries : undefined, startPeriodSeconds: durationSeconds(v.start_period) };
}

function mountOf(m: unknown): WorkloadMount | undefined {
  if (isDict(m)) {
    const type = String(m.type ?? 'volume');
    const source = m.source === undefined ? '' : String(m.source);
    const target = String(m.target ?? '');
    const readOnly = m.read_only === true;
    if (type === 'volume') return source ? { type: 'volume', source, target, readOnly } : { type: 'anonymous', source: '', target, readOnly };
    if (type === 'bind') return { type: 'bind', source, target, readOnly };
    if (type === 'tmpfs') return { type: 'tmpfs', source: '', target, readOnly };
    return { type: 'other', source: source || type, target, readOnly };
  }
  const parts = String(m).split(':');
  if (parts.length === 1) return { type: 'anonymous', source: '', target: parts[0], readOnly: false };
  const [source, target, mode = ''] = parts;
  const readOnly = mode.split(',').includes('ro');
  // Compose: a source that is a path (., /, ~) binds; anything else names a volume.
  return /^[./~]/.test(source) ? { type: 'bind', source, target, readOnly } : { type: 'volume', source, target, readOnly };
}

function exposeOf(v: unknown): WorkloadPort[] {
  const out: WorkloadPort[] = [];
  for (const e of Array.isArray(v) ? v : []) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(String(e));
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = m[2] ? Number(m[2]) : lo;
    for (let p = lo; p <= hi && out.length < 1000; p++) out.push({ containerPort: p, protocol: (m[3] ?? 'tcp') as Protocol });
  }
  return out;
}

/** Keys Berth reads; any other key a service sets is listed as not carried over. */
const CARRIED = new Set([
  'image', 'build', 'command', 'entrypoint', 'working_dir', 'user', 'labels', 'environment', 'ports', 'expose', 'volumes', 'tmpfs', 'healthcheck', 'restart',
  'deploy', 'mem_limit', 'mem_reservation', 'cpus', 'scale', 'depends_on', 'networks', 'container_name', 'profiles', 'stdin_open', 'tty', 'stop_grace_period', 'pull_policy',
]);

export interface ComposeReadOptions {
  /** The replica count running now, which wins over the files' (Scale… runs `up --scale`). */
  running?: number;
}

/** A workload from one service of a project's files. */
export function workloadFromComposeService(service: ComposeService, opts: ComposeReadOptions = {}): Workload {
  const def = service.definition ?? {};
  const w = emptyWorkload(service.name);
  w.image = service.image;
  // Built from a build: section: no image a cluster could pull (manifests.ts says so).
  if (!w.image && service.build) w.built = true;
  w.entrypoint = words(def.entrypoint);
  w.command = words(def.command);
  if (typeof def.working_dir === 'string') w.workingDir = def.working_dir;
  if (def.user !== undefined) w.user = String(def.user);
  const labels = def.labels;
  if (Array.isArray(labels))
    for (const l of labels) {
      const s = String(l);
      const eq = s.indexOf('=');
      w.labels[eq < 0 ? s : s.slice(0, eq)] = eq < 0 ? '' : s.slice(eq + 1);
    }
  else if (isDict(labels)) for (const [k, v] of Object.entries(labels)) w.labels[k] = v === null || v === undefined ? '' : String(v);
  w.env = { ...service.environment };
  w.ports = [...service.ports.map((p) => ({ containerPort: p.containerPort, protocol: p.protocol, published: true, hostPort: p.hostPort, hostPortEnd: p.hostPortEnd })), ...exposeOf(def.expose)].sort(comparePorts);
  const loopback = [...new Set(service.ports.map((p) => p.hostIp).filter((ip): ip is string => !!ip && /^(127\.|::1$|localhost$)/.test(ip)))];
  if (loopback.length) w.loopback = loopback;
  w.mounts = (Array.isArray(def.volumes) ? def.volumes : [])
    .map((m) => mountOf(m))
    .filter((m): m is WorkloadMount => !!m)
    .concat((Array.isArray(def.tmpfs) ? def.tmpfs : typeof def.tmpfs === 'string' ? [def.tmpfs] : []).map((t) => ({ type: 'tmpfs' as const, source: '', target: String(t).split(':')[0], readOnly: false })))
    .sort((a, b) => a.target.localeCompare(b.target));
  w.health = healthOf(def.healthcheck);
  w.restart = service.restart;
  const deploy = isDict(def.deploy) ? def.deploy : {};
  const res = isDict(deploy.resources) ? deploy.resources : {};
  const limits = isDict(res.limits) ? res.limits : {};
  const reservations = isDict(res.reservations) ? res.reservations : {};
  const cpus = (v: unknown) => (v === undefined || v === null || Number.isNaN(Number(v)) || Number(v) <= 0 ? undefined : Number(v));
  w.limits = { memoryBytes: memoryBytes(limits.memory ?? def.mem_limit), cpus: cpus(limits.cpus ?? def.cpus) };
  w.reservations = { memoryBytes: memoryBytes(reservations.memory ?? def.mem_reservation), cpus: cpus(reservations.cpus) };
  if (!w.restart && isDict(deploy.restart_policy) && typeof deploy.restart_policy.condition === 'string') w.restart = deploy.restart_policy.condition;
  w.replicas = opts.running && opts.running > 0 ? opts.running : service.replicas;
  if (def.stop_grace_period !== undefined) w.stopGraceSeconds = durationSeconds(def.stop_grace_period);
  if (def.tty === true) w.tty = true;
  if (def.stdin_open === true) w.stdin = true;
  const pull = typeof def.pull_policy === 'string' ? def.pull_policy : undefined;
  if (pull === 'always') w.pullPolicy = 'Always';
  else if (pull === 'never') w.pullPolicy = 'Never';
  else if (pull === 'missing' || pull === 'if_not_present') w.pullPolicy = 'IfNotPresent';
  else if (pull) w.unsupported.push(`pull_policy: ${pull}`);
  const dependsOn = def.depends_on;
  w.dependsOn = (Array.isArray(dependsOn) ? dependsOn.map(String) : isDict(dependsOn) ? Object.keys(dependsOn) : []).sort();
  w.networks = [...service.networks].sort();
  for (const key of Object.keys(def).sort()) if (!CARRIED.has(key) && !key.startsWith('x-')) w.unsupported.push(key);
  return w;
}
