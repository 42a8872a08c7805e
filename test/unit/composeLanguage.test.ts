import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { composeOutline, cursorContext, describeKey, keyAt, keysAt, namedRefs, refAt, schemaAt, undefinedServiceNames, undefinedServiceRefs, valuesAt, type NamedRef } from '../../src/model/compose/language';

/** "kind name line:col def?" with 0-based line and column, from offsets. */
function where(text: string, r: { start: number; end: number }): string {
  const before = text.slice(0, r.start).split('\n');
  return `${before.length - 1}:${before.at(-1)!.length}-${r.end - r.start}`;
}
const show = (text: string, refs: NamedRef[]) => refs.map((r) => `${r.kind} ${r.name} ${where(text, r)}${r.definition ? ' def' : ''}`);

describe('Compose completion from the schema', () => {
  it('offers a service’s keys with their descriptions, not those already written', () => {
    const text = 'services:\n  web:\n    image: nginx\n    rest\n';
    const ctx = cursorContext(text, 3, 8)!;
    assert.deepEqual({ path: ctx.path, typing: ctx.typing, word: ctx.word, siblings: ctx.siblings }, { path: ['services', 'web'], typing: 'key', word: { line: 3, start: 4, end: 8 }, siblings: ['image'] });
    const keys = keysAt(ctx.path);
    const restart = keys.find((k) => k.key === 'restart');
    assert.ok(restart, 'restart is a service key');
    assert.equal(restart.block, false);
    assert.equal(keys.find((k) => k.key === 'depends_on')?.block, true, 'depends_on takes a list or a mapping');
    assert.match(keys.find((k) => k.key === 'build')!.description!, /building the service's image/);
    assert.equal(keys.find((k) => k.key === 'links')?.deprecated, false);
    assert.ok(!keys.some((k) => k.key === 'web'), 'only the schema’s keys');
  });

  it('offers top-level keys at column 0 and deprecated ones marked', () => {
    const ctx = cursorContext('ver', 0, 3)!;
    assert.deepEqual(ctx.path, []);
    const keys = keysAt(ctx.path);
    assert.deepEqual(keys.map((k) => k.key).sort(), ['configs', 'include', 'models', 'name', 'networks', 'secrets', 'services', 'version', 'volumes'].sort());
    assert.equal(keys.find((k) => k.key === 'version')?.deprecated, true);
  });

  it('offers enum values: restart, depends_on condition (long form), a volume’s type in a list item, pull_policy', () => {
    const text = 'services:\n  web:\n    restart: un\n    depends_on:\n      db:\n        condition: \n    volumes:\n      - type: \n    pull_policy: \n';
    const restart = cursorContext(text, 2, 15)!;
    assert.deepEqual([restart.path, restart.typing, restart.word], [['services', 'web', 'restart'], 'value', { line: 2, start: 13, end: 15 }]);
    assert.deepEqual(valuesAt(restart.path), ['no', 'always', 'on-failure', 'unless-stopped']);
    const condition = cursorContext(text, 5, 19)!;
    assert.deepEqual(condition.path, ['services', 'web', 'depends_on', 'db', 'condition']);
    assert.deepEqual(valuesAt(condition.path), ['service_started', 'service_healthy', 'service_completed_successfully']);
    const type = cursorContext(text, 7, 14)!;
    assert.deepEqual(type.path, ['services', 'web', 'volumes', '[]', 'type']);
    assert.ok(valuesAt(type.path).includes('bind') && valuesAt(type.path).includes('volume'));
    // pull_policy's values are in the schema's pattern, restart's in its description: both offered.
    assert.deepEqual(valuesAt(cursorContext(text, 8, 17)!.path), ['always', 'never', 'build', 'if_not_present', 'missing', 'refresh', 'daily', 'weekly']);
  });

  it('offers a list item’s keys (long volume syntax) and nothing inside a comment', () => {
    const text = 'services:\n  web:\n    volumes:\n      - type: bind\n        sou\n';
    const ctx = cursorContext(text, 4, 11)!;
    assert.deepEqual([ctx.path, ctx.siblings], [['services', 'web', 'volumes', '[]'], ['type']]);
    assert.ok(keysAt(ctx.path).some((k) => k.key === 'source'));
    assert.equal(cursorContext('# serv', 0, 6), undefined);
  });

  it('hovers on any key with its description', () => {
    const text = 'services:\n  web:\n    healthcheck:\n      start_period: 5s\n';
    const k = keyAt(text, 3, 9)!;
    assert.deepEqual(k, { path: ['services', 'web', 'healthcheck', 'start_period'], start: 6, end: 18 });
    assert.ok(describeKey(k.path), 'start_period has a description');
    assert.equal(keyAt(text, 3, 20), undefined, 'on the value, not the key');
    assert.match(describeKey(['services'])!, /services/);
  });

  it('reads the product’s Kubernetes export fixture: every key it uses has a schema entry', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'unit', 'fixtures', 'kube', 'webapp', 'compose.yaml'), 'utf8');
    const lines = text.split('\n');
    const unknown: string[] = [];
    for (const [i, l] of lines.entries()) {
      const k = keyAt(text, i, l.length - l.trimStart().length + 1);
      if (!k || k.path.includes('environment') || k.path.includes('labels') || ['services', 'volumes', 'networks'].includes(k.path[0]) && k.path.length === 2) continue;
      if (!schemaAt(k.path).length) unknown.push(`${i}: ${k.path.join('/')}`);
    }
    assert.deepEqual(unknown, []);
  });
});

describe('Compose named references', () => {
  const main = [
    'services:',
    '  web:',
    '    image: nginx',
    '    depends_on: [db, "cache"]',
    '    links:',
    '      - db:database',
    '    networks: [front]',
    '    volumes:',
    '      - data:/data',
    '      - ./src:/src',
    '      - type: volume',
    '        source: data',
    '    secrets:',
    '      - api_key',
    '      - source: api_key',
    '        target: key',
    '  worker:',
    '    extends: web',
    '    network_mode: "service:web"',
    '    depends_on:',
    '      db:',
    '        condition: service_healthy',
    '  db:',
    '    image: postgres',
    'networks:',
    '  front:',
    'volumes:',
    '  data:',
    'secrets:',
    '  api_key:',
    '    file: ./key.txt',
    '',
  ].join('\n');

  it('finds every definition and use, with exact positions', () => {
    assert.deepEqual(show(main, namedRefs(main)!), [
      'service web 1:2-3 def',
      'service db 3:17-2',
      'service cache 3:22-5',
      'service db 5:8-2',
      'network front 6:15-5',
      'volume data 8:8-4',
      'volume data 11:16-4',
      'secret api_key 13:8-7',
      'secret api_key 14:16-7',
      'service worker 16:2-6 def',
      'service web 17:13-3',
      'service web 18:27-3',
      'service db 20:6-2',
      'service db 22:2-2 def',
      'network front 25:2-5 def',
      'volume data 27:2-4 def',
      'secret api_key 29:2-7 def',
    ]);
  });

  it('finds the reference under the cursor, and which services are named but not defined', () => {
    const refs = namedRefs(main)!;
    const offset = main.indexOf('db:database') + 1;
    assert.deepEqual(refAt(refs, offset) && [refAt(refs, offset)!.kind, refAt(refs, offset)!.name], ['service', 'db']);
    const undefinedOnes = undefinedServiceRefs([{ file: 'compose.yaml', refs }]);
    assert.deepEqual(undefinedOnes.map((u) => `${u.ref.name} ${where(main, u.ref)}`), ['cache 3:22-5']);
    // An override file that defines cache makes it known across the project.
    const override = 'services:\n  cache:\n    image: redis\n';
    assert.deepEqual(undefinedServiceRefs([{ file: 'compose.yaml', refs }, { file: 'compose.override.yaml', refs: namedRefs(override)! }]), []);
  });

  it('leaves paths, container: references, extends from another file and interpolated names alone', () => {
    const text = 'services:\n  a:\n    extends:\n      file: other.yaml\n      service: base\n    volumes_from: ["container:x", "b:ro"]\n    volumes: ["./x:/x", "~/y:/y", "${V}:/v"]\n  b:\n    image: x\n';
    assert.deepEqual(show(text, namedRefs(text)!), ['service a 1:2-1 def', 'service b 5:35-1', 'service b 7:2-1 def']);
  });

  it('finds the product’s Kubernetes export fixture’s services, networks and volumes', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'unit', 'fixtures', 'kube', 'webapp', 'compose.yaml'), 'utf8');
    const refs = namedRefs(text)!;
    const count = (kind: string, name: string) => refs.filter((r) => r.kind === kind && r.name === name).length;
    assert.deepEqual([count('service', 'db'), count('service', 'redis'), count('network', 'back'), count('volume', 'pgdata')], [2, 2, 4, 2]);
    assert.deepEqual(undefinedServiceRefs([{ file: 'compose.yaml', refs }]), []);
  });

  it('finds the same undefined services from parsed data alone, across the project’s files', () => {
    const data = {
      services: {
        web: { depends_on: ['db', 'cache'], links: ['db:database', 'ghost:g'], network_mode: 'service:vpn', extends: { service: 'base' }, volumes_from: ['container:x', 'store:ro'] },
        worker: { depends_on: { db: { condition: 'service_healthy' } }, extends: { file: 'other.yaml', service: 'elsewhere' }, pid: 'host' },
      },
    };
    assert.deepEqual(undefinedServiceNames([{ file: 'compose.yaml', data }]).map((u) => u.name), ['db', 'cache', 'db', 'ghost', 'base', 'vpn', 'store', 'db']);
    const override = { services: { db: {}, cache: {}, ghost: {}, base: {}, vpn: {}, store: {} } };
    assert.deepEqual(undefinedServiceNames([{ file: 'compose.yaml', data }, { file: 'compose.override.yaml', data: override }]), []);
  });

  it('says nothing of a half-typed file (not YAML yet), so no service looks undefined meanwhile', () => {
    assert.equal(namedRefs('services:\n  web:\n    image: x\n    rest\n    depends_on: [db]\n'), undefined);
    assert.deepEqual(namedRefs(''), []);
  });

  it('outlines services, networks, volumes and secrets with their entries', () => {
    const outline = composeOutline(main);
    assert.deepEqual(
      outline.map((s) => `${s.section}: ${s.entries.map((e) => `${e.name}@${where(main, { start: e.keyStart, end: e.keyEnd })}`).join(' ')}`),
      ['services: web@1:2-3 worker@16:2-6 db@22:2-2', 'networks: front@25:2-5', 'volumes: data@27:2-4', 'secrets: api_key@29:2-7'],
    );
  });
});
