// Tasks have no events of their own. After a service is created, updated or scaled (or one of its
// containers here dies), Berth follows that service's tasks until it has converged or 60 s have
// passed, as `docker service create/update/scale` do with their progress display: the one bounded
// check the issue names. One follower per service; a new trigger extends its deadline.

export const CONVERGE_TIMEOUT_MS = 60_000;
/** The CLI's progress display asks every 200 ms too (cli/command/service/progress). */
export const CONVERGE_INTERVAL_MS = 200;
/**
 * Converged must hold this long before the follow ends, as the CLI's "verify: Waiting 5 seconds to
 * verify that tasks are stable": a task that starts and fails at once (on another node, where no
 * local container event tells) would otherwise be missed.
 */
export const CONVERGE_STABLE_MS = 5_000;

export interface ConvergenceClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ConvergenceDeps {
  /** Fetches the service's tasks into the store; resolves whether it has converged (undefined: it is gone). `first`: the follow's first check. */
  check(serviceId: string, first: boolean): Promise<boolean | undefined>;
  clock: ConvergenceClock;
  timeoutMs?: number;
  intervalMs?: number;
  stableMs?: number;
  /** Called when a new follow starts (not when one going on is extended). */
  started?(serviceId: string): void;
  /** Called when a follow ends: converged, gone, or timed out. */
  ended?(serviceId: string, how: 'converged' | 'gone' | 'timeout' | 'failed'): void;
}

interface Follow {
  deadline: number;
  timer?: unknown;
  running: boolean;
  checks: number;
  /** When the service was first seen converged in the current run of converged checks. */
  convergedSince?: number;
}

export class ConvergenceTracker {
  private readonly follows = new Map<string, Follow>();
  private disposed = false;

  constructor(private readonly deps: ConvergenceDeps) {}

  /** Services followed right now (tests, and the view's busy marker). */
  get following(): string[] {
    return [...this.follows.keys()];
  }

  /** Starts following a service's tasks, or extends a follow already going. */
  follow(serviceId: string): void {
    if (this.disposed) return;
    const deadline = this.deps.clock.now() + (this.deps.timeoutMs ?? CONVERGE_TIMEOUT_MS);
    const f = this.follows.get(serviceId);
    if (f) {
      // Something changed again: converged has to hold anew.
      f.deadline = deadline;
      f.convergedSince = undefined;
      return;
    }
    const follow: Follow = { deadline, running: false, checks: 0 };
    this.follows.set(serviceId, follow);
    this.deps.started?.(serviceId);
    void this.tick(serviceId, follow);
  }

  private async tick(serviceId: string, f: Follow): Promise<void> {
    f.timer = undefined;
    f.running = true;
    const startedAt = this.deps.clock.now();
    let result: boolean | undefined;
    try {
      result = await this.deps.check(serviceId, f.checks++ === 0);
    } catch {
      return this.end(serviceId, f, 'failed');
    } finally {
      f.running = false;
    }
    if (this.disposed || this.follows.get(serviceId) !== f) return;
    if (result === undefined) return this.end(serviceId, f, 'gone');
    const now = this.deps.clock.now();
    if (!result) f.convergedSince = undefined;
    else {
      f.convergedSince ??= now;
      if (now - f.convergedSince >= (this.deps.stableMs ?? CONVERGE_STABLE_MS)) return this.end(serviceId, f, 'converged');
    }
    if (this.deps.clock.now() >= f.deadline) return this.end(serviceId, f, 'timeout');
    // A check every interval from the start of the last one: a slow answer does not stretch the cadence.
    const wait = Math.max(0, (this.deps.intervalMs ?? CONVERGE_INTERVAL_MS) - (now - startedAt));
    f.timer = this.deps.clock.setTimeout(() => void this.tick(serviceId, f), wait);
  }

  private end(serviceId: string, f: Follow, how: 'converged' | 'gone' | 'timeout' | 'failed'): void {
    if (this.follows.get(serviceId) === f) this.follows.delete(serviceId);
    this.deps.ended?.(serviceId, how);
  }

  stop(serviceId: string): void {
    const f = this.follows.get(serviceId);
    if (!f) return;
    if (f.timer !== undefined) this.deps.clock.clearTimeout(f.timer);
    this.follows.delete(serviceId);
  }

  dispose(): void {
    this.disposed = true;
    for (const id of [...this.follows.keys()]) this.stop(id);
  }
}
