// Follows one container's logs for a terminal: exact streams, stderr in red, and it survives
// restarts: on exit it writes a marker and waits for the next start, then resumes after the last
// line it showed (by timestamp), so nothing is shown twice and nothing is skipped.
import type { EngineClient, EventSubscription } from '../contract/client';
import type { EngineFailure } from '../contract/errors';
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
  /** The engine stopped answering (killed, restarting): the follower resumes when it answers. */
  lost?(message: string): string;
  /** A new run began while the follower could not see the last one end (the engine was away). */
  restarted?(at: Date): string;
}

/** Past this many characters an unfinished TTY line is shown as it is, not held for its newline. */
const LINE_BOUND = 64 * 1024;
/**
 * How long one ask (inspect, opening the logs or the event watch) may go unanswered before it
 * counts as a drop: an engine that accepted the connection and then froze or died mid-start
 * would otherwise hold the follower forever.
 */
const ASK_DEADLINE_MS = 10_000;
const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/**
 * Events from just before the exit (engine clock, so no skew): the engine replays what came since,
 * a start or destroy that landed before the watch was in place included. Before the exit, not
 * at it: the stamp is cut to the millisecond; the run's own start is long before.
 */
function eventsSince(finishedAt: string | undefined): number | undefined {
  const ms = finishedAt ? Date.parse(finishedAt) : NaN;
  return Number.isFinite(ms) ? (ms - 1) * 1e6 : undefined;
}

export class LogFollower {
  /**
   * The last timestamp shown, per stream, as the engine wrote it: the engine copies stdout and
   * stderr separately, so timestamps are ordered within a stream but not across the two. The
   * engine writes each instant one way (RFC 3339, trailing zeros of the fraction cut), so equal
   * stamps are equal text; ordering them needs comparableTimestamp, done only on resumption.
   */
  private readonly last: Partial<Record<LogSource, string>> = {};
  /** How many messages shown carry that last timestamp. */
  private readonly sameStamp: Record<LogSource, number> = { stdout: 0, stderr: 0 };
  private abort: AbortController | undefined;
  private watch: EventSubscription | undefined;
  private closed = false;
  /** The finish time of the exit last reported. */
  private exitSaid: string | undefined;
  /** The start time of the run being shown. */
  private runStarted: string | undefined;
  /** A run that began unseen: its marker goes before the first line it wrote. */
  private unseenRestart: { after: string; at: Date } | undefined;
  /** Where a resumption starts when no line has been seen yet. */
  private openedSince: string | undefined;
  readonly writer: CoalescingWriter;
  /** Per stream: a line was begun and not ended yet. */
  private readonly unended: Record<LogSource, boolean> = { stdout: false, stderr: false };
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
    return this.guard(this.open(true));
  }

  /**
   * Every step runs detached (after a drop, from an event), so none may end in a rejection: an
   * unexpected one is said in the terminal instead of leaving it silent for good.
   */
  private guard(step: Promise<void>): Promise<void> {
    return step.catch((err: unknown) => {
      if (!this.closed) this.say(this.messages.failed(err instanceof Error ? err.message : String(err)));
    });
  }

  private async open(first: boolean): Promise<void> {
    if (this.closed) return;
    let state;
    try {
      state = await this.client.containerState(this.id, AbortSignal.timeout(ASK_DEADLINE_MS));
    } catch {
      // The engine went away again between two asks (quick successive restarts): a drop like any other.
      return this.ended();
    }
    if (this.closed) return;
    if (!state) return this.say(this.messages.removed());
    if (state.startedAt && state.startedAt !== this.runStarted) {
      // The run this follower showed ended while it could not see (no exit was reported for it).
      // Its marker goes after the last line stamped before the old run finished: the new run's first
      // line can carry a stamp from before the engine recorded its start.
      if (this.runStarted && state.finishedAt !== this.exitSaid) this.unseenRestart = { after: comparableTimestamp(state.finishedAt ?? state.startedAt), at: new Date(state.startedAt) };
      this.runStarted = state.startedAt;
    }
    const abort = new AbortController();
    this.abort = abort;
    if (first) this.openedSince = String(Math.floor(Date.now() / 1000));
    let stream: NodeJS.ReadableStream;
    // Only the wait for the stream's headers is bounded: a quiet log stream may stay silent for hours.
    const deadline = setTimeout(() => abort.abort(), ASK_DEADLINE_MS);
    try {
      stream = await this.client.logs(
        this.id,
        { follow: true, timestamps: true, tail: first && !this.opts.since ? this.opts.tail : 'all', since: this.resumeFrom() ?? (first ? this.opts.since : this.openedSince) },
        abort.signal,
      );
    } catch (err) {
      if (this.closed) return;
      if (abort.signal.aborted) return this.ended();
      // No HTTP answer (the connection dropped before the headers): a drop like any other, not
      // the engine refusing these logs (issue 14: the follow used to stop here for good).
      if ((err as EngineFailure).statusCode === undefined) return this.ended();
      return this.say(this.messages.failed((err as Error).message));
    } finally {
      clearTimeout(deadline);
    }
    if (this.closed) {
      (stream as unknown as { destroy?: () => void }).destroy?.();
      return;
    }
    // Without a TTY every frame is one message with its own stamp; a TTY's stream has no frames,
    // so its stamps are read at line starts.
    const demux = new LogDemuxer(state.tty, !state.tty);
    const lines = new LineSplitter();
    this.writer.attach(stream as unknown as { pause(): void; resume(): void });
    // `since` is inclusive, and messages can share a stamp (the 16 KB pieces of one long line all
    // carry the line's): a resumed stream skips what is older than the last message shown, and as
    // many messages stamped like it as were shown.
    // Per message, on a flood of a million lines: no regular expression, no padding, until the
    // stream is past where it resumed (stamps only grow within a stream).
    const resumeKey = { ...this.last };
    const skipEqual = { ...this.sameStamp };
    const fresh = (source: LogSource, ts: string | undefined) => {
      if (!ts) return true;
      const last = resumeKey[source];
      if (last) {
        const key = comparableTimestamp(ts);
        const from = comparableTimestamp(last);
        if (key < from) return false;
        if (key === from && skipEqual[source] > 0) {
          skipEqual[source]--;
          return false;
        }
        if (key > from) resumeKey[source] = undefined;
      }
      if (ts === this.last[source]) this.sameStamp[source]++;
      else {
        this.last[source] = ts;
        this.sameStamp[source] = 1;
      }
      return true;
    };
    const emit = (source: LogSource, line: string) => {
      const [ts, text] = splitTimestamp(line);
      if (!fresh(source, ts)) return;
      this.markRestart(ts);
      this.show(source, ts, text, true);
    };
    const message = (source: LogSource, ts: string, text: string) => {
      if (!fresh(source, ts)) return;
      this.markRestart(ts);
      // Nearly every message is one whole line.
      const nl = text.indexOf('\n');
      if (nl === text.length - 1) return this.show(source, ts, text.charCodeAt(nl - 1) === 13 ? text.slice(0, nl - 1) : text.slice(0, nl), true);
      const parts = text.split('\n');
      const rest = parts.pop() ?? '';
      for (const part of parts) this.show(source, ts, part.replace(/\r$/, ''), true);
      if (rest) this.show(source, ts, rest, false);
    };
    await new Promise<void>((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        for (const t of demux.push(chunk)) {
          if (t.ts !== undefined) message(t.source, t.ts, t.text);
          else {
            for (const line of lines.push(t)) emit(t.source, line.replace(/\r$/, ''));
            // A TTY line without a newline is shown in pieces past the bound, not held whole.
            const long = lines.takeLong(t.source, LINE_BOUND);
            if (long) this.show(t.source, undefined, long, false);
          }
        }
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

  /**
   * Writes (part of) a line. A line left open (no newline yet: a long line's 16 KB pieces, or a
   * last line without one) continues with the next text of its stream, without a second prefix.
   */
  private show(source: LogSource, ts: string | undefined, text: string, ends: boolean): void {
    const start = !this.unended[source];
    this.unended[source] = !ends;
    const head = start ? `${this.opts.prefix ?? ''}${this.opts.timestamps && ts ? `${DIM}${ts}${RESET} ` : ''}` : '';
    if (start) this.delivered[source]++;
    const tail = ends ? '\r\n' : '';
    this.writer.write(source === 'stderr' ? `${head}${RED}${text}${RESET}${tail}` : `${head}${text}${tail}`);
  }

  /** Says a restart the follower did not see, before the first line of the new run. */
  private markRestart(ts: string | undefined): void {
    const r = this.unseenRestart;
    // Checked first: this runs for every message.
    if (!r || !ts || comparableTimestamp(ts) <= r.after) return;
    this.unseenRestart = undefined;
    if (this.messages.restarted) this.say(this.messages.restarted(r.at));
  }

  /** Ends lines left open, before a marker line. */
  private endOpenLines(): void {
    for (const source of ['stdout', 'stderr'] as const) {
      if (this.unended[source]) this.writer.write('\r\n');
      this.unended[source] = false;
    }
  }

  /** Resume from the earlier of the two streams' last lines; the later one's repeats are skipped. */
  private resumeFrom(): string | undefined {
    const stamps = [this.last.stdout, this.last.stderr].filter((x): x is string => !!x).map(comparableTimestamp).sort();
    return stamps.length ? sinceFromTimestamp(stamps[0]) : undefined;
  }

  /** The stream ended: the container stopped, was removed, or the connection dropped. */
  private async ended(lostSaid = false): Promise<void> {
    let state;
    try {
      state = await this.client.containerState(this.id, AbortSignal.timeout(ASK_DEADLINE_MS));
    } catch (err) {
      // The engine is gone, not the container: say so once, and ask again until it answers, then
      // resume after the last line shown. Not "removed", which would end the terminal's follow.
      if (this.closed) return;
      if (!lostSaid) this.say((this.messages.lost ?? this.messages.failed)((err as Error).message));
      await new Promise((r) => setTimeout(r, 500));
      return this.ended(true);
    }
    if (this.closed) return;
    if (!state) return this.say(this.messages.removed());
    if (state.running) {
      // The stream dropped under a running container: reopen, after a pause so a flapping
      // connection cannot spin.
      await new Promise((r) => setTimeout(r, 250));
      return this.open(false);
    }
    // A container that never ran (just created) has no exit to report; it is simply waited for.
    // Once per exit: asking again after a failed watch must not repeat it.
    if (state.finishedAt && state.finishedAt !== this.exitSaid) {
      this.exitSaid = state.finishedAt;
      this.say(this.messages.exited(state.exitCode, new Date(state.finishedAt)));
    }
    // Wait for the next start (or the removal) without polling: the engine's events for this container.
    // The first of the event, the re-check below and the watch's end wins, once: two would follow twice.
    let settled = false;
    const settle = (): boolean => {
      if (settled || this.closed) return false;
      settled = true;
      const w = this.watch;
      this.watch = undefined;
      w?.close();
      return true;
    };
    const watch = await this.client
      .events(
        eventsSince(state.finishedAt),
        (e) => {
          if (e.action === 'start' && settle()) void this.guard(this.open(false));
          else if (e.action === 'destroy' && settle()) this.say(this.messages.removed());
        },
        { type: ['container'], container: [this.id], event: ['start', 'destroy'] },
      )
      .catch(() => undefined);
    if (!watch) {
      // The engine went away between the inspect and the subscription: wait for it as for a drop.
      if (this.closed) return;
      await new Promise((r) => setTimeout(r, 500));
      return this.ended(true);
    }
    if (settled || this.closed) return watch.close();
    this.watch = watch;
    // The watch dies with the engine (killed, restarted): nothing would ever start the follow
    // again, so a watch that ends on its own goes back to asking, like a dropped log stream.
    void watch.ended.then(() => {
      if (this.watch === watch && settle()) void this.guard(this.ended());
    });
    // It may have started, or been removed (a force-remove sends its destroy a few milliseconds
    // after the die that ended the stream), between the inspect and the subscription.
    const again = await this.client.containerState(this.id, AbortSignal.timeout(ASK_DEADLINE_MS)).then(
      (s) => ({ s }),
      () => undefined, // no answer: the watch ends with the engine, and that path asks again
    );
    if (!again) return;
    if (!again.s) {
      if (settle()) this.say(this.messages.removed());
    } else if ((again.s.running || again.s.startedAt !== state.startedAt) && settle()) void this.guard(this.open(false));
  }

  private say(line: string): void {
    this.endOpenLines();
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
