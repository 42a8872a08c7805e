// Keeps time-dependent row text ("Up 5 minutes") current without asking the engine: while a
// view is visible, re-render only the rows whose text changed, at most once per interval.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Calls `tick` at most once per `intervalMs`, and only while active: nothing is scheduled while
 * the view is hidden. Becoming visible again ticks as soon as an interval has passed since the
 * last tick, since the rows may have aged while hidden.
 */
export class Ticker {
  private timer: unknown;
  private active = false;
  private last: number;

  constructor(
    private intervalMs: number,
    private readonly tick: () => void,
    private readonly clock: Clock = systemClock,
  ) {
    this.last = clock.now();
  }

  setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    if (active) this.schedule();
    else this.cancel();
  }

  /** Tests shorten the interval; the extension keeps its minute. */
  setInterval(ms: number): void {
    this.intervalMs = ms;
    if (this.active) {
      this.cancel();
      this.schedule();
    }
  }

  private schedule(): void {
    const wait = Math.max(0, this.last + this.intervalMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.last = this.clock.now();
      this.tick();
      if (this.active) this.schedule();
    }, wait);
  }

  private cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.active = false;
    this.cancel();
  }
}

/**
 * The rows whose signature now differs from the one they were rendered with. `current` gives
 * undefined for a row that is gone; it is dropped from `shown`.
 */
export function changedRows(shown: Map<string, string>, current: (id: string) => string | undefined): string[] {
  const changed: string[] = [];
  for (const [id, was] of shown) {
    const now = current(id);
    if (now === undefined) shown.delete(id);
    else if (now !== was) changed.push(id);
  }
  return changed;
}
