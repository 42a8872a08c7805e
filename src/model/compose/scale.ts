// Scaling a service that publishes a fixed host port ("5432:5432"), which plain `up --scale`
// fails on ("port is already allocated").
//
// What users rely on: whatever answered on the file's port before the scale still answers there
// after it. So the replicas that exist are never recreated (every step runs `up --no-recreate`),
// the first replica is the file's own (its host port and address), and each replica Berth adds
// gets a host port of its own: the next one free on the engine and on this machine, planned one
// by one (5433 and 5436 when 5434-5435 are held), never a block. Compose gives every replica of a
// service the same ports, so Berth adds one replica per run: step k runs `up --no-recreate
// --scale db=k db` with a copy of the files where the fixed entry names that replica's port.
//
// How the copy replaces the fixed port without editing the user's files: Compose merges ports
// by appending, so an override file would keep 5432:5432 beside the new entry (checked with
// docker-compose 1.29). Compose v2.24+ has `ports: !override [...]`, but v1 (Debian's
// docker-compose 1.29) cannot parse that tag and older v2 ignore it. So Berth writes a copy of
// each file that holds the fixed entry, with only that entry replaced (the yaml library keeps
// everything else, comments included), into its own storage, passes the copy in that file's
// place in the -f list, and adds --project-directory so relative paths (build contexts, bind
// mounts, env_file) resolve from the project folder as before. This works with v1 and v2 alike;
// the engine test runs it with v1.
import { isMap, isScalar, isSeq, parseDocument, Scalar } from 'yaml';
import type { Protocol } from '../../contract/records';
import type { PortPlanInput } from '../ports';
import { interpolate, type Lookup } from './interpolate';
import type { ComposeProblem } from './problems';
import { parseServicePort, type ComposeService, type ServicePort } from './project';

export const MAX_REPLICAS = 50;

/** A replica count typed by the user: an integer from 1 to 50. */
export function parseReplicaCount(input: string | number): number | ComposeProblem {
  const text = String(input).trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_REPLICAS) return { code: 'replicaCount', params: { text, min: 1, max: MAX_REPLICAS } };
  return n;
}

/** One fixed port of one replica: the file's port and the host port the replica gets. */
export interface ReplicaPort {
  containerPort: number;
  protocol: Protocol;
  /** The host port as the files publish it. */
  wanted: number;
  hostPort: number;
  /** Undefined: every interface, as the file's entry without an address says. */
  hostIp?: string;
}

/** One replica a scale adds, in the order they are started. */
export interface AddedReplica {
  /** Its number among the service's replicas (2 for the first one added to a running one). */
  replica: number;
  /** True for the first replica: the file's own entries, no copy needed. */
  asFile: boolean;
  ports: ReplicaPort[];
}

export interface ScalePlanInput {
  service: ComposeService;
  /** The service's replicas now: they stay as they are, their ports too. */
  existing: number;
  replicas: number;
  /** Host ports published on the engine, "port/proto" -> container name. */
  publishedBy: ReadonlyMap<string, string>;
  hostFree: PortPlanInput['hostFree'];
  /** Where added replicas publish: 127.0.0.1 unless berth.run.publishAllInterfaces says otherwise. */
  defaultIp: string;
}

/** The entries two replicas cannot share: one fixed host port (a range is shared by the engine). */
export function fixedPorts(service: ComposeService): (ServicePort & { hostPort: number })[] {
  return service.ports.filter((p): p is ServicePort & { hostPort: number } => p.fixed && p.hostPort !== undefined && p.hostPortEnd === undefined);
}

/** Whether a scale to `replicas` needs Berth's plan: more than one replica of a fixed host port. */
export function needsPortPlan(service: ComposeService, replicas: number): boolean {
  return replicas > 1 && fixedPorts(service).length > 0;
}

/**
 * The replicas a scale from `existing` to `replicas` adds, each with its own host ports: the
 * first replica the file's port and address, every further one the next port free on both sides,
 * skipping what earlier replicas of this plan took.
 */
export async function planScalePorts(input: ScalePlanInput): Promise<AddedReplica[]> {
  const fixed = fixedPorts(input.service);
  const claimed = new Set<string>();
  const busy = async (port: number, protocol: Protocol, ip: string) =>
    claimed.has(`${port}/${protocol}`) || input.publishedBy.has(`${port}/${protocol}`) || !(await input.hostFree(port, protocol, ip));
  const out: AddedReplica[] = [];
  for (let replica = input.existing + 1; replica <= input.replicas; replica++) {
    const asFile = replica === 1;
    const ports: ReplicaPort[] = [];
    for (const p of fixed) {
      let hostPort = p.hostPort;
      const hostIp = asFile ? p.hostIp : (p.hostIp ?? input.defaultIp);
      if (!asFile)
        while (await busy(hostPort, p.protocol, hostIp ?? input.defaultIp)) {
          if (hostPort >= 65535) throw new Error(`no free host port after ${p.hostPort}`);
          hostPort++;
        }
      claimed.add(`${hostPort}/${p.protocol}`);
      ports.push({ containerPort: p.containerPort, protocol: p.protocol, wanted: p.hostPort, hostPort, hostIp });
    }
    out.push({ replica, asFile, ports });
  }
  return out;
}

/** The `ports:` entry of one replica's port: "127.0.0.1:5433:5432", "5432:5432/udp". */
export function replicaEntry(p: ReplicaPort): string {
  const ip = p.hostIp === undefined ? '' : `${p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp}:`;
  return `${ip}${p.hostPort}:${p.containerPort}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`;
}

/**
 * The file's text with the service's fixed entries replaced by one replica's ports; undefined when the file has none (it stays in the -f list as is).
 */
export function rewriteFileForScale(text: string, serviceName: string, plan: readonly ReplicaPort[], variables: Lookup): string | undefined {
  const doc = parseDocument(text, { merge: true });
  if (doc.errors.length) return undefined;
  const services = doc.get('services', true);
  const service = isMap(services) ? services.get(serviceName, true) : undefined;
  const ports = isMap(service) ? service.get('ports', true) : undefined;
  if (!isSeq(ports)) return undefined;
  let changed = false;
  ports.items.forEach((item, i) => {
    const value = isScalar(item) ? item.value : isMap(item) ? item.toJS(doc) : undefined;
    if (value === undefined || value === null) return;
    const resolved = typeof value === 'string' ? interpolate(value, variables) : { value };
    if ('code' in resolved) return;
    const bindings = parseServicePort(resolved.value);
    if ('problem' in bindings) return;
    const b = bindings[0];
    const p = plan.find((x) => b.fixed && b.hostPortEnd === undefined && x.containerPort === b.containerPort && x.protocol === b.protocol && x.wanted === b.hostPort);
    if (!p) return;
    const replacement = new Scalar(replicaEntry(p));
    replacement.type = 'QUOTE_DOUBLE';
    ports.items[i] = replacement;
    changed = true;
  });
  return changed ? doc.toString() : undefined;
}
