// Converts the Engine API's list payloads to records. Type-only use of dockerode: no runtime import.
import type { ContainerInfo, ImageInfo, DockerVersion } from 'dockerode';
import type { ContainerRecord, ContainerState, EngineVersion, Health, ImageRecord, PortRecord, Protocol } from '../model/records';

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

export function toContainerRecord(c: ContainerInfo): ContainerRecord {
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
    created: c.Created,
    command: c.Command ?? '',
    ports: toPortRecords(c.Ports),
    labels: c.Labels ?? {},
  };
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
  const product = v.Components?.find((c) => /engine/i.test(c.Name))?.Name ?? 'Docker Engine';
  return { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch, product };
}
