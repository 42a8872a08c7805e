// The connection's lifetime: resolves the endpoint, pings, fills the stores, and while a view is
// visible follows the engine's event stream. Disposing it drops the client and the stream.
import type { EngineClient, EventSubscription } from '../contract/client';
import type { Endpoint } from '../contract/endpoint';
import { classifyError, EngineError } from '../engine/errors';
import type { ContainerRecord, EngineEvent, EngineVersion, ImageRecord, NetworkRecord, VolumeRecord } from '../contract/records';
import { Emitter } from '../model/emitter';
import { keepExactTimes } from '../model/containerStatus';
import { Store } from '../model/store';
import { EventApplier } from './eventApplier';

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
  /** Delay before retry n (0-based) while the engine is unreachable or the stream dropped. */
  retryDelayMs?(attempt: number): number;
  /** What a user action is told while no engine answers, in the user's language. */
  notConnected?(): string;
}

const defaultRetryDelay = (attempt: number) => Math.min(250 * 2 ** attempt, 1000);

/**
 * dockerd sends the /events response headers before it subscribes the request to its events
 * (moby api/server/router/system getEvents: Flush, then SubscribeToEvents), so a stream that has
 * "opened" can still miss what happens next, lists included. Asking for events since a moment
 * before the request makes the engine replay that gap from its buffer; the margin allows for clock
 * steps. Replays only cost refetches. Docker only: it never filters live events by `since`, so a
 * skewed clock costs nothing, whereas Podman would hold back live events until its clock got there.
 */
const STREAM_REPLAY_NS = 1_000_000_000;

export class EngineSession {
  readonly containers = new Store<ContainerRecord>(keepExactTimes);
  readonly images = new Store<ImageRecord>();
  readonly volumes = new Store<VolumeRecord>();
  readonly networks = new Store<NetworkRecord>();
  private client: EngineClient | undefined;
  private applier: EventApplier | undefined;
  private stream: EventSubscription | undefined;
  private lastEventNano: number | undefined;
  private live = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAttempt = 0;
  private current: SessionStatus = { state: 'connecting' };
  private readonly statusChanged = new Emitter<SessionStatus>();
  readonly onDidChangeStatus = this.statusChanged.event;
  private readonly eventSeen = new Emitter<EngineEvent>();
  /** Every event received, after it was handed to the stores. */
  readonly onDidReceiveEvent = this.eventSeen.event;
  private readonly engineChanged = new Emitter<Endpoint>();
  /** Fired when Berth moves to another engine: streams opened on the old one must close. */
  readonly onDidChangeEngine = this.engineChanged.event;
  private engineUrl: string | undefined;
  private product: string | undefined;
  private generation = 0;
  /** Events received by each resync in flight: each replays its own after its lists. */
  private readonly duringReload = new Set<EngineEvent[]>();
  private reloadsStarted = 0;
  private reloadApplied = 0;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly deps: SessionDeps) {}

  get status(): SessionStatus {
    return this.current;
  }

  /** Engine requests made to apply events so far (for benchmarks and tests). */
  get eventRequests(): number {
    return this.applier?.requests ?? 0;
  }

  get streaming(): boolean {
    return !!this.stream;
  }

  private setStatus(next: SessionStatus): void {
    const prev = this.current;
    this.current = next;
    if (prev.state !== next.state || prev.error?.message !== next.error?.message || prev.endpoint?.url !== next.endpoint?.url)
      this.statusChanged.fire(next);
  }

  /** Follows the event stream while true (a Berth view is visible). Turning it on resyncs once. */
  setLive(on: boolean): void {
    if (on === this.live) return;
    this.live = on;
    if (!on) {
      this.closeStream();
      this.cancelRetry();
      return;
    }
    if (this.current.state === 'ready' && this.client) void this.resume(this.generation, undefined);
    else if (this.current.state === 'unreachable') void this.connect();
  }

  /** Connects (again) from scratch: re-resolves the endpoint and reloads everything. */
  connect(): Promise<void> {
    const gen = ++this.generation;
    this.teardown();
    this.inFlight = this.doConnect(gen).finally(() => {
      if (this.generation === gen) this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Waits for a connect in progress, if any. */
  async ready(): Promise<void> {
    await this.inFlight;
  }

  /** Waits until every event received so far has been applied (tests and benchmarks). */
  async settled(): Promise<void> {
    await this.applier?.idle();
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
    if (this.engineUrl !== undefined && this.engineUrl !== endpoint.url) this.engineChanged.fire(endpoint);
    this.engineUrl = endpoint.url;
    if (this.current.state !== 'unreachable' || this.current.endpoint?.url !== endpoint.url) this.setStatus({ state: 'connecting', endpoint });
    try {
      const client = this.deps.createClient(endpoint);
      const version = await client.ping(this.deps.pingTimeoutMs ?? 3000);
      if (gen !== this.generation) return client.dispose();
      this.client = client;
      this.product = version.product;
      this.applier = new EventApplier(client, this, (err) => this.deps.log?.(`applying an event failed: ${(err as Error).message}`));
      if (this.live) await this.openStream(gen, undefined);
      const listedFrom = Date.now() * 1e6;
      await this.reload(gen);
      if (gen !== this.generation) return;
      // A view that became visible while the lists were loading still needs its stream.
      if (this.live && !this.stream) void this.resume(gen, listedFrom);
      this.retryAttempt = 0;
      this.deps.log?.(`connected to ${endpoint.url} (${version.product} ${version.version}, API ${version.apiVersion})`);
      this.setStatus({ state: 'ready', endpoint, version });
    } catch (err) {
      if (gen !== this.generation) return;
      this.fail(gen, endpoint, err);
    }
  }

  private fail(gen: number, endpoint: Endpoint, err: unknown): void {
    const error = classifyError(err);
    if (this.current.state !== 'unreachable' || this.current.error?.message !== error.message)
      this.deps.log?.(`cannot reach ${endpoint.url}: [${error.code}] ${error.message}`);
    this.teardown();
    this.clearStores();
    this.setStatus({ state: 'unreachable', endpoint, error });
    // Retry on our own only while someone is looking; otherwise the next visibility change does.
    if (this.live) this.scheduleRetry(gen, () => void this.connect());
  }

  private async openStream(gen: number, since: number | undefined): Promise<void> {
    this.closeStream();
    const client = this.client;
    if (!client) return;
    const from = since ?? (this.product === 'Docker Engine' ? Date.now() * 1e6 - STREAM_REPLAY_NS : undefined);
    const sub = await client.events(from, (e) => {
      if (gen !== this.generation) return;
      this.lastEventNano = e.timeNano;
      this.applier?.apply(e);
      for (const seen of this.duringReload) seen.push(e);
      this.eventSeen.fire(e);
    });
    if (gen !== this.generation || !this.live) return sub.close();
    this.stream = sub;
    void sub.ended.then((err) => {
      if (this.stream !== sub || gen !== this.generation) return;
      this.stream = undefined;
      this.deps.log?.(`event stream dropped: ${err?.message ?? 'ended'}`);
      void this.resume(gen, this.lastEventNano);
    });
  }

  /** After a drop or a return to visibility: reopen the stream (from `since`), then resync once. */
  private async resume(gen: number, since: number | undefined): Promise<void> {
    const client = this.client;
    if (!client || gen !== this.generation) return;
    try {
      await client.ping(this.deps.pingTimeoutMs ?? 3000);
      if (gen !== this.generation) return;
      await this.openStream(gen, since);
      await this.reload(gen);
      this.retryAttempt = 0;
    } catch (err) {
      if (gen !== this.generation) return;
      if (this.current.endpoint) this.fail(gen, this.current.endpoint, err);
    }
  }

  private scheduleRetry(gen: number, retry: () => void): void {
    this.cancelRetry();
    const delay = (this.deps.retryDelayMs ?? defaultRetryDelay)(this.retryAttempt++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (gen === this.generation && this.live) retry();
    }, delay);
  }

  private cancelRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private async reload(gen: number): Promise<void> {
    const client = this.client;
    if (!client) return;
    // A list can be older than an event applied while it was in flight: apply those events again
    // after the list so the newer state wins. Resyncs can overlap (Refresh while a view comes
    // back): each collects every event of its own span, and one whose lists come back after a
    // later one's were applied drops them, or an older list would bring back what was removed.
    const order = ++this.reloadsStarted;
    const seen: EngineEvent[] = [];
    this.duringReload.add(seen);
    try {
      const [containers, images, volumes, networks] = await Promise.all([client.listContainers(), client.listImages(), client.listVolumes(), client.listNetworks()]);
      if (gen !== this.generation || order < this.reloadApplied) return;
      this.reloadApplied = order;
      this.containers.replaceAll(containers);
      this.images.replaceAll(images);
      this.volumes.replaceAll(volumes);
      this.networks.replaceAll(networks);
    } finally {
      this.duringReload.delete(seen);
    }
    for (const e of seen) this.applier?.apply(e);
  }

  /** The connected client, for user actions; fails with a clear message while unreachable. */
  requireClient(): EngineClient {
    if (!this.client || this.current.state !== 'ready') throw new EngineError('refused', this.deps.notConnected?.() ?? 'the Docker engine is not connected');
    return this.client;
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

  private closeStream(): void {
    const s = this.stream;
    this.stream = undefined;
    s?.close();
  }

  private teardown(): void {
    this.cancelRetry();
    this.closeStream();
    this.client?.dispose();
    this.client = undefined;
    this.applier?.dispose();
    this.applier = undefined;
  }

  private clearStores(): void {
    for (const store of this.stores()) store.clear();
  }

  private stores(): { clear(): void; dispose(): void }[] {
    return [this.containers, this.images, this.volumes, this.networks];
  }

  dispose(): void {
    this.generation++;
    this.live = false;
    this.teardown();
    for (const store of this.stores()) store.dispose();
    this.statusChanged.dispose();
    this.eventSeen.dispose();
    this.engineChanged.dispose();
  }
}
