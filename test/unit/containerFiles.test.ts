import { strict as assert } from 'assert';
import { fromGoMode, relativeName } from '../../src/engine/files';
import { basename, bindSource, checkName, dirname, join, mountOf, normalize, type Mount } from '../../src/model/files/containerFiles';
import { fileKey, fileKeyParent, filesKey, parseFileKey } from '../../src/model/files/fileKeys';

describe('container file paths and keys', () => {
  it('normalises paths: absolute, no empty parts, .. resolved, never above the root', () => {
    assert.equal(normalize('srv//app/./x/../y/'), '/srv/app/y');
    assert.equal(normalize('/../../etc'), '/etc');
    assert.equal(normalize(''), '/');
    assert.equal(dirname('/srv/app'), '/srv');
    assert.equal(dirname('/srv'), '/');
    assert.equal(basename('/srv/café ü.txt'), 'café ü.txt');
    assert.equal(join('/srv', 'with space'), '/srv/with space');
  });

  it('refuses names that are empty, dots, or hold a slash', () => {
    assert.equal(checkName('a/b'), 'slash');
    assert.equal(checkName('  '), 'empty');
    assert.equal(checkName('..'), 'dots');
    assert.equal(checkName('naïve ☃.txt'), undefined);
  });

  it('finds the deepest mount of a path and the local path of a bind mount', () => {
    const mounts: Mount[] = [
      { type: 'volume', source: '/var/lib/docker/volumes/data/_data', destination: '/data', rw: true, name: 'data' },
      { type: 'bind', source: '/home/me/site/', destination: '/data/site', rw: false },
    ];
    assert.equal(mountOf(mounts, '/data/site/index.html')?.type, 'bind');
    assert.equal(mountOf(mounts, '/data/other')?.name, 'data');
    assert.equal(mountOf(mounts, '/database'), undefined, 'a prefix of a name is not a mount');
    assert.equal(bindSource(mounts[1], '/data/site/css/a.css'), '/home/me/site/css/a.css');
  });

  it('reads Go file modes from the stat header', () => {
    assert.deepEqual(fromGoMode(2 ** 31 + 0o755), { kind: 'dir', mode: 0o755 });
    assert.deepEqual(fromGoMode(134218239), { kind: 'symlink', mode: 0o777 });
    assert.deepEqual(fromGoMode(2 ** 23 + 0o755), { kind: 'file', mode: 0o4755 });
    assert.deepEqual(fromGoMode(2 ** 26 + 2 ** 21 + 0o666), { kind: 'other', mode: 0o666 });
  });

  it('names tar members relative to the listed folder', () => {
    assert.equal(relativeName('./'), '');
    assert.equal(relativeName('./a/b/'), 'a/b');
    assert.equal(relativeName('/bin/'), 'bin');
  });

  it('keys a Files node and its entries, with paths that hold colons and spaces', () => {
    const id = 'a'.repeat(64);
    assert.deepEqual(parseFileKey(fileKey(id, '/srv/x:y z')), { containerId: id, path: '/srv/x:y z' });
    assert.equal(fileKeyParent(fileKey(id, '/srv/x')), fileKey(id, '/srv'));
    assert.equal(fileKeyParent(fileKey(id, '/srv')), filesKey(id));
    assert.equal(fileKeyParent(filesKey(id)), id);
  });
});
