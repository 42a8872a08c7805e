// The connection's lifetime: resolves the endpoint, pings, fills the stores, and while a view is
// visible follows the engine's event stream. Each connect owns a ConnectionScope (client, applier,
// stream, retry timer); reconnecting or switching engines disposes it, and whatever the old
// connection still answers is dropped there. Engine code comes only through deps.createClient.
import type { EngineClient, EngineClientFactory, EventSubscription } from '../contract/client';
import type { Endpoint, EndpointProblem } from '../contract/endpoint';
import type { EngineFailure } from '../contract/errors';
import type { ContainerRecord, EngineEvent, EngineVersion, ImageRecord, NetworkRecord, VolumeRecord } from '../contract/records';
import { keepExactTimes } from '../model/containerStatus';
import { Emitter } from '../model/emitter';
import { Store } from '../model/store';
import { ConnectionScope } from './connectionScope';
import { EventApplier } from './eventApplier';
import { asFailure, SessionFailure } from './failure';
import { retryDelayMs } from './retryPolicy';
import { watchSocketFile, type SocketWatch, type WatchSocket } from './socketWatch';
import { realTimers, type Timers } from './timers';

export type EngineState = 'connecting' | 'unreachable' | 'ready';

export interface SessionStatus {
  state: EngineState;
  endpoint?: Endpoint;
  /** Set when state is unreachable: why, as a code and the engine's own words. */
  error?: EngineFailure;
  /** Set when the endpoint itself could not be resolved (bad setting, broken context). */
  endpointError?: string;
  /** The same, as data for the UI's words. */
  endpointProblem?: EndpointProblem;
  version?: EngineVersion;
}

export interface SessionDeps {
  resolve(): Endpoint;
  /** The engine layer's client factory, injected so the session never loads engine code itself. */
  createClient: EngineClientFactory;
  pingTimeoutMs?: number;
  log?(message: string): void;
  /** Delay before retry n (0-based) while the engine is unreachable; undefined stops retrying. */
  retryDelayMs?(kind: Endpoint['kind'], attempt: number): number | undefined;
  /** What a user action is told while no engine answers, in the user's language. */
  notConnected?(): string;
  timers?: Timers;
  /** Watches a local socket file while its engine does not answer (fs.watch unless injected). */
  watchSocket?: WatchSocket;
  /** How often a visible, ready session pings its engine: a frozen engine says nothing otherwise. */
  heartbeatMs?: number;
}

/**
 * A stopped (SIGSTOP) or wedged engine keeps its sockets open and sends nothing, which looks
 * exactly like a quiet one: only a request can tell. While a view is visible, a ping this often
 * (one at a time, bounded by the ping timeout) turns that into "does not answer".
 */
export const HEARTBEAT_MS = 10_000;

/**
 * dockerd sends the /events response headers before it subscribes the request to its events
 * (moby api/server/router/system getEvents: Flush, then SubscribeToEvents), so a stream that has
 * "opened" can still miss what happens next, lists included. Asking for events since a moment
 * before the request makes the engine replay that gap from its buffer; the margin allows for clock
 * steps. Replays only cost refetches. Docker only: it never filters live events by `since`, so a
 * skewed clock costs nothing, whereas Podman would hold back live events until its clock got there.
 */
const STREAM_REPLAY_NS = 1_000_000_000;

/** Pause before reopening an event stream that failed to open, so a flapping connection cannot spin. */
const STREAM_REOPEN_MS = 250;

export class EngineSession {
  readonly containers = new Store<ContainerRecord>(keepExactTimes);
  readonly images = new Store<ImageRecord>();
  readonly volumes = new Store<VolumeRecord>();
  readonly networks = new Store<NetworkRecord>();
  /** The current connection; undefined before the first connect and after dispose. */
  private scope: ConnectionScope | undefined;
  private lastEventNano: number | undefined;
  private live = false;
  /** Retries since the last success, user retry or return to visibility. */
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
  /** Events received by each resync in flight: each replays its own after its lists. */
  private readonly duringReload = new Set<EngineEvent[]>();
  private reloadsStarted = 0;
  private reloadApplied = 0;
  private inFlight: Promise<void> | undefined;
  /** While a visible local engine does not answer: its socket file, watched for its return. */
  private socketWatch: { path: string; handle: SocketWatch | undefined; appeared: boolean } | undefined;
  private readonly timers: Timers;
  private disposed = false;
  private readonly staleSources = new Set<() => Promise<void>>();
  private freshRun: Promise<void> | undefined;

  constructor(private readonly deps: SessionDeps) {
    this.timers = deps.timers ?? realTimers;
  }

  get status(): SessionStatus {
    return this.current;
  }

  /** Engine requests made to apply events so far (for benchmarks and tests). */
  get eventRequests(): number {
    return this.scope?.applier?.requests ?? 0;
  }

  get streaming(): boolean {
    return !!this.scope?.stream;
  }

  /** Whether a retry is scheduled (tests: an ssh engine stops being retried). */
  get retryPending(): boolean {
    return !!this.scope?.retryPending;
  }

  private setStatus(next: SessionStatus): void {
    const prev = this.current;
    this.current = next;
    if (prev.state !== next.state || prev.error?.message !== next.error?.message || prev.endpoint?.url !== next.endpoint?.url)
      this.statusChanged.fire(next);
  }

  /** Follows the event stream while true (a Berth view is visible). Turning it on resyncs once. */
  setLive(on: boolean): void {
    if (on === this.live || this.disposed) return;
    this.live = on;
    const scope = this.scope;
    if (!on) {
      scope?.closeStream();
      scope?.cancelRetry();
      scope?.cancelHeartbeat();
      this.stopSocketWatch();
      return;
    }
    if (this.current.state === 'ready' && scope?.client) void this.resume(scope, undefined);
    // Back into view: an engine left alone (ssh after its last try) gets a fresh round of retries.
    else if (this.current.state === 'unreachable') void this.connect();
  }

  /** Connects (again) from scratch: re-resolves the endpoint and reloads everything. A user's retry. */
  connect(): Promise<void> {
    this.retryAttempt = 0;
    return this.reconnect();
  }

  /** As connect(), keeping the count of retries (the retry timer's own reconnect). */
  private reconnect(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.scope?.dispose();
    let endpoint: Endpoint;
    try {
      endpoint = this.deps.resolve();
    } catch (err) {
      this.scope = new ConnectionScope(undefined, this.timers);
      const problem = (err as { problem?: EndpointProblem }).problem;
      this.setStatus({ state: 'unreachable', endpointError: (err as Error).message, endpointProblem: problem, error: new SessionFailure('other', (err as Error).message) });
      this.clearStores();
      return Promise.resolve();
    }
    const scope = (this.scope = new ConnectionScope(endpoint, this.timers));
    const run = this.doConnect(scope).finally(() => {
      if (this.scope === scope) this.inFlight = undefined;
    });
    this.inFlight = run;
    return run;
  }

  /** Waits for a connect in progress, if any. */
  async ready(): Promise<void> {
    await this.inFlight;
  }

  /** Waits until every event received so far has been applied (tests and benchmarks). */
  async settled(): Promise<void> {
    await this.scope?.applier?.idle();
  }

  private async doConnect(scope: ConnectionScope): Promise<void> {
    const endpoint = scope.endpoint!;
    if (this.engineUrl !== undefined && this.engineUrl !== endpoint.url) this.engineChanged.fire(endpoint);
    this.engineUrl = endpoint.url;
    if (this.current.state !== 'unreachable' || this.current.endpoint?.url !== endpoint.url) this.setStatus({ state: 'connecting', endpoint });
    try {
      if (this.live) this.watchSocket(endpoint);
      const client = this.deps.createClient(endpoint);
      // Owned by the scope before the ping, so a switch during a slow ping (ssh) disposes it too.
      scope.attach(client, new EventApplier(client, this, (err) => this.deps.log?.(`applying an event failed: ${(err as Error).message}`)));
      const version = await client.ping(this.deps.pingTimeoutMs ?? 3000);
      if (scope.disposed) return;
      this.product = version.product;
      if (this.live) await this.openStream(scope, undefined);
      const listedFrom = this.timers.now() * 1e6;
      await this.reload(scope);
      if (scope.disposed) return;
      // A view that became visible while the lists were loading still needs its stream.
      if (this.live && !scope.stream) void this.resume(scope, listedFrom);
      this.retryAttempt = 0;
      this.answered(scope);
      this.deps.log?.(`connected to ${endpoint.url} (${version.product} ${version.version}, API ${version.apiVersion})`);
      this.setStatus({ state: 'ready', endpoint, version });
    } catch (err) {
      if (scope.disposed) return;
      this.fail(scope, err);
    }
  }

  private fail(scope: ConnectionScope, err: unknown): void {
    const endpoint = scope.endpoint!;
    const error = asFailure(err);
    if (this.current.state !== 'unreachable' || this.current.error?.message !== error.message)
      this.deps.log?.(`cannot reach ${endpoint.url}: [${error.code}] ${error.message}`);
    scope.lose();
    // Unreachable first: what listens to the lists can tell containers cut off from removed ones.
    this.setStatus({ state: 'unreachable', endpoint, error });
    this.clearStores();
    // Retry on our own only while someone is looking; otherwise the next visibility change does.
    if (!this.live) return;
    this.watchSocket(endpoint);
    // The socket came back while this try was failing: try again at once, not after a backoff.
    const appeared = !!this.socketWatch?.appeared;
    if (this.socketWatch) this.socketWatch.appeared = false;
    const attempt = this.retryAttempt++;
    const delay = appeared ? 0 : (this.deps.retryDelayMs ?? retryDelayMs)(endpoint.kind, attempt);
    if (delay === undefined) {
      this.deps.log?.(`stopped retrying ${endpoint.url} after ${attempt} tries: Retry, or showing a Berth view again, tries again`);
      return;
    }
    scope.retryAfter(delay, () => {
      if (this.live) void this.reconnect();
    });
  }

  private async openStream(scope: ConnectionScope, since: number | undefined): Promise<void> {
    scope.closeStream();
    const client = scope.client;
    if (!client) return;
    const from = since ?? (this.product === 'Docker Engine' ? this.timers.now() * 1e6 - STREAM_REPLAY_NS : undefined);
    let sub: EventSubscription;
    try {
      sub = await client.events(from, (e) => {
        if (scope.disposed) return;
        this.lastEventNano = e.timeNano;
        scope.applier?.apply(e);
        for (const seen of this.duringReload) seen.push(e);
        this.eventSeen.fire(e);
      });
    } catch (err) {
      // The engine answered the ping just before: a stream cut before its headers is a drop, not
      // an unreachable engine (issue 14). Reopen from the same moment after a pause; resume()
      // pings again, and a ping that fails reports the engine unreachable.
      if (scope.disposed || !this.live) return;
      this.deps.log?.(`event stream failed to open: ${(err as Error).message}`);
      this.timers.setTimeout(() => {
        if (!scope.disposed && this.live && !scope.stream) void this.resume(scope, this.lastEventNano ?? from);
      }, STREAM_REOPEN_MS);
      return;
    }
    if (!this.live) return sub.close();
    if (!scope.setStream(sub)) return;
    void sub.ended.then((err) => {
      if (scope.stream !== sub || scope.disposed) return;
      scope.closeStream();
      this.deps.log?.(`event stream dropped: ${err?.message ?? 'ended'}`);
      void this.resume(scope, this.lastEventNano);
    });
  }

  /** After a drop or a return to visibility: reopen the stream (from `since`), then resync once. */
  private async resume(scope: ConnectionScope, since: number | undefined): Promise<void> {
    const client = scope.client;
    if (!client || scope.disposed) return;
    // Watched from the drop on: the socket may be back before this ping has even failed.
    if (scope.endpoint) this.watchSocket(scope.endpoint);
    try {
      await client.ping(this.deps.pingTimeoutMs ?? 3000);
      if (scope.disposed) return;
      await this.openStream(scope, since);
      await this.reload(scope);
      this.retryAttempt = 0;
      if (!scope.disposed) this.answered(scope);
    } catch (err) {
      if (scope.disposed) return;
      this.fail(scope, err);
    }
  }

  /** The engine answered: no socket to watch any more; while visible, keep checking it answers. */
  private answered(scope: ConnectionScope): void {
    this.stopSocketWatch();
    if (this.live) this.heartbeat(scope);
  }

  private heartbeat(scope: ConnectionScope): void {
    scope.heartbeatAfter(this.deps.heartbeatMs ?? HEARTBEAT_MS, () => {
      const client = scope.client;
      if (!client || !this.live || this.current.state !== 'ready') return;
      client.ping(this.deps.pingTimeoutMs ?? 3000).then(
        () => {
          if (!scope.disposed && scope.client === client && this.live) this.heartbeat(scope);
        },
        (err: unknown) => {
          if (scope.disposed || scope.client !== client) return;
          this.deps.log?.(`the engine stopped answering: ${(err as Error).message}`);
          this.fail(scope, err);
        },
      );
    });
  }

  /** Starts watching a local engine's socket file (once per path) while a view is visible. */
  private watchSocket(endpoint: Endpoint): void {
    if (endpoint.kind !== 'unix' || !this.live) return this.stopSocketWatch();
    if (this.socketWatch?.path === endpoint.socketPath) return;
    this.stopSocketWatch();
    const w: NonNullable<typeof this.socketWatch> = { path: endpoint.socketPath, handle: undefined, appeared: false };
    this.socketWatch = w;
    w.handle = (this.deps.watchSocket ?? watchSocketFile)(endpoint.socketPath, () => {
      if (this.socketWatch !== w || !this.live || this.disposed) return;
      const scope = this.scope;
      // Waiting out a backoff: go now. A try in flight instead retries at once if it fails.
      if (this.current.state === 'unreachable' && scope?.retryPending) {
        scope.cancelRetry();
        this.deps.log?.(`${endpoint.url} is back: retrying now`);
        void this.reconnect();
      } else w.appeared = true;
    });
  }

  private stopSocketWatch(): void {
    this.socketWatch?.handle?.close();
    this.socketWatch = undefined;
  }

  private async reload(scope: ConnectionScope): Promise<void> {
    const client = scope.client;
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
      if (scope.disposed || order < this.reloadApplied) return;
      this.reloadApplied = order;
      this.containers.replaceAll(containers);
      this.images.replaceAll(images);
      this.volumes.replaceAll(volumes);
      this.networks.replaceAll(networks);
    } finally {
      this.duringReload.delete(seen);
    }
    for (const e of seen) scope.applier?.apply(e);
  }

  /** The connected client, for user actions; fails with a clear message while unreachable. */
  requireClient(): EngineClient {
    const client = this.scope?.client;
    if (!client || this.current.state !== 'ready') throw new SessionFailure('refused', this.deps.notConnected?.() ?? 'the Docker engine is not connected');
    return client;
  }

  /**
   * A client that reaches the current connection at each call. Each reconnect makes a new scope
   * and client and disposes the old one: a long-lived log follower holding the old one asked a
   * disposed client forever after an engine restart. While not connected, calls reject.
   */
  liveClient(): EngineClient {
    return new Proxy({} as EngineClient, {
      get: (_target, key) => (...args: unknown[]) => {
        try {
          const client = this.requireClient() as unknown as Record<string | symbol, (...a: unknown[]) => unknown>;
          return client[key](...args);
        } catch (err) {
          return Promise.reject(err);
        }
      },
    });
  }

  /**
   * Stores that follow the engine's state on their own schedule (the Swarm watcher's): brought up to
   * date by fresh() too. Returns a Disposable that takes it out.
   */
  addStaleSource(bringUpToDate: () => Promise<void>): { dispose(): void } {
    this.staleSources.add(bringUpToDate);
    return { dispose: () => this.staleSources.delete(bringUpToDate) };
  }

  /**
   * Makes the stores say what runs now, before a command acts on them. While events are followed
   * (a Berth view is visible and the stream is open) that is the events received so far; otherwise
   * (views hidden, or the stream being reopened) the stores may be old: everything is listed again,
   * once for all the callers that ask meanwhile. Something started from a terminal meanwhile is then known.
   */
  async fresh(): Promise<void> {
    const scope = this.scope;
    if (this.current.state !== 'ready' || !scope?.client) return;
    if (scope.stream) await this.settled();
    else {
      this.freshRun ??= this.reload(scope)
        .catch((err) => this.deps.log?.(`listing the engine's objects again failed: ${(err as Error).message}`))
        .finally(() => (this.freshRun = undefined));
      await this.freshRun;
    }
    await Promise.all([...this.staleSources].map((f) => f().catch((err) => this.deps.log?.(`bringing a view up to date failed: ${(err as Error).message}`))));
  }

  /**
   * Reads one container again. The engine sends no event for some changes: connecting or
   * disconnecting a stopped container changes its networks silently.
   */
  async recheckContainer(id: string): Promise<void> {
    const scope = this.scope;
    if (!scope?.client) return;
    const c = await scope.client.container(id);
    if (scope.disposed) return;
    if (c) this.containers.upsert(c);
    else this.containers.remove(id);
  }

  /** Reads one image again: a commit sends the engine's container event only, none for the image it made. */
  async recheckImage(id: string): Promise<void> {
    const scope = this.scope;
    if (!scope?.client) return;
    const image = await scope.client.image(id);
    if (!scope.disposed && image) this.images.upsert(image);
  }

  /** Re-lists everything once; on failure falls back to a full reconnect, which reports the state. */
  async refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const scope = this.scope;
    if (!scope?.client) return this.connect();
    try {
      await this.reload(scope);
    } catch {
      await this.connect();
    }
  }

  private clearStores(): void {
    for (const store of this.stores()) store.clear();
  }

  private stores(): { clear(): void; dispose(): void }[] {
    return [this.containers, this.images, this.volumes, this.networks];
  }

  dispose(): void {
    this.disposed = true;
    this.live = false;
    this.stopSocketWatch();
    this.scope?.dispose();
    this.scope = undefined;
    for (const store of this.stores()) store.dispose();
    this.statusChanged.dispose();
    this.eventSeen.dispose();
    this.engineChanged.dispose();
  }
}
