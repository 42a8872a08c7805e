// Asks the engine for container stats only for what a visible panel or visible rows need, and
// nothing when nothing is visible. A panel needs a point every second: each of its containers
// gets a stream (the engine collects them all in one pass a second, as for docker stats), up to
// maxStreams. Rows need a figure every 2 s: one-shot answers through a pool of at most
// maxRequests requests in flight, so a hundred rows do not open a hundred connections at once.
// dockerd answers a one-shot at its collector's next pass (once a second), so the pool serves
// about maxRequests rows a second: 16 rows every 2 s, a hundred rows every 12 s or so.
import type { EngineClient } from '../contract/client';
import type { ContainerRecord } from '../contract/records';
import type { StatsSubscription } from '../contract/stats';
import { Emitter, type Disposable } from '../model/emitter';
import { COMPOSE_PROJECT_LABEL } from '../model/grouping';
import { COMPOSE_SERVICE_LABEL } from '../model/composeTree';
import type { StoreChange } from '../model/store';
import type { TrackMeta, UsageHistory } from '../model/resourceUsage/history';
import { realTimers, type Timers } from './timers';

export interface SamplerDeps {
  /** The connected client, or undefined while not connected. */
  client(): EngineClient | undefined;
  container(id: string): ContainerRecord | undefined;
  onContainersChange(listener: (c: StoreChange) => void): Disposable;
  /**
   * Whether the engine answers. The session empties its lists when it stops answering: the
   * containers listed then are cut off, not removed.
   */
  reachable?(): boolean;
  onReachableChange?(listener: (reachable: boolean) => void): Disposable;
  history: UsageHistory;
  timers?: Timers;
  maxStreams?: number;
  maxRequests?: number;
  log?: (m: string) => void;
}

interface Demand {
  ids: Set<string>;
  /** 1000 for a panel's plots, 2000 for rows. */
  everyMs: number;
}

export function trackMeta(c: ContainerRecord): TrackMeta {
  return { id: c.id, name: c.name, project: c.labels[COMPOSE_PROJECT_LABEL], service: c.labels[COMPOSE_SERVICE_LABEL] };
}

export class UsageSampler implements Disposable {
  private readonly demands = new Map<object, Demand>();
  private readonly streams = new Map<string, StatsSubscription | 'opening'>();
  private readonly inFlight = new Set<string>();
  private readonly queue: string[] = [];
  private pollTimer: unknown;
  private readonly changed = new Emitter<void>();
  /** Fires after new points arrive (at most once per pending tick: listeners throttle further). */
  readonly onDidSample = this.changed.event;
  private readonly timers: Timers;
  private readonly maxStreams: number;
  private readonly maxRequests: number;
  private readonly subscriptions: Disposable[];
  /** Requests made so far (benchmark and tests). */
  requests = 0;
  private disposed = false;

  constructor(private readonly deps: SamplerDeps) {
    this.timers = deps.timers ?? realTimers;
    this.maxStreams = deps.maxStreams ?? 64;
    this.maxRequests = deps.maxRequests ?? 8;
    this.subscriptions = [deps.onContainersChange((c) => this.containersChanged(c))];
    if (deps.onReachableChange) this.subscriptions.push(deps.onReachableChange((r) => this.reachableChanged(r)));
  }

  /** Sets (or with no ids, drops) what one owner needs sampled. */
  demand(owner: object, ids: Iterable<string>, everyMs: number): void {
    const set = new Set(ids);
    if (set.size) this.demands.set(owner, { ids: set, everyMs });
    else this.demands.delete(owner);
    this.reconcile();
  }

  release(owner: object): void {
    this.demand(owner, [], 0);
  }

  /** Open streams (tests and the benchmark). */
  get streamCount(): number {
    return this.streams.size;
  }

  private running(id: string): boolean {
    const c = this.deps.container(id);
    return c?.state === 'running';
  }

  /** Which ids get a stream, and which are polled how often. */
  private plan(): { streamed: Set<string>; polled: Map<string, number> } {
    const streamed = new Set<string>();
    const polled = new Map<string, number>();
    for (const d of this.demands.values()) {
      for (const id of d.ids) {
        if (!this.running(id)) continue;
        if (d.everyMs <= 1000 && (streamed.has(id) || streamed.size < this.maxStreams)) streamed.add(id);
        else polled.set(id, Math.min(polled.get(id) ?? Infinity, d.everyMs));
      }
    }
    for (const id of streamed) polled.delete(id);
    return { streamed, polled };
  }

  private reconcile(): void {
    if (this.disposed) return;
    const { streamed, polled } = this.plan();
    for (const [id, s] of this.streams) {
      if (streamed.has(id)) continue;
      if (s !== 'opening') s.close();
      this.streams.delete(id);
    }
    for (const id of streamed) if (!this.streams.has(id)) void this.openStream(id);
    if (!polled.size) {
      this.stopPolling();
    } else if (this.pollTimer === undefined) {
      this.poll();
    }
  }

  private async openStream(id: string): Promise<void> {
    const client = this.deps.client();
    if (!client) return;
    this.streams.set(id, 'opening');
    this.requests++;
    let sub: StatsSubscription | undefined;
    try {
      sub = await client.statsStream(id, (s) => this.record(id, s));
    } catch (err) {
      this.deps.log?.(`stats stream for ${id.slice(0, 12)}: ${(err as Error).message}`);
    }
    if (this.streams.get(id) !== 'opening') {
      // No longer wanted while it opened.
      sub?.close();
      return;
    }
    if (!sub) {
      this.streams.delete(id);
      return;
    }
    this.streams.set(id, sub);
    void sub.ended.then(() => {
      if (this.streams.get(id) !== sub) return;
      this.streams.delete(id);
      // The engine ends a stream when its container stops; the store says so, and reconcile()
      // opens a new one if it runs again. A stream cut while it still runs is reopened shortly.
      this.timers.setTimeout(() => this.reconcile(), 1000);
    });
  }

  private record(id: string, s: Parameters<UsageHistory['record']>[1]): void {
    const c = this.deps.container(id);
    if (!c || this.disposed) return;
    if (this.deps.history.record(trackMeta(c), s)) this.changed.fire();
  }

  private poll(): void {
    this.pollTimer = undefined;
    const { polled } = this.plan();
    if (!polled.size || this.disposed) return;
    for (const id of polled.keys()) if (!this.inFlight.has(id) && !this.queue.includes(id)) this.queue.push(id);
    this.pump();
    this.pollTimer = this.timers.setTimeout(() => this.poll(), Math.min(...polled.values()));
  }

  private stopPolling(): void {
    if (this.pollTimer !== undefined) this.timers.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.queue.length = 0;
  }

  /** Starts queued one-shot reads while fewer than maxRequests are in flight. */
  private pump(): void {
    const client = this.deps.client();
    if (!client) {
      this.queue.length = 0;
      return;
    }
    while (this.inFlight.size < this.maxRequests && this.queue.length) {
      const id = this.queue.shift()!;
      this.inFlight.add(id);
      this.requests++;
      client
        .statsOnce(id)
        .then((s) => s && this.record(id, s))
        .catch((err: Error) => this.deps.log?.(`stats for ${id.slice(0, 12)}: ${err.message}`))
        .finally(() => {
          this.inFlight.delete(id);
          this.pump();
        });
    }
  }

  private containersChanged(c: StoreChange): void {
    const now = this.timers.now();
    let wanted = false;
    const gone = this.deps.reachable?.() === false ? 'unreachable' : 'removed';
    for (const id of c.removed) this.deps.history.end(id, gone, now);
    for (const id of [...c.updated, ...c.added]) {
      const rec = this.deps.container(id);
      if (rec?.state !== 'running') this.deps.history.end(id, 'stopped', now);
      for (const d of this.demands.values()) if (d.ids.has(id)) wanted = true;
    }
    if (c.removed.length || c.updated.length) this.changed.fire();
    if (wanted || c.removed.some((id) => this.streams.has(id))) this.reconcile();
  }

  private reachableChanged(reachable: boolean): void {
    if (!reachable) return;
    // Containers that were cut off and are not listed again went while the engine was away.
    this.deps.history.endMissing((id) => this.deps.container(id) !== undefined, this.timers.now());
    this.changed.fire();
    // The lists came back before the engine was said ready, when there was no client to ask.
    this.reconcile();
  }

  dispose(): void {
    this.disposed = true;
    this.stopPolling();
    for (const s of this.streams.values()) if (s !== 'opening') s.close();
    this.streams.clear();
    this.demands.clear();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
