// Stream faults (issue 14): Save Logs on a running container and into a full or read-only folder,
// the /events stream cut at random byte offsets, a log stream cut and a 10 MB line without a
// newline. Cuts come from a pass-through on its own socket (test/support/cuttingProxy.ts).
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import type Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import type { EngineEvent } from '../../src/contract/records';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { LogFollower } from '../../src/model/logFollower';
import { saveLogs, SaveLogsError } from '../../src/model/logSave';
import { EngineSession } from '../../src/session/engineSession';
import { startCuttingProxy, type CuttingProxy } from '../support/cuttingProxy';
import { useEngineClient, useTestEngine } from '../support/engineHooks';
import { BASE_IMAGE, testLabels, uniqueName } from '../support/testEngine';
import { waitFor } from '../support/wait';

const engineSocket = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const messages = { exited: (code: number) => `-- exited ${code} --`, removed: () => '-- removed --', failed: (m: string) => `-- failed ${m} --` };

function mountTmpfs(options: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-test-mnt-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'berth-test', dir]);
  return dir;
}

function unmount(dir: string): void {
  execFileSync('umount', [dir]);
  fs.rmdirSync(dir);
}

async function running(docker: Docker, script: string, labels = testLabels()): Promise<Docker.Container> {
  const c = await docker.createContainer({ name: uniqueName('berth-test-fault'), Image: BASE_IMAGE, Cmd: ['sh', '-c', script], Labels: labels, StopTimeout: 1 });
  await c.start();
  return c;
}

describe('stream faults', function () {
  this.timeout(120_000);
  const t = useTestEngine();
  const berth = useEngineClient();
  const proxies: CuttingProxy[] = [];
  const proxy = async (cut: RegExp, budget: () => number) => {
    const p = await startCuttingProxy(path.join(os.tmpdir(), `berth-test-cut-${process.pid}-${proxies.length}.sock`), engineSocket, { cut, budget });
    proxies.push(p);
    return p;
  };
  afterEach(async () => {
    for (const p of proxies.splice(0)) await p.close();
  });

  it('saves every line of a running container that has stopped writing, and ends', async () => {
    const c = await running(t.docker, 'for i in $(seq 1 500); do echo "line $i"; done; echo err >&2; exec sleep 3600');
    await waitFor('the last line in the log', async () => ((await c.logs({ stdout: true, stderr: true, follow: false })).toString().includes('err') ? true : undefined));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-test-save-'));
    try {
      const file = path.join(dir, 'running.log');
      // Before issue 14 this never resolved: follow=1 with `until` does not end on Docker 20.10.
      await saveLogs(berth.client, c.id, { tty: false }, file);
      // stdout and stderr are copied apart by the engine: their lines interleave in any order.
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      assert.deepEqual(lines.filter((l) => l.startsWith('line ')), Array.from({ length: 500 }, (_, i) => `line ${i + 1}`));
      assert.deepEqual(lines.filter((l) => !l.startsWith('line ')), ['err', '']);
      assert.deepEqual(fs.readdirSync(dir), ['running.log'], 'no temporary file left');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the file and leaves nothing half-written when the disk is full or read-only', async () => {
    // 200 KB of log, into a 64 KB tmpfs already nearly full, and into a read-only tmpfs. Root
    // ignores folder modes, hence the mounts.
    const c = await running(t.docker, 'for i in $(seq 1 2000); do echo "line $i of a log that is longer than the disk it is saved to"; done; exec sleep 3600');
    await waitFor('the log written', async () => ((await c.logs({ stdout: true, follow: false, tail: 1 })).toString().includes('line 2000') ? true : undefined));
    const full = mountTmpfs('size=64k');
    const readOnly = mountTmpfs('ro,size=64k');
    try {
      const previous = path.join(full, 'saved.log');
      fs.writeFileSync(previous, 'the previous save\n');
      fs.writeFileSync(path.join(full, 'filler'), Buffer.alloc(40 * 1024, 1));
      const failure = async (file: string) => {
        const err = await saveLogs(berth.client, c.id, { tty: false }, file).then(
          () => assert.fail(`saving to ${file} succeeded`),
          (e: unknown) => e,
        );
        assert.ok(err instanceof SaveLogsError, String(err));
        assert.ok(err.message.includes(file), `the message names the file: ${err.message}`);
        assert.equal(err.partialLeft, undefined);
        return err;
      };
      const noSpace = await failure(previous);
      assert.equal(noSpace.reason, 'no-space', noSpace.message);
      assert.match(noSpace.message, /no space left/i);
      assert.equal(fs.readFileSync(previous, 'utf8'), 'the previous save\n', 'the file already there is untouched');
      assert.deepEqual(fs.readdirSync(full).sort(), ['filler', 'saved.log'], 'no partial file left');
      const roFile = path.join(readOnly, 'saved.log');
      const ro = await failure(roFile);
      assert.equal(ro.reason, 'read-only', ro.message);
      assert.match(ro.message, /read-only/i);
      assert.deepEqual(fs.readdirSync(readOnly), []);
    } finally {
      unmount(full);
      unmount(readOnly);
    }
  });

  it('loses no event and reports nothing when /events is cut mid-line 50 times', async () => {
    const testCase = uniqueName('events-cut');
    const labels = { ...testLabels(), 'berth.test.case': testCase };
    // Cut anywhere in the first 3 KB of each answer: in the headers, the chunk framing, or
    // inside an event's JSON (an event is about 400 bytes).
    const p = await proxy(/\/events\?/, () => Math.floor(Math.random() * 3000));
    // The truth: the same events straight from the engine.
    const truth: { id: string; action: string; timeNano: number }[] = [];
    const direct = (await t.docker.getEvents({ filters: JSON.stringify({ label: [`berth.test.case=${testCase}`], type: ['container'] }) })) as NodeJS.ReadableStream;
    let rest = '';
    direct.on('data', (b: Buffer) => {
      const lines = (rest + b.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l) truth.push((({ id, Action, timeNano }) => ({ id, action: Action, timeNano }))(JSON.parse(l)));
    });
    const log: string[] = [];
    const statuses: string[] = [];
    const s = new EngineSession({ resolve: () => resolveEndpoint({ setting: `unix://${p.socket}`, env: {} }), createClient: createEngineClient, pingTimeoutMs: 5000, log: (m) => log.push(m) });
    const seen: EngineEvent[] = [];
    s.onDidReceiveEvent((e) => seen.push(e));
    s.onDidChangeStatus((st) => statuses.push(st.state));
    s.setLive(true);
    try {
      await s.connect();
      assert.equal(s.status.state, 'ready');
      statuses.length = 0;
      const mine: Docker.Container[] = [];
      for (let round = 0; p.cuts < 50; round++) {
        const c = await t.docker.createContainer({ name: uniqueName('berth-test-cut'), Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: labels, StopTimeout: 1 });
        mine.push(c);
        await c.start();
        if (round % 3 !== 2) await c.stop({ t: 0 });
        if (round % 3 === 0) await c.remove({ force: true });
        assert.ok(round < 400, `only ${p.cuts} cuts after ${round} rounds`);
      }
      p.cutting = false;
      const key = (e: { id: string; action: string; timeNano: number }) => `${e.id} ${e.action} ${e.timeNano}`;
      const missing = () => {
        const got = new Set(seen.map(key));
        return truth.filter((e) => !got.has(key(e)));
      };
      await waitFor('every event the test caused, seen by the session', () => (truth.length > 0 && !missing().length) || undefined).catch((err: Error) => {
        throw new Error(`${err.message}: ${missing().length} of ${truth.length} missing, e.g. ${JSON.stringify(missing().slice(0, 3))}; log: ${log.slice(-5).join(' | ')}; statuses ${statuses.join(',')}`);
      });
      const fromEngine = async () =>
        JSON.stringify(
          (await t.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`berth.test.case=${testCase}`] }) }))
            .map((c) => [c.Id, c.Names[0].slice(1), c.State])
            .sort(),
        );
      const fromStore = () =>
        JSON.stringify(
          s.containers
            .all()
            .filter((c) => c.labels['berth.test.case'] === testCase)
            .map((c) => [c.id, c.name, c.state])
            .sort(),
        );
      await s.settled();
      await waitFor('the store equal to the engine', async () => ((await fromEngine()) === fromStore() ? true : undefined));
      console.log(`      ${p.cuts} cuts, ${mine.length} containers, ${truth.length} events, ${seen.length} received (replays included)`);
      assert.deepEqual(statuses, [], 'the session never left ready');
      const errors = log.filter((m) => !/^event stream (dropped|failed to open)|^connected to/.test(m));
      assert.deepEqual(errors, [], 'nothing but drops logged');
    } finally {
      (direct as unknown as { destroy(): void }).destroy();
      s.dispose();
    }
  });

  it('shows a 10 MB line without a newline as it comes, with bounded memory', async () => {
    // 640 pieces of 16 KB (the json-file logger's buffer): all of it reaches the log while the
    // container still runs, and none of it ends a line.
    const size = 10 * 1024 * 1024;
    const c = await running(t.docker, `head -c ${size} /dev/zero | tr '\\0' x; exec sleep 3600`);
    gc();
    const before = process.memoryUsage();
    let peak = before.heapUsed + before.external;
    let xs = 0;
    let other = '';
    let biggestWrite = 0;
    let nextSample = 1024 * 1024;
    const follower = new LogFollower(berth.client, c.id, { tail: 'all', timestamps: false }, (text) => {
      biggestWrite = Math.max(biggestWrite, text.length);
      const plain = strip(text).replace(/\r\n/g, '');
      const n = plain.split('x').length - 1;
      xs += n;
      if (plain.length !== n) other += plain.replace(/x/g, '');
      // What is still held, not garbage: collected at each MB shown.
      if (xs >= nextSample) {
        nextSample += 1024 * 1024;
        gc();
        const m = process.memoryUsage();
        peak = Math.max(peak, m.heapUsed + m.external);
      }
    }, messages);
    void follower.start();
    try {
      await waitFor('the whole line shown', () => (xs === size ? true : xs > size ? assert.fail(`${xs} x shown`) : undefined), 60_000).catch((err: Error) => {
        throw new Error(`${err.message}: ${xs} of ${size} shown, other text ${JSON.stringify(other.slice(0, 200))}`);
      });
    } finally {
      follower.close();
    }
    gc();
    const after = process.memoryUsage();
    const growth = (peak - before.heapUsed - before.external) / 1024 / 1024;
    console.log(
      `      10 MB line: biggest terminal write ${(biggestWrite / 1024).toFixed(0)} KB, held at most (heap+external after gc, at each MB) ${growth.toFixed(1)} MB, ` +
        `${((after.heapUsed - before.heapUsed) / 1024 / 1024).toFixed(1)} MB kept, rss ${(after.rss / 1024 / 1024).toFixed(0)} MB`,
    );
    assert.equal(other, '', 'nothing but the line (no timestamp inside it)');
    // Bounded: the line is never held whole (10 MB), only the terminal writer's backlog (its
    // high-water mark, 4 M characters) and a 16 KB message.
    assert.ok(growth < 8, `memory grew by ${growth.toFixed(1)} MB for a 10 MB line`);
  });

  it('resumes a log stream cut mid-line without repeating or breaking a line', async () => {
    // Lines of 100 characters, numbered: a cut inside one must neither show half of it nor repeat it.
    const script = 'i=0; while [ $i -lt 100000 ]; do i=$((i+1)); printf "line %06d %089d\\n" $i 0; [ $((i % 5)) = 0 ] && printf "err %06d\\n" $i >&2; sleep 0.005; done';
    const c = await running(t.docker, script);
    const p = await proxy(/\/logs\?/, () => Math.floor(Math.random() * 4000));
    const client = createEngineClient(resolveEndpoint({ setting: `unix://${p.socket}`, env: {} }));
    let text = '';
    const follower = new LogFollower(client, c.id, { tail: 'all', timestamps: false }, (s) => (text += s), messages);
    void follower.start();
    try {
      await waitFor('20 cuts', () => p.cuts >= 20 || undefined, 60_000).catch((err: Error) => {
        throw new Error(`${err.message}: ${p.cuts} cuts, shown: ${JSON.stringify(strip(text).slice(-300))}`);
      });
      p.cutting = false;
      const until = Number(/line (\d+)/.exec(strip(text).split('\r\n').reverse().find((l) => l.startsWith('line ')) ?? '')?.[1] ?? 0) + 20;
      await waitFor(`line ${until}`, () => strip(text).includes(`line ${String(until).padStart(6, '0')}`) || undefined);
    } finally {
      follower.close();
      client.dispose();
    }
    const lines = strip(text).split('\r\n').filter(Boolean);
    const out = lines.filter((l) => !l.startsWith('err '));
    const n = out.length;
    assert.deepEqual(
      out.filter((l, i) => l !== `line ${String(i + 1).padStart(6, '0')} ${'0'.repeat(89)}`).slice(0, 3),
      [],
      `${n} stdout lines, each whole, once, in order`,
    );
    const errs = lines.filter((l) => l.startsWith('err '));
    assert.deepEqual(
      errs.filter((l, i) => l !== `err ${String((i + 1) * 5).padStart(6, '0')}`).slice(0, 3),
      [],
      'stderr lines too',
    );
    console.log(`      ${p.cuts} cuts, ${n} stdout and ${errs.length} stderr lines`);
  });
});

/** A full collection, for memory figures: node's gc, exposed at run time for this file only. */
function gc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}
