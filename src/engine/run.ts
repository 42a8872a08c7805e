// Running an image: create and start, or, for an interactive run, the docker CLI's order (create,
// attach, wait, start) so nothing printed before the attach is lost and the exit code is known.
import type Docker from 'dockerode';
import type { AttachedRun, RunRequest } from '../contract/client';
import type { Connection } from './connection';

function createOptions(req: RunRequest): Docker.ContainerCreateOptions {
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

/** POST /containers/{id}/wait, resolved with the response body once its headers arrive. */
function waitHeaders(docker: Docker, id: string, condition: 'next-exit' | 'removed', signal: AbortSignal): Promise<NodeJS.ReadableStream> {
  const modem = (docker as unknown as { modem: { dial(opts: object, cb: (err: Error | null, res: NodeJS.ReadableStream) => void): void } }).modem;
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

export function run(c: Connection, req: RunRequest): Promise<string> {
  return c.call(async (d) => {
    const container = await d.createContainer(createOptions(req));
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

export function runAttached(c: Connection, req: RunRequest): Promise<AttachedRun> {
  return c.call(async (d) => {
    const container = await d.createContainer(createOptions({ ...req, interactive: true }));
    let stream: NodeJS.ReadWriteStream | undefined;
    const abort = new AbortController();
    try {
      // The engine wires the container's output to this connection before it answers the upgrade.
      stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as NodeJS.ReadWriteStream;
      // The engine answers a wait's headers once the wait is registered (API >= 1.30), so after
      // this the exit cannot be missed, even when autoRemove deletes the container at once.
      const body = await waitHeaders(d, container.id, req.autoRemove ? 'removed' : 'next-exit', abort.signal);
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
