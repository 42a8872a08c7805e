// One dockerode client for one endpoint, and the error handling every request shares: each job's
// module (containers.ts, images.ts, ...) asks through it, so every rejection is an EngineFailure.
import Docker from 'dockerode';
import * as fs from 'fs';
import type { Endpoint } from '../contract/endpoint';
import type { EngineVersion } from '../contract/records';
import { toEngineVersion } from './convert';
import { classifyError, EngineError } from './errors';
import { openSshTunnel, type SshTunnel } from './sshTunnel';

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

export class Connection {
  docker: Docker;
  /** The engine's API version, known after the first ping. */
  apiVersion = '0';
  private tunnel: SshTunnel | undefined;

  constructor(readonly endpoint: Endpoint) {
    this.docker = new Docker(dockerOptions(endpoint));
  }

  /** The local end of an ssh engine's forward, once it is up. */
  forwardedSocket(): string | undefined {
    return this.tunnel?.socketPath;
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

  /** Runs a request; whatever it throws comes out classified. */
  async call<T>(fn: (docker: Docker) => Promise<T>): Promise<T> {
    try {
      return await fn(this.docker);
    } catch (err) {
      throw classifyError(err);
    }
  }

  /** As call(), but a 404 (the object is gone) answers undefined. */
  async orMissing<T>(fn: (docker: Docker) => Promise<T>): Promise<T | undefined> {
    try {
      return await fn(this.docker);
    } catch (err) {
      const e = classifyError(err);
      if (e.statusCode === 404) return undefined;
      throw e;
    }
  }

  dispose(): void {
    // Plain requests hold no pooled sockets; streams are closed by their owners. An ssh forward goes.
    this.tunnel?.close();
    this.tunnel = undefined;
  }
}
