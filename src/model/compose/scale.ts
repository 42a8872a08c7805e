// Scaling a service that publishes a fixed host port ("5432:5432"), which plain `up --scale`
// fails on ("port is already allocated").
//
// Mechanism: the fixed entry becomes a host port range on 127.0.0.1, "127.0.0.1:5433-5435:5432",
// one port per replica, the range planned free on the engine and on this machine with the port
// planner. The engine gives each container of the service one free port of the range, so every
// replica has its own; which replica gets which port is the engine's pick (Compose v1 creates
// replicas in parallel), and Berth shows the ports containers actually got.
//
// How the range replaces the fixed port without editing the user's files: Compose merges ports
// by appending, so an override file adding the range keeps 5432:5432 beside it (checked with
// docker-compose 1.29: `config` lists both). Compose v2.24+ has `ports: !override [...]`, but v1
// (Debian's docker-compose 1.29) cannot parse that tag and older v2 ignore it. So Berth writes a
// copy of each file that holds the fixed entry, with only that entry replaced (the yaml library
// keeps everything else, comments included), into its own storage, passes the copy in that
// file's place in the -f list, and adds --project-directory so relative paths (build contexts,
// bind mounts, env_file) resolve from the project folder as before. This works with v1 and v2
// alike; the engine test runs it with v1.
import { isMap, isScalar, isSeq, parseDocument, Scalar } from 'yaml';
import type { Protocol } from '../../contract/records';
import { planPorts, type PortPlanInput } from '../ports';
import { interpolate, type Lookup } from './interpolate';
import type { ComposeProblem } from './problems';
import { parseServicePort, type ComposeService } from './project';

export const MAX_REPLICAS = 50;

/** A replica count typed by the user: an integer from 1 to 50. */
export function parseReplicaCount(input: string | number): number | ComposeProblem {
  const text = String(input).trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_REPLICAS) return { code: 'replicaCount', params: { text, min: 1, max: MAX_REPLICAS } };
  return n;
}

export interface ScaledPort {
  containerPort: number;
  protocol: Protocol;
  hostIp: string;
  /** The port as the files publish it. */
  wanted: number;
  first: number;
  last: number;
}

export interface ScalePlanInput {
  service: ComposeService;
  replicas: number;
  /** Host ports published on the engine, "port/proto" -> container name. */
  publishedBy: ReadonlyMap<string, string>;
  /** The service's own containers: the scale recreates them, so their ports count as free. */
  ownContainers: ReadonlySet<string>;
  hostFree: PortPlanInput['hostFree'];
  /** Where replicas publish: 127.0.0.1 unless berth.run.publishAllInterfaces says otherwise. */
  defaultIp: string;
}

/** Whether plain `up --scale` would collide: some port has a single fixed host port. */
export function needsPortPlan(service: ComposeService, replicas: number): boolean {
  return replicas > 1 && service.ports.some((p) => p.fixed && (p.hostPortEnd ?? p.hostPort ?? 0) - (p.hostPort ?? 0) + 1 < replicas);
}

/** A free block of `replicas` consecutive host ports for each fixed port of the service. */
export async function planScalePorts(input: ScalePlanInput): Promise<ScaledPort[]> {
  const own = new Set([...input.publishedBy].filter(([, name]) => input.ownContainers.has(name)).map(([key]) => key));
  const publishedBy = new Map([...input.publishedBy].filter(([key]) => !own.has(key)));
  const hostFree: PortPlanInput['hostFree'] = async (port, protocol, ip) => own.has(`${port}/${protocol}`) || input.hostFree(port, protocol, ip);
  const out: ScaledPort[] = [];
  for (const p of input.service.ports) {
    if (!p.fixed || p.hostPort === undefined) continue;
    const hostIp = p.hostIp ?? input.defaultIp;
    let first = p.hostPort;
    for (;;) {
      if (first + input.replicas - 1 > 65535) throw new Error(`no ${input.replicas} free host ports from ${p.hostPort}`);
      const wanted = Array.from({ length: input.replicas }, (_, i) => ({ containerPort: p.containerPort, protocol: p.protocol, hostPort: first + i, hostIp }));
      const planned = await planPorts({ wanted, publishedBy, hostFree, defaultIp: hostIp });
      if (!('taken' in planned)) break;
      first = (planned.taken.hostPort as number) + 1;
    }
    const last = first + input.replicas - 1;
    // The next fixed port of this service must not plan into this block.
    for (let port = first; port <= last; port++) publishedBy.set(`${port}/${p.protocol}`, input.service.name);
    out.push({ containerPort: p.containerPort, protocol: p.protocol, hostIp, wanted: p.hostPort, first, last });
  }
  return out;
}

export function rangeEntry(p: ScaledPort): string {
  const ip = p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
  return `${ip}:${p.first}-${p.last}:${p.containerPort}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`;
}

/**
 * The file's text with the service's fixed entries for the planned ports replaced by their
 * ranges; undefined when the file has none (it stays in the -f list as is).
 */
export function rewriteFileForScale(text: string, serviceName: string, plan: readonly ScaledPort[], variables: Lookup): string | undefined {
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
    const p = plan.find((x) => b.fixed && x.containerPort === b.containerPort && x.protocol === b.protocol && x.wanted === b.hostPort);
    if (!p) return;
    const replacement = new Scalar(rangeEntry(p));
    replacement.type = 'QUOTE_DOUBLE';
    ports.items[i] = replacement;
    changed = true;
  });
  return changed ? doc.toString() : undefined;
}
