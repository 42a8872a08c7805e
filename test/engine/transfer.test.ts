import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { EngineClient } from '../../src/contract/client';
import type { TransferMessage } from '../../src/contract/transfer';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { loadImagesFromFile, saveImagesToFile, writeProblem } from '../../src/model/imageArchive';
import { credentialsFor } from '../../src/model/registryCredentials';
import { TransferProgress, transferFailure } from '../../src/model/transferProgress';
import { startEmptyEngine, type EmptyEngine } from '../support/emptyEngine';
import { useEngineClient, useTestEngine } from '../support/engineHooks';
import { startRegistry, type Registry } from '../support/registry';
import { BASE_IMAGE, buildImage, uniqueName } from '../support/testEngine';

/** An image of three layers of random bytes (sizes in MB) on the test base, labelled for cleanup. */
async function buildLayered(docker: Parameters<typeof buildImage>[0], tag: string, sizesMb: number[]): Promise<string> {
  const runs = sizesMb.map((mb, i) => `RUN head -c ${mb * 1000 * 1000} /dev/urandom > /layer${i}`).join('\n');
  return buildImage(docker, `FROM ${BASE_IMAGE}\n${runs}\n`, tag);
}

function collect(): { messages: TransferMessage[]; progress: TransferProgress; on: (m: TransferMessage) => void } {
  const messages: TransferMessage[] = [];
  const progress = new TransferProgress();
  return { messages, progress, on: (m) => (messages.push(m), progress.apply(m)) };
}

describe('image transfer: pull, push, tag, save and load against a real registry', function () {
  this.timeout(180_000);
  const t = useTestEngine();
  const e = useEngineClient();
  let registry: Registry;
  let source: string;
  let sourceId: string;

  before(async function () {
    this.timeout(180_000);
    registry = await startRegistry({ deleteEnabled: true });
    source = `${uniqueName('berth-test-transfer')}:1`;
    sourceId = await buildLayered(t.docker, source, [12, 3, 1]);
  });
  after(async () => registry?.stop());

  it('pushes with per-layer progress, says "layer already exists" on a second push and "mounted from" into another repository', async () => {
    const client: EngineClient = e.client;
    const ref = `${registry.host}/berth-test/multi:1`;
    await client.tag(source, ref);
    const first = collect();
    await client.push({ reference: ref }, first.on);
    assert.ok(first.messages.some((m) => m.status === 'Pushing' && (m.progressDetail?.current ?? 0) > 0), 'byte progress while pushing');
    const pushed = [...first.progress.layers.values()];
    assert.ok(pushed.length >= 4, `4 layers, saw ${pushed.length}`);
    assert.ok(pushed.every((l) => l.phase === 'pushed'), JSON.stringify(pushed));
    assert.match(first.progress.digest ?? '', /^sha256:[0-9a-f]{64}$/);

    const again = collect();
    await client.push({ reference: ref }, again.on);
    assert.ok([...again.progress.layers.values()].every((l) => l.phase === 'alreadyPushed'), JSON.stringify([...again.progress.layers.values()]));

    const other = `${registry.host}/berth-test/other:1`;
    await client.tag(source, other);
    const mount = collect();
    await client.push({ reference: other }, mount.on);
    const mounted = [...mount.progress.layers.values()].filter((l) => l.phase === 'mounted');
    assert.ok(mounted.length >= 1, JSON.stringify([...mount.progress.layers.values()]));
    assert.ok(mounted.every((l) => l.from === 'berth-test/multi'), JSON.stringify(mounted));
  });

  it('cancels a pull: the request is cut, and no tag is left behind', async () => {
    const ref = `${registry.host}/berth-test/multi:1`;
    const fresh = `${registry.host}/berth-test/cancel:1`;
    // A repository this engine never had: the pull must fetch its layers.
    await e.client.tag(source, fresh);
    await e.client.push({ reference: fresh }, () => undefined);
    for (const r of [source, ref, `${registry.host}/berth-test/other:1`, fresh]) await e.client.removeImage(r);
    assert.equal(await e.client.image(sourceId), undefined, 'the image is gone locally');

    const abort = new AbortController();
    const seen = collect();
    const pulling = e.client.pull({ reference: fresh, signal: abort.signal }, (m) => {
      seen.on(m);
      if (m.status === 'Downloading' || m.status === 'Extracting') abort.abort();
    });
    await assert.rejects(pulling, (err: Error) => err.name === 'AbortError');
    assert.ok(seen.messages.some((m) => m.status === 'Downloading' || m.status === 'Extracting'), 'cancelled during the transfer');
    assert.equal(await e.client.image(fresh), undefined, 'no tag after a cancelled pull');
  });

  it('pulls back with per-layer bytes downloaded and extracted: the same image ID', async () => {
    const ref = `${registry.host}/berth-test/multi:1`;
    const seen = collect();
    await e.client.pull({ reference: ref }, seen.on);
    assert.ok(seen.messages.some((m) => m.status === 'Downloading' && (m.progressDetail?.total ?? 0) > 0), 'download bytes');
    assert.ok(seen.messages.some((m) => m.status === 'Extracting' && (m.progressDetail?.current ?? 0) > 0), 'extract bytes');
    assert.ok([...seen.progress.layers.values()].every((l) => l.phase === 'pulled' || l.phase === 'exists'), JSON.stringify([...seen.progress.layers.values()]));
    const s = seen.progress.summary();
    assert.equal(s.done, s.layers);
    assert.ok(s.totalBytes > 12_000_000, `the layers' sizes add up (${s.totalBytes})`);
    assert.equal((await e.client.image(ref))?.id, sourceId);
    await e.client.tag(ref, source); // labelled for cleanup under its test name too
  });

  it('pulls every tag of a repository when asked', async () => {
    const repo = `${registry.host}/berth-test/tags`;
    for (const tag of ['a', 'b']) {
      await e.client.tag(source, `${repo}:${tag}`);
      await e.client.push({ reference: `${repo}:${tag}` }, () => undefined);
      await e.client.removeImage(`${repo}:${tag}`);
    }
    const seen = collect();
    await e.client.pull({ reference: repo, allTags: true }, seen.on);
    for (const tag of ['a', 'b']) assert.equal((await e.client.image(`${repo}:${tag}`))?.id, sourceId, tag);
    assert.ok(seen.progress.notes.some((n) => n.startsWith('Status: Downloaded newer image for') || n.startsWith('Status: Image is up to date')), seen.progress.notes.join('\n'));
    for (const tag of ['a', 'b']) await e.client.removeImage(`${repo}:${tag}`);
  });

  it('says clearly what is wrong: malformed reference, unknown repository, unknown tag, registry down', async () => {
    await assert.rejects(e.client.pull({ reference: `${registry.host}/Berth-Test/UPPER:1` }, () => undefined), (err: Error) => /invalid reference format|repository name must be lowercase/i.test(err.message));
    for (const ref of [`${registry.host}/berth-test/nothing-here:1`, `${registry.host}/berth-test/multi:no-such-tag`]) {
      const err = await e.client.pull({ reference: ref }, () => undefined).then(
        () => assert.fail(`${ref} pulled`),
        (x: Error) => x,
      );
      assert.equal(transferFailure(err.message).kind, 'notFound', err.message);
      assert.equal(await e.client.image(ref), undefined);
    }
    const down = await startRegistry();
    await down.stop();
    const err = await e.client.pull({ reference: `${down.host}/berth-test/multi:1` }, () => undefined).then(
      () => assert.fail('pulled from a stopped registry'),
      (x: Error) => x,
    );
    assert.equal(transferFailure(err.message).kind, 'unreachable', err.message);
    assert.match(transferFailure(err.message).said, /connection refused/);
  });

  describe('with htpasswd Basic auth', () => {
    let secured: Registry;
    let configDir: string;
    before(async () => {
      secured = await startRegistry({ htpasswd: { user: 'berth', password: 'p4ss word' } });
      configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-docker-config-'));
    });
    after(async () => {
      await secured?.stop();
      fs.rmSync(configDir, { recursive: true, force: true });
    });

    it('refuses a push without credentials in words that say so, and pushes with a config.json auths entry', async () => {
      const ref = `${secured.host}/berth-test/private:1`;
      await e.client.tag(source, ref);
      try {
        assert.equal(await credentialsFor(secured.host, { DOCKER_CONFIG: configDir }), undefined, 'no config yet');
        const err = await e.client.push({ reference: ref }, () => undefined).then(
          () => assert.fail('pushed without credentials'),
          (x: Error) => x,
        );
        assert.equal(transferFailure(err.message).kind, 'credentials', err.message);

        fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ auths: { [secured.host]: { auth: Buffer.from('berth:wrong').toString('base64') } } }));
        const wrong = await credentialsFor(secured.host, { DOCKER_CONFIG: configDir });
        const refused = await e.client.push({ reference: ref, auth: wrong }, () => undefined).then(
          () => assert.fail('pushed with a wrong password'),
          (x: Error) => x,
        );
        assert.equal(transferFailure(refused.message).kind, 'credentials', refused.message);
        assert.doesNotMatch(refused.message, /wrong/, 'the password never appears in an error');

        fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ auths: { [`http://${secured.host}`]: { auth: Buffer.from('berth:p4ss word').toString('base64') } } }));
        const auth = await credentialsFor(secured.host, { DOCKER_CONFIG: configDir });
        // Fields left undefined are not sent.
        assert.deepEqual(JSON.parse(JSON.stringify(auth)), { serveraddress: secured.host, username: 'berth', password: 'p4ss word' });
        const seen = collect();
        await e.client.push({ reference: ref, auth }, seen.on);
        assert.match(seen.progress.digest ?? '', /^sha256:/);
        await e.client.removeImage(ref);
        await e.client.pull({ reference: ref, auth }, () => undefined);
        assert.equal((await e.client.image(ref))?.id, sourceId);
      } finally {
        await e.client.removeImage(ref).catch(() => undefined);
      }
    });
  });

  describe('save and load', () => {
    let engine: EmptyEngine;
    let second: EngineClient;
    let dir: string;
    const names: string[] = [];
    before(async function () {
      this.timeout(180_000);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-archive-'));
      engine = await startEmptyEngine({ bridgeCidr: '198.18.237.1/24' });
      second = createEngineClient(resolveEndpoint({ setting: `unix://${engine.socket}`, env: {} }));
      await second.ping(5000);
      for (const [i, mb] of [1, 2, 3].entries()) {
        const name = `${uniqueName(`berth-test-save${i}`)}:v${i}`;
        await buildLayered(t.docker, name, [mb]);
        names.push(name);
      }
    });
    after(async function () {
      this.timeout(60_000);
      second?.dispose();
      await engine?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('saves three images to one tar and loads them on an empty engine: the same IDs and tags', async () => {
      const file = path.join(dir, 'three.tar');
      let reported = 0;
      const size = await saveImagesToFile(e.client, names, file, undefined, (n) => (reported = n));
      assert.equal(size, fs.statSync(file).size);
      assert.equal(reported, size);
      const seen = collect();
      await loadImagesFromFile(second, file, seen.on);
      assert.deepEqual([...seen.progress.loaded].sort(), [...names].sort());
      for (const name of names) assert.equal((await second.image(name))?.id, (await e.client.image(name))?.id, name);
    });

    it('loads a .tar.gz as the engine unpacks it', async () => {
      const file = path.join(dir, 'one.tar');
      await saveImagesToFile(e.client, [names[0]], file);
      execFileSync('gzip', ['-f', file]);
      for (const n of names) await second.removeImage(n).catch(() => undefined);
      const seen = collect();
      await loadImagesFromFile(second, `${file}.gz`, seen.on);
      assert.deepEqual(seen.progress.loaded, [names[0]]);
    });

    it('refuses a truncated tar and loads nothing from it', async () => {
      const file = path.join(dir, 'cut.tar');
      await saveImagesToFile(e.client, [names[2]], file);
      fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
      for (const n of names) await second.removeImage(n).catch(() => undefined);
      await assert.rejects(loadImagesFromFile(second, file, () => undefined), (err: Error) => /unexpected EOF|tar|manifest/i.test(err.message));
      assert.equal(await second.image(names[2]), undefined);
    });

    it('cancels a save and removes the partial file', async () => {
      const file = path.join(dir, 'cancelled.tar');
      const abort = new AbortController();
      await assert.rejects(
        saveImagesToFile(e.client, names, file, abort.signal, () => abort.abort()),
        (err: Error) => err.name === 'AbortError',
      );
      assert.equal(fs.existsSync(file), false);
    });

    it('says a read-only folder is read-only, and leaves no file', async () => {
      const ro = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ro-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro]);
      try {
        const err = await saveImagesToFile(e.client, names, path.join(ro, 'x.tar')).then(
          () => assert.fail('saved into a read-only folder'),
          (x: Error) => x,
        );
        assert.equal(writeProblem(err), 'readOnly', err.message);
        assert.deepEqual(fs.readdirSync(ro), []);
      } finally {
        execFileSync('umount', [ro]);
        fs.rmdirSync(ro);
      }
    });
  });
});
