// The fast reader of compose files (src/model/compose/fastYaml.ts) against the yaml library's
// path it stands in for: the same data and the same key positions wherever it reads a file, and
// the yaml path (with its positioned problems) wherever it gives way.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fastYaml } from '../../src/model/compose/fastYaml';
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

function files(): [string, string][] {
  const kube = path.join(__dirname, '../../../test/unit/fixtures/kube');
  const fixtures = fs.existsSync(kube)
    ? fs
        .readdirSync(kube)
        .map((d) => path.join(kube, d, 'compose.yaml'))
        .filter((f) => fs.existsSync(f))
        .map((f): [string, string] => [f, fs.readFileSync(f, 'utf8')])
    : [];
  return [['generated', generated(30)], ['tricky', TRICKY], ...fixtures];
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
      assert.ok(fast, 'the fast reader takes the file');
      const slow = parseComposeFileWithPositions('/p/compose.yaml', text, lookup);
      assert.deepEqual(slow.problems, []);
      assert.deepStrictEqual(fast.data, slow.data);
      const pointers = topPointers(slow.data as Record<string, unknown>);
      assert.ok(pointers.length > 1);
      for (const p of pointers) assert.deepEqual(fast.locate(p, true), slow.locate(p, true), p);
      // A deeper position is the yaml library's, found when asked.
      const deep = pointers.find((p) => p.startsWith('/services/'));
      if (deep) assert.deepEqual(fast.locate(`${deep}/image`), slow.locate(`${deep}/image`));
    });

  const yamlOnly: [string, string][] = [
    ['a block scalar', 'services:\n  a:\n    image: x\n    command: |\n      echo hi\n'],
    ['a plain scalar on two lines', 'services:\n  a:\n    image: x\n    command: echo\n      hi\n'],
    ['a !reset tag', 'services:\n  a:\n    image: x\n    ports: !reset []\n'],
    ['a duplicate key', 'services:\n  a:\n    image: x\n    image: y\n'],
    ['a tab in the indentation', 'services:\n\ta:\n    image: x\n'],
    ['two documents', 'services: {}\n---\nservices: {}\n'],
    ['a complex key', 'services:\n  ? a\n  : image: x\n'],
    ['a flow collection over two lines', 'services:\n  a:\n    image: x\n    command: [sh,\n      -c]\n'],
    ['an interpolation that fails', 'services:\n  a:\n    image: ${IMAGE:?set IMAGE}\n'],
    ['a schema problem', 'services:\n  a:\n    image: x\n    portz: [80]\n'],
    ['a bad indentation', 'services:\n  a:\n    image: x\n   bad: 1\n'],
    // The yaml path once threw on the empty value (its visitor gets null for `data:`).
    ['a schema problem beside an empty value', 'services:\n  a:\n    image: x\n    portz: [80]\nvolumes:\n  data:\n'],
  ];
  for (const [what, text] of yamlOnly)
    it(`leaves ${what} to the yaml library, which gives the same result`, () => {
      assert.equal(parseComposeFileFast('/p/compose.yaml', text, lookup), undefined);
      const viaEntry = parseComposeFile('/p/compose.yaml', text, lookup);
      const slow = parseComposeFileWithPositions('/p/compose.yaml', text, lookup);
      assert.deepStrictEqual(viaEntry.data, slow.data);
      assert.deepEqual(viaEntry.problems, slow.problems);
    });

  it('reads an empty file as an empty project, and gives way on a top level that is not a mapping', () => {
    assert.deepEqual(fastYaml('# nothing\n')?.data, null);
    assert.deepEqual(parseComposeFile('/p/compose.yaml', '# nothing\n', lookup).data, {});
    assert.equal(parseComposeFileFast('/p/compose.yaml', '- a\n- b\n', lookup), undefined);
  });
});
