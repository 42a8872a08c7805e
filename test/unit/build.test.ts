import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { extract } from 'tar-stream';
import { packContext, parseIgnoreFile, planContext, ContextError } from '../../src/model/buildContext';
import { BuildLog, lineFromParseError } from '../../src/model/buildOutput';
import { lineOfStep, readDockerfile } from '../../src/model/dockerfile';
import { checkTag, normalizeTag, repositoryFromFolder } from '../../src/model/imageReference';

describe('tag grammar', () => {
  it('accepts what docker build -t accepts', () => {
    for (const ok of ['app', 'app:1.0', 'team/app:v1_2-rc.3', 'localhost:5000/app', 'registry.example.com:443/a/b/c:latest', 'a__b', 'a--b', 'A.example.com/x', 'app:' + 'x'.repeat(128)])
      assert.equal(checkTag(ok), undefined, ok);
  });

  it('names the offending part', () => {
    assert.deepEqual(checkTag(''), { problem: 'empty', part: '' });
    assert.deepEqual(checkTag('MyApp:1'), { problem: 'uppercase', part: 'MyApp' });
    assert.deepEqual(checkTag('team/My_App'), { problem: 'uppercase', part: 'My_App' });
    assert.deepEqual(checkTag('my app'), { problem: 'pathComponent', part: 'my app' });
    assert.deepEqual(checkTag('app-:1'), { problem: 'pathComponent', part: 'app-' });
    assert.deepEqual(checkTag('a..b'), { problem: 'pathComponent', part: 'a..b' });
    assert.deepEqual(checkTag('app:v1!'), { problem: 'tag', part: 'v1!' });
    assert.deepEqual(checkTag('app:.hidden'), { problem: 'tag', part: '.hidden' });
    assert.deepEqual(checkTag('app:' + 'x'.repeat(129)), { problem: 'tagTooLong', part: 'x'.repeat(129) });
    assert.deepEqual(checkTag('app@sha256:abc'), { problem: 'digest', part: '@sha256:abc' });
    assert.deepEqual(checkTag('bad_host.com:50x0/app'), { problem: 'host', part: 'bad_host.com:50x0' });
    assert.deepEqual(checkTag('host.com:50x0/app'), { problem: 'port', part: '50x0' });
    assert.deepEqual(checkTag('team//app'), { problem: 'emptyComponent', part: 'team//app' });
    assert.equal(checkTag('a'.repeat(256))?.problem, 'nameTooLong');
  });

  it('adds latest like the engine, and makes a repository name from a folder', () => {
    assert.equal(normalizeTag('app'), 'app:latest');
    assert.equal(normalizeTag('localhost:5000/app'), 'localhost:5000/app:latest');
    assert.equal(normalizeTag('app:1'), 'app:1');
    assert.equal(repositoryFromFolder('My Web App'), 'my-web-app');
    assert.equal(repositoryFromFolder('__x__'), 'x');
    assert.equal(checkTag(repositoryFromFolder('Über Projekt (2)')), undefined);
  });
});

describe('Dockerfile facts', () => {
  const text = ['ARG BASE=busybox', 'FROM ${BASE} AS build', 'ARG VERSION=1.0', 'ARG TOKEN', 'COPY missing.txt /x', '', 'FROM build AS final', 'RUN echo \\', '  done'].join('\n');

  it('reads build args with defaults and the stages', () => {
    const facts = readDockerfile(text);
    assert.deepEqual(
      facts.args.map((a) => [a.name, a.value]),
      [
        ['BASE', 'busybox'],
        ['VERSION', '1.0'],
        ['TOKEN', undefined],
      ],
    );
    assert.deepEqual(facts.stages, ['build', 'final']);
  });

  it('maps a failing step to its line, by number and by text', () => {
    const facts = readDockerfile(text);
    assert.equal(lineOfStep(facts, { index: 5, text: 'COPY missing.txt /x' }), 4);
    assert.equal(lineOfStep(facts, { index: 7, text: 'RUN echo   done' }), 7);
    assert.equal(lineOfStep(facts, { index: 99, text: 'COPY missing.txt /x' }), 4, 'falls back to the text');
    assert.equal(lineFromParseError('Dockerfile parse error line 3: unknown instruction: FOO'), 2);
    assert.equal(lineFromParseError('something else'), undefined);
  });

  it('treats an error inside a 200 stream as the failure, at the running step', () => {
    const log = new BuildLog();
    const segs = [
      ...log.push({ stream: 'Step 1/2 : FROM x\n' }),
      ...log.push({ stream: ' ---> abc\nStep 2/2 : COPY missing.txt /x\n' }),
      ...log.push({ errorDetail: { message: 'COPY failed: file not found' }, error: 'COPY failed: file not found' }),
    ];
    assert.deepEqual(
      segs.map((s) => s.kind),
      ['step', 'output', 'step', 'error'],
    );
    assert.deepEqual(log.failure, { message: 'COPY failed: file not found', step: { index: 2, total: 2, text: 'COPY missing.txt /x' } });
    const ok = new BuildLog();
    ok.push({ aux: { ID: 'sha256:1' } });
    assert.equal(ok.imageId, 'sha256:1');
    assert.equal(ok.failure, undefined);
  });
});

describe('build context packing', () => {
  let dir: string;
  const write = (rel: string, content = 'x') => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ctx-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function tarNames(plan: Awaited<ReturnType<typeof planContext>>): Promise<string[]> {
    const names: string[] = [];
    const ex = extract();
    ex.on('entry', (h, stream, next) => {
      names.push(h.name.replace(/\/$/, ''));
      stream.resume();
      stream.on('end', next);
    });
    const done = new Promise((r) => ex.on('finish', r));
    packContext(plan).pipe(ex);
    await done;
    return names.filter((n) => n !== '.').sort();
  }

  it('parses ignore files like Docker: comments, leading slashes, exceptions', () => {
    assert.deepEqual(parseIgnoreFile('# c\n\n/node_modules\n./dist/\n!dist/keep.txt\n  *.log  \n'), ['node_modules', 'dist', '!dist/keep.txt', '*.log']);

  });

  it('reads .dockerignore line by line as Docker does', () => {
    // '#' is a comment only as the very first character: " #hash.txt" is a pattern.
    assert.deepEqual(parseIgnoreFile(' #hash.txt\n#comment\n'), ['#hash.txt']);
    // A BOM on the first line, CRLF endings, a leading '/', '!' followed by spaces.
    assert.deepEqual(parseIgnoreFile('\uFEFFa.txt\r\n/b/c/\r\n!  b/c/keep\r\n\r\n'), ['a.txt', 'b/c', '!b/c/keep']);
    // Cleaned like filepath.Clean; "." alone is dropped.
    assert.deepEqual(parseIgnoreFile('x/../y\nz//w\n.\n'), ['y', 'z/w']);
    // Backslashes separate only on Windows.
    assert.deepEqual(parseIgnoreFile('a\\b\n', 'linux'), ['a\\b']);
    assert.deepEqual(parseIgnoreFile('a\\b\n', 'win32'), ['a/b']);
  });

  it('sends what .dockerignore leaves, plus the Dockerfile and the ignore file, and never reads ignored folders', async () => {
    write('Dockerfile', 'FROM scratch\n');
    write('.dockerignore', 'node_modules\n*.log\nDockerfile\n.dockerignore\ndist\n!dist/keep.txt\n');
    write('src/a.ts', 'abc');
    write('src/deep/b.ts', 'de');
    write('debug.log');
    write('node_modules/pkg/index.js', 'big');
    write('dist/drop.js');
    write('dist/keep.txt', 'k');
    fs.mkdirSync(path.join(dir, 'empty'));
    fs.chmodSync(path.join(dir, 'node_modules'), 0o000); // would fail if read (when not root)
    try {
      const plan = await planContext(dir, path.join(dir, 'Dockerfile'));
      assert.deepEqual([...plan.entries].sort(), ['.dockerignore', 'Dockerfile', 'dist', 'dist/keep.txt', 'empty', 'src', 'src/a.ts', 'src/deep', 'src/deep/b.ts']);
      assert.equal(plan.dockerfileName, 'Dockerfile');
      assert.equal(plan.bytes, fs.statSync(path.join(dir, 'Dockerfile')).size + fs.statSync(path.join(dir, '.dockerignore')).size + 3 + 2 + 1);
      assert.deepEqual(await tarNames(plan), [...plan.entries].sort());
      assert.equal(plan.largest[0].folder, 'src');
    } finally {
      fs.chmodSync(path.join(dir, 'node_modules'), 0o755);
    }
  });

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile, and adds an outside Dockerfile under a hidden name', async () => {
    write('app/.dockerignore', 'secret.txt\n');
    write('app/secret.txt');
    write('app/other.txt');
    write('build/web.Dockerfile', 'FROM scratch\n');
    write('build/web.Dockerfile.dockerignore', 'other.txt\n');
    const plan = await planContext(path.join(dir, 'app'), path.join(dir, 'build/web.Dockerfile'));
    assert.equal(plan.ignoreFile, path.join(dir, 'build/web.Dockerfile.dockerignore'));
    assert.deepEqual([...plan.entries].sort(), ['.dockerignore', 'secret.txt']);
    assert.match(plan.dockerfileName, /^\.dockerfile\.[0-9a-f]{20}$/);
    assert.deepEqual(await tarNames(plan), ['.dockerignore', plan.dockerfileName, 'secret.txt'].sort());
  });

  it('says which path is wrong: a missing folder, a file for a folder, a missing Dockerfile', async () => {
    await assert.rejects(planContext(path.join(dir, 'nope'), path.join(dir, 'Dockerfile')), (e: ContextError) => e.code === 'missing');
    write('file.txt');
    await assert.rejects(planContext(path.join(dir, 'file.txt'), path.join(dir, 'Dockerfile')), (e: ContextError) => e.code === 'notFolder');
    await assert.rejects(planContext(dir, path.join(dir, 'Dockerfile')), (e: ContextError) => e.code === 'noDockerfile' && e.target === path.join(dir, 'Dockerfile'));
  });
});
