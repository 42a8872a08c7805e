import { strict as assert } from 'assert';
import { CoalescingWriter } from '../../src/model/coalescer';
import { comparableTimestamp, LineSplitter, LogDemuxer, sinceFromTimestamp, sinceValue, splitTimestamp, type LogText } from '../../src/model/logStream';

const frame = (stream: 1 | 2, payload: Buffer | string) => {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
};

/** Feeds `bytes` cut at every given offset and joins what comes out per source. */
function feed(demux: LogDemuxer, bytes: Buffer, cuts: number[]): LogText[] {
  const out: LogText[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...demux.push(bytes.subarray(at, cut)));
    at = cut;
  }
  out.push(...demux.end());
  return out;
}

const joined = (texts: LogText[], source: 'stdout' | 'stderr') =>
  texts
    .filter((t) => t.source === source)
    .map((t) => t.text)
    .join('');

describe('log demultiplexing', () => {
  const bytes = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err é\n'), frame(1, ''), frame(1, 'out 2 → ✓\n'), frame(2, 'err 2\n')]);

  it('splits frames exactly, whatever the chunking, including headers split in two', () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      const out = feed(new LogDemuxer(), bytes, [cut]);
      assert.equal(joined(out, 'stdout'), 'out 1\nout 2 → ✓\n', `cut at ${cut}`);
      assert.equal(joined(out, 'stderr'), 'err é\nerr 2\n', `cut at ${cut}`);
    }
    const byteByByte = feed(new LogDemuxer(), bytes, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1));
    assert.equal(joined(byteByByte, 'stdout'), 'out 1\nout 2 → ✓\n');
  });

  it('keeps a multi-byte character whole when it is split across frames of one stream', () => {
    const check = Buffer.from('✓'); // 3 bytes
    const split = Buffer.concat([frame(1, check.subarray(0, 1)), frame(2, 'x'), frame(1, check.subarray(1))]);
    const out = feed(new LogDemuxer(), split, []);
    assert.equal(joined(out, 'stdout'), '✓');
    assert.equal(joined(out, 'stderr'), 'x');
  });

  it('passes a TTY stream raw, decoding split characters once', () => {
    const raw = Buffer.from('a → b\r\n');
    const out = feed(new LogDemuxer(true), raw, [3, 4]);
    assert.equal(joined(out, 'stdout'), 'a → b\r\n');
  });

  it('splits lines per stream and keeps the unfinished one', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push({ source: 'stdout', text: 'a\nb' }), ['a']);
    assert.deepEqual(s.push({ source: 'stderr', text: 'x\n' }), ['x']);
    assert.deepEqual(s.push({ source: 'stdout', text: 'c\n' }), ['bc']);
    assert.equal(s.flush('stdout'), undefined);
  });

  it('takes each frame’s stamp off as bytes, so a long line’s pieces join without stamps or broken characters', () => {
    // A 16 KB piece of a long line can end inside a character; the next piece starts with its stamp.
    const ts = '2026-11-28T08:56:26.042537260Z';
    const e = Buffer.from('é');
    const bytes = Buffer.concat([frame(1, Buffer.concat([Buffer.from(`${ts} ab`), e.subarray(0, 1)])), frame(1, Buffer.concat([Buffer.from(`${ts} `), e.subarray(1), Buffer.from('c\n')]))]);
    for (const cut of [0, 5, 9, 40, 45]) {
      const out = feed(new LogDemuxer(false, true), bytes, cut ? [cut] : []);
      assert.equal(joined(out, 'stdout'), 'abéc\n');
      assert.deepEqual(out.filter((t) => t.ts).map((t) => t.ts), [ts, ts], 'one stamp per frame, kept apart');
    }
  });

  it('takes a stamp only from the start of a frame, where it ends in Z before the first space', () => {
    const late = `${'x'.repeat(50)} 2026-11-28T08:56:26Z\n`;
    const bytes = Buffer.concat([frame(1, 'no stamp here\n'), frame(2, late), frame(1, '2026-11-28T08:56:26.5Z one\n'), frame(2, '2026-11-28T08:56:26Z'), frame(1, '2026-11-28T08:56:26Z \n')]);
    assert.deepEqual(new LogDemuxer(false, true).push(bytes), [
      { source: 'stdout', text: 'no stamp here\n' },
      { source: 'stderr', text: late },
      { source: 'stdout', text: 'one\n', ts: '2026-11-28T08:56:26.5Z' },
      { source: 'stderr', text: '2026-11-28T08:56:26Z' },
      { source: 'stdout', text: '\n', ts: '2026-11-28T08:56:26Z' },
    ]);
  });

  it('gives up an unfinished line once it passes the bound', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push({ source: 'stdout', text: 'x'.repeat(10) }), []);
    assert.equal(s.takeLong('stdout', 16), undefined);
    s.push({ source: 'stdout', text: 'y'.repeat(10) });
    assert.equal(s.takeLong('stdout', 16), `${'x'.repeat(10)}${'y'.repeat(10)}`);
    assert.equal(s.flush('stdout'), undefined);
  });
});

describe('log timestamps', () => {
  it('splits the timestamp off, converts it to since, and compares nanosecond fractions of any length', () => {
    assert.deepEqual(splitTimestamp('2026-11-28T14:02:11.5Z hello world'), ['2026-11-28T14:02:11.5Z', 'hello world']);
    assert.deepEqual(splitTimestamp('no timestamp here'), [undefined, 'no timestamp here']);
    assert.equal(sinceFromTimestamp('2026-11-28T14:02:11.5Z'), `${Date.UTC(2026, 10, 28, 14, 2, 11) / 1000}.500000000`);
    assert.ok(comparableTimestamp('2026-11-28T14:02:11.5Z') > comparableTimestamp('2026-11-28T14:02:11.123456789Z'));
    assert.ok(comparableTimestamp('2026-11-28T14:02:11Z') < comparableTimestamp('2026-11-28T14:02:11.000000001Z'));
  });
});

describe('coalesced writes', () => {
  it('batches small writes and pauses the source above the high-water mark until flushed', async () => {
    const sunk: string[] = [];
    const events: string[] = [];
    const w = new CoalescingWriter((t) => sunk.push(t), { intervalMs: 5, flushAt: 100, highWater: 50 });
    w.attach({ pause: () => events.push('pause'), resume: () => events.push('resume') });
    for (let i = 0; i < 10; i++) w.write('ab');
    assert.deepEqual(sunk, [], 'nothing written synchronously');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(sunk, ['ab'.repeat(10)], 'one write for ten');
    w.write('x'.repeat(60));
    assert.deepEqual(events, ['pause']);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(events, ['pause', 'resume']);
    assert.equal(sunk.length, 2);
  });
});

describe('log since choices', () => {
  it('turns 5m, 1h, today and all into the engine’s since', () => {
    const now = new Date(2026, 10, 28, 14, 30, 0);
    const secs = Math.floor(now.getTime() / 1000);
    assert.equal(sinceValue('5m', now), String(secs - 300));
    assert.equal(sinceValue('1h', now), String(secs - 3600));
    assert.equal(sinceValue('today', now), String(Math.floor(new Date(2026, 10, 28).getTime() / 1000)));
    assert.equal(sinceValue('all', now), undefined);
    assert.equal(sinceValue(undefined, now), undefined);
    assert.equal(sinceValue('1700000000', now), '1700000000');
  });
});
