// The fast read of compose files (src/model/compose/fastRead.ts, js-yaml) against the yaml
// library's path it stands in for: the same data (key order too) and the same key positions
// wherever it reads a file, and the yaml path (with its positioned problems) wherever it gives way,
// as it must wherever js-yaml and yaml could read a file differently.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import * as path from 'path';
import { readComposeYamlFast } from '../../src/model/compose/fastRead';
import { parseComposeFile, parseComposeFileFast, parseComposeFileWithPositions } from '../../src/model/compose/parse';

const vars = new Map([
  ['TAG', '1.2'],
  ['VERSION', '3'],
]);
const lookup = (n: string) => vars.get(n);

function generated(n: number): string {
  const lines = ['x-common: &common', '  restart: unless-stopped', '  logging: {driver: json-file}', 'services:'];
  for (let i = 0; i < n; i++)
    lines.push(
      `  svc${i}:`,
      '    <<: *common',
      `    image: registry.example/app/svc${i}:\${TAG:-latest}`,
      ...(i % 3 === 0 ? [`    build: {context: ./svc${i}, args: {VERSION: "\${VERSION}"}}`] : []),
      `    ports: ["127.0.0.1:${8000 + i}:80", "${30000 + i}:443"]`,
      '    environment:',
      `      NAME: svc${i}`,
      '      DB_URL: postgres://db:5432/${DB_NAME:-app}',
      '      SECRET: $${NOT_INTERPOLATED}',
      `    volumes: ["data${i}:/data", "./conf/svc${i}:/etc/app:ro"]`,
      ...(i % 10 === 0 ? ['    profiles: [extra]', '    deploy: {replicas: 2}'] : []),
      '    healthcheck: {test: ["CMD", "true"], interval: 10s}',
    );
  return `${lines.join('\n')}\n`;
}

const TRICKY = `# a comment first
---
x-base: &base
  image: busybox
  environment: {A: 1, B: "two"}
x-list: &list [sh, -c, "echo hi"]
x-t:
  a: 0o17
  b: 0x1F
  c: 1e3
  d: .inf
  e: -.Inf
  f: .nan
  g: ~
  h: Null
  i: TRUE
  j: yes
  k: 0777
  l: +12
  m: 1_000
  n: 12:30
  o: '2024-01-01'
  p: 2024-01-01
  ba: 0b101
  bb: 2001-12-14t21:59:43.10-05:00
  bc: on
  bd: Off
  be: 0O17
  bf: +.nan
  bg: 1e308
  bh: -0
  bi: .iNf
  bj: 0x
  q: "esc \\t \\u00e9 \\x41 \\\\ \\" \\/"
  r: 'it''s'
  s: it's fine   # comment
  t: a#b
  u: [a, 'b', "c", 1, true, null, {x: 1, y: [2, 3]}, [], {}]
  v: {a: 1, b: , c}
  w: -1.5
  x: 0.
  y: .5
  z: "multi: colon"
  aa: http://x:80/y
  ab: "#not a comment"
  "quoted key": 1
  'single key': 2
  1.0: float key
  empty:
  ad:
  - one
  - two: 2
    three: 3
  - - nested
    - seq
  -
    deep: 1
  ae:
    - [a, b]
    -   spaced: yes
        more: no
services:
  s1:
    <<: *base
    image: override   # explicit keys win over merged ones
    command: *list
  s2:
    <<: [*base]
    ports:
      - "8080:80"
      - 127.0.0.1:9090:90
      - target: 80
        published: "8081"
    labels:
      - "a=b"
  "s3":
    image: x
    profiles: ['p1', "p2"]
networks:
  default: {}
volumes:
  data:
`;

// Forms the fast read once left to yaml: block scalars, multi-line scalars, flow collections over
// lines, explicit keys, merged keys placed where the << stands.
const BLOCK_FORMS = `x-base: &base
  restart: always
  image: base
services:
  a:
    image: x
    command: |
      echo hi
      echo there
    entrypoint: >-
      sh
      -c
    working_dir: /a
      /b
    environment: [A=1,
      B=2]
    labels:
      note: "one
        two"
  ? b
  : image: y
  c:
    <<: *base
    image: c
  d:
    image: d
    <<: *base
`;

function files(): [string, string][] {
  const kube = path.join(__dirname, '../../../test/unit/fixtures/kube');
  const fixtures = fs.existsSync(kube)
    ? fs
        .readdirSync(kube)
        .map((d) => path.join(kube, d, 'compose.yaml'))
        .filter((f) => fs.existsSync(f))
        .map((f): [string, string] => [f, fs.readFileSync(f, 'utf8')])
    : [];
  return [['generated', generated(30)], ['tricky', TRICKY], ['block forms', BLOCK_FORMS], ...fixtures];
}

/** Every key pointer two levels deep in the data. */
function topPointers(data: Record<string, unknown>): string[] {
  const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
  const out: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    out.push(`/${esc(k)}`);
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const c of Object.keys(v)) out.push(`/${esc(k)}/${esc(c)}`);
  }
  return out;
}

describe('compose files read fast, as the yaml library reads them', () => {
  for (const [name, text] of files())
    it(`reads ${name.includes('/') ? path.basename(path.dirname(name)) : name} with the same data and key positions`, () => {
      const fast = parseComposeFileFast('/p/compose.yaml', text, lookup);
      assert.ok(fast, 'the fast read takes the file');
      const slow = parseComposeFileWithPositions('/p/compose.yaml', text, lookup);
      assert.deepEqual(slow.problems, []);
      assert.deepStrictEqual(fast.data, slow.data);
      assert.equal(JSON.stringify(fast.data), JSON.stringify(slow.data), 'keys in the same order');
      const pointers = topPointers(slow.data as Record<string, unknown>);
      assert.ok(pointers.length > 1);
      for (const p of pointers) assert.deepEqual(fast.locate(p, true), slow.locate(p, true), p);
      // Those positions come from js-yaml's events, not from a second parse with yaml.
      const keys = readComposeYamlFast(text)?.keys;
      assert.deepEqual(pointers.filter((p) => !keys?.has(p)), []);
      // A deeper position is the yaml library's, found when asked.
      const deep = pointers.find((p) => p.startsWith('/services/'));
      if (deep) assert.deepEqual(fast.locate(`${deep}/image`), slow.locate(`${deep}/image`));
    });

  const yamlOnly: [string, string][] = [
    ['a !reset tag', 'services:\n  a:\n    image: x\n    ports: !reset []\n'],
    ['a duplicate key', 'services:\n  a:\n    image: x\n    image: y\n'],
    ['a tab in the indentation', 'services:\n\ta:\n    image: x\n'],
    ['two documents', 'services: {}\n---\nservices: {}\n'],
    ['a collection as a key', 'services:\n  ? [a]\n  : image: x\n'],
    ['an interpolation that fails', 'services:\n  a:\n    image: ${IMAGE:?set IMAGE}\n'],
    ['a schema problem outside the services', 'services:\n  a:\n    image: x\nvolumez: {}\n'],
    ['a schema problem in a flow-style service', 'services: {a: {image: x, portz: [80]}}\n'],
    ['a bad indentation', 'services:\n  a:\n    image: x\n   bad: 1\n'],
  ];

  // A service being typed in a large file: its problems placed by reading its lines alone.
  const serviceOnly: [string, string][] = [
    ['a schema problem', 'services:\n  a:\n    image: x\n    portz: [80]\n'],
    // The yaml path once threw on the empty value (its visitor gets null for `data:`).
    ['a schema problem beside an empty value', 'services:\n  a:\n    image: x\n    portz: [80]\nvolumes:\n  data:\n'],
    ['schema problems in two services among others, with comments', 'x-common: &c {restart: always}\nservices:\n  a:\n    image: x\n  b:\n    # the web\n    image: y\n    portz: [80]\n\n    restart: nope\n  c:\n    <<: *c\n    image: z\n  d:\n    image: w\n    healthcheck: {intervall: 1s}\nnetworks: {front: {}}\n'],
  ];
  for (const [what, text] of serviceOnly)
    it(`places ${what} by reading that service's lines alone, as the whole file's parse does`, () => {
      const fast = parseComposeFileFast('/p/compose.yaml', text, lookup);
      const slow = parseComposeFileWithPositions('/p/compose.yaml', text, lookup);
      assert.ok(fast, 'read without the whole file\'s parse');
      assert.ok(slow.problems.length > 0);
      assert.deepStrictEqual(fast.data, slow.data);
      assert.deepEqual(fast.problems, slow.problems);
    });
  for (const [what, text] of yamlOnly)
    it(`leaves ${what} to the yaml library, which gives the same result`, () => {
      assert.equal(parseComposeFileFast('/p/compose.yaml', text, lookup), undefined);
      const viaEntry = parseComposeFile('/p/compose.yaml', text, lookup);
      const slow = parseComposeFileWithPositions('/p/compose.yaml', text, lookup);
      assert.deepStrictEqual(viaEntry.data, slow.data);
      assert.deepEqual(viaEntry.problems, slow.problems);
    });

  // Where js-yaml and yaml could read a file differently, the fast read gives way. `differs`: js-yaml
  // alone (core schema and merge keys) would indeed give other data than the yaml path.
  const svc = 'services:\n  a:\n    image: x\n';
  const readersDiffer: [string, string, boolean][] = [
    ['an integer beyond a double (Infinity to yaml, a string to js-yaml)', `${svc}x-big: 1${'0'.repeat(400)}\n`, true],
    ['a float beyond a double', `${svc}x-big: [2e308]\n`, true],
    ['a hexadecimal integer beyond a double', `${svc}x-big: 0x${'f'.repeat(300)}\n`, true],
    ['a %YAML 1.1 directive, under which yaml reads yes as true', `%YAML 1.1\n---\n${svc}x-flag: yes\n`, true],
    ['an explicit !!str tag', `${svc}x-v: !!str 1\n`, false],
    ['an !override tag', `${svc}    ports: !override ["80:80"]\n`, false],
    ['a quoted << key, a merge to the yaml path', `x-b: &b {image: x}\nservices:\n  a:\n    "<<": *b\n`, true],
    ['a __proto__ key', `${svc}x-o:\n  __proto__: {polluted: 1}\n`, true],
    ['a document end marker before the content', `...\n${svc}`, true],
    ['a key over 1024 characters', `${svc}x-${'k'.repeat(1030)}: v\n`, true],
    // The yaml path reports it (it once recursed without end).
    ['a recursive alias', `x-r: &r {self: *r}\n${svc}`, true],
    ['an empty key', `${svc}x-e:\n  : v\n`, false],
    ['a byte order mark', `\ufeff${svc}`, false],
  ];
  for (const [what, text, differs] of readersDiffer)
    it(`gives way on ${what}`, () => {
      assert.equal(readComposeYamlFast(text), undefined);
      const viaEntry = parseComposeFile('/p/compose.yaml', text, lookup);
      const slow = parseComposeFileWithPositions('/p/compose.yaml', text, lookup);
      // As JSON: yaml's path sets a __proto__ key as the object's prototype, another per parse.
      assert.equal(JSON.stringify(viaEntry.data), JSON.stringify(slow.data));
      assert.deepEqual(viaEntry.problems, slow.problems);
      let alone: unknown;
      try {
        alone = load(text, { schema: CORE_SCHEMA.withTags(mergeTag) });
      } catch {
        alone = 'refused';
      }
      if (differs) assert.notDeepStrictEqual(alone, slow.data);
    });

  it('reads an empty file as an empty project, and gives way on a top level that is not a mapping', () => {
    assert.deepEqual(readComposeYamlFast('# nothing\n')?.data, null);
    assert.deepEqual(parseComposeFile('/p/compose.yaml', '# nothing\n', lookup).data, {});
    assert.equal(parseComposeFileFast('/p/compose.yaml', '- a\n- b\n', lookup), undefined);
  });
});
