// Swarm mode over dockerode: services, tasks, nodes, the swarm itself, and service logs.
import type Docker from 'dockerode';
import type { LogOptions } from '../contract/client';
import type { Protocol } from '../contract/records';
import type { NodeAvailability, NodeRecord, ServiceChange, ServiceCreateRequest, ServicePort, ServiceRecord, SwarmClient, SwarmInfo, TaskRecord, UpdatePolicy } from '../contract/swarm';
import type { Connection } from './connection';
import { EngineError } from './errors';
import { updateWithRetry } from './swarmUpdate';

type Dial = { dial(opts: object, cb: (err: Error | null, res: unknown) => void): void };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function dial<T>(d: Docker, opts: object): Promise<T> {
  return new Promise<T>((resolve, reject) => (d as unknown as { modem: Dial }).modem.dial(opts, (err, res) => (err ? reject(err) : resolve(res as T))));
}

function toPorts(raw: Json[] | undefined): ServicePort[] {
  return (raw ?? []).map((p) => ({
    targetPort: p.TargetPort,
    publishedPort: p.PublishedPort || undefined,
    protocol: (p.Protocol ?? 'tcp') as Protocol,
    mode: p.PublishMode === 'host' ? 'host' : 'ingress',
  }));
}

/** The engine lists a task's host ports once per network attachment: one row each is enough. */
function uniquePorts(ports: ServicePort[]): ServicePort[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const key = `${p.publishedPort}:${p.targetPort}/${p.protocol}/${p.mode}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "busybox:latest@sha256:…" as the spec stores a resolved image: the part a user typed. */
function shortImage(image: string): string {
  return image.split('@')[0];
}

function toUpdatePolicy(u: Json | undefined): UpdatePolicy | undefined {
  if (!u) return undefined;
  return {
    parallelism: u.Parallelism ?? 1,
    delaySeconds: (u.Delay ?? 0) / 1e9,
    failureAction: u.FailureAction ?? 'pause',
    maxFailureRatio: u.MaxFailureRatio,
    monitorSeconds: u.Monitor === undefined ? undefined : u.Monitor / 1e9,
  };
}

export function toServiceRecord(s: Json): ServiceRecord {
  const spec = s.Spec ?? {};
  const replicated = spec.Mode?.Replicated;
  return {
    id: s.ID,
    version: s.Version?.Index ?? 0,
    name: spec.Name ?? s.ID,
    mode: replicated ? 'replicated' : 'global',
    replicas: replicated ? (replicated.Replicas ?? 1) : undefined,
    image: shortImage(spec.TaskTemplate?.ContainerSpec?.Image ?? ''),
    labels: spec.Labels ?? {},
    ports: toPorts(s.Endpoint?.Ports ?? spec.EndpointSpec?.Ports),
    runningTasks: s.ServiceStatus?.RunningTasks,
    desiredTasks: s.ServiceStatus?.DesiredTasks,
    updateState: s.UpdateStatus?.State,
    updateMessage: s.UpdateStatus?.Message,
    canRollback: !!s.PreviousSpec,
    update: toUpdatePolicy(spec.UpdateConfig),
    createdAt: s.CreatedAt ?? '',
    updatedAt: s.UpdatedAt ?? '',
  };
}

export function toTaskRecord(t: Json): TaskRecord {
  const status = t.Status ?? {};
  return {
    id: t.ID,
    serviceId: t.ServiceID,
    slot: t.Slot || undefined,
    nodeId: t.NodeID || undefined,
    state: status.State ?? 'new',
    desiredState: t.DesiredState ?? '',
    message: status.Message ?? '',
    error: status.Err || undefined,
    exitCode: status.ContainerStatus?.ExitCode,
    containerId: status.ContainerStatus?.ContainerID || undefined,
    since: status.Timestamp ?? t.UpdatedAt ?? '',
    createdAt: t.CreatedAt ?? '',
    ports: uniquePorts(toPorts(status.PortStatus?.Ports)),
  };
}

export function toNodeRecord(n: Json): NodeRecord {
  return {
    id: n.ID,
    version: n.Version?.Index ?? 0,
    hostname: n.Description?.Hostname ?? n.ID,
    role: n.Spec?.Role === 'manager' ? 'manager' : 'worker',
    availability: n.Spec?.Availability ?? 'active',
    state: n.Status?.State ?? 'unknown',
    addr: n.Status?.Addr ?? '',
    engineVersion: n.Description?.Engine?.EngineVersion ?? '',
    leader: !!n.ManagerStatus?.Leader,
    reachability: n.ManagerStatus?.Reachability,
  };
}

function updateConfig(u: UpdatePolicy): Json {
  return {
    Parallelism: u.parallelism,
    Delay: Math.round(u.delaySeconds * 1e9),
    FailureAction: u.failureAction,
    ...(u.maxFailureRatio !== undefined ? { MaxFailureRatio: u.maxFailureRatio } : {}),
    ...(u.monitorSeconds !== undefined ? { Monitor: Math.round(u.monitorSeconds * 1e9) } : {}),
    Order: 'stop-first',
  };
}

/** The service's update policy with only the given fields changed: its order, monitor and the rest stay. */
export function mergedUpdateConfig(current: Json | undefined, u: Partial<UpdatePolicy>): Json {
  return {
    ...(current ?? {}),
    ...(u.parallelism !== undefined ? { Parallelism: u.parallelism } : {}),
    ...(u.delaySeconds !== undefined ? { Delay: Math.round(u.delaySeconds * 1e9) } : {}),
    ...(u.failureAction !== undefined ? { FailureAction: u.failureAction } : {}),
    ...(u.maxFailureRatio !== undefined ? { MaxFailureRatio: u.maxFailureRatio } : {}),
    ...(u.monitorSeconds !== undefined ? { Monitor: Math.round(u.monitorSeconds * 1e9) } : {}),
  };
}

function endpointSpec(ports: ServicePort[]): Json {
  return {
    Ports: ports.map((p) => ({
      Protocol: p.protocol,
      TargetPort: p.targetPort,
      ...(p.publishedPort ? { PublishedPort: p.publishedPort } : {}),
      PublishMode: p.mode,
    })),
  };
}

export function serviceSpec(req: ServiceCreateRequest): Json {
  return {
    Name: req.name,
    Labels: req.labels ?? {},
    TaskTemplate: {
      ContainerSpec: { Image: req.image, ...(req.command?.length ? { Command: req.command } : {}), Env: req.env },
      RestartPolicy: { Condition: req.restart.condition, ...(req.restart.maxAttempts !== undefined ? { MaxAttempts: req.restart.maxAttempts } : {}) },
    },
    Mode: req.replicas === undefined ? { Global: {} } : { Replicated: { Replicas: req.replicas } },
    UpdateConfig: updateConfig(req.update),
    RollbackConfig: { Parallelism: req.update.parallelism, FailureAction: 'pause', Order: 'stop-first' },
    EndpointSpec: endpointSpec(req.ports),
  };
}

/** The current spec with one change applied: what `docker service update/scale/rollback` send. */
export function changedSpec(spec: Json, change: ServiceChange): { spec: Json; rollback?: boolean } {
  const next: Json = structuredClone(spec);
  switch (change.kind) {
    case 'scale':
      if (!next.Mode?.Replicated) throw new EngineError('api', 'a global service runs one task per node and cannot be scaled', 400);
      next.Mode.Replicated.Replicas = change.replicas;
      if (change.ports) next.EndpointSpec = endpointSpec(change.ports);
      return { spec: next };
    case 'restart':
      // As `docker service update --force`: a new ForceUpdate value replaces every task.
      next.TaskTemplate.ForceUpdate = (next.TaskTemplate.ForceUpdate ?? 0) + 1;
      return { spec: next };
    case 'image':
      next.TaskTemplate.ContainerSpec.Image = change.image;
      if (change.update) next.UpdateConfig = mergedUpdateConfig(next.UpdateConfig, change.update);
      return { spec: next };
    case 'command':
      next.TaskTemplate.ContainerSpec.Command = change.command;
      next.TaskTemplate.ContainerSpec.Args = undefined;
      if (change.update) next.UpdateConfig = mergedUpdateConfig(next.UpdateConfig, change.update);
      return { spec: next };
    case 'rollback':
      return { spec: next, rollback: true };
  }
}

type SpecPort = { Protocol?: string; TargetPort?: number; PublishedPort?: number; PublishMode?: string };
const sameTarget = (a: SpecPort, b: { protocol: Protocol; targetPort: number }) => a.TargetPort === b.targetPort && (a.Protocol ?? 'tcp') === b.protocol;

/** The spec's fixed host-mode ports that `ports` keeps with the same target but no number. */
export function droppedFixedPorts(specPorts: SpecPort[] | undefined, ports: readonly ServicePort[]): SpecPort[] {
  return (specPorts ?? []).filter((p) => p.PublishMode === 'host' && p.PublishedPort && ports.some((n) => n.mode === 'host' && !n.publishedPort && sameTarget(p, n)));
}

function withoutPorts(spec: Json, dropped: SpecPort[]): Json {
  const ports = (spec.EndpointSpec?.Ports ?? []) as SpecPort[];
  return { ...spec, EndpointSpec: { ...spec.EndpointSpec, Ports: ports.filter((p) => !dropped.some((d) => d.TargetPort === p.TargetPort && (d.Protocol ?? 'tcp') === (p.Protocol ?? 'tcp'))) } };
}

/** Whether the engine's endpoint (what it really allocates) still holds one of these fixed ports. */
function holdsPorts(service: Json, fixed: SpecPort[]): boolean {
  return ((service.Endpoint?.Ports ?? []) as SpecPort[]).some((p) => fixed.some((f) => f.PublishedPort === p.PublishedPort && f.TargetPort === p.TargetPort));
}

/** The engine's allocator applies a spec a moment after the update answers: asked every 200 ms, for 15 s at most. */
async function waitUntil(done: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() >= deadline) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function swarmClient(c: Connection): SwarmClient {
  const inspectService = (d: Docker, id: string) => d.getService(id).inspect() as Promise<Json>;
  return {
    async info(): Promise<SwarmInfo> {
      const info = (await c.call((d) => d.info())) as Json;
      const s = info.Swarm ?? {};
      return { state: s.LocalNodeState || 'inactive', manager: !!s.ControlAvailable, nodeId: s.NodeID ?? '', nodeAddr: s.NodeAddr ?? '' };
    },
    async init(advertiseAddr: string, port = 2377): Promise<string> {
      const at = advertiseAddr.includes(':') ? `[${advertiseAddr}]:${port}` : `${advertiseAddr}:${port}`;
      return c.call((d) => d.swarmInit({ ListenAddr: at, AdvertiseAddr: at }) as Promise<string>);
    },
    async joinTokens() {
      const [swarm, info] = await Promise.all([c.call((d) => d.swarmInspect() as Promise<Json>), c.call((d) => d.info() as Promise<Json>)]);
      const addr = (info.Swarm?.RemoteManagers ?? []).find((m: Json) => m.NodeID === info.Swarm?.NodeID)?.Addr ?? `${info.Swarm?.NodeAddr}:2377`;
      return { worker: swarm.JoinTokens?.Worker ?? '', manager: swarm.JoinTokens?.Manager ?? '', managerAddr: addr };
    },
    async listServices() {
      // status=true: the engine counts running and desired tasks itself (API 1.41).
      const list = await c.call((d) => d.listServices({ status: true } as object) as Promise<Json[]>);
      return list.map(toServiceRecord);
    },
    async service(id) {
      const s = await c.orMissing((d) => inspectService(d, id));
      return s && toServiceRecord(s);
    },
    async listTasks(serviceId) {
      const filters = serviceId ? JSON.stringify({ service: [serviceId] }) : undefined;
      const list = await c.call((d) => d.listTasks(filters ? { filters } : {}) as Promise<Json[]>);
      // A filter by id also matches services whose id starts with it: keep this service's own.
      return list.map(toTaskRecord).filter((t) => !serviceId || t.serviceId === serviceId);
    },
    async listNodes() {
      return (await c.call((d) => d.listNodes() as Promise<Json[]>)).map(toNodeRecord);
    },
    async node(id) {
      const n = await c.orMissing((d) => d.getNode(id).inspect() as Promise<Json>);
      return n && toNodeRecord(n);
    },
    async createService(req) {
      const res = await c.call((d) => d.createService(serviceSpec(req) as Docker.CreateServiceOptions) as unknown as Promise<Json>);
      return res.ID ?? res.id;
    },
    async updateService(id, change) {
      const apply = (ch: ServiceChange, adjust?: (spec: Json) => Json) =>
        updateWithRetry(
          async () => {
            const s = await c.call((d) => inspectService(d, id));
            return { version: s.Version.Index as number, spec: s.Spec as Json };
          },
          async (current) => {
            const { spec, rollback } = changedSpec(current.spec, ch);
            const res = await c.call((d) =>
              dial<Json>(d, {
                path: `/services/${encodeURIComponent(id)}/update?`,
                method: 'POST',
                options: { _query: { version: current.version, ...(rollback ? { rollback: 'previous' } : {}) }, _body: adjust ? adjust(spec) : spec },
                statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such service', 500: 'server error', 503: 'node is not part of a swarm' },
              }),
            );
            return { warnings: (res?.Warnings as string[] | null) ?? [] };
          },
        );
      if (change.kind === 'scale' && change.ports) {
        const current = await c.call((d) => inspectService(d, id));
        const dropped = droppedFixedPorts(current.Spec?.EndpointSpec?.Ports, change.ports);
        if (dropped.length) {
          // The engine keeps a fixed host-mode port that loses its number but keeps its target
          // (moby/moby#32377): the port goes first, its allocation with it, then comes back numberless.
          const first = await apply({ kind: 'scale', replicas: current.Spec?.Mode?.Replicated?.Replicas ?? 1 }, (spec) => withoutPorts(spec, dropped));
          await waitUntil(async () => !holdsPorts(await c.call((d) => inspectService(d, id)), dropped));
          const second = await apply(change);
          return { warnings: [...first.warnings, ...second.warnings] };
        }
      }
      return apply(change);
    },
    async removeService(id) {
      await c.call((d) => d.getService(id).remove());
    },
    async updateNode(id, availability: NodeAvailability) {
      await updateWithRetry(
        async () => {
          const n = (await c.call((d) => d.getNode(id).inspect())) as Json;
          return { version: n.Version.Index as number, spec: n.Spec as Json };
        },
        async (current) =>
          c.call((d) =>
            dial<unknown>(d, {
              path: `/nodes/${encodeURIComponent(id)}/update?`,
              method: 'POST',
              options: { _query: { version: current.version }, _body: { ...current.spec, Availability: availability } },
              statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such node', 500: 'server error', 503: 'node is not part of a swarm' },
            }),
          ),
      );
    },
    serviceLogs(id: string, opts: LogOptions, signal?: AbortSignal) {
      // details=true: each line carries its task's id and slot, which the terminal puts in front.
      return c.call((d) =>
        dial<NodeJS.ReadableStream>(d, {
          path: `/services/${encodeURIComponent(id)}/logs?`,
          method: 'GET',
          options: { follow: opts.follow, stdout: true, stderr: true, details: true, timestamps: opts.timestamps, tail: opts.tail === undefined ? 'all' : String(opts.tail), since: opts.since ?? 0 },
          isStream: true,
          abortSignal: signal,
          statusCodes: { 200: true, 404: 'no such service', 500: 'server error', 503: 'node is not part of a swarm' },
        }),
      );
    },
    async inspect(kind, id) {
      if (kind === 'service') return c.call((d) => d.getService(id).inspect());
      if (kind === 'node') return c.call((d) => d.getNode(id).inspect());
      return c.call((d) => d.getTask(id).inspect());
    },
  };
}
