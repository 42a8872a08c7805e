// Create networks and volumes, connect and disconnect, rename (issue 28) over dockerode.
import type Docker from 'dockerode';
import type { EngineDrivers, LifecycleClient, NetworkAddressing, NetworkCreateRequest, VolumeCreateRequest } from '../contract/lifecycle';
import type { Connection } from './connection';
import { EngineError } from './errors';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The network drivers a user creates with; the engine's own (host, null) are not among them. */
const NOT_CREATABLE = new Set(['host', 'null', 'none']);

function toAddressing(n: Json): NetworkAddressing {
  const config: Json[] = n.IPAM?.Config ?? [];
  const containers: Json = n.Containers ?? {};
  return {
    id: n.Id,
    name: n.Name,
    driver: n.Driver,
    subnets: config.map((c) => c.Subnet).filter(Boolean),
    gateways: config.map((c) => c.Gateway).filter(Boolean),
    used: Object.values(containers).flatMap((c: Json) => [c.IPv4Address, c.IPv6Address].filter(Boolean).map((ip: string) => ({ ip: ip.split('/')[0], by: String(c.Name) }))),
    containers: Object.keys(containers),
  };
}

export function lifecycleClient(c: Connection): LifecycleClient {
  return {
    drivers: () =>
      c.call(async (d): Promise<EngineDrivers> => {
        const info = (await d.info()) as Json;
        const network = ((info.Plugins?.Network ?? []) as string[]).filter((x) => !NOT_CREATABLE.has(x));
        const volume = (info.Plugins?.Volume ?? []) as string[];
        const swarmManager = info.Swarm?.LocalNodeState === 'active' && !!info.Swarm?.ControlAvailable;
        return { network: network.length ? network : ['bridge'], volume: volume.length ? volume : ['local'], swarmManager };
      }),
    addressing: () =>
      c.call(async (d) => {
        // The list answers without Containers: each network's inspect has who holds which address.
        const list = (await d.listNetworks()) as Json[];
        const all = await Promise.all(list.map((n) => d.getNetwork(n.Id).inspect().then((x: Json) => x, () => undefined)));
        return all.filter((x): x is Json => !!x).map(toAddressing);
      }),
    createNetwork: (req: NetworkCreateRequest) =>
      c.call(async (d) => {
        const n = await d.createNetwork({
          Name: req.name,
          Driver: req.driver,
          CheckDuplicate: true,
          Internal: req.internal,
          EnableIPv6: req.ipv6,
          Attachable: req.attachable,
          Labels: req.labels,
          IPAM: { Driver: 'default', Config: req.subnets.map((s) => ({ Subnet: s.subnet, ...(s.gateway ? { Gateway: s.gateway } : {}), ...(s.ipRange ? { IPRange: s.ipRange } : {}) })) },
        } as Docker.NetworkCreateOptions);
        return n.id;
      }),
    createVolume: (req: VolumeCreateRequest) =>
      c.call(async (d) => {
        const v = (await d.createVolume({ Name: req.name, Driver: req.driver, DriverOpts: req.options, Labels: req.labels })) as unknown as Json;
        return String(v.Name ?? req.name);
      }),
    connect: (network, container, opts) =>
      c.call(async (d) => {
        const ipam = opts.ipv4 || opts.ipv6 ? { IPAMConfig: { ...(opts.ipv4 ? { IPv4Address: opts.ipv4 } : {}), ...(opts.ipv6 ? { IPv6Address: opts.ipv6 } : {}) } } : {};
        await d.getNetwork(network).connect({ Container: container, EndpointConfig: { Aliases: opts.aliases, ...ipam } });
      }),
    disconnect: (network, container) => c.call(async (d) => void (await d.getNetwork(network).disconnect({ Container: container, Force: false }))),
    rename: (container, name) => c.call(async (d) => void (await d.getContainer(container).rename({ name }))),
    limits: (container) =>
      c.call(async (d) => {
        const x = (await d.getContainer(container).inspect()) as Json;
        const h: Json = x.HostConfig ?? {};
        const running = !!x.State?.Running;
        let memoryUsage: number | undefined;
        if (running) {
          const s = (await d.getContainer(container).stats({ stream: false, 'one-shot': true } as object)) as Json;
          // As docker stats counts it (cgroup v1): usage less the page cache.
          const usage = s.memory_stats?.usage;
          memoryUsage = typeof usage === 'number' ? usage - (s.memory_stats?.stats?.total_inactive_file ?? s.memory_stats?.stats?.inactive_file ?? 0) : undefined;
        }
        const info = (await d.info()) as Json;
        return {
          name: String(x.Name ?? '').replace(/^\//, ''),
          running,
          autoRemove: !!h.AutoRemove,
          restart: { name: h.RestartPolicy?.Name || 'no', maximumRetryCount: h.RestartPolicy?.MaximumRetryCount || undefined },
          memory: h.Memory ?? 0,
          memorySwap: h.MemorySwap ?? 0,
          nanoCpus: h.NanoCpus ?? 0,
          memoryUsage,
          hostCpus: info.NCPU ?? 1,
        };
      }),
    exportFilesystem: (container, signal) => c.call(async (d) => (await d.getContainer(container).export({ abortSignal: signal } as object)) as NodeJS.ReadableStream),
    importFilesystem: (tar, repo, tag, signal) =>
      c.call(async (d) => {
        const stream = (await d.importImage(tar as never, { repo, tag, abortSignal: signal } as object)) as NodeJS.ReadableStream;
        // The answer is JSON messages; an error arrives inside them, the image id in the last status.
        const messages = await new Promise<Json[]>((resolve, reject) => d.modem.followProgress(stream, (err: Error | null, out: Json[]) => (err ? reject(err) : resolve(out))));
        const failed = messages.find((m) => m.error || m.errorDetail);
        if (failed) throw new EngineError('api', String(failed.errorDetail?.message ?? failed.error), 400);
        const id = [...messages].reverse().find((m) => typeof m.status === 'string' && m.status.startsWith('sha256:'))?.status;
        if (!id) throw new EngineError('other', 'the engine did not say which image it made');
        return String(id);
      }),
    diskUsage: () =>
      c.call(async (d) => {
        const df = (await d.df()) as Json;
        return {
          containers: ((df.Containers ?? []) as Json[]).map((x) => ({
            id: x.Id,
            name: String(x.Names?.[0] ?? '').replace(/^\//, ''),
            state: x.State,
            sizeRw: x.SizeRw ?? 0,
            imageId: x.ImageID,
            labels: x.Labels ?? {},
            networks: Object.entries((x.NetworkSettings?.Networks ?? {}) as Json).map(([name, n]) => (n as Json).NetworkID || name),
            volumes: ((x.Mounts ?? []) as Json[]).filter((m) => m.Type === 'volume' && m.Name).map((m) => String(m.Name)),
          })),
          images: ((df.Images ?? []) as Json[]).map((x) => ({ id: x.Id, tags: (x.RepoTags ?? []).filter((t: string) => t !== '<none>:<none>'), size: x.Size ?? 0, sharedSize: Math.max(0, x.SharedSize ?? 0), containers: x.Containers ?? 0, labels: x.Labels ?? {} })),
          volumes: ((df.Volumes ?? []) as Json[]).map((x) => ({ name: x.Name, size: Math.max(0, x.UsageData?.Size ?? 0), refCount: x.UsageData?.RefCount ?? 0, labels: x.Labels ?? {} })),
          buildCache: ((df.BuildCache ?? []) as Json[]).map((x) => ({ id: x.ID, size: x.Size ?? 0, inUse: !!x.InUse, shared: !!x.Shared, description: String(x.Description ?? x.Type ?? '') })),
        };
      }),
    removeForPrune: (kind, id) =>
      c.call(async (d) => {
        if (kind === 'container') await d.getContainer(id).remove({ force: false });
        else if (kind === 'network') await d.getNetwork(id).remove({});
        else if (kind === 'image') {
          // Tag by tag, never forced: an image with two tags refuses a removal by id unless forced, and
          // force would also take one a container made since the preview uses.
          const tags = (((await d.getImage(id).inspect()) as Json).RepoTags ?? []) as string[];
          for (const t of tags) await d.getImage(t).remove({ force: false });
          if (!tags.length) await d.getImage(id).remove({ force: false });
        }
        else if (kind === 'volume') await d.getVolume(id).remove({ force: false });
        else await d.pruneBuilder({ filters: JSON.stringify({ id: [id] }) } as object);
      }),
    commit: (container, req) =>
      c.call(async (d) => {
        const r = (await d.getContainer(container).commit({ repo: req.repo, tag: req.tag, author: req.author, comment: req.message, changes: req.changes, pause: req.pause })) as Json;
        return String(r.Id);
      }),
    update: (container, change) =>
      c.call(async (d) => {
        const body: Json = {};
        if (change.restart) body.RestartPolicy = { Name: change.restart.name, MaximumRetryCount: change.restart.maximumRetryCount ?? 0 };
        if (change.memory !== undefined) body.Memory = change.memory;
        if (change.memorySwap !== undefined) body.MemorySwap = change.memorySwap;
        if (change.nanoCpus !== undefined) body.NanoCpus = change.nanoCpus;
        await d.getContainer(container).update(body);
      }),
  };
}
