// Bad inputs caught before anything reaches the engine (docs/bad-inputs.md), and a check that the
// table in docs/bad-inputs.md names only tests that exist.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planContext } from '../../src/model/buildContext';
import { readDockerfile, lineOfStep } from '../../src/model/dockerfile';
import { checkTag } from '../../src/model/imageReference';
import { parsePorts } from '../../src/model/ports';
import { checkName, parseEnv, parseEnvFile, parseMount } from '../../src/model/runSpec';

const root = path.resolve(__dirname, '..', '..', '..');

describe('bad inputs caught before the engine', () => {
  it('tags: uppercase, a space, over 128 characters and a digest each name their part', () => {
    assert.deepEqual(checkTag('Web:1'), { problem: 'uppercase', part: 'Web' });
    assert.deepEqual(checkTag('my app:1'), { problem: 'pathComponent', part: 'my app' });
    assert.deepEqual(checkTag('app:1 2'), { problem: 'tag', part: '1 2' });
    assert.equal(checkTag(`app:${'a'.repeat(128)}`), undefined, '128 is allowed');
    assert.deepEqual(checkTag(`app:${'a'.repeat(129)}`), { problem: 'tagTooLong', part: 'a'.repeat(129) });
    assert.deepEqual(checkTag(`app@sha256:${'0'.repeat(64)}`), { problem: 'digest', part: `@sha256:${'0'.repeat(64)}` });
  });

  it('ports: 0, 65536, abc, a reversed range and a duplicate are refused', () => {
    assert.deepEqual(parsePorts('0:80'), { problem: 'notPort', part: '0' });
    assert.deepEqual(parsePorts('8080:65536'), { problem: 'notPort', part: '65536' });
    assert.deepEqual(parsePorts('abc'), { problem: 'syntax', part: 'abc' });
    assert.deepEqual(parsePorts('8002-8000:80'), { problem: 'syntax', part: '8002-8000' });
    assert.deepEqual(parsePorts('8080:80, 8080:81'), { problem: 'duplicate', part: '8080' });
    // The same number on udp is another port, as docker sees it.
    assert.equal(Array.isArray(parsePorts('8080:80, 8080:80/udp')), true);
  });

  it('env lines: a line without = is refused with its line number', () => {
    assert.deepEqual(parseEnv('A=1\nJUSTANAME\n'), { problem: 'envNoEquals', part: 'JUSTANAME', line: 2 });
    assert.deepEqual(parseEnv('=1'), { problem: 'envEmptyKey', part: '=1', line: 1 });
    assert.deepEqual(parseEnv('A=1\r\nB=2\r\n'), ['A=1', 'B=2'], 'CRLF typed or pasted: no \\r in the value');
  });

  it('env files: export X=1 is refused; CRLF and a BOM are read as docker run --env-file reads them', () => {
    const env = (text: string) => parseEnvFile(new TextEncoder().encode(text), () => undefined);
    assert.deepEqual(env('A=1\nexport X=1\n'), { problem: 'envFileKeySpace', part: 'export X', line: 2 });
    assert.deepEqual(env('A=1\r\nB=two words\r\n'), ['A=1', 'B=two words']);
    assert.deepEqual(env('A=1\n\ufeffB=2\n'), ['A=1', '\ufeffB=2'], 'only the first line\'s BOM is dropped, as docker does');
    assert.deepEqual(env('\ufeffA=1\n'), ['A=1'], 'a BOM at the start is dropped');
    assert.deepEqual(parseEnvFile(Uint8Array.from([0x41, 0x3d, 0xff]), () => undefined), { problem: 'envFileUtf8', line: 1 });
  });

  it('bind mounts: a relative source is resolved against the workspace folder, never sent relative', () => {
    assert.deepEqual(parseMount('./data:/data', '/work/app'), { type: 'bind', source: '/work/app/data', target: '/data', readOnly: false });
    assert.deepEqual(parseMount('../up:/up:ro', '/work/app'), { type: 'bind', source: '/work/up', target: '/up', readOnly: true });
    assert.deepEqual(parseMount('./data:data', '/work/app'), { problem: 'mountTarget', part: 'data' });
  });

  it('container names: invalid characters and a taken name are refused', () => {
    assert.deepEqual(checkName('my web', new Set()), { problem: 'nameSyntax', part: 'my web' });
    assert.deepEqual(checkName('-web', new Set()), { problem: 'nameSyntax', part: '-web' });
    assert.deepEqual(checkName('web/1', new Set()), { problem: 'nameSyntax', part: 'web/1' });
    assert.deepEqual(checkName('web', new Set(['web'])), { problem: 'nameTaken', part: 'web' });
    assert.deepEqual(checkName('/web', new Set(['web'])), { problem: 'nameTaken', part: 'web' });
  });

  it('Dockerfiles with CRLF line endings and a BOM: steps map to the lines the editor shows', () => {
    const facts = readDockerfile('\ufeffFROM scratch\r\n# comment\r\nARG V=1\r\nCOPY a /a\r\nRUN \\\r\n  false\r\n');
    assert.deepEqual(
      facts.instructions.map((i) => [i.keyword, i.line]),
      [
        ['FROM', 0],
        ['ARG', 2],
        ['COPY', 3],
        ['RUN', 4],
      ],
    );
    assert.equal(facts.instructions[0].text, 'FROM scratch', 'no BOM in the step text');
    assert.equal(lineOfStep(facts, { index: 3, text: 'COPY a /a' }), 3);
    assert.deepEqual(facts.args, [{ name: 'V', value: '1', line: 2 }]);
  });

  it('contexts with a symlink loop are planned without following the links', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-loop-'));
    try {
      fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.symlinkSync('..', path.join(dir, 'sub', 'up'));
      fs.symlinkSync('b', path.join(dir, 'a'));
      fs.symlinkSync('a', path.join(dir, 'b'));
      const plan = await planContext(dir, path.join(dir, 'Dockerfile'));
      assert.deepEqual([...plan.entries].sort(), ['Dockerfile', 'a', 'b', 'sub', 'sub/up']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/bad-inputs.md', () => {
  /** Every it('…') title in a test file, with \' and ’ as written. */
  function titles(file: string): Set<string> {
    const text = fs.readFileSync(file, 'utf8');
    const out = new Set<string>();
    for (const m of text.matchAll(/\bit\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g)) out.add(m[2].replace(/\\(.)/g, '$1'));
    return out;
  }

  it('names, for every row, a test file and a test title that exist', () => {
    const table = fs.readFileSync(path.join(root, 'docs', 'bad-inputs.md'), 'utf8');
    const rows = table.split('\n').filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l)).slice(1);
    assert.ok(rows.length >= 30, `the table has ${rows.length} rows`);
    const missing: string[] = [];
    for (const row of rows) {
      const cells = row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      const covered = cells[cells.length - 1];
      const refs = [...covered.matchAll(/`([^`]+\.test\.ts)` › “([^”]+)”/g)];
      if (!refs.length) missing.push(`${cells[0]} / ${cells[1]}: no test named`);
      for (const [, file, title] of refs) {
        const abs = path.join(root, file);
        if (!fs.existsSync(abs)) missing.push(`${file}: no such file`);
        else if (!titles(abs).has(title)) missing.push(`${file}: no test titled “${title}”`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
