import { strict as assert } from 'assert';
import { dockerfileCompletions, dockerfileHover, dockerfileSignatureHelp, formatDockerfile } from '../../src/model/dockerfileAssist';

type R = { start: { line: number; character: number }; end: { line: number; character: number } };
const span = (r: R) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
/** "label@range" for each completion, so a failure shows the whole list. */
function brief(text: string, line: number, character: number): string[] {
  return dockerfileCompletions(text, { line, character }).map((c) => `${c.label}@${c.textEdit && 'range' in c.textEdit ? span(c.textEdit.range) : '-'}`);
}

describe('Dockerfile assist (dockerfile-language-service through Berth’s adapter)', () => {
  it('completes instructions at the start of a line, replacing what is typed', () => {
    const all = brief('FROM alpine\n', 1, 0);
    for (const i of ['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'RUN', 'USER', 'WORKDIR']) assert.ok(all.some((l) => l.startsWith(`${i} `) && l.endsWith('@1:0-1:0')), `${i} in ${all.join(', ')}`);
    assert.deepEqual(brief('FROM alpine\nR', 1, 1), ['RUN command@1:0-1:1']);
    assert.deepEqual(brief('FROM alpine\nWORK', 1, 4), ['WORKDIR /the/workdir/path@1:0-1:4']);
  });

  it('completes flags and their values: COPY --, HEALTHCHECK --, COPY --from= a stage above', () => {
    assert.deepEqual(brief('FROM alpine AS build\nCOPY --', 1, 7), ['--chown=user:group@1:5-1:7', '--from=stage@1:5-1:7']);
    assert.deepEqual(brief('FROM alpine\nHEALTHCHECK --', 1, 14), ['--interval=30s@1:12-1:14', '--retries=3@1:12-1:14', '--start-interval=5s@1:12-1:14', '--start-period=5s@1:12-1:14', '--timeout=30s@1:12-1:14']);
    assert.deepEqual(brief('FROM alpine AS build\nFROM scratch\nCOPY --from=', 2, 12), ['build@2:12-2:12']);
    assert.deepEqual(brief('FROM --', 0, 7), ['--platform=arm64@0:5-0:7']);
  });

  it('asks no registry inside a FROM image’s tag or digest (the engine’s images answer there)', () => {
    assert.deepEqual(brief('FROM alpine:', 0, 12), []);
    assert.deepEqual(brief('FROM --platform=linux/amd64 node:2', 0, 34), []);
    assert.deepEqual(brief('FROM alpine@sha256:', 0, 19), []);
  });

  it('hovers an instruction with its reference and link', () => {
    const h = dockerfileHover('FROM alpine\nRUN echo hi\n', { line: 1, character: 1 });
    assert.ok(h && typeof h.contents === 'object' && 'kind' in h.contents, 'markdown hover');
    const value = (h.contents as { value: string }).value;
    assert.match(value, /^Execute any commands on top of the current image/);
    assert.match(value, /https:\/\/docs\.docker\.com\/engine\/reference\/builder\/#run/);
    assert.equal(dockerfileHover('FROM alpine\nRUN echo hi\n', { line: 1, character: 9 }), undefined, 'no hover on a shell word');
  });

  it('gives COPY’s signatures with the parameter under the cursor', () => {
    const h = dockerfileSignatureHelp('FROM alpine\nCOPY a ', { line: 1, character: 7 });
    assert.ok(h);
    assert.equal(h.signatures[0].label, 'COPY [flags] source ... dest');
    assert.equal(h.activeSignature, 0);
    assert.equal(h.signatures[0].parameters?.[h.activeParameter ?? -1]?.label, 'dest', 'after one source, the next word may be the destination');
    const first = dockerfileSignatureHelp('FROM alpine\nCOPY ', { line: 1, character: 5 });
    assert.equal(first?.signatures[0].parameters?.[first.activeParameter ?? -1]?.label, 'source');
    assert.equal(dockerfileSignatureHelp('FROM alpine\n\n', { line: 1, character: 0 }), undefined);
  });

  it('formats the document and only a range: instructions to the line start, continuation lines indented', () => {
    const text = 'FROM alpine\n   RUN echo a && \\\necho b\n  USER app\n';
    const edits = formatDockerfile(text, { insertSpaces: true, tabSize: 4 });
    assert.deepEqual(
      edits.map((e) => `${span(e.range)} ${JSON.stringify(e.newText)}`),
      ['1:0-1:3 ""', '2:0-2:0 "    "', '3:0-3:2 ""'],
    );
    const ranged = formatDockerfile(text, { insertSpaces: true, tabSize: 4 }, { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } });
    assert.deepEqual(ranged.map((e) => `${span(e.range)} ${JSON.stringify(e.newText)}`), ['3:0-3:2 ""']);
    assert.deepEqual(formatDockerfile('FROM alpine\nRUN x\n', { insertSpaces: false, tabSize: 4 }), [], 'a formatted file needs no edit');
  });
});
