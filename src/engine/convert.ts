// Converts the Engine API's list payloads to records. Type-only use of dockerode: no runtime import.
import type { ContainerInfo, ContainerInspectInfo, ImageInfo, ImageInspectInfo, DockerVersion, NetworkInspectInfo, VolumeInspectInfo } from 'dockerode';
import { inspectTimes, listTimes, statusText, type InspectState } from './containerStatus';
import type { ContainerRecord, ContainerState, EngineEvent, EngineVersion, Health, ImageRecord, NetworkRecord, PortRecord, Protocol, VolumeRecord } from '../contract/records';

const STATES: ReadonlySet<string> = new Set(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

export function healthFromStatus(status: string): Health | undefined {
  if (/\(unhealthy\)/.test(status)) return 'unhealthy';
  if (/\(health: starting\)/.test(status)) return 'starting';
  if (/\(healthy\)/.test(status)) return 'healthy';
  return undefined;
}

export function toPortRecords(ports: ContainerInfo['Ports'] | null | undefined): PortRecord[] {
  const out: PortRecord[] = [];
  const seen = new Set<string>();
  for (const p of ports ?? []) {
    const rec: PortRecord = { containerPort: p.PrivatePort, protocol: (p.Type || 'tcp') as Protocol };
    if (p.PublicPort) {
      rec.hostPort = p.PublicPort;
      rec.hostIp = p.IP || '0.0.0.0';
    }
    // Engines list a binding once per address family; "::" duplicates of 0.0.0.0 add nothing.
    const key = `${rec.hostIp === '::' ? '0.0.0.0' : rec.hostIp}|${rec.hostPort}|${rec.containerPort}|${rec.protocol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(rec);
  }
  return out.sort(
    (a, b) =>
      a.containerPort - b.containerPort ||
      a.protocol.localeCompare(b.protocol) ||
      (a.hostPort ?? 0) - (b.hostPort ?? 0) ||
      (a.hostIp ?? '').localeCompare(b.hostIp ?? ''),
  );
}

/** `listedAtMs`: when the list was answered, to read the times its Status text gives. */
export function toContainerRecord(c: ContainerInfo, listedAtMs: number): ContainerRecord {
  const name = (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
  const state = (STATES.has(c.State) ? c.State : 'created') as ContainerState;
  const status = c.Status ?? '';
  return {
    id: c.Id,
    name,
    image: c.Image,
    imageId: c.ImageID,
    state,
    health: healthFromStatus(status),
    status,
    ...listTimes(status, listedAtMs),
    created: c.Created,
    command: c.Command ?? '',
    ports: toPortRecords(c.Ports),
    labels: c.Labels ?? {},
    ...attachments(c.Mounts, c.NetworkSettings?.Networks),
  };
}

type Mount = { Type?: string; Name?: string };

/** Named volumes and network ids (or names, see below), sorted, so list and inspect give equal records. */
function attachments(mounts: Mount[] | null | undefined, networks: Record<string, { NetworkID?: string }> | null | undefined): Pick<ContainerRecord, 'volumes' | 'networks'> {
  const volumes = [...new Set((mounts ?? []).filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name as string))].sort();
  // A container connected but never started has no NetworkID yet: its network goes by name until then.
  const nets = [...new Set(Object.entries(networks ?? {}).map(([name, n]) => n.NetworkID || name).filter((id): id is string => !!id))].sort();
  return { volumes, networks: nets };
}

function isoSeconds(iso: string | undefined): number | undefined {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : undefined;
}

export function toVolumeRecord(v: VolumeInspectInfo & { CreatedAt?: string }): VolumeRecord {
  return { id: v.Name, driver: v.Driver, mountpoint: v.Mountpoint, created: isoSeconds(v.CreatedAt), scope: v.Scope ?? 'local', labels: v.Labels ?? {} };
}

export function toNetworkRecord(n: NetworkInspectInfo): NetworkRecord {
  return { id: n.Id, name: n.Name, driver: n.Driver, scope: n.Scope, created: isoSeconds(n.Created), internal: !!n.Internal, labels: n.Labels ?? {} };
}

export function toImageRecord(i: ImageInfo): ImageRecord {
  const tags = (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  return {
    id: i.Id,
    repoTags: tags,
    repoDigests: (i.RepoDigests ?? []).filter((d) => d !== '<none>@<none>'),
    size: i.Size,
    created: i.Created,
    labels: i.Labels ?? {},
  };
}

export function toEngineVersion(v: DockerVersion & { Components?: { Name: string }[] }): EngineVersion {
  // Docker names its component just "Engine"; Podman says "Podman Engine".
  const component = v.Components?.find((c) => /engine/i.test(c.Name))?.Name;
  const product = !component || component === 'Engine' ? 'Docker Engine' : component;
  return { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch, product };
}

/** An image inspect payload as the same record the list gives (one request per image event). */
export function imageInspectToRecord(i: ImageInspectInfo): ImageRecord {
  return {
    id: i.Id,
    repoTags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
    repoDigests: (i.RepoDigests ?? []).filter((d) => d !== '<none>@<none>'),
    size: i.Size,
    created: Math.floor(Date.parse(i.Created) / 1000),
    labels: i.Config?.Labels ?? {},
  };
}

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

export function toEngineEvent(raw: RawEvent): EngineEvent | undefined {
  const type = raw.Type;
  const action = raw.Action ?? raw.status;
  // Podman sends volume events with an empty ID and the name in the attributes.
  const id = raw.Actor?.ID || (type === 'volume' ? raw.Actor?.Attributes?.name : undefined) || raw.id;
  if (!type || !action || !id) return undefined;
  return {
    type,
    // Some actions carry arguments ("exec_start: sh", "health_status: healthy"): keep the verb.
    action: action.split(':')[0].trim(),
    id,
    attributes: raw.Actor?.Attributes ?? {},
    timeNano: raw.timeNano ?? (raw.time ?? 0) * 1e9,
  };
}

/**
 * A container inspect payload as the same record the list gives. Events use inspect, not a
 * filtered list: the engine updates the list's view only after it has sent the event.
 */
export function inspectToContainerRecord(c: ContainerInspectInfo, nowMs: number): ContainerRecord {
  const ports: ContainerInfo['Ports'] = [];
  const bound = c.NetworkSettings?.Ports ?? {};
  // Like the list: only the network settings' ports, which a stopped container no longer has.
  for (const key of Object.keys(bound)) {
    const [port, type = 'tcp'] = key.split('/');
    const bindings = bound[key];
    if (!bindings || bindings.length === 0) ports.push({ PrivatePort: Number(port), Type: type } as ContainerInfo['Ports'][number]);
    else for (const b of bindings) ports.push({ IP: b.HostIp || '0.0.0.0', PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: type });
  }
  const state = (STATES.has(c.State.Status) ? c.State.Status : 'created') as ContainerState;
  const status = statusText(c.State as unknown as InspectState, nowMs);
  return {
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    image: c.Config?.Image ?? c.Image,
    imageId: c.Image,
    state,
    health: healthFromStatus(status),
    status,
    ...inspectTimes(c.State),
    created: Math.floor(Date.parse(c.Created) / 1000),
    // The engine's list quotes arguments that contain a space, and only those.
    command: [c.Path, ...(c.Args ?? []).map((a) => (a.includes(' ') ? `'${a}'` : a))].filter(Boolean).join(' '),
    ports: toPortRecords(ports),
    labels: c.Config?.Labels ?? {},
    ...attachments(c.Mounts, c.NetworkSettings?.Networks),
  };
}
