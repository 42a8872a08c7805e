// The Compose view's tree, vscode-free: projects from the workspace's files and projects that only
// run on the engine (from Compose's labels), their services, and each service's replicas. Each row
// has a key and a signature; the view fires only the rows whose signature changed.
import type { ContainerRecord } from '../contract/records';
import type { ComposeProject, ComposeService } from './compose/project';
import { compareNames, COMPOSE_PROJECT_LABEL } from './grouping';

export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';
export const COMPOSE_NUMBER_LABEL = 'com.docker.compose.container-number';

const PROJECT_PREFIX = 'compose:';

export function projectKey(project: string): string {
  return `${PROJECT_PREFIX}${project}`;
}

export function serviceKey(project: string, service: string): string {
  return `${PROJECT_PREFIX}${project}/${service}`;
}

/** The project (and service) a Compose row key names; undefined for any other key. */
export function parseComposeKey(key: string): { project: string; service?: string } | undefined {
  if (!key.startsWith(PROJECT_PREFIX)) return undefined;
  const rest = key.slice(PROJECT_PREFIX.length);
  // Project names are [a-z0-9_-] (Compose normalises them), so the first '/' splits.
  const slash = rest.indexOf('/');
  return slash < 0 ? { project: rest } : { project: rest.slice(0, slash), service: rest.slice(slash + 1) };
}

export interface ServiceRow {
  key: string;
  project: string;
  name: string;
  /** From the files; undefined for a service only seen running. */
  service?: ComposeService;
  /** Replicas, by container number. */
  containers: ContainerRecord[];
  running: number;
}

export interface ProjectRow {
  key: string;
  name: string;
  /** From the files; undefined for a project that only runs on the engine. */
  project?: ComposeProject;
  services: ServiceRow[];
  /** Services with a running replica, of every service (the files' that the active profiles enable, and any with a container). */
  running: number;
  total: number;
  /** Containers of the project on the engine, in any state (0: never up, or down). */
  containers: number;
}

function replicaNumber(c: ContainerRecord): number {
  const n = Number(c.labels[COMPOSE_NUMBER_LABEL]);
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

/**
 * The rows: every project from files (a file's project with the same name as a running one gets
 * its containers), then the running projects without files. Services in file order, then the
 * running ones the files do not name; replicas by container number.
 */
export function composeRows(projects: readonly ComposeProject[], containers: readonly ContainerRecord[]): ProjectRow[] {
  const byProject = new Map<string, Map<string, ContainerRecord[]>>();
  for (const c of containers) {
    const project = c.labels[COMPOSE_PROJECT_LABEL];
    if (!project) continue;
    const service = c.labels[COMPOSE_SERVICE_LABEL] ?? c.name;
    const services = byProject.get(project) ?? new Map<string, ContainerRecord[]>();
    byProject.set(project, services);
    const list = services.get(service);
    if (list) list.push(c);
    else services.set(service, [c]);
  }
  const row = (name: string, project: ComposeProject | undefined): ProjectRow => {
    const running = byProject.get(name) ?? new Map<string, ContainerRecord[]>();
    const names = [...(project?.services.map((s) => s.name) ?? [])];
    for (const s of [...running.keys()].sort(compareNames)) if (!names.includes(s)) names.push(s);
    const services = names.map((s): ServiceRow => {
      const list = [...(running.get(s) ?? [])].sort((a, b) => replicaNumber(a) - replicaNumber(b) || compareNames(a.name, b.name));
      return { key: serviceKey(name, s), project: name, name: s, service: project?.services.find((x) => x.name === s), containers: list, running: list.filter((c) => c.state === 'running').length };
    });
    // Services, not containers: after Up of one service the others are down, and say so.
    const containers = services.reduce((n, s) => n + s.containers.length, 0);
    // A service that only an inactive profile starts is not down, it is off: counted once it has a container.
    const counted = services.filter((s) => s.containers.length || !s.service?.profiles.length || s.service.profiles.some((p) => project?.activeProfiles.includes(p)));
    return { key: projectKey(name), name, project, services, running: counted.filter((s) => s.running > 0).length, total: counted.length, containers };
  };
  const fromFiles = [...projects].filter((p) => p.name).sort((a, b) => compareNames(a.name, b.name) || compareNames(a.folder, b.folder));
  const seen = new Set<string>();
  const out: ProjectRow[] = [];
  for (const p of fromFiles) {
    if (seen.has(p.name)) continue; // two folders naming one project: Compose would treat them as one
    seen.add(p.name);
    out.push(row(p.name, p));
  }
  for (const name of [...byProject.keys()].sort(compareNames)) if (!seen.has(name)) out.push(row(name, undefined));
  return out;
}

/** What a service row shows besides its name: "2 of 3 running", image or build, ports, profiles. */
export interface ServiceSummary {
  running: number;
  /** Replicas wanted by the files, or the containers seen. */
  wanted: number;
  image?: string;
  build?: string;
  ports: string[];
  profiles: string[];
}

/**
 * What the replicas publish, one entry per container port: "127.0.0.1:5433-5435 → 5432/tcp".
 * After a scale with planned ports the file's "5432:5432" is not what answers.
 */
export function replicaPorts(containers: readonly ContainerRecord[]): string[] {
  const byInside = new Map<string, { ip: string; inside: string; ports: Set<number> }>();
  for (const c of containers)
    for (const p of c.ports) {
      if (p.hostPort === undefined) continue;
      const ip = p.hostIp ?? '0.0.0.0';
      // Docker lists an all-interfaces binding twice, for 0.0.0.0 and ::.
      if (ip === '::' && c.ports.some((q) => q.hostIp === '0.0.0.0' && q.hostPort === p.hostPort && q.containerPort === p.containerPort)) continue;
      const inside = `${p.containerPort}/${p.protocol}`;
      const key = `${ip} ${inside}`;
      const group = byInside.get(key) ?? { ip, inside, ports: new Set<number>() };
      group.ports.add(p.hostPort);
      byInside.set(key, group);
    }
  return [...byInside.values()].map(({ ip, inside, ports }) => {
    const sorted = [...ports].sort((a, b) => a - b);
    const runs: string[] = [];
    for (let i = 0; i < sorted.length; ) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
      runs.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
      i = j + 1;
    }
    return `${ip.includes(':') ? `[${ip}]` : ip}:${runs.join(',')} → ${inside}`;
  });
}

export function serviceSummary(s: ServiceRow): ServiceSummary {
  const svc = s.service;
  const published = replicaPorts(s.containers);
  return {
    running: s.running,
    wanted: Math.max(s.containers.length, svc ? svc.replicas : 0),
    image: svc?.image ?? (svc ? undefined : s.containers[0]?.image),
    build: svc?.build?.context,
    ports: published.length ? published : (svc?.ports.map((p) => p.text) ?? []),
    profiles: svc?.profiles ?? [],
  };
}

/** Parents by key ('' the root) with their child keys, for changedParents. */
export function composeChildMap(rows: readonly ProjectRow[]): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  map.set('', rows.map((r) => r.key));
  for (const r of rows) {
    map.set(r.key, r.services.map((s) => s.key));
    for (const s of r.services) map.set(s.key, s.containers.map((c) => c.id));
  }
  return map;
}
