import { strict as assert } from 'assert';
import * as tar from 'tar-stream';
import { analyseLayers, type LayerInput, type TarEntry } from '../../src/model/layers/changes';
import { hintsFor } from '../../src/model/layers/hints';
import { describeLayers, instructionOf } from '../../src/model/layers/history';
import { readSavedImage, SavedImageError } from '../../src/model/layers/imageTar';
import { lineCosts } from '../../src/model/layers/lineCosts';
import { BuildLog } from '../../src/model/buildOutput';
import type { HistoryEntry } from '../../src/contract/layers';

const file = (path: string, size: number): TarEntry => ({ path, kind: 'file', size });
const dir = (path: string): TarEntry => ({ path, kind: 'dir', size: 0 });
const layer = (createdBy: string, ...entries: TarEntry[]): LayerInput => ({ createdBy, entries });

describe('image layers: changes, whiteouts and dive’s efficiency', () => {
  it('counts a file written then deleted, and one overwritten, as dive does', () => {
    // L0 writes a (100) and b (50); L1 overwrites b (70); L2 deletes a.
    const r = analyseLayers([
      layer('/bin/sh -c #(nop) COPY dir:x in / ', file('a', 100), file('b', 50)),
      layer('/bin/sh -c echo > b', file('b', 70)),
      layer('/bin/sh -c rm a', file('.wh.a', 0)),
    ]);
    // Nodes: a = [100, 0] -> cumulative 100, min 0; b = [50, 70] -> cumulative 120, min 50.
    // Score = (0 + 50) / (100 + 120) = 50 / 220; wasted (dive) = 100 + 120 = 220; hidden = 100 + 50.
    assert.equal(r.efficiency, 50 / 220);
    assert.equal(r.wastedBytes, 220);
    assert.equal(r.hiddenBytes, 150);
    assert.deepEqual(r.wasted.map((w) => [w.path, w.cumulative, w.hidden]), [['b', 120, 50], ['a', 100, 100]]);
    assert.deepEqual(r.layers[2].changes, [{ path: 'a', kind: 'removed', entry: 'file', size: 100 }]);
    assert.deepEqual(r.layers[1].changes.map((c) => [c.path, c.kind, c.size]), [['b', 'changed', 70]]);
    assert.deepEqual([...r.merged.values()].map((m) => [m.path, m.layer, m.size]), [['b', 1, 70]]);
    assert.equal(r.totalBytes, 220);
  });

  it('an image with nothing written twice scores 1 and wastes nothing', () => {
    const r = analyseLayers([layer('a', dir('bin'), file('bin/x', 10)), layer('b', file('bin/y', 5))]);
    assert.equal(r.efficiency, 1);
    assert.equal(r.wastedBytes, 0);
    assert.deepEqual(r.wasted, []);
    assert.equal(analyseLayers([]).efficiency, 1);
  });

  it('a whiteout of a whole folder removes every file under it (departing from dive, which never discounts it)', () => {
    // L0: d/x 30, d/e/y 20, keep 5; L1 removes d. Nodes: d/x [30,0], d/e/y [20,0], keep [5].
    // Score = 5 / (30 + 20 + 5) = 5/55; wasted = 30 + 20 = 50.
    const r = analyseLayers([layer('l0', dir('d'), file('d/x', 30), dir('d/e'), file('d/e/y', 20), file('keep', 5)), layer('l1', file('.wh.d', 0))]);
    assert.equal(r.efficiency, 5 / 55);
    assert.equal(r.wastedBytes, 50);
    assert.deepEqual(r.layers[1].changes, [{ path: 'd', kind: 'removed', entry: 'dir', size: 50 }]);
    assert.deepEqual([...r.merged.keys()], ['keep']);
  });

  it('an opaque folder hides what the layers below put there, keeping what it writes again', () => {
    // L0: o/a 40, o/b 60; L1: o/.wh..wh..opq, o/b 10, o/c 1.
    // Nodes: o/a [40,0], o/b [60,10], o/c [1]. min = 0 + 10 + 1 = 11; cumulative = 40 + 70 + 1 = 111.
    const r = analyseLayers([layer('l0', dir('o'), file('o/a', 40), file('o/b', 60)), layer('l1', dir('o'), file('o/.wh..wh..opq', 0), file('o/b', 10), file('o/c', 1))]);
    assert.equal(r.efficiency, 11 / 111);
    assert.equal(r.wastedBytes, 110);
    assert.equal(r.hiddenBytes, 100);
    assert.deepEqual(r.layers[1].changes.map((c) => [c.path, c.kind, c.size]), [['o/a', 'removed', 40], ['o/b', 'changed', 10], ['o/c', 'added', 1]]);
    assert.deepEqual([...r.merged.values()].filter((m) => m.kind !== 'dir').map((m) => [m.path, m.layer]), [['o/b', 1], ['o/c', 1]]);
  });

  it('hard links and symlinks weigh 0, as their tar headers do', () => {
    const r = analyseLayers([layer('l0', file('big', 1000), { path: 'hard', kind: 'hardlink', size: 0, target: 'big' }, { path: 'soft', kind: 'symlink', size: 0, target: 'big' })]);
    assert.equal(r.totalBytes, 1000);
    assert.deepEqual(r.layers[0].changes.map((c) => [c.path, c.entry, c.size, c.target]), [['big', 'file', 1000, undefined], ['hard', 'hardlink', 0, 'big'], ['soft', 'symlink', 0, 'big']]);
  });

  it('hints: a cache removed in a later RUN, a copied file deleted later, a file overwritten, the context copied before the install', () => {
    const r = analyseLayers([
      layer('/bin/sh -c #(nop) COPY dir:abc in /app ', file('app/secret.tar', 300), file('app/package.json', 2)),
      layer('/bin/sh -c npm install', file('var/cache/apk/x', 80), file('var/cache/apk/y', 20), file('app/package.json', 3)),
      layer('/bin/sh -c rm -rf /var/cache/apk/* /app/secret.tar', file('var/cache/apk/.wh.x', 0), file('var/cache/apk/.wh.y', 0), file('app/.wh.secret.tar', 0)),
    ]);
    const hints = hintsFor(r);
    assert.deepEqual(hints, [
      { kind: 'removedLater', bytes: 300, count: 1, wroteLayer: 0, removedLayer: 2, copied: true },
      { kind: 'cacheLater', path: 'var/cache/apk', bytes: 100, wroteLayer: 1, removedLayer: 2 },
      { kind: 'overwritten', bytes: 2, count: 1, wroteLayer: 0, laterLayer: 1 },
      { kind: 'copyBeforeInstall', copyLayer: 0, installLayer: 1 },
    ]);
  });
});

describe('image layers: the history', () => {
  const h = (id: string, createdBy: string, size: number, tags: string[] = []): HistoryEntry => ({ id, created: 1, createdBy, size, tags, comment: '' });

  it('reads the builder’s instructions back as Dockerfile lines', () => {
    assert.equal(instructionOf('/bin/sh -c #(nop)  CMD ["sh"]'), 'CMD ["sh"]');
    assert.equal(instructionOf('/bin/sh -c apk add x'), 'RUN apk add x');
    assert.equal(instructionOf('|1 V=2 /bin/sh -c echo $V'), 'RUN echo $V');
    assert.equal(instructionOf('RUN /bin/sh -c make # buildkit'), 'RUN /bin/sh -c make');
  });

  it('pairs layers with RootFS, sets the base apart at the newest tagged ancestor, and counts sharing', () => {
    // Newest first: app (top), its RUN, its COPY, then the base (tagged) and the base's COPY.
    const history = [
      h('sha256:top', '/bin/sh -c #(nop)  CMD ["app"]', 0, ['app:1']),
      h('sha256:run', '/bin/sh -c make', 500),
      h('sha256:copy', '/bin/sh -c #(nop) COPY file:a in /a ', 40),
      h('sha256:base', '/bin/sh -c #(nop)  CMD ["sh"]', 0, ['busybox:test']),
      h('sha256:b0', '/bin/sh -c #(nop) COPY file:b in /bin/busybox ', 1000),
    ];
    const root = ['d0', 'd1', 'd2'];
    const r = describeLayers(history, root, [['d0'], ['d0', 'd1', 'dX'], ['d0', 'd1', 'd2', 'd3']]);
    assert.equal(r.paired, true);
    assert.equal(r.baseTag, 'busybox:test');
    assert.deepEqual(r.layers.map((l) => [l.instruction, l.hasLayer, l.diffId, l.sharedWith, l.base]), [
      ['COPY file:b in /bin/busybox', true, 'd0', 3, true],
      ['CMD ["sh"]', false, undefined, 0, true],
      ['COPY file:a in /a', true, 'd1', 2, false],
      ['RUN make', true, 'd2', 1, false],
      ['CMD ["app"]', false, undefined, 0, false],
    ]);
  });
});

describe('Dockerfile line costs', () => {
  const facts = (text: string) => ({
    args: [],
    stages: [],
    instructions: text
      .split('\n')
      .map((t, line) => ({ keyword: t.split(' ')[0], line, text: t }))
      .filter((i) => i.text && !i.text.startsWith('#')),
  });
  const h = (id: string, size: number): HistoryEntry => ({ id: `sha256:${id}${'0'.repeat(52)}`, created: 1, createdBy: '', size, tags: [], comment: '' });

  function stepsFrom(output: string) {
    const log = new BuildLog();
    log.push({ stream: output });
    return log.steps;
  }

  const output = [
    'Step 1/4 : FROM base AS b',
    ' ---> aaaaaaaaaaaa',
    'Step 2/4 : RUN make',
    ' ---> Using cache',
    ' ---> bbbbbbbbbbbb',
    'Step 3/4 : FROM base',
    ' ---> aaaaaaaaaaaa',
    'Step 4/4 : COPY --from=b /x /x',
    ' ---> Running in 123456789abc',
    'Removing intermediate container 123456789abc',
    ' ---> cccccccccccc',
    'Successfully built cccccccccccc',
    '',
  ].join('\n');

  it('reads each step’s image and whether it came from the cache from the build output', () => {
    assert.deepEqual(stepsFrom(output).map((s) => [s.index, s.imageId, s.cached]), [[1, 'aaaaaaaaaaaa', false], [2, 'bbbbbbbbbbbb', true], [3, 'aaaaaaaaaaaa', false], [4, 'cccccccccccc', false]]);
  });

  it('multi-stage: only the final stage’s lines carry the image’s layers; edits that move lines follow; an edited line says so', () => {
    const history = [h('cccccccccccc', 182), h('aaaaaaaaaaaa', 7), h('ffffffffffff', 1000)];
    const build = { tag: 't', imageId: 'sha256:cc', steps: stepsFrom(output), finishedAt: 0 };
    const text = 'FROM base AS b\nRUN make\nFROM base\nCOPY --from=b /x /x';
    assert.deepEqual(lineCosts(facts(text), build, history), [
      { line: 0, kind: 'otherStage' },
      { line: 1, kind: 'otherStage' },
      { line: 2, kind: 'base', size: 1007, layers: 2 },
      { line: 3, kind: 'layer', size: 182, cached: false },
    ]);
    // Two comment lines and a blank inserted at the top, and the RUN edited.
    const moved = '# one\n# two\n\nFROM base AS b\nRUN make all\nFROM base\nCOPY --from=b /x /x';
    assert.deepEqual(lineCosts(facts(moved), build, history).map((c) => [c.line, c.kind]), [[3, 'otherStage'], [4, 'notBuilt'], [5, 'base'], [6, 'layer']]);
  });
});

describe('saved image reader', () => {
  function tarOf(files: [string, Buffer][]): Promise<Buffer> {
    const pack = tar.pack();
    for (const [name, body] of files) pack.entry({ name }, body);
    pack.finalize();
    const chunks: Buffer[] = [];
    return new Promise((resolve) => {
      pack.on('data', (c: Buffer) => chunks.push(c));
      pack.on('end', () => resolve(Buffer.concat(chunks)));
    });
  }

  async function savedImage(): Promise<Buffer> {
    const l1 = await tarOf([['a', Buffer.alloc(100)], ['b', Buffer.alloc(50)]]);
    const l2 = await tarOf([['.wh.a', Buffer.alloc(0)]]);
    const config = { history: [{ created_by: 'COPY' }, { created_by: 'ENV', empty_layer: true }, { created_by: 'RUN rm a' }] };
    return tarOf([
      ['l1/layer.tar', l1],
      ['l2/layer.tar', l2],
      ['c.json', Buffer.from(JSON.stringify(config))],
      ['manifest.json', Buffer.from(JSON.stringify([{ Config: 'c.json', Layers: ['l1/layer.tar', 'l2/layer.tar'] }]))],
    ]);
  }

  it('reads layers in the manifest’s order with the config’s history', async () => {
    const { Readable } = await import('stream');
    const img = await readSavedImage(Readable.from([await savedImage()]));
    assert.deepEqual(img.layers.map((l) => [l.createdBy, l.entries.map((e) => [e.path, e.size])]), [['COPY', [['a', 100], ['b', 50]]], ['RUN rm a', [['.wh.a', 0]]]]);
    assert.deepEqual(img.history.map((x) => x.layer), [0, undefined, 1]);
  });

  it('a stream cut short is a clear error, never a partial result', async () => {
    const { Readable } = await import('stream');
    const whole = await savedImage();
    await assert.rejects(readSavedImage(Readable.from([whole.subarray(0, 1500)])), (err: Error) => err instanceof SavedImageError && /stopped sending|could not be read/.test(err.message));
  });
});

describe('disk overview', () => {
  it('sums each section with its reclaimable part, biggest first', async () => {
    const { diskTotals } = await import('../../src/model/layers/disk');
    const totals = diskTotals({
      layersSize: 1000,
      // a: used, 600 of which 400 shared; b: unused, 500 of which 400 shared -> frees 100; c: unused, 300 alone.
      images: [
        { id: 'a', tags: [], size: 600, sharedSize: 400, containers: 1, created: 0 },
        { id: 'b', tags: [], size: 500, sharedSize: 400, containers: 0, created: 0 },
        { id: 'c', tags: [], size: 300, sharedSize: 0, containers: 0, created: 0 },
      ],
      containers: [
        { id: '1', name: 'up', image: 'a', state: 'running', sizeRw: 50 },
        { id: '2', name: 'down', image: 'a', state: 'exited', sizeRw: 70 },
      ],
      volumes: [
        { name: 'used', size: 2000, refCount: 1 },
        { name: 'free', size: 900, refCount: 0 },
      ],
      buildCache: [
        { id: 'x', type: 'regular', description: '', size: 10, inUse: true, shared: false },
        { id: 'y', type: 'regular', description: '', size: 20, inUse: false, shared: false },
        { id: 'z', type: 'regular', description: '', size: 40, inUse: false, shared: true },
      ],
    });
    assert.deepEqual(totals, [
      { section: 'volumes', size: 2900, reclaimable: 900, count: 2 },
      { section: 'images', size: 1000, reclaimable: 100 + 300, count: 3 },
      { section: 'containers', size: 120, reclaimable: 70, count: 2 },
      { section: 'buildCache', size: 30, reclaimable: 20, count: 3 },
    ]);
  });
});
