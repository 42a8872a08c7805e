import { strict as assert } from 'assert';
import { LogFollower } from '../../src/model/logFollower';
import { LogDemuxer } from '../../src/model/logStream';
import { useEngineClient, useTestEngine } from '../support/engineHooks';
import { BASE_IMAGE, TEST_LABEL, uniqueName } from '../support/testEngine';
import { waitFor } from '../support/wait';

const labels = { [TEST_LABEL]: '1' };
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

const messages = {
  exited: (code: number) => `-- exited ${code} --`,
  removed: () => '-- removed --',
  failed: (m: string) => `-- failed ${m} --`,
};

describe('logs and shells through the engine', function () {
  this.timeout(60_000);
  const t = useTestEngine();
  const berth = useEngineClient();


  it('gives the exact interleaved stdout and stderr bytes of a container', async () => {
    const script = 'for i in 1 2 3; do echo "out $i"; echo "err $i é" >&2; done; printf "no newline"';
    const c = await t.docker.createContainer({ name: uniqueName('berth-test-logs'), Image: BASE_IMAGE, Cmd: ['sh', '-c', script], Labels: labels });
    await c.start();
    await c.wait();
    const stream = await berth.client.logs(c.id, { follow: false, timestamps: false });
    const demux = new LogDemuxer(false);
    const out = { stdout: '', stderr: '' };
    await new Promise<void>((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        for (const x of demux.push(chunk)) out[x.source] += x.text;
      });
      stream.on('end', resolve);
    });
    assert.equal(out.stdout, 'out 1\nout 2\nout 3\nno newline');
    assert.equal(out.stderr, 'err 1 é\nerr 2 é\nerr 3 é\n');
  });

  it('follows across a restart with a marker, without duplicates or gaps', async () => {
    // Prints a counter that continues across restarts (kept in a file), one line every 50 ms.
    const script = 'n=$(cat /n 2>/dev/null || echo 0); while [ $n -lt 1000 ]; do n=$((n+1)); echo $n > /n; echo line $n; [ $((n % 2)) = 0 ] && echo err $n >&2; sleep 0.05; done';
    const c = await t.docker.createContainer({ name: uniqueName('berth-test-follow'), Image: BASE_IMAGE, Cmd: ['sh', '-c', script], Labels: labels, StopTimeout: 1 });
    await c.start();
    let text = '';
    const follower = new LogFollower(berth.client, c.id, { tail: 'all', timestamps: false }, (s) => (text += s), messages);
    void follower.start();
    try {
      await waitFor('some lines', () => /line 5\r\n/.test(text) || undefined);
      await c.kill();
      await waitFor('the exit marker', () => strip(text).includes('-- exited 137 --') || undefined);
      await c.start();
      await waitFor('lines after the restart', () => {
        const m = strip(text).split('-- exited 137 --')[1]?.match(/line \d+/g);
        return (m && m.length >= 5) || undefined;
      }, 10_000);
      await c.kill();
      await waitFor('the second marker', () => strip(text).split('-- exited 137 --').length === 3 || undefined);
      const lines = strip(text)
        .split('\r\n')
        .filter((l) => l.startsWith('line '))
        .map((l) => Number(l.slice(5)));
      assert.deepEqual(
        lines,
        Array.from({ length: lines.length }, (_, i) => i + 1),
        'every stdout line once, in order, across the restart',
      );
      const errs = strip(text)
        .split('\r\n')
        .filter((l) => l.startsWith('err '))
        .map((l) => Number(l.slice(4)));
      assert.deepEqual(
        errs,
        lines.filter((n) => n % 2 === 0).slice(0, errs.length),
        'stderr too',
      );
      assert.ok(text.includes('\x1b[31merr 2\x1b[0m'), 'stderr is red');
      await c.remove({ force: true });
      await waitFor('the removal', () => strip(text).includes('-- removed --') || undefined);
    } finally {
      follower.close();
    }
  });

  it('says the removal that lands between the exit and the watch for the next start', async () => {
    // A force-remove sends destroy milliseconds after the die that ends the stream: here it lands
    // exactly while the follower subscribes to the container's events, after its inspect.
    const c = await t.docker.createContainer({ name: uniqueName('berth-test-rmrace'), Image: BASE_IMAGE, Cmd: ['sh', '-c', 'echo up; exec sleep 3600'], Labels: labels, StopTimeout: 1 });
    await c.start();
    const client = new Proxy(berth.client, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        if (prop !== 'events' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          await c.remove({ force: true });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    let text = '';
    const follower = new LogFollower(client, c.id, { tail: 'all', timestamps: false }, (s) => (text += s), messages);
    void follower.start();
    try {
      await waitFor('the first line', () => text.includes('up') || undefined);
      await c.kill();
      await waitFor('the removal', () => strip(text).includes('-- removed --') || undefined);
      assert.match(strip(text), /^up\r\n-- exited 137 --\r\n-- removed --\r\n$/);
    } finally {
      follower.close();
    }
  });

  it('delivers every line of a busy stdout and stderr once, though their timestamps interleave', async () => {
    const awk = 'BEGIN { for (i = 1; i <= 20000; i++) { print "out " i; print "err " i > "/dev/stderr" } }';
    const c = await t.docker.createContainer({ name: uniqueName('berth-test-busy'), Image: BASE_IMAGE, Cmd: ['awk', awk], Labels: labels });
    await c.start();
    await c.wait();
    let text = '';
    const follower = new LogFollower(berth.client, c.id, { tail: 'all', timestamps: false }, (s) => (text += s), messages);
    void follower.start();
    try {
      await waitFor('the exit marker', () => text.includes('-- exited 0 --') || undefined, 20_000);
    } finally {
      follower.close();
    }
    const lines = strip(text).split('\r\n');
    const numbers = (prefix: string) => lines.filter((l) => l.startsWith(prefix)).map((l) => Number(l.slice(prefix.length)));
    const all = Array.from({ length: 20000 }, (_, i) => i + 1);
    assert.deepEqual(numbers('out '), all);
    assert.deepEqual(numbers('err '), all);
  });

  it('runs an exec with a TTY, resizes it, and reports its exit status', async () => {
    const c = await t.docker.createContainer({ name: uniqueName('berth-test-shell'), Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: labels, StopTimeout: 1 });
    await c.start();
    assert.equal(await berth.client.execStatus(c.id, ['sh', '-c', 'exit 0']), 0);
    assert.notEqual(await berth.client.execStatus(c.id, ['bash', '-c', 'exit 0']), 0, 'busybox has no bash');
    const exec = await berth.client.execTty(c.id, ['sh'], { rows: 24, cols: 80 });
    let out = '';
    exec.stream.on('data', (d: Buffer) => (out += d.toString()));
    await exec.resize(33, 101);
    exec.stream.write('stty size; echo hello-$((6*7)); exit 3\n');
    await waitFor('the shell output', () => (out.includes('hello-42') ? true : undefined));
    assert.match(out, /33 101/, 'the resize reached the TTY');
    await waitFor('the exit status', async () => ((await exec.exitCode()) === 3 ? true : undefined));
  });
});
