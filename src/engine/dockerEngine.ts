// The one place that imports dockerode. Loaded on first need (see ./index.ts), never in activate().
import Docker from 'dockerode';
import * as fs from 'fs';
import type { Endpoint } from '../contract/endpoint';
import { classifyError, EngineError } from './errors';
import { imageInspectToRecord, inspectToContainerRecord, toContainerRecord, toEngineEvent, toEngineVersion, toImageRecord, toNetworkRecord, toVolumeRecord } from './convert';
import { JsonLineDecoder } from './jsonLines';
import type { ContainerRecord, EngineEvent, EngineVersion, ImageRecord, NetworkRecord, PruneResult, VolumeRecord } from '../contract/records';
import type { BuildMessage } from '../contract/build';
import { recreateBlockers, recreateOptions } from './recreate';
import { openSshTunnel, type SshTunnel } from './sshTunnel';
import type { AttachedRun, BuildRequest, ContainerAction, ContainerStateInfo, ExecSession, ImageConfig, LogOptions, RunRequest, EngineClient, EventSubscription, InspectKind, NewBinding, PruneOptions, RecreateBlocker } from '../contract/client';

function readTlsFile(file: string | undefined, what: string): Buffer | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file);
  } catch {
    throw new EngineError('tls', `cannot read the TLS ${what} ${file}`);
  }
}

export function dockerOptions(endpoint: Endpoint): Docker.DockerOptions {
  // Every key is set on purpose: dockerode merges DOCKER_HOST, DOCKER_CERT_PATH and
  // DOCKER_CLIENT_TIMEOUT from the environment under our options, and a timeout kills streams.
  const base: Docker.DockerOptions = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    protocol: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    timeout: undefined,
  };
  switch (endpoint.kind) {
    case 'unix':
    case 'npipe':
      return { ...base, socketPath: endpoint.socketPath };
    case 'tcp': {
      const tls = endpoint.tls;
      if (!tls) return { ...base, host: endpoint.host, port: endpoint.port, protocol: 'http' };
      return {
        ...base,
        host: endpoint.host,
        port: endpoint.port,
        protocol: 'https',
        ca: readTlsFile(tls.verify ? tls.ca : undefined, 'CA certificate'),
        cert: readTlsFile(tls.cert, 'client certificate'),
        key: readTlsFile(tls.key, 'client key'),
      };
    }
    case 'ssh':
      // The system ssh forwards the remote socket (see sshTunnel.ts); the socket is known after ping.
      return { ...base, socketPath: '/nonexistent/berth-ssh-not-connected.sock' };
  }
}

function pruneFilters(opts: PruneOptions, base: Record<string, string[]>): Record<string, string[]> {
  return opts.label ? { ...base, label: [opts.label] } : base;
}

/** The wait's JSON body ({"StatusCode": 3, "Error": null}); undefined when it ends without one. */
function readWaitBody(body: NodeJS.ReadableStream): Promise<number | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    body.on('data', (c: Buffer) => chunks.push(c));
    body.on('error', () => resolve(undefined));
    body.on('close', () => resolve(undefined));
    body.on('end', () => {
      try {
        const r = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { StatusCode?: number; Error?: { Message?: string } | null };
        resolve(typeof r.StatusCode === 'number' ? r.StatusCode : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}

export class DockerEngine implements EngineClient {
  private docker: Docker;
  private apiVersion = '0';
  private tunnel: SshTunnel | undefined;

  constructor(readonly endpoint: Endpoint) {
    this.docker = new Docker(dockerOptions(endpoint));
  }

  /** For ssh:// engines: the forward to the remote socket, set up on first ping. */
  private async ensureTunnel(): Promise<void> {
    const e = this.endpoint;
    if (e.kind !== 'ssh' || this.tunnel) return;
    this.tunnel = await openSshTunnel({ host: e.host, port: e.port, username: e.username, args: e.sshArgs });
    this.docker = new Docker({ ...dockerOptions(e), socketPath: this.tunnel.socketPath });
  }

  async ping(timeoutMs: number): Promise<EngineVersion> {
    await this.ensureTunnel();
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      // dockerode honours abortSignal on ping and version; its typings omit it.
      const d = this.docker as unknown as {
        ping(o: { abortSignal: AbortSignal }): Promise<unknown>;
        version(o: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
      };
      await d.ping({ abortSignal: signal });
      const version = toEngineVersion(await d.version({ abortSignal: signal }));
      this.apiVersion = version.apiVersion;
      return version;
    } catch (err) {
      if (signal.aborted) throw new EngineError('timeout', `no answer within ${timeoutMs} ms`);
      const e = classifyError(err);
      const tls = this.endpoint.kind === 'tcp' ? this.endpoint.tls : undefined;
      // Say which files were used: the fix is almost always to point at the right ones.
      if (e.code === 'tls' && tls) throw new EngineError('tls', `${e.message} (CA ${tls.ca ?? 'none'}, client certificate ${tls.cert ?? 'none'}, key ${tls.key ?? 'none'})`);
      throw e;
    }
  }

  async listContainers(): Promise<ContainerRecord[]> {
    try {
      const listed = await this.docker.listContainers({ all: true });
      const at = Date.now();
      return listed.map((c) => toContainerRecord(c, at));
    } catch (err) {
      throw classifyError(err);
    }
  }

  async listImages(): Promise<ImageRecord[]> {
    try {
      return (await this.docker.listImages({ all: false })).map(toImageRecord);
    } catch (err) {
      throw classifyError(err);
    }
  }

  container(id: string): Promise<ContainerRecord | undefined> {
    return this.orMissing(async () => inspectToContainerRecord(await this.docker.getContainer(id).inspect(), Date.now()));
  }

  image(idOrRef: string): Promise<ImageRecord | undefined> {
    return this.orMissing(async () => imageInspectToRecord(await this.docker.getImage(idOrRef).inspect()));
  }

  async listVolumes(): Promise<VolumeRecord[]> {
    return this.call(async () => ((await this.docker.listVolumes()).Volumes ?? []).map(toVolumeRecord));
  }

  volume(name: string): Promise<VolumeRecord | undefined> {
    return this.orMissing(async () => toVolumeRecord(await this.docker.getVolume(name).inspect()));
  }

  async listNetworks(): Promise<NetworkRecord[]> {
    return this.call(async () => (await this.docker.listNetworks()).map(toNetworkRecord));
  }

  network(id: string): Promise<NetworkRecord | undefined> {
    return this.orMissing(async () => toNetworkRecord(await this.docker.getNetwork(id).inspect()));
  }

  inspect(kind: InspectKind, id: string): Promise<unknown> {
    const d = this.docker;
    const target = { container: () => d.getContainer(id), image: () => d.getImage(id), volume: () => d.getVolume(id), network: () => d.getNetwork(id) }[kind]();
    return this.call<unknown>(() => target.inspect() as Promise<unknown>);
  }

  removeImage(ref: string): Promise<void> {
    return this.call(() => this.docker.getImage(ref).remove({ force: false, noprune: false }));
  }

  removeVolume(name: string): Promise<void> {
    return this.call(() => this.docker.getVolume(name).remove({ force: false }));
  }

  removeNetwork(id: string): Promise<void> {
    return this.call(() => this.docker.getNetwork(id).remove({}));
  }

  pruneImages(opts: PruneOptions = {}): Promise<PruneResult> {
    return this.call(async () => {
      const r = await this.docker.pruneImages({ filters: JSON.stringify(pruneFilters(opts, { dangling: ['true'] })) } as object);
      return { removed: (r.ImagesDeleted ?? []).map((d) => d.Deleted ?? '').filter(Boolean), spaceReclaimed: r.SpaceReclaimed ?? 0 };
    });
  }

  pruneVolumes(opts: PruneOptions = {}): Promise<PruneResult> {
    return this.call(async () => {
      // Since API 1.42 a prune keeps named volumes unless asked with all=true; older engines reject that filter.
      const [major, minor] = this.apiVersion.split('.').map(Number);
      const all: Record<string, string[]> = major > 1 || (major === 1 && minor >= 42) ? { all: ['true'] } : {};
      const r = await this.docker.pruneVolumes({ filters: JSON.stringify(pruneFilters(opts, all)) } as object);
      return { removed: r.VolumesDeleted ?? [], spaceReclaimed: r.SpaceReclaimed ?? 0 };
    });
  }

  pruneNetworks(opts: PruneOptions = {}): Promise<PruneResult> {
    return this.call(async () => {
      const r = await this.docker.pruneNetworks({ filters: JSON.stringify(pruneFilters(opts, {})) } as object);
      return { removed: r.NetworksDeleted ?? [], spaceReclaimed: 0 };
    });
  }

  async build(req: BuildRequest, onMessage: (m: BuildMessage) => void): Promise<void> {
    const stream = await this.call(
      () =>
        this.docker.buildImage(req.context, {
          t: req.tag,
          dockerfile: req.dockerfile,
          buildargs: req.buildArgs ?? {},
          target: req.target || undefined,
          nocache: req.noCache || undefined,
          pull: req.pull ? 'true' : undefined,
          labels: req.labels ?? {},
          rm: true,
          forcerm: true,
          abortSignal: req.signal,
        } as Docker.ImageBuildOptions) as Promise<NodeJS.ReadableStream>,
    );
    const decoder = new JsonLineDecoder<BuildMessage>();
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(Object.assign(new Error('the build was cancelled'), { name: 'AbortError' }));
      req.signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (chunk: Buffer) => {
        for (const m of decoder.push(chunk)) onMessage(m);
      });
      stream.on('end', resolve);
      stream.on('error', (err: Error) => (req.signal?.aborted ? onAbort() : reject(classifyError(err))));
      // A socket closed under us (the engine went away) ends with 'close' and no 'end'.
      stream.on('close', () => (req.signal?.aborted ? onAbort() : resolve()));
    });
  }

  imageConfig(image: string): Promise<ImageConfig | undefined> {
    return this.orMissing(async () => {
      const c = (await this.docker.getImage(image).inspect()).Config;
      const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []);
      return { exposedPorts: Object.keys(c?.ExposedPorts ?? {}), cmd: list(c?.Cmd), entrypoint: list(c?.Entrypoint) };
    });
  }

  async recreateCheck(id: string): Promise<{ blockers: RecreateBlocker[]; running: boolean; name: string }> {
    const info = await this.call(() => this.docker.getContainer(id).inspect());
    return { blockers: recreateBlockers(info), running: info.State.Running, name: info.Name.replace(/^\//, '') };
  }

  async publishPorts(id: string, add: NewBinding[]): Promise<string> {
    const old = this.docker.getContainer(id);
    const info = await this.call(() => old.inspect());
    const blockers = recreateBlockers(info);
    if (blockers.length) throw new EngineError('other', `cannot recreate ${info.Name.slice(1)}: ${blockers.map((b) => b.kind).join(', ')}`);
    const { create, connect } = recreateOptions(info, add);
    const name = create.name as string;
    const wasRunning = info.State.Running;
    await this.call(async () => {
      if (wasRunning) await old.stop();
      await old.rename({ name: `${name}-berth-replaced-${Date.now().toString(36)}` });
    });
    let created: Docker.Container | undefined;
    try {
      created = await this.docker.createContainer(create);
      for (const n of connect) await this.docker.getNetwork(n.network).connect({ Container: created.id, EndpointConfig: { Aliases: n.aliases } });
      if (wasRunning) await created.start();
    } catch (err) {
      // Put the original back exactly as it was: name, then state.
      await created?.remove({ force: true, v: false }).catch(() => undefined);
      await old.rename({ name }).catch(() => undefined);
      if (wasRunning) await old.start().catch(() => undefined);
      const e = classifyError(err);
      throw new EngineError(e.code, `${e.message} (${name} was restored as it was)`, e.statusCode);
    }
    await this.call(() => old.remove({ v: false }));
    return created.id;
  }

  resize(id: string, rows: number, cols: number): Promise<void> {
    return this.call(() => this.docker.getContainer(id).resize({ h: rows, w: cols }) as Promise<void>);
  }

  private createOptions(req: RunRequest): Docker.ContainerCreateOptions {
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const p of req.ports) (bindings[`${p.containerPort}/${p.protocol}`] ??= []).push({ HostIp: p.hostIp ?? '127.0.0.1', HostPort: p.hostPort ? String(p.hostPort) : '' });
    return {
      name: req.name || undefined,
      Image: req.image,
      Cmd: req.command,
      Env: req.env,
      Labels: req.labels,
      Tty: !!req.interactive,
      OpenStdin: !!req.interactive,
      AttachStdin: !!req.interactive,
      AttachStdout: !!req.interactive,
      AttachStderr: !!req.interactive,
      ExposedPorts: Object.fromEntries(Object.keys(bindings).map((k) => [k, {}])),
      HostConfig: {
        PortBindings: bindings,
        // An anonymous volume (-v /data) carries the run's labels, so it is found with its container.
        Mounts: req.mounts.map((m) => ({
          Type: m.type,
          Source: m.source || undefined,
          Target: m.target,
          ReadOnly: m.readOnly,
          ...(m.type === 'volume' && !m.source && req.labels ? { VolumeOptions: { Labels: req.labels } } : {}),
        })) as Docker.MountSettings[],
        NetworkMode: req.network || undefined,
        RestartPolicy: req.restart && req.restart.name !== 'no' ? { Name: req.restart.name, MaximumRetryCount: req.restart.maximumRetryCount ?? 0 } : undefined,
        AutoRemove: !!req.autoRemove,
      },
    };
  }

  async run(req: RunRequest): Promise<string> {
    return this.call(async () => {
      const container = await this.docker.createContainer(this.createOptions(req));
      try {
        await container.start();
      } catch (err) {
        // "port is already allocated" and the like: leave nothing behind, not even the anonymous
        // volumes made for it (v: true removes only those; named volumes stay).
        await container.remove({ force: true, v: true }).catch(() => undefined);
        throw err;
      }
      return container.id;
    });
  }

  async runAttached(req: RunRequest): Promise<AttachedRun> {
    return this.call(async () => {
      const container = await this.docker.createContainer(this.createOptions({ ...req, interactive: true }));
      let stream: NodeJS.ReadWriteStream | undefined;
      const abort = new AbortController();
      try {
        // The engine wires the container's output to this connection before it answers the upgrade.
        stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as NodeJS.ReadWriteStream;
        // The engine answers a wait's headers once the wait is registered (API >= 1.30), so after
        // this the exit cannot be missed, even when autoRemove deletes the container at once.
        const body = await this.waitHeaders(container.id, req.autoRemove ? 'removed' : 'next-exit', abort.signal);
        const exitCode = readWaitBody(body);
        await container.start();
        return { id: container.id, stream, exitCode };
      } catch (err) {
        abort.abort();
        (stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
        await container.remove({ force: true, v: true }).catch(() => undefined);
        throw err;
      }
    });
  }

  /** POST /containers/{id}/wait, resolved with the response body once its headers arrive. */
  private waitHeaders(id: string, condition: 'next-exit' | 'removed', signal: AbortSignal): Promise<NodeJS.ReadableStream> {
    const modem = (this.docker as unknown as { modem: { dial(opts: object, cb: (err: Error | null, res: NodeJS.ReadableStream) => void): void } }).modem;
    return new Promise((resolve, reject) =>
      modem.dial(
        {
          path: `/containers/${id}/wait?`,
          method: 'POST',
          options: { condition },
          isStream: true,
          abortSignal: signal,
          statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such container', 500: 'server error' },
        },
        (err, res) => (err ? reject(err) : resolve(res)),
      ),
    );
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw classifyError(err);
    }
  }

  private async orMissing<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      const e = classifyError(err);
      if (e.statusCode === 404) return undefined;
      throw e;
    }
  }

  async containerAction(id: string, action: ContainerAction): Promise<void> {
    try {
      const c = this.docker.getContainer(id);
      await (c[action] as (opts: object) => Promise<unknown>).call(c, {});
    } catch (err) {
      const e = classifyError(err);
      // 304: already in the asked state, which is what the user wanted.
      if (e.statusCode === 304) return;
      throw e;
    }
  }

  async removeContainer(id: string, force: boolean): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force, v: false });
    } catch (err) {
      throw classifyError(err);
    }
  }

  async logs(id: string, opts: LogOptions, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    return this.call(
      () =>
        this.docker.getContainer(id).logs({
          follow: true,
          stdout: true,
          stderr: true,
          timestamps: opts.timestamps,
          tail: opts.tail === undefined ? 'all' : String(opts.tail),
          since: opts.since ?? 0,
          // Not following: stream up to now rather than have dockerode buffer the whole log.
          until: opts.follow ? undefined : String(Math.ceil(Date.now() / 1000)),
          abortSignal: signal,
        } as unknown as Docker.ContainerLogsOptions & { follow: true }) as unknown as Promise<NodeJS.ReadableStream>,
    );
  }

  containerState(id: string): Promise<ContainerStateInfo | undefined> {
    return this.orMissing(async () => {
      const c = await this.docker.getContainer(id).inspect();
      const finished = c.State.FinishedAt && !c.State.FinishedAt.startsWith('0001') ? c.State.FinishedAt : undefined;
      return { name: c.Name.replace(/^\//, ''), tty: !!c.Config.Tty, running: c.State.Running, exitCode: c.State.ExitCode, finishedAt: finished };
    });
  }

  async execStatus(id: string, cmd: string[]): Promise<number> {
    return this.call(async () => {
      const exec = await this.docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
      const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
      await new Promise<void>((resolve) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', () => resolve());
        stream.resume();
      });
      for (let i = 0; i < 50; i++) {
        const info = await exec.inspect();
        if (!info.Running) return info.ExitCode ?? -1;
        await new Promise((r) => setTimeout(r, 20));
      }
      return -1;
    });
  }

  async execTty(id: string, cmd: string[], size?: { rows: number; cols: number }): Promise<ExecSession> {
    return this.call(async () => {
      const exec = await this.docker.getContainer(id).exec({ Cmd: cmd, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, Env: ['TERM=xterm-256color'] });
      const stream = (await exec.start({ hijack: true, stdin: true, Tty: true, ...(size ? { ConsoleSize: [size.rows, size.cols] } : {}) } as object)) as NodeJS.ReadWriteStream;
      return {
        stream,
        resize: async (rows, cols) => {
          await exec.resize({ h: rows, w: cols }).catch(() => undefined);
        },
        exitCode: async () => {
          for (let i = 0; i < 50; i++) {
            const info = await exec.inspect().catch(() => undefined);
            if (!info) return undefined;
            if (!info.Running) return info.ExitCode ?? undefined;
            await new Promise((r) => setTimeout(r, 20));
          }
          return undefined;
        },
      };
    });
  }

  async events(sinceNano: number | undefined, onEvent: (e: EngineEvent) => void, filters?: Record<string, string[]>): Promise<EventSubscription> {
    const abort = new AbortController();
    const since = sinceNano === undefined ? undefined : `${Math.floor(sinceNano / 1e9)}.${String(sinceNano % 1e9).padStart(9, '0')}`;
    let stream: NodeJS.ReadableStream;
    try {
      // No timeout here, ever: a quiet engine sends nothing for hours.
      stream = (await this.docker.getEvents({
        since,
        filters: JSON.stringify(filters ?? { type: ['container', 'image', 'volume', 'network'] }),
        abortSignal: abort.signal,
      } as Docker.GetEventsOptions)) as NodeJS.ReadableStream;
    } catch (err) {
      throw classifyError(err);
    }
    const decoder = new JsonLineDecoder<Parameters<typeof toEngineEvent>[0]>();
    let closedByUs = false;
    const ended = new Promise<Error | undefined>((resolve) => {
      const done = (err?: Error) => {
        if (!closedByUs) resolve(err ?? new Error('the event stream ended'));
      };
      stream.on('data', (chunk: Buffer) => {
        try {
          for (const raw of decoder.push(chunk)) {
            const e = toEngineEvent(raw);
            if (e) onEvent(e);
          }
        } catch (err) {
          done(err as Error);
        }
      });
      stream.on('end', () => done());
      stream.on('close', () => done());
      stream.on('error', (err: Error) => done(err));
    });
    return {
      ended,
      close: () => {
        closedByUs = true;
        abort.abort();
        (stream as unknown as { destroy?: () => void }).destroy?.();
      },
    };
  }

  dispose(): void {
    // Plain requests hold no pooled sockets; streams are closed by their owners. An ssh forward goes.
    this.tunnel?.close();
    this.tunnel = undefined;
  }
}
