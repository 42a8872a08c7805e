import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ignoreMatcher, parseIgnoreFile } from '../../src/model/buildContext';
import { languageEnabled } from '../../src/ui/language/enabled';
import { checkDockerfile, dockerfileDefinition, dockerfileStages, fromImageAt, type CheckResult } from '../../src/model/dockerfileLanguage';

/** "Name line:col-line:col args" for each check, so a failure shows the whole picture. */
function brief(results: CheckResult[]): string[] {
  return results.map((r) => `${r.name} ${r.range.start.line}:${r.range.start.character}-${r.range.end.line}:${r.range.end.character} ${r.args.join('|')}`);
}

/** Applies edits (non-overlapping) to a text. */
function apply(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

describe('Dockerfile checks while typing (BuildKit names)', () => {
  it('JSONArgsRecommended on shell-form CMD and ENTRYPOINT, with the JSON form as the fix when it is certain', () => {
    const text = 'FROM scratch\nCMD node server.js --port 80\nENTRYPOINT echo "$HOME"\nCMD ["ok"]\n';
    const results = checkDockerfile(text, { imageEnv: () => [] });
    assert.deepEqual(brief(results), ['JSONArgsRecommended 1:4-1:28 CMD', 'JSONArgsRecommended 2:11-2:23 ENTRYPOINT']);
    assert.equal(apply(text, results[0].fix!), 'FROM scratch\nCMD ["node", "server.js", "--port", "80"]\nENTRYPOINT echo "$HOME"\nCMD ["ok"]\n');
    assert.equal(results[1].fix, undefined, 'quotes and variables: the JSON form would change the meaning');
  });

  it('StageNameCasing fixes the name and every reference to it; FromAsCasing follows FROM', () => {
    const text = 'FROM scratch as Build\nCOPY a /a\nFROM build AS final\nCOPY --from=Build /a /b\nfrom scratch AS x\n';
    const results = checkDockerfile(text);
    assert.deepEqual(brief(results), ['FromAsCasing 0:13-0:15 as|FROM', 'StageNameCasing 0:16-0:21 Build', 'FromAsCasing 4:13-4:15 AS|from']);
    assert.equal(apply(text, results[1].fix!), 'FROM scratch as build\nCOPY a /a\nFROM build AS final\nCOPY --from=build /a /b\nfrom scratch AS x\n');
    assert.equal(apply(text, results[0].fix!).split('\n')[0], 'FROM scratch AS Build');
    assert.equal(apply(text, results[2].fix!).split('\n')[4], 'from scratch as x');
  });

  it('SecretsUsedInArgOrEnv on the names BuildKit flags, not on PUBLIC ones or names that only contain the word', () => {
    const text = 'FROM scratch\nARG DB_PASSWORD\nENV API_TOKEN=x PUBLIC_KEY=y MONKEY=z auth=1\nARG KEYBOARD\n';
    assert.deepEqual(brief(checkDockerfile(text)), ['SecretsUsedInArgOrEnv 1:4-1:15 ARG|DB_PASSWORD', 'SecretsUsedInArgOrEnv 2:4-2:13 ENV|API_TOKEN', 'SecretsUsedInArgOrEnv 2:38-2:42 ENV|auth']);
  });

  it('ExposeInvalidFormat, WorkdirRelativePath (first WORKDIR of a stage only) and MaintainerDeprecated', () => {
    const text = 'FROM scratch\nEXPOSE 80 127.0.0.1:8080:80/tcp\nWORKDIR app\nWORKDIR sub\nFROM scratch\nWORKDIR /srv\nWORKDIR rel\nMAINTAINER me\n';
    assert.deepEqual(brief(checkDockerfile(text)), ['ExposeInvalidFormat 1:10-1:31 127.0.0.1:8080:80/tcp', 'WorkdirRelativePath 2:8-2:11 app', 'MaintainerDeprecated 7:0-7:10 ']);
  });

  it('UndefinedVar in expanded instructions with a suggestion; silent where the base image environment is unknown; RUN left to the shell', () => {
    const text = 'FROM scratch AS base\nARG VERSION\nENV APP_HOME=/app\nWORKDIR $APP_HOM\nLABEL v=$VERSOIN w=${MISSING:-x}\nRUN echo $NOPE\nFROM base\nCOPY a $APP_HOME/$VERSION\nFROM unknown:1\nUSER $WHO\n';
    assert.deepEqual(brief(checkDockerfile(text)), ['UndefinedVar 3:9-3:16 APP_HOM|APP_HOME', 'UndefinedVar 4:9-4:16 VERSOIN|VERSION', 'UndefinedVar 7:18-7:25 VERSION|']);
    // An image whose environment the engine knows: its variables count as defined.
    assert.deepEqual(brief(checkDockerfile('FROM node:20\nWORKDIR $NODE_HOME/$OTHER\n', { imageEnv: (i) => (i === 'node:20' ? ['PATH', 'NODE_HOME'] : undefined) })), ['UndefinedVar 1:20-1:25 OTHER|']);
  });

  it('UndefinedArgInFrom for a variable not declared before the first FROM', () => {
    const text = 'ARG BASE=scratch\nFROM $BASE\nARG TAG\nFROM busybox:$TAG\n';
    assert.deepEqual(brief(checkDockerfile(text)), ['UndefinedArgInFrom 3:14-3:17 TAG|']);
  });

  it('DuplicateStageName and ReservedStageName', () => {
    assert.deepEqual(brief(checkDockerfile('FROM scratch AS a\nFROM scratch AS a\nFROM scratch AS scratch\n')), ['DuplicateStageName 1:16-1:17 a', 'ReservedStageName 2:16-2:23 scratch']);
  });

  it("CopyIgnoredFile with Docker's own .dockerignore reading (negations, folders), not for --from or URLs", () => {
    const ignore = ignoreMatcher(parseIgnoreFile('# notes\nsecrets\n*.log\n!keep.log\n/build/\n'));
    const text = 'FROM scratch\nCOPY secrets/key.pem app.log keep.log ./build /dst/\nADD https://example.com/x.log /x\nCOPY --from=other secrets /s\nCOPY src /src\n';
    assert.deepEqual(brief(checkDockerfile(text, { ignored: (p) => ignore.ignores(p) })), ['CopyIgnoredFile 1:5-1:20 Copy|secrets/key.pem', 'CopyIgnoredFile 1:21-1:28 Copy|app.log', 'CopyIgnoredFile 1:38-1:45 Copy|./build']);
  });

  it("finds nothing to say about the base image Dockerfile the product's engine tests build", () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'support', 'testEngine.ts'), 'utf8');
    const literal = /'(FROM scratch\\n[^']*)'/.exec(source)?.[1];
    assert.ok(literal, 'the base image Dockerfile is in test/support/testEngine.ts');
    const text = literal.replace(/\\n/g, '\n');
    assert.ok(text.includes('COPY busybox'));
    assert.deepEqual(brief(checkDockerfile(text, { ignored: () => false })), []);
  });
});

describe('Dockerfile navigation', () => {
  const text = 'ARG BASE=scratch\nFROM $BASE AS build\nARG VERSION=1\nENV HOME_DIR=/h\nCOPY a $HOME_DIR/$VERSION\n\nFROM build\nCOPY --from=build /a /b\nRUN --mount=type=cache,from=build,target=/c true\n';

  it('lists each stage with its range and variables', () => {
    const stages = dockerfileStages(text);
    assert.deepEqual(
      stages.map((s) => [s.name, s.image, `${s.range.start.line}-${s.range.end.line}`, `${s.selection.start.line}:${s.selection.start.character}`, s.variables.map((v) => `${v.keyword} ${v.name}`).join(',')]),
      [
        ['build', '$BASE', '1-5', '1:14', 'ARG VERSION,ENV HOME_DIR'],
        ['build', 'build', '6-8', '6:5', ''],
      ],
    );
  });

  it('goes from a stage reference to its AS name, and from a variable to its ARG or ENV', () => {
    const at = (line: number, character: number) => {
      const d = dockerfileDefinition(text, { line, character });
      return d && `${d.start.line}:${d.start.character}-${d.end.character}`;
    };
    assert.equal(at(6, 7), '1:14-19', 'FROM build');
    assert.equal(at(7, 14), '1:14-19', 'COPY --from=build');
    assert.equal(at(8, 30), '1:14-19', 'RUN --mount=...,from=build');
    assert.equal(at(4, 10), '3:4-12', '$HOME_DIR');
    assert.equal(at(4, 20), '2:4-11', '$VERSION');
    assert.equal(at(1, 7), '0:4-8', '$BASE in FROM: the global ARG');
    assert.equal(at(4, 5), undefined, 'a plain word');
  });

  it('knows where FROM takes an image, with the stages defined above', () => {
    assert.deepEqual(fromImageAt(text, { line: 6, character: 7 }), { typed: { start: { line: 6, character: 5 }, end: { line: 6, character: 7 } }, stages: ['build'] });
    assert.deepEqual(fromImageAt('FROM --platform=linux/amd64 nod', { line: 0, character: 31 })?.typed.start, { line: 0, character: 28 });
    assert.equal(fromImageAt('FROM node AS x', { line: 0, character: 13 }), undefined, 'after AS comes a name, not an image');
    assert.equal(fromImageAt('COPY a b', { line: 0, character: 6 }), undefined);
  });
});

describe('berth.languageFeatures', () => {
  it("leaves the files to Docker's extension while it is active (auto), unless told on; off is off", () => {
    assert.deepEqual(
      (['auto', 'on', 'off', undefined] as const).map((s) => [languageEnabled(s, false), languageEnabled(s, true)]),
      [
        [true, false],
        [true, true],
        [false, false],
        [true, false],
      ],
    );
  });
});
