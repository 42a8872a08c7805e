// Swarm state for the Services view: services, tasks and nodes in stores, filled once when the
// engine turns out to be a Swarm manager, then kept live from the engine's service and node
// events (a stream of their own, open only while the view is visible), from local container
// events of task containers, and by following a changed service's tasks until it converges.
import type { EngineClient, EventSubscription } from '../contract/client';
import type { EngineEvent } from '../contract/records';
import type { NodeRecord, ServiceRecord, SwarmClient, SwarmInfo, TaskRecord } from '../contract/swarm';
import { Emitter } from '../model/emitter';
import { Store } from '../model/store';
import { ConvergenceTracker, type ConvergenceClock } from '../model/swarm/convergence';
import { currentTasks, isConverged } from '../model/swarm/replicas';
import type { EngineSession } from './engineSession';
import { realTimers } from './timers';

export const SERVICE_ID_LABEL = 'com.docker.swarm.service.id';
const REOPEN_MS = 1000;
const STREAM_OPEN_WAIT_MS = 3000;

function newer<T extends { version: number }>(prev: T, next: T): T {
  return next.version >= prev.version ? next : prev;
}

export type FollowEnd = 'converged' | 'gone' | 'timeout' | 'failed';

export type SwarmMode = 'unknown' | 'manager' | 'worker' | 'inactive';

export class SwarmWatcher {
  /** Answers can arrive out of order (an event's inspect, a follow's, a reload's list): the newer version wins. */
  readonly services = new Store<ServiceRecord>(newer);
  readonly tasks = new Store<TaskRecord>();
  readonly nodes = new Store<NodeRecord>(newer);
  private current: { mode: SwarmMode; info?: SwarmInfo } = { mode: 'unknown' };
  private readonly modeChanged = new Emitter<SwarmMode>();
  readonly onDidChangeMode = this.modeChanged.event;
  private readonly convergingChanged = new Emitter<string>();
  /** A service's follow started or ended (its row says whether it is converging or stuck). */
  readonly onDidChangeConverging = this.convergingChanged.event;
  private readonly followEnded = new Emitter<{ serviceId: string; how: FollowEnd }>();
  /** A service's follow ended: converged, gone, timed out (still not converged after the bound) or failed. */
  readonly onDidEndFollow = this.followEnded.event;
  private tracker: ConvergenceTracker;
  private stream: EventSubscription | undefined;
  /** Raised when the engine changes: answers for an older engine are dropped. */
  private generation = 0;
  /** Raised by each reload: only the latest one's lists are kept. */
  private reloads = 0;
  private visible = false;
  private lastEventNano: number | undefined;
  private reopenTimer: unknown;
  /** Engine requests made by events and convergence follows (benchmarks). */
  requests = 0;
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(
    private readonly session: EngineSession,
    private readonly clock: ConvergenceClock = realTimers,
    private readonly log: (m: string) => void = () => undefined,
  ) {
    this.tracker = this.newTracker();
    this.subscriptions.push(
      session.onDidChangeStatus((s) => {
        if (s.state === 'ready') void this.reload();
        else this.reset('unknown');
      }),
      session.onDidChangeEngine(() => this.reset('unknown')),
      session.onDidReceiveEvent((e) => this.containerEvent(e)),
      // Hidden, the view follows no event: a command about services first lists them again.
      session.addStaleSource(() => (this.stream || this.current.mode === 'unknown' ? Promise.resolve() : this.reload())),
    );
  }

  private newTracker(): ConvergenceTracker {
    return new ConvergenceTracker({
      check: (id, first) => this.checkService(id, first),
      clock: this.clock,
      started: (id) => this.convergingChanged.fire(id),
      ended: (id, how) => {
        this.convergingChanged.fire(id);
        this.followEnded.fire({ serviceId: id, how });
      },
    });
  }

  get mode(): SwarmMode {
    return this.current.mode;
  }

  get info(): SwarmInfo | undefined {
    return this.current.info;
  }

  /** Whether the service and node event stream is open (tests). */
  get streaming(): boolean {
    return !!this.stream;
  }

  /** Services whose tasks are being followed to convergence right now. */
  get converging(): string[] {
    return this.tracker.following;
  }

  private client(): { engine: EngineClient; swarm: SwarmClient } | undefined {
    if (this.session.status.state !== 'ready') return undefined;
    try {
      const engine = this.session.requireClient();
      return engine.swarm ? { engine, swarm: engine.swarm } : undefined;
    } catch {
      return undefined;
    }
  }

  /** The view is shown (follow events) or hidden (stop following; the stores stay). */
  setVisible(on: boolean): void {
    if (on === this.visible) return;
    this.visible = on;
    if (on) void this.reload();
    else this.closeStream();
  }

  private reset(mode: SwarmMode): void {
    this.generation++;
    this.lastEventNano = undefined;
    this.closeStream();
    this.tracker.dispose();
    this.tracker = this.newTracker();
    this.services.clear();
    this.tasks.clear();
    this.nodes.clear();
    this.setMode(mode, undefined);
  }

  private setMode(mode: SwarmMode, info: SwarmInfo | undefined): void {
    const changed = mode !== this.current.mode;
    this.current = { mode, info };
    if (changed) this.modeChanged.fire(mode);
  }

  /** Asks the engine whether it is a Swarm manager and, if so, lists everything once. */
  async reload(): Promise<void> {
    const c = this.client();
    if (!c) return;
    const gen = this.generation;
    const seq = ++this.reloads;
    const stale = () => gen !== this.generation || seq !== this.reloads;
    try {
      const info = await c.swarm.info();
      if (stale()) return;
      const mode: SwarmMode = info.state !== 'active' ? 'inactive' : info.manager ? 'manager' : 'worker';
      if (mode !== 'manager') {
        this.services.clear();
        this.tasks.clear();
        this.nodes.clear();
        this.setMode(mode, info);
        return;
      }
      // Follow first, then list: what changes in between arrives as events and is fetched again.
      // (An engine sends the stream's headers at once; one behind a proxy that holds them until the
      // first event must not hold the lists back: after a while they go ahead.)
      if (this.visible && !this.stream) {
        const opened = this.openStream(c.engine, gen).catch((err) => this.log(`the swarm event stream did not open: ${(err as Error).message}`));
        let timer: unknown;
        await Promise.race([opened, new Promise<void>((r) => (timer = this.clock.setTimeout(r, STREAM_OPEN_WAIT_MS)))]);
        this.clock.clearTimeout(timer);
      }
      const [services, tasks, nodes] = await Promise.all([c.swarm.listServices(), c.swarm.listTasks(), c.swarm.listNodes()]);
      if (stale()) return;
      this.services.replaceAll(services);
      this.tasks.replaceAll(tasks);
      this.nodes.replaceAll(nodes);
      this.setMode(mode, info);
      for (const s of services) if (!isConverged(s, tasks)) this.tracker.follow(s.id);
    } catch (err) {
      this.log(`reading the swarm failed: ${(err as Error).message}`);
    }
  }

  private async openStream(engine: EngineClient, gen: number): Promise<void> {
    const sub = await engine.events(this.lastEventNano, (e) => this.swarmEvent(e), { type: ['service', 'node'] });
    if (gen !== this.generation || !this.visible || this.stream) {
      sub.close();
      return;
    }
    this.stream = sub;
    void sub.ended.then((err) => {
      if (this.stream !== sub) return;
      this.stream = undefined;
      this.log(`the swarm event stream ended: ${err?.message ?? ''}`);
      // The session reconnects a lost engine and says so; a stream cut alone is reopened here.
      this.reopenTimer = this.clock.setTimeout(() => {
        this.reopenTimer = undefined;
        if (this.visible && gen === this.generation) void this.reload();
      }, REOPEN_MS);
    });
  }

  private closeStream(): void {
    if (this.reopenTimer !== undefined) this.clock.clearTimeout(this.reopenTimer);
    this.reopenTimer = undefined;
    const s = this.stream;
    this.stream = undefined;
    s?.close();
  }

  private swarmEvent(e: EngineEvent): void {
    this.lastEventNano = e.timeNano;
    if (e.type === 'service') {
      if (e.action === 'remove') {
        this.tracker.stop(e.id);
        this.services.remove(e.id);
        this.replaceTasksOf(e.id, []);
        return;
      }
      // create and update (scale, image, force, rollback, and each step of a rolling update).
      void this.fetchService(e.id).then(() => this.tracker.follow(e.id));
    } else if (e.type === 'node') {
      if (e.action === 'remove') {
        this.nodes.remove(e.id);
        return;
      }
      void this.fetchNode(e.id);
      // A drain or pause moves tasks: follow every service with a task on that node.
      if (e.action === 'update') for (const id of new Set(this.tasks.all().filter((t) => t.nodeId === e.id).map((t) => t.serviceId))) this.tracker.follow(id);
    }
  }

  /** A task container here started, died or was removed: its service's tasks change now. */
  private containerEvent(e: EngineEvent): void {
    if (e.type !== 'container' || this.current.mode !== 'manager') return;
    const serviceId = e.attributes[SERVICE_ID_LABEL];
    if (!serviceId || !['start', 'die', 'destroy', 'kill', 'oom'].includes(e.action)) return;
    this.tracker.follow(serviceId);
  }

  private async fetchService(id: string): Promise<void> {
    const c = this.client();
    if (!c) return;
    const gen = this.generation;
    this.requests++;
    const s = await c.swarm.service(id).catch(() => undefined);
    if (gen !== this.generation) return;
    if (s) this.services.upsert(s);
    else this.services.remove(id);
  }

  private async fetchNode(id: string): Promise<void> {
    const c = this.client();
    if (!c) return;
    const gen = this.generation;
    this.requests++;
    const n = await c.swarm.node(id).catch(() => undefined);
    if (gen !== this.generation) return;
    if (n) this.nodes.upsert(n);
    else this.nodes.remove(id);
  }

  /** One convergence tick: the service's tasks, and the service when it may have changed, fetched into the stores. */
  private async checkService(id: string, first: boolean): Promise<boolean | undefined> {
    const c = this.client();
    if (!c) return undefined;
    const gen = this.generation;
    this.requests++;
    const tasks = await c.swarm.listTasks(id);
    if (gen !== this.generation) return undefined;
    // The service's own events bring its changes, but an inspect answered just before a change can
    // land after it: on a follow's first tick, and whenever its tasks disagree with the replicas
    // held, it is asked again. A steady service costs one request a tick.
    let service = this.services.get(id);
    const meant = currentTasks(tasks).length;
    if (first || !service || (service.mode === 'replicated' && meant !== service.replicas)) {
      this.requests++;
      service = await c.swarm.service(id);
      if (gen !== this.generation) return undefined;
    }
    if (!service) {
      this.services.remove(id);
      this.replaceTasksOf(id, []);
      return undefined;
    }
    this.services.upsert(service);
    this.replaceTasksOf(id, tasks);
    return isConverged(service, tasks);
  }

  /** Replaces one service's tasks in one store change. */
  private replaceTasksOf(serviceId: string, tasks: TaskRecord[]): void {
    this.tasks.replaceAll([...this.tasks.all().filter((t) => t.serviceId !== serviceId), ...tasks]);
  }

  /** Starts following a service now (after Berth's own create or update, before its event arrives). */
  follow(serviceId: string): void {
    this.tracker.follow(serviceId);
  }

  /** Follows a service and resolves how the follow ended (undefined when the engine changed meanwhile). */
  settled(serviceId: string): Promise<FollowEnd | undefined> {
    const gen = this.generation;
    return new Promise((resolve) => {
      const subs = [
        this.followEnded.event((e) => {
          if (e.serviceId !== serviceId) return;
          subs.forEach((x) => x.dispose());
          resolve(gen === this.generation ? e.how : undefined);
        }),
        this.modeChanged.event(() => {
          subs.forEach((x) => x.dispose());
          resolve(undefined);
        }),
      ];
      this.tracker.follow(serviceId);
    });
  }

  dispose(): void {
    this.generation++;
    this.closeStream();
    this.tracker.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.services.dispose();
    this.tasks.dispose();
    this.nodes.dispose();
    this.modeChanged.dispose();
    this.convergingChanged.dispose();
    this.followEnded.dispose();
  }
}
