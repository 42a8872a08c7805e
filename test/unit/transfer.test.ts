import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkPullReference, namesRegistry, registryHost } from '../../src/model/imageReference';
import { credentialsFor } from '../../src/model/registryCredentials';
import { Throttle, TransferProgress, transferFailure } from '../../src/model/transferProgress';

describe('image transfer model', () => {
  it('checks a pull reference: tags, digests, and "all tags" without a tag', () => {
    assert.equal(checkPullReference('busybox'), undefined);
    assert.equal(checkPullReference('127.0.0.1:5000/team/app:1.2'), undefined);
    assert.equal(checkPullReference(`app@sha256:${'a'.repeat(64)}`), undefined);
    assert.equal(checkPullReference('app@sha256:abc')?.problem, 'badDigest');
    assert.equal(checkPullReference('Team/App')?.problem, 'uppercase');
    assert.equal(checkPullReference('app:')?.problem, 'tag');
    assert.equal(checkPullReference('app:1', true)?.problem, 'tagWithAllTags');
    assert.equal(checkPullReference(`app@sha256:${'a'.repeat(64)}`, true)?.problem, 'digest');
    assert.equal(checkPullReference('localhost:5000/app', true), undefined);
  });

  it('reads the registry host as Docker does, Docker Hub when none is named', () => {
    assert.equal(registryHost('busybox'), 'docker.io');
    assert.equal(registryHost('team/app:1'), 'docker.io');
    assert.equal(registryHost('127.0.0.1:5000/team/app:1'), '127.0.0.1:5000');
    assert.equal(registryHost('localhost/app'), 'localhost');
    assert.equal(registryHost('ghcr.io/o/app@sha256:00'), 'ghcr.io');
    assert.equal(namesRegistry('team/app:1'), false);
    assert.equal(namesRegistry('registry.example.com/app'), true);
  });

  it('follows layers through a pull, counting bytes, and the notes of the whole pull', () => {
    const p = new TransferProgress();
    p.apply({ status: 'Pulling from team/app', id: '1' });
    p.apply({ status: 'Pulling fs layer', id: 'aaa' });
    p.apply({ status: 'Already exists', id: 'bbb' });
    p.apply({ status: 'Downloading', id: 'aaa', progressDetail: { current: 400, total: 1000 } });
    assert.deepEqual(p.summary(), { done: 1, layers: 2, bytes: 400, totalBytes: 1000 });
    p.apply({ status: 'Download complete', id: 'aaa', progressDetail: {} });
    p.apply({ status: 'Extracting', id: 'aaa', progressDetail: { current: 500, total: 1000 } });
    assert.equal(p.layers.get('aaa')?.phase, 'extracting');
    assert.deepEqual(p.summary(), { done: 1, layers: 2, bytes: 1000, totalBytes: 1000 });
    p.apply({ status: 'Pull complete', id: 'aaa', progressDetail: {} });
    p.apply({ status: 'Digest: sha256:00' });
    p.apply({ status: 'Status: Downloaded newer image for team/app:1' });
    assert.equal(p.summary().done, 2);
    assert.deepEqual(p.notes, ['Pulling from team/app', 'Digest: sha256:00', 'Status: Downloaded newer image for team/app:1']);
  });

  it('tells pushed, already existing and mounted layers apart, and keeps the digest', () => {
    const p = new TransferProgress();
    p.apply({ status: 'The push refers to repository [r/x]' });
    p.apply({ status: 'Layer already exists', id: 'a' });
    p.apply({ status: 'Mounted from team/base', id: 'b' });
    p.apply({ status: 'Pushed', id: 'c' });
    p.apply({ status: '1: digest: sha256:ff size: 9' });
    p.apply({ aux: { Tag: '1', Digest: 'sha256:ff', Size: 9 } });
    assert.deepEqual([...p.layers.values()].map((l) => [l.phase, l.from]), [['alreadyPushed', undefined], ['mounted', 'team/base'], ['pushed', undefined]]);
    assert.equal(p.digest, 'sha256:ff');
    assert.deepEqual(p.notes, ['The push refers to repository [r/x]', '1: digest: sha256:ff size: 9']);
  });

  it('collects what a load loaded', () => {
    const p = new TransferProgress();
    p.apply({ status: 'Loading layer', id: 'a', progressDetail: { current: 5, total: 10 } });
    p.apply({ stream: 'Loaded image: app:1\n' });
    p.apply({ stream: 'Loaded image ID: sha256:0123\n' });
    assert.deepEqual(p.loaded, ['app:1', 'sha256:0123']);
  });

  it('says what a failure means from the engine\'s words', () => {
    assert.equal(transferFailure('(HTTP code 500) server error - Head "http://r/v2/x/manifests/1": no basic auth credentials').kind, 'credentials');
    assert.equal(transferFailure('(HTTP code 500) server error - Head "http://r/v2/x/manifests/1": no basic auth credentials').said, 'Head "http://r/v2/x/manifests/1": no basic auth credentials');
    assert.equal(transferFailure('unauthorized: authentication required').kind, 'credentials');
    assert.equal(transferFailure('manifest for r/x:1 not found: manifest unknown: manifest unknown').kind, 'notFound');
    assert.equal(transferFailure('Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused').kind, 'unreachable');
    assert.equal(transferFailure('something else').kind, 'other');
  });

  it('renders at most once per interval, and once more at the end', () => {
    let now = 0;
    let renders = 0;
    const timers: (() => void)[] = [];
    const real = global.setTimeout;
    (global as unknown as { setTimeout: unknown }).setTimeout = (fn: () => void) => (timers.push(fn), 1);
    try {
      const t = new Throttle(100, () => renders++, () => now);
      now = 1000;
      t.poke(); // renders at once
      for (let i = 0; i < 50; i++) t.poke(); // one timer pending
      assert.equal(renders, 1);
      assert.equal(timers.length, 1);
      now = 1100;
      timers.shift()!();
      assert.equal(renders, 2);
      t.poke();
      t.flush();
      assert.equal(renders, 3);
      t.flush(); // nothing pending
      assert.equal(renders, 3);
      t.dispose();
    } finally {
      global.setTimeout = real;
    }
  });

  describe('credentials from the docker CLI\'s config.json (auths)', () => {
    // Fields left undefined are not sent.
    const plain = async (p: Promise<unknown>) => JSON.parse(JSON.stringify((await p) ?? null));
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-config-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (config: unknown) => fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));

    it('reads the base64 auth of the host, under the keys the CLI writes', async () => {
      write({ auths: { 'registry.example.com:5000': { auth: Buffer.from('ann:pa:ss').toString('base64') }, 'https://index.docker.io/v1/': { auth: Buffer.from('bob:x').toString('base64') } } });
      assert.deepEqual(await plain(credentialsFor('registry.example.com:5000', { DOCKER_CONFIG: dir })), { serveraddress: 'registry.example.com:5000', username: 'ann', password: 'pa:ss' });
      assert.deepEqual(await plain(credentialsFor('docker.io', { DOCKER_CONFIG: dir })), { serveraddress: 'https://index.docker.io/v1/', username: 'bob', password: 'x' });
      assert.equal(await credentialsFor('other.example.com', { DOCKER_CONFIG: dir }), undefined);
    });

    it('passes an identity token, and reads ~/.docker without DOCKER_CONFIG', async () => {
      fs.mkdirSync(path.join(dir, '.docker'));
      fs.writeFileSync(path.join(dir, '.docker', 'config.json'), JSON.stringify({ auths: { 'https://r.example.com': { auth: Buffer.from('u:p').toString('base64'), identitytoken: 'tok' } } }));
      const found = await credentialsFor('r.example.com', { HOME: dir });
      assert.equal(found?.identitytoken, 'tok');
      assert.equal(found?.serveraddress, 'r.example.com');
    });

    it('answers none for a missing config, and names a broken one', async () => {
      assert.equal(await credentialsFor('r.example.com', { DOCKER_CONFIG: dir }), undefined);
      fs.writeFileSync(path.join(dir, 'config.json'), '{ not json');
      await assert.rejects(credentialsFor('r.example.com', { DOCKER_CONFIG: dir }), (e: Error) => e.message.includes(path.join(dir, 'config.json')) && /not valid JSON/.test(e.message));
    });
  });
});
