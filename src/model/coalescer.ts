// Coalesces many small writes into few large ones and pushes back on the source: a container
// printing a million lines must neither freeze the extension host nor grow memory without bound.

export interface Pausable {
  pause(): void;
  resume(): void;
}

export class CoalescingWriter {
  private parts: string[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private source: Pausable | undefined;
  private paused = false;

  constructor(
    private readonly sink: (text: string) => void,
    private readonly opts: { intervalMs: number; flushAt: number; highWater: number } = { intervalMs: 16, flushAt: 256 * 1024, highWater: 4 * 1024 * 1024 },
  ) {}

  /** The stream to pause while too much is pending. */
  attach(source: Pausable | undefined): void {
    this.source = source;
    this.paused = false;
  }

  write(text: string): void {
    if (!text) return;
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.opts.highWater && this.source && !this.paused) {
      this.paused = true;
      this.source.pause();
    }
    // A burst is flushed on the next turn of the loop; a trickle waits a frame to be batched.
    if (this.size >= this.opts.flushAt) this.immediate ??= setImmediate(() => this.flush());
    else this.timer ??= setTimeout(() => this.flush(), this.opts.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    if (!this.parts.length) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.sink(text);
    if (this.paused) {
      this.paused = false;
      this.source?.resume();
    }
  }

  dispose(): void {
    this.flush();
    this.source = undefined;
  }
}
