import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { EngineStats } from '../../src/contract/stats';
import { align, groupsOf, JOIN_SECONDS, joined, sortRows, sumSeries, tableRows, timeAxis, type PlotTrack } from '../../src/model/resourceUsage/aggregate';
import { memoryUsed, toPoint, toReading, type UsagePoint } from '../../src/model/resourceUsage/figures';
import { UsageHistory } from '../../src/model/resourceUsage/history';
import { Ring } from '../../src/model/resourceUsage/ring';
import { rowUsageText } from '../../src/model/resourceUsage/format';

// Recorded from this machine's engine (cgroup v1, 2 CPUs: a busy loop pinging a neighbour), and
// written from the Engine API's cgroup v2 shape (inactive_file, lower-case ops, two interfaces).
const fixture = (name: string): EngineStats[] => JSON.parse(fs.readFileSync(path.join(__dirname, '../../../test/unit/fixtures', name), 'utf8')) as EngineStats[];
const v1 = fixture('stats-cgroup1.json');
const v2 = fixture('stats-cgroup2.json');

/** docker stats' CPU formula, written out from the answer's raw fields. */
function formulaCpu(s: EngineStats): number {
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const sysDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  return (cpuDelta / sysDelta) * (s.cpu_stats.online_cpus ?? 0) * 100;
}

describe('resource usage figures, as docker stats computes them', () => {
  it('cgroup v1 (recorded): CPU from the deltas times online CPUs, memory less total_inactive_file, network summed as rates', () => {
    const [a, b] = v1;
    const ra = toReading(a);
    const rb = toReading(b);
    assert.ok(Math.abs((rb.cpuPercent ?? NaN) - formulaCpu(b)) < 1e-9);
    assert.ok(rb.cpuPercent! > 90, `a busy loop on 2 CPUs reads about 100 %, got ${rb.cpuPercent}`);
    assert.equal(rb.onlineCpus, 2);
    assert.equal(rb.memoryUsed, b.memory_stats.usage! - b.memory_stats.stats!.total_inactive_file);
    const p = toPoint(rb, ra);
    const seconds = (Date.parse(b.read) - Date.parse(a.read)) / 1000;
    assert.ok(Math.abs(p.rx! - (b.networks!.eth0.rx_bytes - a.networks!.eth0.rx_bytes) / seconds) < 1e-6);
    assert.ok(p.rx! > 0 && p.tx! > 0);
    assert.equal(p.read, 0);
    assert.equal(p.t, Math.round(Date.parse(b.read) / 1000));
  });

  it('cgroup v1 reads total_inactive_file even where inactive_file differs', () => {
    const mem = { usage: 10_000, stats: { total_inactive_file: 3000, inactive_file: 1000 } };
    assert.equal(memoryUsed(mem), 7000);
    // Above the usage (a race in the kernel's counters): the usage as it is, as the CLI does.
    assert.equal(memoryUsed({ usage: 10_000, stats: { total_inactive_file: 20_000 } }), 10_000);
  });

  it('cgroup v2 (from the API docs): memory less inactive_file, network over both interfaces, block I/O by read and write', () => {
    const [a, b] = v2;
    const rb = toReading(b);
    assert.equal(rb.cpuPercent, formulaCpu(b));
    assert.equal(rb.cpuPercent, 100); // 1 s of CPU over 4 s of system time on 4 CPUs
    assert.equal(rb.memoryUsed, 7585792 - 1658880);
    assert.equal(rb.rxBytes, 105338 + 54641);
    assert.equal(rb.txBytes, 20648 + 690);
    assert.equal(rb.readBytes, 9000000 + 1000000);
    assert.equal(rb.writeBytes, 2400000 + 600000);
    const p = toPoint(rb, toReading(a));
    assert.deepEqual([p.rx, p.tx, p.read, p.write, p.mem, p.memLimit], [150000, 20000, 2000000, 500000, 7585792 - 1658880, 8217579520]);
  });

  it('a one-shot answer (no precpu_stats) takes its CPU from the previous reading; the first has none', () => {
    const strip = (s: EngineStats): EngineStats => ({ ...s, precpu_stats: { cpu_usage: { total_usage: 0 } } });
    const ra = toReading(strip(v2[0]));
    const rb = toReading(strip(v2[1]));
    assert.equal(ra.cpuPercent, undefined);
    assert.equal(toPoint(ra, undefined).cpu, null);
    assert.equal(toPoint(ra, undefined).rx, null);
    assert.equal(toPoint(rb, ra).cpu, 100);
  });

  it('no rate across a counter that went back (a restart)', () => {
    const ra = toReading(v2[1]);
    const rb = { ...toReading(v2[1]), time: ra.time + 1000, rxBytes: 10 };
    assert.equal(toPoint(rb, ra).rx, null);
  });
});

describe('resource usage ring buffer', () => {
  it('keeps the newest entries in order and drops from the oldest', () => {
    const r = new Ring<number>(3);
    for (const n of [1, 2, 3, 4, 5]) r.push(n);
    assert.deepEqual(r.toArray(), [3, 4, 5]);
    assert.equal(r.last(), 5);
    r.replaceLast(6);
    r.dropWhile((n) => n < 4);
    assert.deepEqual(r.toArray(), [4, 6]);
    r.push(7);
    r.push(8);
    assert.deepEqual(r.toArray(), [6, 7, 8]);
  });
});

/** An answer at `t` seconds with these counters (CPU: ms of container time per 1 s on 1 CPU). */
function answer(t: number, cpuMs: number, mem: number, rx = 0): EngineStats {
  return {
    read: new Date(t * 1000).toISOString(),
    cpu_stats: { cpu_usage: { total_usage: cpuMs * 1e6 }, system_cpu_usage: t * 1e9, online_cpus: 1 },
    memory_stats: { usage: mem, limit: 1e9, stats: { inactive_file: 0 } },
    networks: { eth0: { rx_bytes: rx, tx_bytes: 0 } },
  };
}

describe('resource usage history', () => {
  const meta = { id: 'a', name: 'web-1', project: 'shop', service: 'web' };

  it('keeps ten minutes per container, whatever ran before', () => {
    const h = new UsageHistory(600);
    for (let t = 1000; t < 2000; t++) h.record(meta, answer(t, (t - 1000) * 500, 100));
    const pts = h.snapshot('a')!.points;
    assert.equal(pts.length, 601);
    assert.equal(pts[0].t, 1399);
    assert.equal(pts[pts.length - 1].t, 1999);
    assert.equal(pts[pts.length - 1].cpu, 50);
  });

  it('ends a series with a marker when stopped or removed, and resumes it with one', () => {
    const h = new UsageHistory();
    h.record(meta, answer(100, 0, 100));
    h.record(meta, answer(101, 200, 100));
    assert.equal(h.latest('a')?.cpu, 20);
    h.end('a', 'stopped', 102_000);
    assert.equal(h.latest('a'), undefined);
    h.end('a', 'stopped', 103_000); // a second stop is no new marker
    // After a restart the counters start again: no rate across them, CPU from the next pair.
    h.record(meta, answer(110, 0, 50));
    h.record(meta, answer(111, 100, 50));
    h.end('a', 'removed', 112_000);
    const s = h.snapshot('a')!;
    assert.deepEqual(s.markers, [
      { t: 102, kind: 'stopped', seq: 1 },
      { t: 110, kind: 'resumed', seq: 2 },
      { t: 112, kind: 'removed', seq: 3 },
    ]);
    assert.deepEqual(
      h.snapshot('a', 110, 2)!.points.map((p) => p.t),
      [111],
      'a panel gets only what it has not been sent',
    );
    assert.deepEqual(h.snapshot('a', 110, 2)!.markers, [{ t: 112, kind: 'removed', seq: 3 }]);
    assert.equal(s.live, false);
    assert.deepEqual(
      s.points.map((p) => p.cpu),
      [null, 20, null, 10],
    );
    const b = { ...meta, id: 'b' };
    h.record(b, answer(100, 0, 1));
    h.end('b', 'stopped', 101_000);
    h.end('b', 'removed', 102_000);
    assert.deepEqual(
      h.snapshot('b')!.markers.map((m) => m.kind),
      ['removed'],
      'docker rm -f: one marker where it stopped and went',
    );
    h.prune(2_000_000);
    assert.equal(h.snapshot('a'), undefined, 'a removed container goes once its points leave the window');
  });

  it('marks a container cut off by an engine outage, then what it found on return: stopped, removed or resumed', () => {
    const h = new UsageHistory();
    const m = (id: string) => ({ ...meta, id });
    for (const id of ['stops', 'goes', 'runs', 'idle']) {
      h.record(m(id), answer(100, 0, 1));
      h.record(m(id), answer(101, 100, 1));
    }
    h.end('idle', 'stopped', 101_500); // stopped before the outage: nothing more to mark
    for (const id of ['stops', 'goes', 'runs', 'idle']) h.end(id, 'unreachable', 102_000);
    assert.equal(h.isLive('runs'), false, 'no figures while the engine does not answer');
    // Back at 130: listed again, 'stops' exited (137) and 'idle' still exited; 'goes' not listed.
    h.end('stops', 'stopped', 130_000);
    h.end('idle', 'stopped', 130_000);
    h.endMissing((id) => id !== 'goes', 130_000);
    h.record(m('runs'), answer(131, 300, 1));
    const kinds = (id: string) => h.snapshot(id)!.markers.map((k) => `${k.kind}@${k.t}`);
    assert.deepEqual(kinds('stops'), ['unreachable@102', 'stopped@130']);
    assert.deepEqual(kinds('goes'), ['unreachable@102', 'removed@130']);
    assert.deepEqual(kinds('runs'), ['unreachable@102', 'resumed@131']);
    assert.deepEqual(kinds('idle'), ['stopped@102']);
    h.endMissing(() => false, 140_000);
    assert.deepEqual(kinds('stops'), ['unreachable@102', 'stopped@130'], 'only what the outage cut off is marked on return');
    h.clear();
    assert.deepEqual(h.ids(), [], 'another engine: nothing of the old one');
  });

  it('ignores a stale or repeated answer', () => {
    const h = new UsageHistory();
    assert.ok(h.record(meta, answer(100, 0, 1)));
    assert.equal(h.record(meta, answer(100, 0, 1)), undefined);
    assert.equal(h.record(meta, answer(99, 0, 1)), undefined);
  });
});

const pt = (t: number, cpu: number | null, mem: number | null = null): UsagePoint => ({ t, cpu, mem, memLimit: null, rx: null, tx: null, read: null, write: null });
const track = (id: string, project: string | undefined, service: string | undefined, points: UsagePoint[], live = true): PlotTrack => ({
  meta: { id, name: id, project, service },
  live,
  points,
  markers: [],
});

describe('resource usage per service and per project', () => {
  const web1 = track('web-1', 'shop', 'web', [pt(10, 10, 100), pt(11, 20, 100), pt(12, 30, 100)]);
  const web2 = track('web-2', 'shop', 'web', [pt(10, 1, 50), pt(12, 3, 50)]); // missed second 11
  const db = track('db-1', 'shop', 'db', [pt(11, 5, 500), pt(12, 5, 500)]);
  const lone = track('lone', undefined, undefined, [pt(12, 70, 1)]);
  const all = [web1, web2, db, lone];

  it('sums a project of two or more containers and a service of two or more replicas', () => {
    const groups = groupsOf(all.map((t) => t.meta));
    assert.deepEqual(
      groups.map((g) => [g.key, g.members]),
      [
        ['project:shop', ['web-1', 'web-2', 'db-1']],
        ['service:shop/web', ['web-1', 'web-2']],
      ],
    );
    const xs = timeAxis(all, 0);
    assert.deepEqual(xs, [10, 11, 12]);
    assert.deepEqual(align(xs, web2, 'cpu'), [1, undefined, 3], 'one second missed is no gap: a line across (undefined)');
    // web-2 missed second 11: its point at 10 stands in, so the sum does not dip.
    assert.deepEqual(sumSeries(xs, [web1, web2], 'cpu'), [11, 21, 33]);
    assert.deepEqual(sumSeries(xs, [web1, web2, db], 'mem'), [150, 650, 650]);
    assert.deepEqual(timeAxis(all, 11), [11, 12]);
  });

  it('joins late samples with a line, and leaves a gap where there is no data: too long, stopped, unreachable', () => {
    assert.equal(JOIN_SECONDS, 5, 'five times the one-second cadence');
    // Under load: samples 2 and 3 s apart (late) stay one line; 20 s without any is a gap.
    const late = track('late', undefined, undefined, [pt(100, 1), pt(102, 2), pt(105, 3), pt(125, 4), pt(126, 5)]);
    const steady = track('steady', undefined, undefined, [100, 101, 102, 103, 104, 105, 125, 126].map((t) => pt(t, 9)));
    const xs = timeAxis([late, steady], 0);
    assert.deepEqual(xs, [100, 101, 102, 103, 104, 105, 106, 125, 126], 'the second after the outage starts is on the axis, with no value');
    assert.deepEqual(align(xs, late, 'cpu'), [1, undefined, 2, undefined, undefined, 3, null, 4, 5]);
    assert.deepEqual(align(xs, steady, 'cpu'), [9, 9, 9, 9, 9, 9, null, 9, 9], 'an outage of every container is a gap, never a line');
    // Stopped and started again within a second or two: the marker breaks the line.
    const restarted = { ...track('r', undefined, undefined, [pt(100, 1), pt(101, 1), pt(103, 2)]), markers: [{ t: 102, kind: 'stopped' as const, seq: 1 }, { t: 103, kind: 'resumed' as const, seq: 2 }] };
    assert.equal(joined(101, 103, restarted.markers), false);
    assert.deepEqual(timeAxis([restarted], 0), [100, 101, 102, 103]);
    assert.deepEqual(align([100, 101, 102, 103], restarted, 'cpu'), [1, 1, null, 2]);
    const cut = { ...track('c', undefined, undefined, [pt(100, 1), pt(102, 2)]), markers: [{ t: 101, kind: 'unreachable' as const, seq: 1 }] };
    assert.deepEqual(align(timeAxis([cut], 0), cut, 'cpu'), [1, null, 2], 'the engine unreachable between two points');
    // The sum counts a late member with its value before; a member in a gap not at all.
    assert.deepEqual(sumSeries(xs, [late, steady], 'cpu'), [10, 10, 11, 11, 11, 12, null, 13, 14]);
  });

  it('puts the top consumer first in the table, by any figure, stopped containers last', () => {
    const stopped = track('old', 'shop', 'db', [pt(12, 99, 9999)], false);
    const tracks = [...all, stopped];
    const rows = tableRows(tracks, groupsOf(tracks.map((t) => t.meta)));
    assert.deepEqual(
      sortRows(rows, 'cpu').map((r) => [r.label, r.cpu]),
      [
        ['lone', 70],
        ['shop', 38],
        ['shop/web', 33],
        ['web-1', 30],
        ['db-1', 5],
        ['shop/db', 5],
        ['web-2', 3],
        ['old', null],
      ],
    );
    assert.equal(sortRows(rows, 'mem')[0].label, 'shop');
    assert.equal(sortRows(rows, 'label')[0].label, 'db-1');
  });
});

describe('resource usage text', () => {
  it("reads '12% · 85 MB' on a row, the French way in French", () => {
    const p = { ...pt(1, 12.4, 85_000_000) };
    assert.equal(rowUsageText(p, 'en'), '12% · 85\u00a0MB');
    assert.equal(rowUsageText(p, 'fr'), '12\u00a0% · 85\u00a0Mo');
    assert.equal(rowUsageText({ ...p, cpu: null }, 'en'), '– · 85\u00a0MB');
  });
});
