import { strict as assert } from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type Docker from 'dockerode';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { VOLUME_HELPER_LABEL } from '../../src/engine/files';
import { ContainerFiles, FileProblem } from '../../src/model/files/containerFiles';
import { download, PART_SUFFIX, upload } from '../../src/model/files/transfer';
import { useEngineClient, useTestEngine } from '../support/engineHooks';
import { startCuttingProxy } from '../support/cuttingProxy';
import { BASE_IMAGE, testLabels, uniqueName } from '../support/testEngine';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

async function sh(c: Docker.Container, script: string): Promise<string> {
  const e = await c.exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
  const stream = await e.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    const out = { write: (b: Buffer) => chunks.push(b) } as unknown as NodeJS.WritableStream;
    c.modem.demuxStream(stream, out, out);
    stream.on('end', resolve);
  });
  return Buffer.concat(chunks).toString('utf8');
}

async function problemOf(p: Promise<unknown>): Promise<FileProblem> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof FileProblem, `a FileProblem, not ${String(err)}`);
    return err;
  }
  assert.fail('it should have failed');
}

describe('container files through the archive API', function () {
  this.timeout(120_000);
  const t = useTestEngine();
  const berth = useEngineClient();
  let files: ContainerFiles;
  let c: Docker.Container;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-files-'));

  before(async () => {
    files = new ContainerFiles(() => berth.client);
    c = await t.docker.createContainer({
      name: uniqueName('berth-test-files'),
      Image: BASE_IMAGE,
      Cmd: ['sleep', '3600'],
      Labels: testLabels(),
      StopTimeout: 1,
    });
    await c.start();
    await sh(
      c,
      [
        'mkdir -p /srv/app "/srv/with space" /srv/big',
        'printf "port=80\\n" > /srv/app/app.conf && chmod 640 /srv/app/app.conf && chown 1234:2345 /srv/app/app.conf',
        'printf "été" > "/srv/with space/café ü.txt"',
        'ln -s app/app.conf /srv/link.conf && ln -s /srv/app /srv/applink',
      ].join(' && '),
    );
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('edits a file and keeps its mode, owner and group', async () => {
    assert.equal(text(await files.readFile(c.id, '/srv/app/app.conf')), 'port=80\n');
    await files.writeFile(c.id, '/srv/app/app.conf', Buffer.from('port=8080\n'), { create: false, overwrite: true });
    assert.equal(await sh(c, 'cat /srv/app/app.conf'), 'port=8080\n');
    assert.equal((await sh(c, 'stat -c "%a %u %g" /srv/app/app.conf')).trim(), '640 1234 2345');
    const s = await files.stat(c.id, '/srv/app/app.conf');
    assert.equal(s.size, 10);
    assert.equal(s.kind, 'file');
  });

  it('lists a folder with kinds, sizes, modes and owners, symlinks as links', async () => {
    const entries = await files.list(c.id, '/srv');
    const byName = new Map(entries.map((e) => [e.name, e]));
    assert.deepEqual([...byName.keys()].sort(), ['app', 'applink', 'big', 'link.conf', 'with space']);
    assert.equal(byName.get('app')?.kind, 'dir');
    assert.equal(byName.get('link.conf')?.kind, 'symlink');
    assert.equal(byName.get('link.conf')?.linkTarget, 'app/app.conf');
    const conf = (await files.list(c.id, '/srv/applink')).find((e) => e.name === 'app.conf');
    assert.deepEqual([conf?.uid, conf?.gid, conf?.mode], [1234, 2345, 0o640], 'a symlinked folder lists its target');
  });

  it('follows a symlink when reading and writes through it to its target', async () => {
    const s = await files.stat(c.id, '/srv/link.conf');
    assert.equal(s.symlink, true);
    assert.equal(s.kind, 'file');
    assert.match(text(await files.readFile(c.id, '/srv/link.conf')), /^port=/);
    await files.writeFile(c.id, '/srv/link.conf', Buffer.from('via link\n'), { create: false, overwrite: true });
    assert.equal(await sh(c, 'cat /srv/app/app.conf; test -L /srv/link.conf && echo still-a-link'), 'via link\nstill-a-link\n');
  });

  it('reads and writes names with spaces and non-ASCII', async () => {
    assert.equal(text(await files.readFile(c.id, '/srv/with space/café ü.txt')), 'été');
    await files.writeFile(c.id, '/srv/with space/naïve ☃.txt', Buffer.from('ok'), { create: true, overwrite: false });
    assert.equal(await sh(c, 'cat "/srv/with space/naïve ☃.txt"'), 'ok');
    assert.ok((await files.list(c.id, '/srv/with space')).some((e) => e.name === 'naïve ☃.txt'));
  });

  it('creates folders, renames and deletes in a running container', async () => {
    await files.createDirectory(c.id, '/srv/new dir');
    assert.equal((await files.stat(c.id, '/srv/new dir')).kind, 'dir');
    assert.equal((await problemOf(files.createDirectory(c.id, '/srv/new dir'))).kind, 'exists');
    await files.writeFile(c.id, '/srv/new dir/a.txt', Buffer.from('a'), { create: true, overwrite: false });
    assert.equal((await problemOf(files.writeFile(c.id, '/srv/new dir/a.txt', Buffer.from('b'), { create: true, overwrite: false }))).kind, 'exists');
    await files.rename(c.id, '/srv/new dir/a.txt', '/srv/new dir/b.txt', false);
    assert.equal(await sh(c, 'cat "/srv/new dir/b.txt"; ls "/srv/new dir"'), 'ab.txt\n');
    await files.delete(c.id, '/srv/new dir', true);
    assert.equal((await problemOf(files.stat(c.id, '/srv/new dir'))).kind, 'notFound');
  });

  it('says what is wrong: a missing path, a missing folder, a name with a slash, a file as folder', async () => {
    assert.equal((await problemOf(files.readFile(c.id, '/srv/nope.txt'))).kind, 'notFound');
    assert.equal((await problemOf(files.writeFile(c.id, '/srv/no/such/dir/x', Buffer.from('x'), { create: true, overwrite: false }))).kind, 'notFound');
    assert.equal((await problemOf(files.list(c.id, '/srv/app/app.conf'))).kind, 'notDir');
    // A '/' in a name names another folder: it is a path of its own, never a file called "a/b".
    assert.equal((await problemOf(files.writeFile(c.id, '/srv/a/b', Buffer.from('x'), { create: true, overwrite: false }))).kind, 'notFound');
    assert.equal(await sh(c, 'ls /srv | grep -c a/b || true'), '0\n');
  });

  it('reads and writes a stopped container; rename and delete need it running', async () => {
    const stopped = await t.docker.createContainer({ name: uniqueName('berth-test-files-stopped'), Image: BASE_IMAGE, Cmd: ['sh', '-c', 'echo hello > /greeting'], Labels: testLabels() });
    await stopped.start();
    await stopped.wait();
    assert.equal(text(await files.readFile(stopped.id, '/greeting')), 'hello\n');
    await files.writeFile(stopped.id, '/greeting', Buffer.from('bonjour\n'), { create: false, overwrite: true });
    assert.equal(text(await files.readFile(stopped.id, '/greeting')), 'bonjour\n');
    assert.equal((await problemOf(files.delete(stopped.id, '/greeting', false))).kind, 'notRunning');
  });

  it('a read-only root filesystem and a read-only mount refuse with their reason, the file unchanged', async () => {
    const ro = await t.docker.createContainer({
      name: uniqueName('berth-test-files-ro'),
      Image: BASE_IMAGE,
      Cmd: ['sleep', '3600'],
      Labels: testLabels(),
      StopTimeout: 1,
      HostConfig: { ReadonlyRootfs: true, Binds: [`${tmp}:/host:ro`] },
    });
    await ro.start();
    fs.writeFileSync(path.join(tmp, 'kept.txt'), 'original');
    const root = await problemOf(files.writeFile(ro.id, '/etc/x.conf', Buffer.from('x'), { create: true, overwrite: false }));
    assert.equal(root.kind, 'readOnly');
    assert.match(root.said, /rootfs is marked read-only/);
    const mount = await problemOf(files.writeFile(ro.id, '/host/kept.txt', Buffer.from('changed'), { create: false, overwrite: true }));
    assert.equal(mount.kind, 'readOnly');
    assert.match(mount.said, /volume is marked read-only/);
    assert.equal(fs.readFileSync(path.join(tmp, 'kept.txt'), 'utf8'), 'original');
    const m = await files.mounts(ro.id);
    assert.deepEqual(m.map((x) => [x.type, x.destination, x.rw]), [['bind', '/host', false]]);
  });

  it('a container removed while a file is open: reads and saves say it is gone', async () => {
    const doomed = await t.docker.createContainer({ name: uniqueName('berth-test-files-gone'), Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: testLabels() });
    await doomed.start();
    assert.ok((await files.readFile(doomed.id, '/bin/busybox')).length > 0);
    await doomed.remove({ force: true });
    assert.equal((await problemOf(files.readFile(doomed.id, '/etc/passwd'))).kind, 'gone');
    assert.equal((await problemOf(files.writeFile(doomed.id, '/tmp/x', Buffer.from('x'), { create: true, overwrite: true }))).kind, 'gone');
  });

  it('downloads a large file exactly (checksum) and a folder with its structure', async () => {
    const mb = 200;
    await sh(c, `dd if=/dev/urandom of=/srv/big/blob.bin bs=1048576 count=${mb} 2>/dev/null; mkdir -p /srv/big/tree/sub; echo one > /srv/big/tree/one; echo two > /srv/big/tree/sub/two`);
    const expected = (await sh(c, 'sha256sum /srv/big/blob.bin')).split(' ')[0];
    let bytes = 0;
    const local = await download(files, berth.client.files!, c.id, '/srv/big/blob.bin', tmp, { onBytes: (n) => (bytes += n) });
    const hash = crypto.createHash('sha256');
    for await (const chunk of fs.createReadStream(local)) hash.update(chunk as Buffer);
    assert.equal(hash.digest('hex'), expected);
    assert.equal(bytes, mb * 1048576);
    assert.equal((await problemOf(download(files, berth.client.files!, c.id, '/srv/big/blob.bin', tmp))).kind, 'exists', 'never replaces a local file');
    fs.rmSync(local);
    const tree = await download(files, berth.client.files!, c.id, '/srv/big/tree', tmp);
    assert.equal(fs.readFileSync(path.join(tree, 'sub', 'two'), 'utf8'), 'two\n');
    assert.equal(fs.readFileSync(path.join(tree, 'one'), 'utf8'), 'one\n');
  });

  it('an engine connection cut mid-download fails clearly and removes the partial file', async () => {
    await sh(c, 'dd if=/dev/zero of=/srv/big/cut.bin bs=1048576 count=8 2>/dev/null');
    const socket = path.join(tmp, 'cut.sock');
    const proxy = await startCuttingProxy(socket, process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock', { cut: /\/archive\?path=%2Fsrv%2Fbig%2Fcut\.bin/, budget: () => 1024 * 1024 });
    const client = createEngineClient(resolveEndpoint({ setting: `unix://${socket}`, env: {} }));
    try {
      const cutFiles = new ContainerFiles(() => client);
      const dir = fs.mkdtempSync(path.join(tmp, 'cut-'));
      const err = await problemOf(download(cutFiles, client.files!, c.id, '/srv/big/cut.bin', dir));
      assert.equal(err.kind, 'failed');
      assert.ok(err.said.length > 0, 'the reason is given');
      assert.deepEqual(fs.readdirSync(dir), [], `nothing left behind (no ${PART_SUFFIX})`);
    } finally {
      client.dispose();
      await proxy.close();
    }
  });

  it('uploads a local tree with its structure, and refuses to overwrite without being told', async () => {
    const src = path.join(tmp, 'up');
    fs.mkdirSync(path.join(src, 'site', 'css'), { recursive: true });
    fs.writeFileSync(path.join(src, 'site', 'index.html'), '<h1>hi</h1>');
    fs.writeFileSync(path.join(src, 'site', 'css', 'a.css'), 'b{}');
    const sent = await upload(files, berth.client.files!, c.id, '/srv', [path.join(src, 'site')], { owner: { uid: 33, gid: 33 } });
    assert.deepEqual(sent, ['site']);
    assert.equal(await sh(c, 'cat /srv/site/index.html /srv/site/css/a.css; stat -c %u /srv/site/css/a.css'), '<h1>hi</h1>b{}33\n');
    const clash = await problemOf(upload(files, berth.client.files!, c.id, '/srv', [path.join(src, 'site')]));
    assert.equal(clash.kind, 'exists');
    await upload(files, berth.client.files!, c.id, '/srv', [path.join(src, 'site')], { overwrite: true });
  });

  it('browses an unused volume through a helper container that is gone afterwards', async () => {
    const volume = uniqueName('berth-test-files-vol');
    await t.docker.createVolume({ Name: volume, Labels: testLabels() });
    const helper = await berth.client.files!.createVolumeHelper(volume);
    assert.ok(helper, 'the engine has images');
    try {
      const info = await t.docker.getContainer(helper).inspect();
      assert.equal(info.Config.Labels[VOLUME_HELPER_LABEL], volume);
      assert.equal(info.State.Status, 'created', 'never started');
      await files.writeFile(helper, '/volume/note.txt', Buffer.from('in the volume'), { create: true, overwrite: false });
      assert.deepEqual((await files.list(helper, '/volume')).map((e) => e.name), ['note.txt']);
      assert.equal(text(await files.readFile(helper, '/volume/note.txt')), 'in the volume');
    } finally {
      await berth.client.removeContainer(helper, true);
    }
    const left = await t.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${VOLUME_HELPER_LABEL}=${volume}`] }) });
    assert.deepEqual(left, [], 'the helper container is gone');
  });

  it('lists the changes since the image: added, changed, deleted', async () => {
    const w = await t.docker.createContainer({
      name: uniqueName('berth-test-files-changes'),
      Image: BASE_IMAGE,
      Cmd: ['sh', '-c', 'echo new > /added.txt && rm /bin/vi && touch /bin/ls'],
      Labels: testLabels(),
    });
    await w.start();
    await w.wait();
    const changes = await berth.client.files!.changes(w.id);
    const of = (p: string) => changes.find((x) => x.path === p)?.kind;
    assert.equal(of('/added.txt'), 'added');
    assert.equal(of('/bin/vi'), 'deleted');
    assert.equal(of('/bin'), 'changed');
  });
});
