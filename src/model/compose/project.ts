// A Compose project as Berth shows it: its files merged in order, its services with their image or
// build, ports, profiles and replicas, and which services a set of profiles enables.
//
// Merge rules implemented (later file over earlier, as Compose merges -f files), for the parts
// Berth shows; any other service key is replaced whole by the later file:
// - services, top-level volumes and networks: by name; a service's keys merged as below;
// - image, restart, container_name, scale, name: the later value replaces;
// - build: a string is {context}; mappings merged key by key (args by name);
// - ports: appended, an identical entry kept once (v1 and v2 both keep 5432:5432 beside a new
//   5433:5432: an override cannot take a published port away without !override / !reset);
// - environment, labels, service networks (list or mapping): merged by name;
// - volumes (service mounts): by container path, the later mount replacing one at the same path;
// - profiles: the union;
// - deploy: merged key by key (replicas replaces);
// - !reset drops the value, !override replaces it without merging (Compose 2.24+).
import { discoverProject, nodeComposeFs, projectName, type ComposeFs } from './discovery';
import { parseComposeFile, type ParsedFile } from './parse';
import type { ComposePosition, ComposeProblem } from './problems';
import { parsePort, type PortBinding } from '../ports';
import type { Protocol } from '../../contract/records';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v);

export interface ServicePort extends PortBinding {
  /** The entry as written, after interpolation ("5432:5432", or the long form as JSON). */
  text: string;
  /** True for a host port (or range) given, which two replicas cannot share. */
  fixed: boolean;
  /** Set for "5433-5435:5432": the host range one container port takes from, one port each. */
  hostPortEnd?: number;
}

export interface ComposeService {
  name: string;
  /** Undefined too when its interpolation failed: see unresolvedImage. */
  image?: string;
  /** Why `image` could not be read (`${API_IMAGE:?…}` with API_IMAGE unset): the problem, at its place. */
  unresolvedImage?: ComposeProblem;
  build?: { context: string; dockerfile?: string; target?: string };
  ports: ServicePort[];
  profiles: string[];
  /** scale, or deploy.replicas; 1 when neither is set. */
  replicas: number;
  restart?: string;
  containerName?: string;
  environment: Record<string, string | null>;
  /** Mounts as written (short syntax, or "source:target" from the long one). */
  volumes: string[];
  networks: string[];
  /** Where the service is first defined: its key. */
  location?: { file: string; start: ComposePosition; end: ComposePosition };
  /** The merged, interpolated definition as written, for readers of keys not modelled here (the Kubernetes export). */
  definition?: Record<string, unknown>;
}

export interface ComposeProject {
  name: string;
  folder: string;
  files: string[];
  envFile?: string;
  /** COMPOSE_PROFILES. */
  activeProfiles: string[];
  services: ComposeService[];
  /** Every profile some service names, sorted. */
  profiles: string[];
  volumes: string[];
  networks: string[];
  variables: Map<string, string>;
  /** Every problem, in file order; the project is still built from what could be read. */
  problems: ComposeProblem[];
  /** The files as read, in -f order (what a program version accepts is checked on them). */
  parsedFiles?: readonly ParsedFile[];
}

function envMap(v: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(v))
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf('=');
      if (eq < 0) out[s] = null;
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
  else if (isDict(v)) for (const [k, val] of Object.entries(v)) out[k] = val === null || val === undefined ? null : String(val);
  return out;
}

function namesMap(v: unknown): Dict {
  if (Array.isArray(v)) return Object.fromEntries(v.map((n) => [String(n), null]));
  return isDict(v) ? v : {};
}

function mountTarget(m: unknown): string {
  if (isDict(m)) return String(m.target ?? '');
  const parts = String(m).split(':');
  // "/data", "vol:/data", "./src:/app:ro"; a Windows drive letter is the engine's concern.
  return parts.length === 1 ? parts[0] : parts[1];
}

function mergeBy(base: unknown[], over: unknown[], key: (v: unknown) => string): unknown[] {
  const out = [...base];
  for (const o of over) {
    const k = key(o);
    const at = out.findIndex((b) => key(b) === k);
    if (at >= 0) out[at] = o;
    else out.push(o);
  }
  return out;
}

function mergeService(base: Dict, over: Dict, pointer: string, file: ParsedFile): Dict {
  const out: Dict = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const p = `${pointer}/${k}`;
    if (file.resets.has(p)) {
      delete out[k];
      continue;
    }
    const b = out[k];
    if (file.overrides.has(p) || b === undefined) {
      out[k] = v;
      continue;
    }
    switch (k) {
      case 'build': {
        const asDict = (x: unknown) => (typeof x === 'string' ? { context: x } : isDict(x) ? x : {});
        const bb = asDict(b);
        const ob = asDict(v);
        out[k] = { ...bb, ...ob, ...(bb.args || ob.args ? { args: { ...envMap(bb.args), ...envMap(ob.args) } } : {}) };
        break;
      }
      case 'ports':
      case 'profiles':
        out[k] = Array.isArray(b) && Array.isArray(v) ? mergeBy(b, v, (x) => JSON.stringify(x)) : v;
        break;
      case 'environment':
      case 'labels':
        out[k] = { ...envMap(b), ...envMap(v) };
        break;
      case 'networks':
        out[k] = { ...namesMap(b), ...namesMap(v) };
        break;
      case 'volumes':
        out[k] = Array.isArray(b) && Array.isArray(v) ? mergeBy(b, v, mountTarget) : v;
        break;
      case 'deploy':
        out[k] = isDict(b) && isDict(v) ? { ...b, ...v } : v;
        break;
      default:
        out[k] = v;
    }
  }
  return out;
}

/** Merges parsed files in order (Compose's -f order). */
export function mergeComposeFiles(files: readonly ParsedFile[]): Dict {
  const out: Dict = {};
  for (const f of files) {
    if (!f.data) continue;
    for (const [section, value] of Object.entries(f.data)) {
      const p = `/${section}`;
      if (f.resets.has(p)) {
        delete out[section];
        continue;
      }
      if (!isDict(value) || !['services', 'volumes', 'networks', 'secrets', 'configs'].includes(section) || f.overrides.has(p)) {
        out[section] = value;
        continue;
      }
      const target = isDict(out[section]) ? { ...(out[section] as Dict) } : {};
      for (const [name, def] of Object.entries(value)) {
        const np = `${p}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (f.resets.has(np)) delete target[name];
        else if (section === 'services' && isDict(def) && isDict(target[name]) && !f.overrides.has(np)) target[name] = mergeService(target[name] as Dict, def, np, f);
        else if (isDict(def) && isDict(target[name]) && !f.overrides.has(np)) target[name] = { ...(target[name] as Dict), ...def };
        else target[name] = def;
      }
      out[section] = target;
    }
  }
  return out;
}

/** One ports entry (short or long syntax) as Berth's bindings, or why it cannot be read. */
export function parseServicePort(entry: unknown): ServicePort[] | { problem: string; port: string } {
  if (isDict(entry)) {
    const text = JSON.stringify(entry);
    const target = Number(entry.target);
    const protocol = String(entry.protocol ?? 'tcp').toLowerCase() as Protocol;
    if (!Number.isInteger(target) || target < 1 || target > 65535) return { problem: 'notPort', port: text };
    if (!['tcp', 'udp', 'sctp'].includes(protocol)) return { problem: 'protocol', port: text };
    const published = entry.published === undefined || entry.published === '' ? undefined : String(entry.published);
    const range = published ? /^(\d+)(?:-(\d+))?$/.exec(published) : undefined;
    if (published && !range) return { problem: 'syntax', port: text };
    const hostIp = entry.host_ip === undefined ? undefined : String(entry.host_ip);
    const lo = range ? Number(range[1]) : undefined;
    const hi = range?.[2] ? Number(range[2]) : undefined;
    return [{ containerPort: target, protocol, hostPort: lo, hostIp, text, fixed: lo !== undefined, hostPortEnd: hi !== undefined && hi !== lo ? hi : undefined }];
  }
  const text = String(entry);
  // Compose allows a host range for one container port ("5433-5435:5432"): each container takes
  // one port of it. docker run -p syntax does not, so read it here.
  const single = /^(?:(\[[^\]]+\]|[^:[\]]*):)?(\d+)-(\d+):(\d+)(?:\/(\w+))?$/.exec(text.trim());
  if (single) {
    const [, ip, lo, hi, target, proto = 'tcp'] = single;
    if (!['tcp', 'udp', 'sctp'].includes(proto)) return { problem: 'protocol', port: text };
    return [{ containerPort: Number(target), protocol: proto as Protocol, hostPort: Number(lo), hostPortEnd: Number(hi), hostIp: ip ? ip.replace(/^\[|\]$/g, '') : undefined, text, fixed: true }];
  }
  const parsed = parsePort(text);
  if ('problem' in parsed) return { problem: parsed.problem, port: text };
  return parsed.map((b) => ({ ...b, text, fixed: b.hostPort !== undefined }));
}

function replicasOf(def: Dict): number {
  const deploy = isDict(def.deploy) ? def.deploy : {};
  const raw = deploy.replicas ?? def.scale;
  const n = raw === undefined ? 1 : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 1;
}

export function serviceFromDefinition(name: string, def: Dict): { service: ComposeService; problems: { pointer: string; problem: string; port: string }[] } {
  const problems: { pointer: string; problem: string; port: string }[] = [];
  const ports: ServicePort[] = [];
  (Array.isArray(def.ports) ? def.ports : []).forEach((entry, i) => {
    const r = parseServicePort(entry);
    if ('problem' in r) problems.push({ pointer: `/services/${name}/ports/${i}`, ...r });
    else ports.push(...r);
  });
  const build = typeof def.build === 'string' ? { context: def.build } : isDict(def.build) ? { context: String(def.build.context ?? '.'), dockerfile: def.build.dockerfile as string | undefined, target: def.build.target as string | undefined } : undefined;
  return {
    service: {
      name,
      image: typeof def.image === 'string' ? def.image : undefined,
      build,
      ports,
      profiles: Array.isArray(def.profiles) ? def.profiles.map(String) : [],
      replicas: replicasOf(def),
      restart: typeof def.restart === 'string' ? def.restart : undefined,
      containerName: typeof def.container_name === 'string' ? def.container_name : undefined,
      environment: envMap(def.environment),
      volumes: (Array.isArray(def.volumes) ? def.volumes : []).map((m) => (isDict(m) ? `${m.source ?? ''}:${m.target ?? ''}` : String(m))),
      networks: Object.keys(namesMap(def.networks)),
      definition: def,
    },
    problems,
  };
}

export interface LoadProjectInput {
  folder: string;
  environment: Readonly<Record<string, string | undefined>>;
  extraFiles?: readonly string[];
  fs?: ComposeFs;
}

/** Discovers, parses, interpolates, validates and merges a folder's project. */
export async function loadComposeProject(input: LoadProjectInput): Promise<ComposeProject> {
  const fs = input.fs ?? nodeComposeFs;
  const found = await discoverProject({ ...input, fs });
  const lookup = (n: string) => found.variables.get(n);
  const parsed: ParsedFile[] = [];
  const problems = [...found.problems];
  if (!problems.some((p) => p.code === 'folderMissing'))
    for (const file of found.files) {
      const text = await fs.readFile(file);
      if (text === undefined) continue; // reported as fileMissing
      const p = parseComposeFile(file, text, lookup);
      parsed.push(p);
      problems.push(...p.problems);
    }
  return buildProject(found.folder, found.files, found.envFile, found.profiles, found.explicitName, found.variables, parsed, problems);
}

/** The project model from already parsed files (the bench and the file watcher reuse parses). */
export function buildProject(
  folder: string,
  files: string[],
  envFile: string | undefined,
  activeProfiles: string[],
  explicitName: string | undefined,
  variables: Map<string, string>,
  parsed: readonly ParsedFile[],
  problems: ComposeProblem[],
): ComposeProject {
  const merged = mergeComposeFiles(parsed);
  const named = projectName(folder, explicitName, typeof merged.name === 'string' ? merged.name : undefined);
  if (!('name' in named)) problems.push(named);
  const services: ComposeService[] = [];
  for (const [name, def] of Object.entries(isDict(merged.services) ? merged.services : {})) {
    const { service, problems: portProblems } = serviceFromDefinition(name, isDict(def) ? def : {});
    const pointer = `/services/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const first = parsed.find((p) => isDict(p.data?.services) && name in (p.data.services as Dict));
    const where = first?.locate(pointer, true);
    if (first && where) service.location = { file: first.file, ...where };
    // The image as the last file that sets it wrote it, when Compose could not read it.
    const imageOwner = [...parsed].reverse().find((p) => isDict(p.data?.services) && isDict((p.data.services as Dict)[name]) && 'image' in ((p.data.services as Dict)[name] as Dict));
    const unresolved = imageOwner?.unresolved.get(`${pointer}/image`);
    if (unresolved) {
      service.unresolvedImage = unresolved;
      service.image = undefined;
    }
    for (const pp of portProblems) {
      const owner = [...parsed].reverse().find((p) => p.locate(pp.pointer));
      problems.push({ code: 'portSyntax', params: { port: pp.port, problem: pp.problem }, file: owner?.file, ...owner?.locate(pp.pointer) });
    }
    services.push(service);
  }
  return {
    name: 'name' in named ? named.name : '',
    folder,
    files,
    envFile,
    activeProfiles,
    services,
    profiles: [...new Set(services.flatMap((s) => s.profiles))].sort(),
    volumes: Object.keys(isDict(merged.volumes) ? merged.volumes : {}),
    networks: Object.keys(isDict(merged.networks) ? merged.networks : {}),
    variables,
    problems,
    parsedFiles: parsed,
  };
}

/**
 * The problems that stop Compose (a port Berth cannot read does not), in file order (-f order,
 * then line and column), each once.
 */
export function blockingProblems(project: Pick<ComposeProject, 'problems' | 'files'>): ComposeProblem[] {
  const fileIndex = (f?: string) => (f === undefined ? -1 : project.files.indexOf(f));
  const sorted = project.problems
    .filter((p) => p.code !== 'portSyntax')
    .map((p, i) => ({ p, i }))
    .sort((a, b) => fileIndex(a.p.file) - fileIndex(b.p.file) || (a.p.start?.line ?? 0) - (b.p.start?.line ?? 0) || (a.p.start?.column ?? 0) - (b.p.start?.column ?? 0) || a.i - b.i)
    .map(({ p }) => p);
  const key = (p: ComposeProblem) => JSON.stringify([p.code, p.params, p.file, p.start]);
  return sorted.filter((p, i) => sorted.findIndex((o) => key(o) === key(p)) === i);
}

/**
 * The services `up` starts with these profiles: those without profiles, those with one of the
 * profiles ('*' enables all), and those named explicitly (Compose enables a named service
 * whatever its profiles).
 */
export function enabledServices(project: Pick<ComposeProject, 'services'>, profiles: readonly string[], named: readonly string[] = []): ComposeService[] {
  const all = profiles.includes('*');
  return project.services.filter((s) => !s.profiles.length || all || s.profiles.some((p) => profiles.includes(p)) || named.includes(s.name));
}
