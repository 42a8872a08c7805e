import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { runBuild } from '../../src/model/build';
import { readDockerfile } from '../../src/model/dockerfile';
import { analyseImage, ImageGoneError } from '../../src/model/layers/analyse';
import { describeLayers } from '../../src/model/layers/history';
import { lineCosts } from '../../src/model/layers/lineCosts';
import { SavedImageError } from '../../src/model/layers/imageTar';
import { startCuttingProxy } from '../support/cuttingProxy';
import { useEngineClient, useTestEngine } from '../support/engineHooks';
import { BASE_IMAGE, busyboxPath, testLabels, uniqueName } from '../support/testEngine';

// Each RUN writes files of known sizes (head -c N /dev/zero); the figures below are computed by hand.
const FIXTURE = `FROM ${BASE_IMAGE}
RUN mkdir -p /w && head -c 1000 /dev/zero > /w/deleted && head -c 2000 /dev/zero > /w/over && head -c 300 /dev/zero > /w/linked && ln /w/linked /w/hard && ln -s /w/linked /w/soft
RUN rm /w/deleted && head -c 500 /dev/zero > /w/over
RUN mkdir -p /var/cache/pkg && head -c 4000 /dev/zero > /var/cache/pkg/a && rm -rf /var/cache/pkg
RUN mkdir -p /var/cache/apk && head -c 3000 /dev/zero > /var/cache/apk/idx
RUN rm -rf /var/cache/apk/*
RUN mkdir -p /gone/sub && head -c 700 /dev/zero > /gone/sub/f && head -c 800 /dev/zero > /gone/g
RUN rm -rf /gone
RUN mkdir -p /opq && head -c 600 /dev/zero > /opq/old && head -c 100 /dev/zero > /opq/kept
RUN rm -rf /opq && mkdir /opq && head -c 50 /dev/zero > /opq/new
CMD ["sh"]
`;

describe('image layers on the engine', function () {
  this.timeout(120_000);
  const t = useTestEngine();
  const berth = useEngineClient();
  let dir: string;
  let tag: string;
  let built: Awaited<ReturnType<typeof runBuild>>;
  const B = fs.statSync(busyboxPath()).size;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-layers-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), FIXTURE);
    tag = `berth-test/layers:${uniqueName('t')}`;
    const text = FIXTURE;
    built = await runBuild(berth.client, { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), dockerfileText: text, dockerfileFacts: readDockerfile(text), tag, labels: testLabels() });
    assert.equal(built.failure, undefined, built.failure?.message);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads every size, wasted byte and the efficiency score the fixture was written to produce', async () => {
    const a = await analyseImage(berth.client, tag);
    // Base: COPY busybox (B bytes), RUN --install (symlinks, 0); then the nine RUNs.
    assert.equal(a.layers.length, 2 + 9);
    const files = (i: number) => a.layers[i].changes.filter((c) => c.entry !== 'dir' || c.kind === 'removed').map((c) => `${c.kind} ${c.path} ${c.entry} ${c.size}`).sort();
    assert.deepEqual(files(2), ['added w/deleted file 1000', 'added w/hard file 300', 'added w/linked hardlink 0', 'added w/over file 2000', 'added w/soft symlink 0']);
    assert.deepEqual(files(3), ['changed w/over file 500', 'removed w/deleted file 1000']);
    assert.deepEqual(files(4), [], 'a cache removed in the same RUN leaves nothing behind');
    assert.deepEqual(files(6), ['removed var/cache/apk/idx file 3000']);
    assert.deepEqual(files(8), ['removed gone dir 1500']);
    assert.deepEqual(files(10), ['added opq/new file 50', 'removed opq/kept file 100', 'removed opq/old file 600']);
    // Nodes per path: w/deleted [1000,0], w/over [2000,500], w/hard [300], w/linked [0], w/soft [0],
    // var/cache/apk/idx [3000,0], gone/sub/f [700,0], gone/g [800,0], opq/old [600,0], opq/kept [100,0],
    // opq/new [50], bin/busybox [B], the base's symlinks [0].
    const cumulative = B + 1000 + 2500 + 300 + 3000 + 700 + 800 + 600 + 100 + 50;
    const minimum = B + 0 + 500 + 300 + 0 + 0 + 0 + 0 + 0 + 50;
    assert.equal(a.efficiency, minimum / cumulative);
    assert.equal(a.wastedBytes, 1000 + 2500 + 3000 + 700 + 800 + 600 + 100);
    assert.equal(a.hiddenBytes, 1000 + 2000 + 3000 + 700 + 800 + 600 + 100);
    assert.equal(a.totalBytes, cumulative);
    assert.deepEqual(a.wasted.slice(0, 2).map((w) => [w.path, w.cumulative]), [['var/cache/apk/idx', 3000], ['w/over', 2500]]);
    assert.equal(a.merged.get('w/over')?.layer, 3);
    assert.equal(a.merged.get('opq/new')?.layer, 10);
    assert.equal(a.merged.has('gone/g'), false);
    assert.deepEqual(a.hints.find((h) => h.kind === 'cacheLater'), { kind: 'cacheLater', path: 'var/cache/apk', bytes: 3000, wroteLayer: 5, removedLayer: 6 });
  });

  it('lists the layers with their instructions, sizes and the base image set apart', async () => {
    const layers = berth.client.layers;
    assert.ok(layers);
    const history = await layers.history(tag);
    const root = await layers.rootLayers(tag);
    const base = await layers.rootLayers(BASE_IMAGE);
    assert.ok(history && root && base);
    const d = describeLayers(history, root, [base]);
    assert.equal(d.paired, true);
    assert.equal(d.baseTag, BASE_IMAGE);
    const own = d.layers.filter((l) => !l.base);
    // The build's labels come last, as the classic builder adds them.
    assert.deepEqual(own.slice(0, 10).map((l) => l.instruction.slice(0, 24)), [...FIXTURE.split('\n').slice(1, 10).map((l) => l.slice(0, 24)), 'CMD ["sh"]']);
    assert.deepEqual(d.layers.filter((l) => l.base && l.hasLayer).map((l) => l.sharedWith), [1, 1]);
    assert.ok(own.every((l) => l.sharedWith === 0));
    // The engine measures a layer as du does: the hard link once, the symlink as its target's length.
    assert.equal(own[0].size, 1000 + 2000 + 300 + '/w/linked'.length, 'the engine’s own layer size for the first RUN');
  });

  it('annotates each line from the build output after a build and a cached rebuild, and says which came from the cache', async () => {
    const layers = berth.client.layers;
    assert.ok(layers);
    const facts = readDockerfile(FIXTURE);
    const history = await layers.history(built.imageId ?? '');
    assert.ok(history);
    const first = lineCosts(facts, { tag, imageId: built.imageId ?? '', steps: built.steps, finishedAt: 0 }, history);
    assert.deepEqual(first[1], { line: 1, kind: 'layer', size: 3309, cached: false });
    assert.equal(first[0].kind, 'base');
    assert.deepEqual(first[10], { line: 10, kind: 'noLayer', cached: false });
    const again = await runBuild(berth.client, { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), dockerfileText: FIXTURE, dockerfileFacts: facts, tag, labels: testLabels() });
    assert.equal(again.imageId, built.imageId);
    const cached = lineCosts(facts, { tag, imageId: again.imageId ?? '', steps: again.steps, finishedAt: 0 }, history);
    assert.deepEqual(cached[1], { line: 1, kind: 'layer', size: 3309, cached: true });
    assert.deepEqual(cached.slice(1, 10).map((c) => (c.kind === 'layer' ? c.size : -1)), [3309, 500, 0, 3000, 0, 1500, 0, 700, 50]);
  });

  it('says the image is gone when it was removed before its layers are read', async () => {
    const gone = `berth-test/layers-gone:${uniqueName('t')}`;
    await t.docker.getImage(tag).tag({ repo: gone.split(':')[0], tag: gone.split(':')[1] });
    await t.docker.getImage(gone).remove();
    await assert.rejects(analyseImage(berth.client, gone), (err: Error) => err instanceof ImageGoneError && err.message.includes(gone));
  });

  it('the engine stopping mid-read is a clear error, not a partial analysis', async () => {
    const sock = path.join(os.tmpdir(), `berth-cut-${process.pid}.sock`);
    const proxy = await startCuttingProxy(sock, process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock', { cut: /\/images\/.*\/get/, budget: () => 20_000 });
    const client = createEngineClient(resolveEndpoint({ setting: `unix://${sock}`, env: {} }));
    try {
      await client.ping(3000);
      await assert.rejects(analyseImage(client, tag), (err: Error) => err instanceof SavedImageError && /stopped sending|could not be read|no manifest/.test(err.message));
      assert.equal(proxy.cuts, 1);
    } finally {
      client.dispose();
      await proxy.close();
    }
  });
});

describe('disk overview on the engine', function () {
  this.timeout(120_000);
  const t = useTestEngine();
  const berth = useEngineClient();

  it('reads a stopped container’s writable layer and a volume’s data with the sizes written, and what is reclaimable', async () => {
    const volume = uniqueName('berth-test-df');
    await t.docker.createVolume({ Name: volume, Labels: testLabels() });
    // 5000 bytes in the container's own layer, 7000 in the volume.
    const c = await t.docker.createContainer({
      Image: BASE_IMAGE,
      name: uniqueName('berth-test-df'),
      Labels: testLabels(),
      Cmd: ['sh', '-c', 'head -c 5000 /dev/zero > /rw && head -c 7000 /dev/zero > /v/data'],
      HostConfig: { Binds: [`${volume}:/v`] },
    });
    await c.start();
    await c.wait();
    const layers = berth.client.layers;
    assert.ok(layers);
    const usage = await layers.diskUsage();
    const mine = usage.containers.find((x) => x.id === c.id);
    assert.deepEqual(mine && { sizeRw: mine.sizeRw, state: mine.state }, { sizeRw: 5000, state: 'exited' });
    assert.deepEqual(usage.volumes.find((v) => v.name === volume), { name: volume, size: 7000, refCount: 1 });
    const base = usage.images.find((i) => i.tags.includes(BASE_IMAGE));
    assert.ok(base && base.size >= B(), 'the base image holds at least busybox');
    await c.remove();
    const after = await layers.diskUsage();
    assert.deepEqual(after.volumes.find((v) => v.name === volume), { name: volume, size: 7000, refCount: 0 }, 'a volume no container uses is reclaimable');
    assert.equal(after.containers.some((x) => x.id === c.id), false);
  });
});

function B(): number {
  return fs.statSync(busyboxPath()).size;
}
