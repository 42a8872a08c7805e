// Published ports: `docker run -p` syntax, the well-known service catalogue, the bind address
// policy, and a planner that picks host ports free on both sides (no container publishes them,
// nothing on the host listens).
import type { PortBinding } from '../contract/client';
import type { Endpoint } from '../contract/endpoint';
import type { Protocol } from '../contract/records';
import { parseReference } from './imageReference';

// The one port-binding type is the engine contract's: typed, planned and sent as is.
export type { PortBinding } from '../contract/client';

/**
 * The one place the default bind address is chosen: loopback, so a published port is not open to
 * the network unless berth.run.publishAllInterfaces says so.
 */
export function bindAddress(publishAllInterfaces: boolean): string {
  return publishAllInterfaces ? '0.0.0.0' : '127.0.0.1';
}

/** Bindings with the default address where none was typed: what is sent is what was shown. */
export function withBindAddress<T extends PortBinding>(bindings: readonly T[], address: string): (T & { hostIp: string })[] {
  return bindings.map((b) => ({ ...b, hostIp: b.hostIp ?? address }));
}

/** Probing host ports means something only when the engine runs on this machine. */
export function engineIsLocal(endpoint: Endpoint | undefined): boolean {
  if (!endpoint) return false;
  if (endpoint.kind === 'unix' || endpoint.kind === 'npipe') return true;
  return endpoint.kind === 'tcp' && ['127.0.0.1', 'localhost', '::1'].includes(endpoint.host);
}

export type PortProblem = 'notPort' | 'syntax' | 'rangeMismatch' | 'protocol' | 'duplicate' | 'missingPort';

export interface PortError {
  problem: PortProblem;
  /** The offending part, as typed. */
  part: string;
}

function isError(x: unknown): x is PortError {
  return !!x && typeof x === 'object' && 'problem' in x;
}

function portRange(text: string): [number, number] | PortError {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return { problem: 'syntax', part: text };
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  for (const [n, raw] of [
    [lo, m[1]],
    [hi, m[2] ?? m[1]],
  ] as const)
    if (n < 1 || n > 65535) return { problem: 'notPort', part: raw };
  if (hi < lo) return { problem: 'syntax', part: text };
  return [lo, hi];
}

/** Parses one `-p` value: `80`, `8080:80`, `127.0.0.1:8080:80/tcp`, `[::1]::80`, `8000-8002:8000-8002`, `:80/udp`. */
export function parsePort(input: string): PortBinding[] | PortError {
  const text = input.trim();
  if (!text) return { problem: 'syntax', part: input };
  const slash = text.lastIndexOf('/');
  let protocol: Protocol = 'tcp';
  let body = text;
  if (slash >= 0) {
    const proto = text.slice(slash + 1).trim().toLowerCase();
    if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') return { problem: 'protocol', part: text.slice(slash + 1).trim() };
    protocol = proto;
    body = text.slice(0, slash).trim();
  }
  let hostIp: string | undefined;
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(.*)$/.exec(body);
  if (v6) {
    hostIp = v6[1];
    body = v6[2];
  }
  const parts = body.split(':').map((p) => p.trim());
  if (parts.length > 3 || (v6 && parts.length > 2)) return { problem: 'syntax', part: text };
  // "8080:" or a lone ":": say a number is missing rather than quote an empty part.
  if (!parts[parts.length - 1]) return { problem: 'missingPort', part: text };
  if (parts.length === 3) {
    hostIp = parts.shift() as string;
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(hostIp) && hostIp !== '') return { problem: 'syntax', part: hostIp };
    if (hostIp === '') hostIp = undefined;
  }
  const [hostText, containerText] = parts.length === 2 ? parts : [undefined, parts[0]];
  const container = portRange(containerText);
  if (isError(container)) return container;
  const count = container[1] - container[0] + 1;
  let host: [number, number] | undefined;
  if (hostText) {
    const h = portRange(hostText);
    if (isError(h)) return h;
    if (h[1] - h[0] + 1 !== count) return { problem: 'rangeMismatch', part: text };
    host = h;
  }
  return Array.from({ length: count }, (_, i) => ({
    containerPort: container[0] + i,
    protocol,
    hostPort: host ? host[0] + i : undefined,
    hostIp,
  }));
}

/**
 * Parses a list (comma or whitespace separated) and rejects a host port listed twice. Spaces
 * around ":" and "/" belong to the mapping (" 8089 : 8080 " is 8089:8080), not between two.
 */
export function parsePorts(input: string): PortBinding[] | PortError {
  const out: PortBinding[] = [];
  for (const item of input.replace(/\s*([:/])\s*/g, '$1').split(/[\s,]+/).filter(Boolean)) {
    const specs = parsePort(item);
    if (isError(specs)) return specs;
    out.push(...specs);
  }
  const seen = new Set<string>();
  for (const s of out) {
    if (s.hostPort === undefined) continue;
    const key = `${s.hostIp ?? ''}|${s.hostPort}/${s.protocol}`;
    if (seen.has(key)) return { problem: 'duplicate', part: String(s.hostPort) };
    seen.add(key);
  }
  return out;
}

/** The `-p` text for a spec: "127.0.0.1:8080:80", ":80/udp", "[::1]:5432:5432". */
export function formatPortBinding(s: PortBinding): string {
  const ip = s.hostIp ? (s.hostIp.includes(':') ? `[${s.hostIp}]` : s.hostIp) : '';
  const host = s.hostPort === undefined ? '' : String(s.hostPort);
  const proto = s.protocol === 'tcp' ? '' : `/${s.protocol}`;
  const left = ip ? `${ip}:${host}:` : host ? `${host}:` : ':';
  return `${left}${s.containerPort}${proto}`;
}

/** Well-known service ports, keyed on the image's repository (last path part, or a full path). */
const CATALOGUE: Record<string, number[]> = {
  mysql: [3306],
  mariadb: [3306],
  'mssql/server': [1433],
  'azure-sql-edge': [1433],
  postgres: [5432],
  postgis: [5432],
  redis: [6379],
  valkey: [6379],
  mongo: [27017],
  mongodb: [27017],
  rabbitmq: [5672, 15672],
  elasticsearch: [9200],
  opensearch: [9200],
  nginx: [80, 443],
  httpd: [80, 443],
  caddy: [80, 443],
  traefik: [80, 443],
  memcached: [11211],
  cassandra: [9042],
  adminer: [8080],
  grafana: [3000],
  prometheus: [9090],
  minio: [9000, 9001],
};

export function cataloguePorts(image: string): number[] {
  const repo = parseReference(image).repository.toLowerCase();
  const parts = repo.split('/');
  for (let i = 0; i < parts.length; i++) {
    const tail = parts.slice(i).join('/');
    if (CATALOGUE[tail]) return CATALOGUE[tail];
  }
  const base = parts[parts.length - 1].replace(/-(alpine|slim)$/, '');
  return CATALOGUE[base] ?? [];
}

/** Container ports to publish by default: the image's ExposedPorts, then the catalogue's. */
export function defaultPorts(image: string, exposed: readonly string[]): { containerPort: number; protocol: Protocol }[] {
  const out = new Map<string, { containerPort: number; protocol: Protocol }>();
  for (const e of exposed) {
    const [port, proto = 'tcp'] = e.split('/');
    const n = Number(port);
    if (n >= 1 && n <= 65535) out.set(`${n}/${proto}`, { containerPort: n, protocol: proto as Protocol });
  }
  for (const n of cataloguePorts(image)) if (!out.has(`${n}/tcp`)) out.set(`${n}/tcp`, { containerPort: n, protocol: 'tcp' });
  return [...out.values()].sort((a, b) => a.containerPort - b.containerPort);
}

export interface PlannedPort extends PortBinding {
  hostPort: number;
  /** Why another host port than the one wanted (the container's own number by default) was chosen. */
  moved?: { wanted: number; reason: PortHolder };
}

export type PortHolder = { kind: 'container'; name: string } | { kind: 'host' };

/** A port to plan. `movable`: a host port that is only a preference (remembered from last time). */
export type WantedPort = PortBinding & { movable?: boolean };

export interface PortPlanInput {
  wanted: WantedPort[];
  /** Host ports containers on this engine publish, "port/proto" -> container name. */
  publishedBy: ReadonlyMap<string, string>;
  /** Resolves true when the host port can be bound right now. */
  hostFree(port: number, protocol: Protocol, ip: string): Promise<boolean>;
  defaultIp: string;
}

/**
 * Picks a host port for each wanted port: the one asked for (or the container's own number) when
 * free on both sides, else the next free one, and says why it moved. An explicit host port that
 * is taken is not moved: the user asked for it, so it is an error. A movable one is.
 *
 * Two passes: first every port that can stay where it is stays, then the moved ones take the next
 * free numbers, so a moved port never pushes another mapping of the same run off its own port
 * (8099 taken, 8100 free and also wanted: 8100 keeps its mapping and 8099 becomes 8101).
 */
export async function planPorts(input: PortPlanInput): Promise<PlannedPort[] | { taken: PortBinding; by: PortHolder }> {
  const claimed = new Set<string>();
  const busy = async (port: number, protocol: Protocol, ip: string): Promise<PortHolder | undefined> => {
    const key = `${port}/${protocol}`;
    if (claimed.has(key)) return { kind: 'container', name: '' };
    const name = input.publishedBy.get(key);
    if (name) return { kind: 'container', name };
    if (!(await input.hostFree(port, protocol, ip))) return { kind: 'host' };
    return undefined;
  };
  const out: (PlannedPort | { pending: WantedPort; ip: string; first: number; reason: PortHolder })[] = [];
  for (const w of input.wanted) {
    const ip = w.hostIp ?? input.defaultIp;
    const first = w.hostPort ?? w.containerPort;
    const by = await busy(first, w.protocol, ip);
    const { movable: _m, ...spec } = w;
    void _m;
    if (!by) {
      claimed.add(`${first}/${w.protocol}`);
      out.push({ ...spec, hostPort: first, hostIp: ip, moved: undefined });
    } else if (w.hostPort !== undefined && !w.movable) return { taken: spec, by };
    else out.push({ pending: w, ip, first, reason: by });
  }
  // Everything that stays is claimed before anything moves.
  for (const w of input.wanted) claimed.add(`${w.hostPort ?? w.containerPort}/${w.protocol}`);
  const planned: PlannedPort[] = [];
  for (const o of out) {
    if (!('pending' in o)) {
      planned.push(o);
      continue;
    }
    const { movable: _m, ...spec } = o.pending;
    void _m;
    let candidate = o.first;
    for (;;) {
      candidate = candidate >= 65535 ? 1024 : candidate + 1;
      if (candidate === o.first) throw new Error('no free host port');
      if (!(await busy(candidate, spec.protocol, o.ip))) break;
    }
    claimed.add(`${candidate}/${spec.protocol}`);
    planned.push({ ...spec, hostPort: candidate, hostIp: o.ip, moved: { wanted: o.first, reason: o.reason } });
  }
  return planned;
}

/** Something said about one planned mapping (why it moved). */
export interface MappingNote<T> {
  spec: { containerPort: number; protocol: Protocol; hostPort: number };
  text: T;
}

/** The notes that still describe the typed text: a note goes once its mapping is edited away. */
export function notesFor<T>(text: string, notes: readonly MappingNote<T>[]): T[] {
  const parsed = parsePorts(text);
  if (isError(parsed)) return [];
  return notes.filter((m) => parsed.some((s) => s.containerPort === m.spec.containerPort && s.protocol === m.spec.protocol && s.hostPort === m.spec.hostPort)).map((m) => m.text);
}
