// Follows one container's logs for a terminal: exact streams, stderr in red, and it survives
// restarts: on exit it writes a marker and waits for the next start, then resumes after the last
// line it showed (by timestamp), so nothing is shown twice and nothing is skipped.
import type { EngineClient, EventSubscription } from '../contract/client';
import { CoalescingWriter } from './coalescer';
import { comparableTimestamp, LineSplitter, LogDemuxer, sinceFromTimestamp, splitTimestamp, type LogSource } from './logStream';

export interface FollowOptions {
  /** Lines to show at first; later resumptions show everything new. */
  tail: number | 'all';
  since?: string;
  timestamps: boolean;
  /** Put before every line (a Compose service's coloured name). */
  prefix?: string;
}

export interface FollowMessages {
  exited(code: number, at: Date | undefined): string;
  removed(): string;
  failed(message: string): string;
}

const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export class LogFollower {
  /**
   * The last timestamp shown, per stream: the engine copies stdout and stderr separately, so
   * timestamps are ordered within a stream but not across the two.
   */
  private readonly last: Partial<Record<LogSource, string>> = {};
  private abort: AbortController | undefined;
  private watch: EventSubscription | undefined;
  private closed = false;
  /** Where a resumption starts when no line has been seen yet. */
  private openedSince: string | undefined;
  readonly writer: CoalescingWriter;
  /** Lines delivered per source (tests and the benchmark). */
  readonly delivered: Record<LogSource, number> = { stdout: 0, stderr: 0 };

  constructor(
    private readonly client: EngineClient,
    private readonly id: string,
    private readonly opts: FollowOptions,
    write: (text: string) => void,
    private readonly messages: FollowMessages,
  ) {
    this.writer = new CoalescingWriter(write);
  }

  start(): Promise<void> {
    return this.open(true);
  }

  private async open(first: boolean): Promise<void> {
    if (this.closed) return;
    const state = await this.client.containerState(this.id);
    if (!state) return this.say(this.messages.removed());
    const abort = new AbortController();
    this.abort = abort;
    if (first) this.openedSince = String(Math.floor(Date.now() / 1000));
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.client.logs(
        this.id,
        { follow: true, timestamps: true, tail: first && !this.opts.since ? this.opts.tail : 'all', since: this.resumeFrom() ?? (first ? this.opts.since : this.openedSince) },
        abort.signal,
      );
    } catch (err) {
      return this.say(this.messages.failed((err as Error).message));
    }
    const demux = new LogDemuxer(state.tty);
    const lines = new LineSplitter();
    this.writer.attach(stream as unknown as { pause(): void; resume(): void });
    const emit = (source: LogSource, line: string) => {
      const [ts, text] = splitTimestamp(line);
      if (ts) {
        const key = comparableTimestamp(ts);
        // `since` is inclusive: lines at or before the last one shown were shown already.
        const last = this.last[source];
        if (last && key <= last) return;
        this.last[source] = key;
      }
      this.delivered[source]++;
      const shown = `${this.opts.prefix ?? ''}${this.opts.timestamps && ts ? `${DIM}${ts}${RESET} ${text}` : text}`;
      this.writer.write(source === 'stderr' ? `${RED}${shown}${RESET}\r\n` : `${shown}\r\n`);
    };
    await new Promise<void>((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        for (const t of demux.push(chunk)) for (const line of lines.push(t)) emit(t.source, line.replace(/\r$/, ''));
      });
      const done = () => {
        for (const t of demux.end()) for (const line of lines.push(t)) emit(t.source, line);
        for (const source of ['stdout', 'stderr'] as const) {
          const rest = lines.flush(source);
          if (rest) emit(source, rest);
        }
        resolve();
      };
      stream.on('end', done);
      stream.on('close', done);
      stream.on('error', done);
    });
    this.writer.flush();
    if (this.closed || abort.signal.aborted) return;
    await this.ended();
  }

  /** Resume from the earlier of the two streams' last lines; the later one's repeats are skipped. */
  private resumeFrom(): string | undefined {
    const stamps = [this.last.stdout, this.last.stderr].filter((x): x is string => !!x).sort();
    return stamps.length ? sinceFromTimestamp(stamps[0]) : undefined;
  }

  /** The stream ended: the container stopped, was removed, or the connection dropped. */
  private async ended(): Promise<void> {
    const state = await this.client.containerState(this.id).catch(() => undefined);
    if (this.closed) return;
    if (!state) return this.say(this.messages.removed());
    if (state.running) {
      // The stream dropped under a running container: reopen, after a pause so a flapping
      // connection cannot spin.
      await new Promise((r) => setTimeout(r, 250));
      return this.open(false);
    }
    // A container that never ran (just created) has no exit to report; it is simply waited for.
    if (state.finishedAt) this.say(this.messages.exited(state.exitCode, new Date(state.finishedAt)));
    // Wait for the next start (or the removal) without polling: the engine's events for this container.
    this.watch = await this.client
      .events(
        undefined,
        (e) => {
          if (e.action === 'start') {
            this.watch?.close();
            this.watch = undefined;
            void this.open(false);
          } else if (e.action === 'destroy') {
            this.watch?.close();
            this.watch = undefined;
            this.say(this.messages.removed());
          }
        },
        { type: ['container'], container: [this.id], event: ['start', 'destroy'] },
      )
      .catch(() => undefined);
    // It may have started between the inspect and the subscription.
    const again = await this.client.containerState(this.id).catch(() => undefined);
    if (again?.running && this.watch) {
      this.watch.close();
      this.watch = undefined;
      void this.open(false);
    }
  }

  private say(line: string): void {
    this.writer.write(`${this.opts.prefix ?? ''}${DIM}${line}${RESET}\r\n`);
    this.writer.flush();
  }

  close(): void {
    this.closed = true;
    this.abort?.abort();
    this.watch?.close();
    this.writer.dispose();
  }
}
