// The engine's log stream, exactly: for a container without a TTY, frames of
// [stream, 0, 0, 0, size (uint32 BE)] + payload, demultiplexed however the bytes are chunked; one
// UTF-8 decoder per stream, so a character split across chunks or frames comes out whole.
import { StringDecoder } from 'string_decoder';

export type LogSource = 'stdout' | 'stderr';

export interface LogText {
  source: LogSource;
  text: string;
  /** With `stamped`: the timestamp the engine put before this frame's message. */
  ts?: string;
}

const HEADER = 8;
const STAMP = /^\d{4}-\d\d-\d\dT[\d:.]+Z$/;

export class LogDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };

  /**
   * `raw`: a TTY container's stream, which has no frames. `stamped`: logs asked with timestamps,
   * where the engine puts one before every message (frame), not every line: a line longer than
   * the logger's 16 KB buffer comes as several messages, each stamped. The stamp is taken off
   * each frame here, as bytes, so it never lands inside a line or splits a character.
   */
  constructor(
    private readonly raw = false,
    private readonly stamped = false,
  ) {}

  push(chunk: Buffer): LogText[] {
    if (this.raw) {
      const text = this.decoders.stdout.write(chunk);
      return text ? [{ source: 'stdout', text }] : [];
    }
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: LogText[] = [];
    let at = 0;
    while (buf.length - at >= HEADER) {
      const size = buf.readUInt32BE(at + 4);
      if (buf.length - at - HEADER < size) break;
      // 1 stdout, 2 stderr; 0 (stdin) is never sent for logs: treat it as stdout.
      const source: LogSource = buf[at] === 2 ? 'stderr' : 'stdout';
      const start = at + HEADER;
      const end = start + size;
      if (this.stamped) {
        // Once per message of a million-line flood: no Buffer made for the stamp.
        const space = buf.indexOf(0x20, start);
        const ts = space > start && space < Math.min(end, start + 40) ? buf.toString('latin1', start, space) : '';
        if (STAMP.test(ts)) {
          const text = this.decoders[source].write(buf.subarray(space + 1, end));
          out.push({ source, text, ts });
          at = end;
          continue;
        }
      }
      const text = this.decoders[source].write(buf.subarray(start, end));
      if (text) {
        const last = out[out.length - 1];
        if (last && last.source === source && last.ts === undefined) last.text += text;
        else out.push({ source, text });
      }
      at += HEADER + size;
    }
    this.pending = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
    return out;
  }

  /** Flushes an incomplete trailing character (at the end of the stream). */
  end(): LogText[] {
    return (['stdout', 'stderr'] as const).map((source) => ({ source, text: this.decoders[source].end() })).filter((t) => t.text);
  }
}

/**
 * Splits text into complete lines per source, keeping an unfinished line for the next chunk, so a
 * timestamp prefix is always at a line's start.
 */
export class LineSplitter {
  private partial: Record<LogSource, string> = { stdout: '', stderr: '' };

  push(t: LogText): string[] {
    const text = this.partial[t.source] + t.text;
    const lines = text.split('\n');
    this.partial[t.source] = lines.pop() ?? '';
    return lines;
  }

  /** The unfinished line of `source` once longer than `bound`, taken out so it is not held whole. */
  takeLong(source: LogSource, bound: number): string | undefined {
    if (this.partial[source].length <= bound) return undefined;
    return this.flush(source);
  }

  flush(source: LogSource): string | undefined {
    const rest = this.partial[source];
    this.partial[source] = '';
    return rest || undefined;
  }
}

/** "2026-11-28T14:02:11.123456789Z line" -> [timestamp, line]. */
export function splitTimestamp(line: string): [string | undefined, string] {
  const space = line.indexOf(' ');
  if (space > 0 && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(line.slice(0, space))) return [line.slice(0, space), line.slice(space + 1)];
  return [undefined, line];
}

/** RFC 3339 with nanoseconds to the engine's `since` form ("seconds.nanoseconds"). */
export function sinceFromTimestamp(ts: string): string {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(ts);
  if (!m) return '0';
  const seconds = Math.floor(Date.parse(`${m[1]}Z`) / 1000);
  return `${seconds}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}`;
}

/** Timestamps compare as text once the fraction has all nine digits. */
export function comparableTimestamp(ts: string): string {
  return ts.replace(/(?:\.(\d+))?Z$/, (_m, frac: string | undefined) => `.${(frac ?? '').padEnd(9, '0')}Z`);
}

/** "5m", "1h", "today", "all" or seconds since the epoch, to the engine's `since`. */
export function sinceValue(since: string | undefined, now = new Date()): string | undefined {
  if (!since || since === 'all') return undefined;
  const m = /^(\d+)([smhd])$/.exec(since);
  if (m) return String(Math.floor(now.getTime() / 1000) - Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd']);
  if (since === 'today') return String(Math.floor(new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime() / 1000));
  return since;
}
