// The connection's lifetime: resolves the endpoint, pings, and keeps the stores filled.
// Disposing it drops the client; a new endpoint means a new session.
import type { EngineClient } from '../engine/index';
import type { Endpoint } from '../engine/endpoint';
import { classifyError, EngineError } from '../engine/errors';
import { Emitter } from './emitter';
import type { ContainerRecord, EngineVersion, ImageRecord } from './records';
import { Store } from './store';

export type EngineState = 'connecting' | 'unreachable' | 'ready';

export interface SessionStatus {
  state: EngineState;
  endpoint?: Endpoint;
  /** Set when state is unreachable: why, as a code and the engine's own words. */
  error?: EngineError;
  /** Set when the endpoint itself could not be resolved (bad setting, broken context). */
  endpointError?: string;
  version?: EngineVersion;
}

export interface SessionDeps {
  resolve(): Endpoint;
  createClient(endpoint: Endpoint): EngineClient;
  pingTimeoutMs?: number;
  log?(message: string): void;
}

export class EngineSession {
  readonly containers = new Store<ContainerRecord>();
  readonly images = new Store<ImageRecord>();
  private client: EngineClient | undefined;
  private current: SessionStatus = { state: 'connecting' };
  private readonly statusChanged = new Emitter<SessionStatus>();
  readonly onDidChangeStatus = this.statusChanged.event;
  private generation = 0;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly deps: SessionDeps) {}

  get status(): SessionStatus {
    return this.current;
  }

  private setStatus(next: SessionStatus): void {
    const prev = this.current;
    this.current = next;
    if (prev.state !== next.state || prev.error?.message !== next.error?.message || prev.endpoint?.url !== next.endpoint?.url)
      this.statusChanged.fire(next);
  }

  /** Connects (again) from scratch: re-resolves the endpoint and reloads everything. */
  connect(): Promise<void> {
    const gen = ++this.generation;
    this.client?.dispose();
    this.client = undefined;
    this.inFlight = this.doConnect(gen).finally(() => {
      if (this.generation === gen) this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Waits for a connect in progress, if any. */
  async ready(): Promise<void> {
    await this.inFlight;
  }

  private async doConnect(gen: number): Promise<void> {
    let endpoint: Endpoint;
    try {
      endpoint = this.deps.resolve();
    } catch (err) {
      this.setStatus({ state: 'unreachable', endpointError: (err as Error).message, error: new EngineError('other', (err as Error).message) });
      this.clearStores();
      return;
    }
    this.setStatus({ state: 'connecting', endpoint });
    let client: EngineClient;
    try {
      client = this.deps.createClient(endpoint);
      const version = await client.ping(this.deps.pingTimeoutMs ?? 3000);
      if (gen !== this.generation) return client.dispose();
      this.client = client;
      await this.reload(gen);
      if (gen !== this.generation) return;
      this.deps.log?.(`connected to ${endpoint.url} (${version.product} ${version.version}, API ${version.apiVersion})`);
      this.setStatus({ state: 'ready', endpoint, version });
    } catch (err) {
      if (gen !== this.generation) return;
      const error = classifyError(err);
      this.deps.log?.(`cannot reach ${endpoint.url}: [${error.code}] ${error.message}`);
      this.client?.dispose();
      this.client = undefined;
      this.clearStores();
      this.setStatus({ state: 'unreachable', endpoint, error });
    }
  }

  private async reload(gen: number): Promise<void> {
    const client = this.client;
    if (!client) return;
    const [containers, images] = await Promise.all([client.listContainers(), client.listImages()]);
    if (gen !== this.generation) return;
    this.containers.replaceAll(containers);
    this.images.replaceAll(images);
  }

  /** Re-lists everything once; on failure falls back to a full reconnect, which reports the state. */
  async refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (!this.client) return this.connect();
    try {
      await this.reload(this.generation);
    } catch {
      await this.connect();
    }
  }

  private clearStores(): void {
    this.containers.clear();
    this.images.clear();
  }

  dispose(): void {
    this.generation++;
    this.client?.dispose();
    this.client = undefined;
    this.containers.dispose();
    this.images.dispose();
    this.statusChanged.dispose();
  }
}
