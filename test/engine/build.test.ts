import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { runBuild } from '../../src/model/build';
import { readDockerfile } from '../../src/model/dockerfile';
import type { Segment } from '../../src/model/buildOutput';
import { startEmptyEngine } from '../support/emptyEngine';
import { useEngineClient, useTestEngine } from '../support/engineHooks';
import { BASE_IMAGE, TEST_LABEL, uniqueName } from '../support/testEngine';

const labels = { [TEST_LABEL]: '1' };

describe('building images through the engine', function () {
  this.timeout(60_000);
  const t = useTestEngine();
  const berth = useEngineClient();
  let dir: string;
  const write = (rel: string, content = 'x') => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  };

  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-build-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sends exactly the files the engine then sees, after .dockerignore', async () => {
    write('Dockerfile', `FROM ${BASE_IMAGE}\nCOPY . /ctx\nRUN cd /ctx && find . -mindepth 1 | sort\n`);
    write('.dockerignore', 'node_modules\n**/*.log\n!keep.log\n');
    write('src/app.js', 'console.log(1)');
    write('src/debug.log');
    write('keep.log');
    write('node_modules/big/index.js', 'x'.repeat(100_000));
    fs.mkdirSync(path.join(dir, 'empty'));
    const out: Segment[] = [];
    const tag = `berth-test/ctx:${uniqueName('t')}`;
    const r = await runBuild(berth.client, { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), tag, labels, noCache: true }, { onSegment: (s) => out.push(s) });
    assert.equal(r.failure, undefined, r.failure?.message);
    assert.match(r.imageId ?? '', /^sha256:[0-9a-f]{64}$/);
    const seen = out
      .filter((s) => s.kind === 'output')
      .map((s) => s.text.trim())
      .filter((l) => l.startsWith('./'))
      .map((l) => l.slice(2))
      .sort();
    assert.deepEqual(seen, [...r.plan.entries].sort(), 'the engine saw the planned files, no more, no less');
    assert.ok(!seen.some((f) => f.startsWith('node_modules')));
    assert.ok(r.bytesSent >= r.plan.bytes && r.bytesSent < r.plan.bytes + 10_240 + 1024 * r.plan.entries.length, `sent ${r.bytesSent} for ${r.plan.bytes} bytes of files`);
    const image = await t.docker.getImage(tag).inspect();
    assert.equal(image.Config.Labels?.[TEST_LABEL], '1');
  });

  it('leaves out a file named by an ignore line with spaces before its #, as Docker does', async () => {
    // " #hash.txt" is a pattern (a comment starts only at the very first character), and the file
    // is not sent: the built image lists only what was sent, read back from a container of it.
    write('Dockerfile', `FROM ${BASE_IMAGE}\nCOPY . /ctx\n`);
    write('.dockerignore', '# a comment\n #hash.txt\n');
    write('#hash.txt', 'secret');
    write('#kept.txt', 'kept');
    write('app.txt', 'app');
    const tag = `berth-test/hash:${uniqueName('t')}`;
    const r = await runBuild(berth.client, { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), tag, labels, noCache: true }, { onSegment: () => undefined });
    assert.equal(r.failure, undefined, r.failure?.message);
    assert.ok(!r.plan.entries.includes('#hash.txt'), `planned: ${r.plan.entries.join(', ')}`);
    const c = await t.docker.createContainer({ Image: tag, Cmd: ['ls', '-1a', '/ctx'], Tty: true, Labels: labels });
    await c.start();
    await c.wait();
    const logs = (await c.logs({ stdout: true, follow: false })) as Buffer;
    await c.remove();
    // A TTY's log has no frame headers.
    const names = logs.toString('utf8').split(/\r?\n/).map((l) => l.trim()).filter((n) => n && n !== '.' && n !== '..').sort();
    assert.deepEqual(names, ['#kept.txt', '.dockerignore', 'Dockerfile', 'app.txt'], 'the image has every file but #hash.txt');
  });

  it('fails on an error inside the stream and pins it to the Dockerfile line', async () => {
    write('Dockerfile', `FROM ${BASE_IMAGE}\n\n# a comment\nCOPY missing.txt /x\nRUN true\n`);
    const dockerfileFacts = readDockerfile(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
    const r = await runBuild(berth.client, { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), dockerfileFacts, tag: `berth-test/fail:${uniqueName('t')}`, labels });
    assert.equal(r.imageId, undefined);
    assert.ok(r.failure);
    assert.match(r.failure.message, /missing\.txt/);
    // The builder adds a LABEL step for the labels option, so only the index and text are fixed.
    assert.deepEqual([r.failure.step?.index, r.failure.step?.text], [2, 'COPY missing.txt /x']);
    assert.equal(r.failure.line, 3);
  });

  it('reports a Dockerfile syntax error at its line', async () => {
    write('Dockerfile', `FROM ${BASE_IMAGE}\nRUN true\nFOO bar\n`);
    const r = await runBuild(berth.client, { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), tag: `berth-test/syntax:${uniqueName('t')}`, labels });
    assert.ok(r.failure, 'a syntax error is a failure');
    assert.match(r.failure.message, /unknown instruction/i);
    assert.equal(r.failure.line, 2);
  });

  it('is cancelled on the engine when aborted, leaving nothing running', async () => {
    write('Dockerfile', `FROM ${BASE_IMAGE}\nRUN echo started && sleep 60\n`);
    const abort = new AbortController();
    let running: string | undefined;
    const build = runBuild(
      berth.client,
      { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), tag: `berth-test/cancel:${uniqueName('t')}`, labels, noCache: true },
      {
        onSegment: (s) => {
          const m = / ---> Running in ([0-9a-f]+)/.exec(s.text);
          if (m) running = m[1];
          if (s.kind === 'output' && s.text.trim() === 'started') abort.abort();
        },
      },
      abort.signal,
    );
    await assert.rejects(build, (e: Error) => e.name === 'AbortError');
    assert.ok(running, 'the step had started');
    const deadline = Date.now() + 15_000;
    let left: unknown[] = [];
    while (Date.now() < deadline) {
      left = await t.docker.listContainers({ all: true, filters: JSON.stringify({ id: [running] }) });
      if (!left.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(left, [], 'the build container was stopped and removed');
  });

  it('fails with the engine\'s words, not a success, when the engine dies mid-build', async function () {
    this.timeout(90_000);
    const engine = await startEmptyEngine();
    try {
      const other = createEngineClient(resolveEndpoint({ setting: `unix://${engine.socket}`, env: {} }));
      await other.ping(3000);
      write('Dockerfile', 'FROM scratch\nCOPY big /big\n');
      fs.writeFileSync(path.join(dir, 'big'), Buffer.alloc(64 * 1024 * 1024, 1));
      const outcome = await runBuild(other, { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), tag: `berth-test/dies:${uniqueName('t')}` }, { onPlan: () => void engine.kill() });
      assert.equal(outcome.imageId, undefined, 'no success');
      assert.ok(outcome.failure?.kind === 'lost' || outcome.failure?.kind === 'noResult', `a lost connection, not a build error: ${JSON.stringify(outcome.failure)}`);
      console.log(`      the build reported: ${outcome.failure?.kind} (${outcome.failure?.message})`);
    } finally {
      await engine.stop();
    }
  });
});
