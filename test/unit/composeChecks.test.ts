// What Berth checks before running Compose and how it reads the result: the keys a program
// version refuses (the texts docker-compose 1.29.2 printed on this machine are in
// fixtures/compose), every problem of a file once and in order, an image whose variable is unset,
// aliases that expand without bound, and what Down removes.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ContainerRecord, ImageRecord, VolumeRecord } from '../../src/contract/records';
import { planDown } from '../../src/model/compose/down';
import { composeFailure } from '../../src/model/compose/failure';
import { MAX_ALIAS_EXPANSION, readComposeYamlFast } from '../../src/model/compose/fastRead';
import { parseComposeFile, parseComposeFileWithPositions } from '../../src/model/compose/parse';
import type { ComposeProgram } from '../../src/model/compose/program';
import { compareVersions, programRefusals } from '../../src/model/compose/programSupport';
import { blockingProblems, loadComposeProject } from '../../src/model/compose/project';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'unit', 'fixtures', 'compose', name), 'utf8');
const none = () => undefined;
const v1: ComposeProgram = { command: ['docker-compose'], kind: 'standalone', version: '1.29.2' };

function tempProject(files: Record<string, string>): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-checks-')), 'proj');
  fs.mkdirSync(dir);
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return dir;
}

describe('keys a Compose program version refuses', () => {
  const refusals = (program: ComposeProgram, text: string) =>
    programRefusals(program, [parseComposeFile('/p/compose.yaml', text, none)]).map((r) => `${r.key}@${r.start?.line}${r.since ? ` since ${r.since}` : ''}`);
  const spec = 'name: qa\ninclude:\n  - other.yaml\nservices:\n  web:\n    image: busybox\n    profiles: [debug]\n    develop:\n      watch: []\n    build:\n      context: .\n      tags: ["a:1"]\n    depends_on:\n      db: {condition: service_started, required: false}\n  db:\n    image: busybox\n';

  it('names each key docker-compose 1.29 refuses, at its line, in file order', () => {
    assert.deepEqual(refusals(v1, spec), ['name@1', 'include@2', 'develop@8', 'tags@12', 'required@14']);
  });

  it('knows profiles came with 1.28, and what each v2 release added', () => {
    assert.deepEqual(refusals({ ...v1, version: '1.27.4' }, spec), ['name@1', 'include@2', 'profiles@7 since 1.28.0', 'develop@8', 'tags@12', 'required@14']);
    assert.deepEqual(refusals({ command: ['docker', 'compose'], kind: 'plugin', version: '2.21.0' }, spec), ['develop@8 since 2.22.0']);
    assert.deepEqual(refusals({ command: ['docker', 'compose'], kind: 'plugin', version: '2.24.6' }, spec), []);
  });

  it('says nothing when the version is unknown or the program is podman compose', () => {
    assert.deepEqual(refusals({ ...v1, version: undefined }, spec), []);
    assert.deepEqual(refusals({ command: ['podman', 'compose'], kind: 'podman', version: '1.0.6' }, spec), []);
  });

  it('compares versions by number', () => {
    assert.equal(compareVersions('1.29.2', '1.28.0'), 1);
    assert.equal(compareVersions('2.9.0', '2.22.0'), -1);
    assert.equal(compareVersions('2.22', '2.22.0'), 0);
  });
});

describe("the cause of docker-compose 1.29's refusal, not its advice", () => {
  it('reads the cause line of a top-level name', () => {
    const out = fixture('v1.29.2-up-top-level-name.txt');
    assert.match(out.trim().split('\n').pop()!, /^For more on the Compose file format versions/, 'the fixture is what 1.29.2 printed');
    assert.deepEqual(composeFailure(out, { folder: '/p', project: 'qa' }), { service: undefined, reason: "'name' does not match any of the regexes: '^x-'" });
  });

  it('names the service of one cause, and every cause when there are several', () => {
    assert.deepEqual(composeFailure(fixture('v1.29.2-up-develop.txt'), { folder: '/p' }), { service: 'web', reason: "Unsupported config option for services.web: 'develop'" });
    assert.deepEqual(composeFailure(fixture('v1.29.2-up-name-and-develop.txt'), { folder: '/p' }), {
      service: undefined,
      reason: "Unsupported config option for services.web: 'develop'; 'name' does not match any of the regexes: '^x-'",
    });
  });

  it('never takes an advice line for the cause', () => {
    const out = "Something failed here\n\nFor more on the Compose file format versions, see https://docs.docker.com/compose/compose-file/\n";
    assert.equal(composeFailure(out, { folder: '/p' })?.reason, 'Something failed here');
  });
});

describe('every problem of a file, in file order, once each', () => {
  it('names the unknown key on line 4 before the required variable on line 7', async () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  web:\n    image: busybox\n    portz: ["80:80"]\n  api:\n    build: .\n    image: ${API_IMAGE:?API_IMAGE must be set}\n' });
    const project = await loadComposeProject({ folder: dir, environment: {} });
    const found = blockingProblems(project).map((p) => [p.code, p.start?.line]);
    assert.deepEqual(found, [
      ['unknownKey', 4],
      ['variableRequired', 7],
    ]);
  });

  it('keeps the files in -f order and drops an exact repeat', () => {
    const problem = (file: string, line: number) => ({ code: 'unknownKey' as const, params: { key: 'x', parent: '' }, file, start: { line, column: 1 } });
    const files = ['/p/compose.yaml', '/p/compose.override.yaml'];
    const sorted = blockingProblems({ files, problems: [problem(files[1], 1), problem(files[0], 9), problem(files[0], 2), problem(files[0], 9)] });
    assert.deepEqual(sorted.map((p) => `${path.basename(p.file!)}:${p.start!.line}`), ['compose.yaml:2', 'compose.yaml:9', 'compose.override.yaml:1']);
  });
});

describe('an image whose variable is unset', () => {
  it('is no image, with the problem that says why and where', async () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  api:\n    image: ${API_IMAGE:?set API_IMAGE to the image to run}\n' });
    const project = await loadComposeProject({ folder: dir, environment: {} });
    const api = project.services[0];
    assert.equal(api.image, undefined);
    assert.equal(api.unresolvedImage?.code, 'variableRequired');
    assert.deepEqual(api.unresolvedImage?.params, { variable: 'API_IMAGE', message: 'set API_IMAGE to the image to run' });
    assert.equal(api.unresolvedImage?.start?.line, 3);
  });

  it('is the image once the variable is set', async () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  api:\n    image: ${API_IMAGE:?set API_IMAGE}\n', '.env': 'API_IMAGE=shop/api:2\n' });
    const project = await loadComposeProject({ folder: dir, environment: {} });
    assert.equal(project.services[0].image, 'shop/api:2');
    assert.equal(project.services[0].unresolvedImage, undefined);
  });
});

describe('aliases that expand without bound ("billion laughs")', () => {
  // Nine levels of nine aliases each: 9^9 (387 million) values once expanded.
  const laughs = ['x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [i, n] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
    const prev = String.fromCharCode('a'.charCodeAt(0) + i);
    laughs.push(`x-${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const text = `${laughs.join('\n')}\nservices:\n  web:\n    image: busybox\n    labels: *i\n`;

  it('is left by the fast read to the yaml path', () => {
    assert.equal(readComposeYamlFast(text), undefined);
  });

  it('stops the yaml path with one problem, at the alias whose expansion crossed the bound', () => {
    const parsed = parseComposeFile('/p/compose.yaml', text, none);
    // x-f's nine *e hold 9^5 values: with what x-a to x-e expanded before, past 100,000.
    assert.deepEqual(parsed.problems.map((p) => [p.code, p.params, p.start?.line]), [['aliasExpansion', { alias: 'e', limit: MAX_ALIAS_EXPANSION }, 6]]);
    assert.equal(parsed.data, undefined, 'no partial data');
    // Asking for a position afterwards walks again within the same bound.
    assert.equal(parsed.locate('/services/web/labels/0/0/0'), undefined);
  });

  it('still reads a file whose aliases stay within the bound', () => {
    const small = 'x-base: &base\n  image: busybox\n  labels: {a: "1"}\nservices:\n' + Array.from({ length: 300 }, (_, i) => `  s${i}:\n    <<: *base\n`).join('');
    assert.ok(readComposeYamlFast(small));
    const slow = parseComposeFileWithPositions('/p/compose.yaml', small, none);
    assert.deepEqual(slow.problems, []);
    assert.equal(Object.keys(slow.data?.services as object).length, 300);
  });
});

describe('what Down removes', () => {
  const container = (name: string, project: string | undefined, imageId: string, volumes: string[] = []): ContainerRecord =>
    ({ id: name, name, image: '', imageId, state: 'running', status: '', created: 0, command: '', ports: [], labels: project ? { 'com.docker.compose.project': project } : {}, volumes, networks: [] }) as unknown as ContainerRecord;
  const volume = (id: string, project?: string): VolumeRecord => ({ id, driver: 'local', mountpoint: '', scope: 'local', labels: project ? { 'com.docker.compose.project': project } : {} });
  const image = (id: string, ...repoTags: string[]): ImageRecord => ({ id, repoTags, repoDigests: [], size: 0, created: 0, labels: {} });
  const anon = 'a'.repeat(64);
  const engine = {
    containers: [container('qa_db_1', 'qa', 'sha:pg', ['qa_dbdata', anon]), container('qa_api_1', 'qa', 'sha:api'), container('other_web_1', 'other', 'sha:base'), container('solo', undefined, 'sha:pg2', ['shared'])],
    volumes: [volume('qa_dbdata', 'qa'), volume(anon), volume('other_data', 'other'), volume('shared', 'qa'), volume('external-data')],
    images: [image('sha:pg', 'postgres:16'), image('sha:api', 'qa_api:latest'), image('sha:base', 'busybox:latest'), image('sha:pg2', 'postgres:15')],
  };
  const services = [
    { name: 'db', image: 'postgres:16' },
    { name: 'api', build: '.' },
    { name: 'tool', image: 'docker.io/library/busybox' },
    { name: 'gone', image: 'not-here:1' },
  ];

  it("lists the project's volumes, its anonymous ones and its services' images, keeping what others use", () => {
    const plan = planDown({ project: 'qa', services, volumes: true, images: true, engine });
    assert.deepEqual(plan.volumes, [{ name: anon, of: 'qa_db_1' }, { name: 'qa_dbdata' }]);
    assert.deepEqual(plan.keptVolumes, [{ name: 'shared', users: ['solo'] }]);
    assert.deepEqual(plan.images, [{ name: 'postgres:16' }, { name: 'qa_api:latest' }]);
    assert.deepEqual(plan.keptImages, [{ name: 'busybox:latest', users: ['other_web_1'] }]);
  });

  it('removes no volume or image unless ticked', () => {
    assert.deepEqual(planDown({ project: 'qa', services, volumes: false, images: false, engine }), { volumes: [], images: [], keptVolumes: [], keptImages: [] });
  });
});
