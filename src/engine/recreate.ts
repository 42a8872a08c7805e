// "Publish Port…" on an existing container: Docker cannot add a binding to a container, so Berth
// recreates it from its own inspect payload with the binding added, re-attaching every volume by
// name so the data stays. Pure: builds the create options and says what cannot be carried over.
import type { ContainerCreateOptions, ContainerInspectInfo } from 'dockerode';
import type { NewBinding, RecreateBlocker } from '../contract/client';

/** Why a container cannot be recreated faithfully; empty when it can. */
export function recreateBlockers(c: ContainerInspectInfo): RecreateBlocker[] {
  const out: RecreateBlocker[] = [];
  const mode = c.HostConfig.NetworkMode ?? '';
  if (mode === 'host' || mode === 'none') out.push({ kind: 'network', mode });
  if (mode.startsWith('container:')) out.push({ kind: 'sharedNetwork', mode });
  if (c.HostConfig.AutoRemove) out.push({ kind: 'autoRemove' });
  if (c.Config.Labels?.['com.docker.swarm.service.id']) out.push({ kind: 'swarmTask' });
  if ((c.HostConfig as { Links?: string[] | null }).Links?.length) out.push({ kind: 'links' });
  return out;
}

export interface RecreatePlan {
  create: ContainerCreateOptions;
  /** Further networks to connect after the create, with their aliases. */
  connect: { network: string; aliases: string[] }[];
}

/** Create options for a copy of `c` with `add` published as well; volumes re-attached by name. */
export function recreateOptions(c: ContainerInspectInfo, add: readonly NewBinding[]): RecreatePlan {
  const config = c.Config;
  const host = JSON.parse(JSON.stringify(c.HostConfig)) as NonNullable<ContainerCreateOptions['HostConfig']>;
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = { ...(host.PortBindings as Record<string, { HostIp: string; HostPort: string }[]>) };
  const exposed: Record<string, object> = { ...(config.ExposedPorts ?? {}) };
  for (const b of add) {
    const key = `${b.containerPort}/${b.protocol}`;
    bindings[key] = [...(bindings[key] ?? []), { HostIp: b.hostIp, HostPort: b.hostPort ? String(b.hostPort) : '' }];
    exposed[key] = {};
  }
  host.PortBindings = bindings;
  // Anonymous volumes (an image's VOLUME) are not in HostConfig: without this a new, empty one
  // would replace them. Named volumes and binds are there already and are kept as they are.
  const declared = new Set([...(host.Binds ?? []).map((b) => b.split(':')[1]), ...((host.Mounts ?? []) as { Target?: string }[]).map((m) => m.Target)]);
  const extra = (c.Mounts ?? [])
    .filter((m) => m.Type === 'volume' && m.Name && !declared.has(m.Destination))
    .map((m) => ({ Type: 'volume' as const, Source: m.Name as string, Target: m.Destination, ReadOnly: !m.RW }));
  if (extra.length) host.Mounts = [...((host.Mounts ?? []) as object[]), ...extra] as typeof host.Mounts;
  const networks = c.NetworkSettings.Networks ?? {};
  const shortId = c.Id.slice(0, 12);
  const endpoints = Object.fromEntries(
    Object.entries(networks).map(([name, n]) => [
      name,
      {
        // The engine adds the short id as an alias by itself; carrying the old one over would be stale.
        Aliases: ((n.Aliases ?? []) as string[]).filter((a) => a !== shortId),
        IPAMConfig: n.IPAMConfig ?? undefined,
        Links: n.Links ?? undefined,
      },
    ]),
  );
  // The first network goes in at create; the engine only accepts one endpoint there on older APIs.
  const [first, ...others] = Object.keys(endpoints);
  const create: ContainerCreateOptions = {
    name: c.Name.replace(/^\//, ''),
    Image: config.Image,
    Cmd: config.Cmd ?? undefined,
    Entrypoint: config.Entrypoint ?? undefined,
    Env: config.Env ?? undefined,
    WorkingDir: config.WorkingDir || undefined,
    User: config.User || undefined,
    Labels: config.Labels ?? undefined,
    Tty: config.Tty,
    OpenStdin: config.OpenStdin,
    StdinOnce: config.StdinOnce,
    AttachStdin: config.AttachStdin,
    AttachStdout: config.AttachStdout,
    AttachStderr: config.AttachStderr,
    // A hostname equal to the old short id was the engine's default, not the user's choice.
    Hostname: config.Hostname && config.Hostname !== shortId ? config.Hostname : undefined,
    Domainname: config.Domainname || undefined,
    StopSignal: (config as { StopSignal?: string }).StopSignal,
    StopTimeout: (config as { StopTimeout?: number }).StopTimeout,
    Healthcheck: (config as { Healthcheck?: ContainerCreateOptions['Healthcheck'] }).Healthcheck,
    Volumes: config.Volumes ?? undefined,
    ExposedPorts: exposed,
    HostConfig: host,
    NetworkingConfig: first ? { EndpointsConfig: { [first]: endpoints[first] } } : undefined,
  };
  return { create, connect: others.map((n) => ({ network: n, aliases: endpoints[n].Aliases })) };
}
