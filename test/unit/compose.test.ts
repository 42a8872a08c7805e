import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discoverProject, normalizeProjectName, projectName } from '../../src/model/compose/discovery';
import { parseComposeEnvFile } from '../../src/model/compose/envFile';
import { interpolate } from '../../src/model/compose/interpolate';
import { composeEnvironment, composeInvocation, detectComposeProgram, type ComposeProgram, type Exec } from '../../src/model/compose/program';
import { enabledServices, loadComposeProject, parseServicePort } from '../../src/model/compose/project';
import { needsPortPlan, parseReplicaCount, planScalePorts, replicaEntry, rewriteFileForScale } from '../../src/model/compose/scale';
import { startedServices, upPortConflicts } from '../../src/model/compose/upPorts';
import type { Endpoint } from '../../src/contract/endpoint';

const vars = (o: Record<string, string>) => (n: string) => o[n];

function tempProject(files: Record<string, string>, name = 'proj'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-compose-'));
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

describe('compose interpolation', () => {
  const env = vars({ A: 'a', EMPTY: '', N: '5' });
  const value = (t: string) => {
    const r = interpolate(t, env);
    assert.ok('value' in r, JSON.stringify(r));
    return r.value;
  };
  it('reads every form', () => {
    assert.equal(value('${A}-$A-$$A-$${A}'), 'a-a-$A-${A}');
    assert.equal(value('${UNSET}'), '');
    assert.equal(value('${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d}'), 'd d  d');
    assert.equal(value('${A:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${UNSET+alt}'), 'alt||alt|');
    assert.equal(value('${UNSET:-${A}x}'), 'ax', 'nested default');
    assert.equal(value('${A:?never}'), 'a');
    assert.equal(value('${EMPTY?ok when set}'), '');
  });
  it('says which variable is required, and where', () => {
    assert.deepEqual(interpolate('x ${DB_PASS:?set DB_PASS}', env), { code: 'variableRequired', variable: 'DB_PASS', message: 'set DB_PASS', offset: 2 });
    assert.deepEqual(interpolate('${EMPTY:?empty}', env), { code: 'variableRequired', variable: 'EMPTY', message: 'empty', offset: 0 });
    assert.deepEqual(interpolate('${UNSET:-${B:?inner}}', env), { code: 'variableRequired', variable: 'B', message: 'inner', offset: 9 });
  });
  it('refuses malformed templates', () => {
    assert.equal((interpolate('${A', env) as { code: string }).code, 'badInterpolation');
    assert.equal((interpolate('${1A}', env) as { code: string }).code, 'badInterpolation');
    assert.equal((interpolate('${A:x}', env) as { code: string }).code, 'badInterpolation');
    assert.equal((interpolate('cost $5', env) as { code: string }).code, 'badInterpolation');
  });
});

describe("compose .env (Compose's rules, not docker run --env-file's)", () => {
  it('strips quotes, allows export and inline comments', () => {
    const r = parseComposeEnvFile(
      '\uFEFF# comment\nexport A=1\nB="two words" # c\nC=\'single $A\'\nD=plain value # comment\nE=x#not-a-comment\nF="line\\nnext \\"q\\" $A"\nG: yaml style\n  H = spaced  \nINHERIT\nMISSING\nM="multi\nline"\nEMPTY=\n',
      vars({ INHERIT: 'from env' }),
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(Object.fromEntries(r.vars), {
      A: '1',
      B: 'two words',
      C: 'single $A',
      D: 'plain value',
      E: 'x#not-a-comment',
      F: 'line\nnext "q" 1',
      G: 'yaml style',
      H: 'spaced',
      INHERIT: 'from env',
      M: 'multi\nline',
      EMPTY: '',
    });
  });
  it('expands from the environment first, then earlier keys', () => {
    const r = parseComposeEnvFile('A=file\nB=${A}-${C:-def}\n', vars({ A: 'env' }));
    assert.equal(r.vars.get('B'), 'env-def');
  });
  it('names the line it cannot read', () => {
    const r = parseComposeEnvFile('OK=1\nbad key=2\nQ="unterminated\n', vars({}));
    assert.deepEqual(
      r.problems.map((p) => p.line),
      [2, 3],
    );
  });
});

describe('compose discovery', () => {
  it("takes Compose's default file and the first override, in compose-go's order", async () => {
    const dir = tempProject({ 'docker-compose.yml': 'services: {}\n', 'docker-compose.yaml': 'services: {}\n', 'compose.override.yaml': 'services: {}\n', 'docker-compose.override.yml': '' });
    const p = await discoverProject({ folder: dir, environment: {} });
    assert.deepEqual(
      p.files.map((f) => path.basename(f)),
      ['docker-compose.yml', 'compose.override.yaml'],
    );
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services: {}\n');
    assert.equal(path.basename((await discoverProject({ folder: dir, environment: {} })).files[0]), 'compose.yaml');
  });
  it("reads COMPOSE_FILE, COMPOSE_PROFILES and COMPOSE_PROJECT_NAME from the project's .env, the environment winning", async () => {
    const dir = tempProject({ '.env': 'COMPOSE_FILE=a.yml;sub/b.yml\nCOMPOSE_PATH_SEPARATOR=;\nCOMPOSE_PROFILES=dev, debug\nCOMPOSE_PROJECT_NAME=fromfile\n', 'a.yml': '', 'sub/b.yml': '' });
    const p = await discoverProject({ folder: dir, environment: { COMPOSE_PROJECT_NAME: 'fromenv' }, extraFiles: ['extra.yml'] });
    assert.deepEqual(
      p.files.map((f) => path.relative(dir, f)),
      ['a.yml', path.join('sub', 'b.yml'), 'extra.yml'],
    );
    assert.deepEqual(p.profiles, ['dev', 'debug']);
    assert.equal(p.explicitName, 'fromenv');
    assert.equal(p.envFile, path.join(dir, '.env'));
    assert.deepEqual(
      p.problems.map((x) => [x.code, path.basename(String(x.params.file))]),
      [['fileMissing', 'extra.yml']],
    );
  });
  it('reports a deleted folder and a folder without compose files', async () => {
    const dir = tempProject({});
    assert.deepEqual((await discoverProject({ folder: dir, environment: {} })).problems, [{ code: 'noComposeFile', params: { folder: dir } }]);
    fs.rmSync(dir, { recursive: true });
    const gone = await loadComposeProject({ folder: dir, environment: {} });
    assert.deepEqual(gone.problems, [{ code: 'folderMissing', params: { folder: dir } }]);
  });
  it('names projects as Compose does', () => {
    assert.equal(normalizeProjectName('My App.v2'), 'myappv2');
    assert.equal(normalizeProjectName('__x'), 'x');
    assert.deepEqual(projectName('/w/My_App', undefined, undefined), { name: 'my_app' });
    assert.deepEqual(projectName('/w/x', undefined, 'from-file'), { name: 'from-file' });
    assert.deepEqual(projectName('/w/x', 'env', 'from-file'), { name: 'env' });
    assert.deepEqual(projectName('/w/x', 'Bad Name', undefined), { code: 'projectNameInvalid', params: { name: 'Bad Name' } });
    assert.deepEqual(projectName('/w/.!!', undefined, undefined), { code: 'projectNameEmpty', params: { folder: '/w/.!!' } });
  });
});

describe('compose project loading', () => {
  it('merges files in order and builds the services', async () => {
    const dir = tempProject({
      '.env': 'TAG=16\nWEB_PORT=8080\n',
      'compose.yaml': [
        'x-common: &common',
        '  restart: always',
        'services:',
        '  db:',
        '    <<: *common',
        '    image: postgres:${TAG}',
        '    ports: ["5432:5432"]',
        '    environment: [A=1, B]',
        '    volumes: [data:/var/lib/postgresql/data]',
        '  web:',
        '    build: ./web',
        '    ports:',
        '      - "127.0.0.1:${WEB_PORT}:80"',
        '      - target: 443',
        '        published: "8443"',
        '    profiles: [frontend]',
        '    deploy: {replicas: 2}',
        '  debug:',
        '    image: busybox',
        '    profiles: [debug]',
        'volumes: {data: {}}',
        '',
      ].join('\n'),
      'compose.override.yml': ['services:', '  db:', '    environment: {B: "2", C: "3"}', '    volumes: ["./local:/var/lib/postgresql/data"]', '    container_name: pg', '  web:', '    build: {dockerfile: Dockerfile.dev}', '    scale: 3', ''].join('\n'),
    });
    const p = await loadComposeProject({ folder: dir, environment: { WEB_PORT: '9090' } });
    assert.deepEqual(p.problems, []);
    assert.equal(p.name, 'proj');
    const db = p.services.find((s) => s.name === 'db')!;
    assert.equal(db.image, 'postgres:16');
    assert.equal(db.restart, 'always');
    assert.equal(db.containerName, 'pg');
    assert.deepEqual(db.environment, { A: '1', B: '2', C: '3' });
    assert.deepEqual(db.volumes, ['./local:/var/lib/postgresql/data']);
    assert.deepEqual(db.ports.map((x) => [x.hostPort, x.containerPort, x.fixed]), [[5432, 5432, true]]);
    assert.deepEqual(db.location?.start, { line: 4, column: 3 });
    const web = p.services.find((s) => s.name === 'web')!;
    assert.deepEqual(web.build, { context: './web', dockerfile: 'Dockerfile.dev', target: undefined });
    assert.deepEqual(
      web.ports.map((x) => [x.hostIp, x.hostPort, x.containerPort]),
      [
        ['127.0.0.1', 9090, 80],
        [undefined, 8443, 443],
      ],
      'the environment wins over .env',
    );
    assert.equal(web.replicas, 2, 'deploy.replicas over scale');
    assert.deepEqual(p.profiles, ['debug', 'frontend']);
    assert.deepEqual(
      enabledServices(p, []).map((s) => s.name),
      ['db'],
    );
    assert.deepEqual(
      enabledServices(p, ['frontend']).map((s) => s.name),
      ['db', 'web'],
    );
    assert.deepEqual(
      enabledServices(p, [], ['debug']).map((s) => s.name),
      ['db', 'debug'],
    );
    assert.equal(enabledServices(p, ['*']).length, 3);
  });

  it('honours !reset and !override', async () => {
    const dir = tempProject({
      'compose.yaml': 'services:\n  db:\n    image: x\n    ports: ["5432:5432"]\n    environment: {A: "1"}\n',
      'compose.override.yaml': 'services:\n  db:\n    ports: !override ["5433:5432"]\n    environment: !reset {}\n',
    });
    const db = (await loadComposeProject({ folder: dir, environment: {} })).services[0];
    assert.deepEqual(
      db.ports.map((x) => x.hostPort),
      [5433],
    );
    assert.deepEqual(db.environment, {});
  });

  it('maps problems to file, line and column', async () => {
    const dir = tempProject({
      'compose.yaml': ['services:', '  db:', '    image: postgres', '    imgae: typo', '    ports:', '      - target: 80', '        bogus: 1', '    environment:', '      PASS: "${DB_PASS:?set it}"', '    restart: [always]', ''].join('\n'),
    });
    const p = await loadComposeProject({ folder: dir, environment: {} });
    const file = path.join(dir, 'compose.yaml');
    assert.deepEqual(
      p.problems.map((x) => [x.code, x.params, x.file, x.start?.line, x.start?.column]),
      [
        ['unknownKey', { key: 'imgae', parent: '/services/db' }, file, 4, 5],
        ['unknownKey', { key: 'bogus', parent: '/services/db/ports/0' }, file, 7, 9],
        ['variableRequired', { variable: 'DB_PASS', message: 'set it' }, file, 9, 14],
        ['type', { expected: ['string'] }, file, 10, 14],
      ],
    );
  });

  it('gives the YAML error its position', async () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  db:\n    image: [x\n  web: {}\n' });
    const p = await loadComposeProject({ folder: dir, environment: {} });
    assert.equal(p.problems[0].code, 'yamlSyntax');
    assert.equal(p.problems[0].file, path.join(dir, 'compose.yaml'));
    assert.equal(p.problems[0].start?.line, 4);
  });

  it('refuses a bad service name and a top level that is not a mapping', async () => {
    const p = await loadComposeProject({ folder: tempProject({ 'compose.yaml': 'services:\n  "bad name": {image: x}\n' }), environment: {} });
    assert.deepEqual(
      p.problems.map((x) => [x.code, x.params, x.start?.line]),
      [['badName', { name: 'bad name' }, 2]],
    );
    const q = await loadComposeProject({ folder: tempProject({ 'compose.yaml': '- a\n' }), environment: {} });
    assert.equal(q.problems[0].code, 'notMapping');
  });

  it('reads ports in every Compose form', () => {
    assert.deepEqual(parseServicePort('127.0.0.1:5433-5435:5432'), [{ containerPort: 5432, protocol: 'tcp', hostPort: 5433, hostPortEnd: 5435, hostIp: '127.0.0.1', text: '127.0.0.1:5433-5435:5432', fixed: true }]);
    assert.deepEqual(parseServicePort(80), [{ containerPort: 80, protocol: 'tcp', hostPort: undefined, hostIp: undefined, text: '80', fixed: false }]);
    assert.deepEqual(parseServicePort({ target: 53, published: 5353, protocol: 'udp', host_ip: '127.0.0.1' }), [
      { containerPort: 53, protocol: 'udp', hostPort: 5353, hostIp: '127.0.0.1', text: '{"target":53,"published":5353,"protocol":"udp","host_ip":"127.0.0.1"}', fixed: true, hostPortEnd: undefined },
    ]);
    assert.deepEqual(parseServicePort('x:80'), { problem: 'syntax', port: 'x:80' });
  });
});

describe('compose program ladder and arguments', () => {
  const script = (answers: Record<string, number | 'missing'>): { exec: Exec; calls: string[] } => {
    const calls: string[] = [];
    return {
      calls,
      exec: async (file, args) => {
        const cmd = [file, ...args].join(' ');
        calls.push(cmd);
        const a = answers[cmd];
        if (a === undefined || a === 'missing') throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        return { code: a, stdout: a === 0 ? (file === 'docker-compose' ? 'docker-compose version 1.29.2, build unknown\n' : 'Docker Compose version v2.29.1\n') : '', stderr: '' };
      },
    };
  };
  it('tries docker compose, docker-compose, podman compose in order', async () => {
    const s = script({ 'docker compose version': 1, 'docker-compose version': 0 });
    assert.deepEqual(await detectComposeProgram(s.exec), { command: ['docker-compose'], kind: 'standalone', version: '1.29.2' });
    assert.deepEqual(s.calls, ['docker compose version', 'docker-compose version']);
    const plugin = script({ 'docker compose version': 0 });
    assert.deepEqual(await detectComposeProgram(plugin.exec), { command: ['docker', 'compose'], kind: 'plugin', version: '2.29.1' });
    const podman = script({ 'podman compose version': 0 });
    assert.equal((await detectComposeProgram(podman.exec))?.kind, 'podman');
    assert.equal(await detectComposeProgram(script({}).exec), undefined);
  });
  it('uses the setting instead of the ladder', async () => {
    const s = script({ '/opt/compose --verbose version': 0 });
    assert.deepEqual(await detectComposeProgram(s.exec, ['/opt/compose', '--verbose']), { command: ['/opt/compose', '--verbose'], kind: 'setting', version: '2.29.1' });
    assert.deepEqual(s.calls, ['/opt/compose --verbose version']);
  });

  const plugin: ComposeProgram = { command: ['docker', 'compose'], kind: 'plugin', version: '2.29.1' };
  const target = { name: 'shop', folder: '/w/shop', files: ['/w/shop/compose.yaml', '/w/shop/compose.override.yml'], envFile: '/w/shop/.env', profiles: ['dev', 'debug'] };
  it('builds argument arrays with -p, the -f list, --env-file and --profile', () => {
    const base = ['compose', '-p', 'shop', '-f', '/w/shop/compose.yaml', '-f', '/w/shop/compose.override.yml', '--env-file', '/w/shop/.env', '--profile', 'dev', '--profile', 'debug'];
    const up = composeInvocation(plugin, target, { verb: 'up', services: ['web'], scale: { web: 3 } }, {});
    assert.deepEqual(up, { file: 'docker', args: [...base, 'up', '--detach', '--scale', 'web=3', 'web'], cwd: '/w/shop', env: {} });
    // Berth's scale past a fixed port: the replicas that run are kept as they are.
    assert.deepEqual(composeInvocation(plugin, target, { verb: 'up', services: ['db'], scale: { db: 2 }, noRecreate: true }, {}).args, [...base, 'up', '--detach', '--no-recreate', '--scale', 'db=2', 'db']);
    assert.deepEqual(composeInvocation(plugin, target, { verb: 'down', volumes: true, images: 'local' }, {}).args, [...base, 'down', '--volumes', '--rmi', 'local']);
    assert.deepEqual(composeInvocation(plugin, target, { verb: 'down' }, {}).args, [...base, 'down']);
    assert.deepEqual(composeInvocation(plugin, target, { verb: 'restart', services: ['db'] }, {}).args, [...base, 'restart', 'db']);
    const v1 = composeInvocation({ command: ['docker-compose'], kind: 'standalone' }, target, { verb: 'pull' }, {}, { replaceFiles: new Map([['/w/shop/compose.yaml', '/store/compose.yaml']]) });
    assert.deepEqual(v1.args.slice(0, 7), ['-p', 'shop', '--project-directory', '/w/shop', '-f', '/store/compose.yaml', '-f']);
    assert.equal(v1.file, 'docker-compose');
  });
  it("points the program at Berth's engine, whatever the shell had", () => {
    const base = { PATH: '/bin', DOCKER_HOST: 'tcp://elsewhere:2375', DOCKER_CONTEXT: 'other', DOCKER_CERT_PATH: '/old' };
    const unix: Endpoint = { kind: 'unix', socketPath: '/var/run/docker.sock', source: 'default', url: 'unix:///var/run/docker.sock' };
    assert.deepEqual(composeEnvironment(base, { endpoint: unix }, plugin), { PATH: '/bin', DOCKER_HOST: 'unix:///var/run/docker.sock' });
    const tcp: Endpoint = { kind: 'tcp', host: '10.0.0.5', port: 2376, tls: { dir: '/certs', verify: true }, source: 'setting', url: 'tcp://10.0.0.5:2376' };
    assert.deepEqual(composeEnvironment(base, { endpoint: tcp }, plugin), { PATH: '/bin', DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_CERT_PATH: '/certs', DOCKER_TLS_VERIFY: '1' });
    const ssh: Endpoint = { kind: 'ssh', host: 'box', source: 'setting', url: 'ssh://box' };
    assert.deepEqual(composeEnvironment(base, { endpoint: ssh, forwardedSocket: '/tmp/berth-ssh.sock' }, plugin), { PATH: '/bin', DOCKER_HOST: 'unix:///tmp/berth-ssh.sock' });
    assert.throws(() => composeEnvironment(base, { endpoint: ssh }, plugin));
    const ctx: Endpoint = { ...unix, source: 'context', contextName: 'colima' };
    assert.deepEqual(composeEnvironment(base, { endpoint: ctx }, plugin), { PATH: '/bin', DOCKER_CONTEXT: 'colima' });
    assert.deepEqual(composeEnvironment(base, { endpoint: ctx }, { command: ['docker-compose'], kind: 'standalone' }), { PATH: '/bin', DOCKER_HOST: 'unix:///var/run/docker.sock' });
  });
});

describe('compose scale with port planning', () => {
  it('checks replica counts', () => {
    assert.equal(parseReplicaCount('3'), 3);
    for (const bad of ['0', '51', 'abc', '2.5', '']) assert.deepEqual(parseReplicaCount(bad), { code: 'replicaCount', params: { text: bad, min: 1, max: 50 } });
  });
  const db = { name: 'db', ports: parseServicePort('5432:5432') as never, profiles: [], replicas: 1, environment: {}, volumes: [], networks: [] };
  it('keeps the first replica on the file’s port and address; each added one takes the next free port on its own', async () => {
    assert.equal(needsPortPlan(db, 3), true);
    assert.equal(needsPortPlan(db, 1), false);
    assert.equal(needsPortPlan({ ...db, ports: parseServicePort('5432-5440:5432') as never }, 3), false, 'a range is the engine’s to share');
    // 5433-5435 held by another process, 5437 by a container: replicas 2 and 3 are 5436 and 5438, not a block.
    const held = new Set([5433, 5434, 5435]);
    const plan = await planScalePorts({
      service: db,
      existing: 1,
      replicas: 3,
      publishedBy: new Map([['5432/tcp', 'proj-db-1'], ['5437/tcp', 'other']]),
      hostFree: async (port) => port !== 5432 && !held.has(port),
      defaultIp: '127.0.0.1',
    });
    assert.deepEqual(plan, [
      { replica: 2, asFile: false, ports: [{ containerPort: 5432, protocol: 'tcp', wanted: 5432, hostPort: 5436, hostIp: '127.0.0.1' }] },
      { replica: 3, asFile: false, ports: [{ containerPort: 5432, protocol: 'tcp', wanted: 5432, hostPort: 5438, hostIp: '127.0.0.1' }] },
    ]);
    // From nothing: the first replica is the file's entry as written (every interface), whatever is free.
    const fresh = await planScalePorts({ service: db, existing: 0, replicas: 2, publishedBy: new Map(), hostFree: async () => true, defaultIp: '127.0.0.1' });
    assert.deepEqual(fresh.map((a) => [a.replica, a.asFile, a.ports[0].hostPort, a.ports[0].hostIp]), [
      [1, true, 5432, undefined],
      [2, false, 5433, '127.0.0.1'],
    ]);
    // The file's own address is kept for the added replicas too.
    const own = await planScalePorts({ service: { ...db, ports: parseServicePort('127.0.0.2:5432:5432') as never }, existing: 1, replicas: 2, publishedBy: new Map([['5432/tcp', 'proj-db-1']]), hostFree: async () => true, defaultIp: '0.0.0.0' });
    assert.equal(replicaEntry(own[0].ports[0]), '127.0.0.2:5433:5432');
    assert.equal(replicaEntry({ containerPort: 53, protocol: 'udp', wanted: 53, hostPort: 53 }), '53:53/udp');
    // Scaling down adds nothing.
    assert.deepEqual(await planScalePorts({ service: db, existing: 3, replicas: 2, publishedBy: new Map(), hostFree: async () => true, defaultIp: '127.0.0.1' }), []);
  });
  it('names the fixed host ports Up would fail on, not those its own service holds', async () => {
    const svc = (name: string, ports: string[], extra: object = {}) => ({ ...db, name, ports: ports.flatMap((p) => parseServicePort(p) as never[]), ...extra });
    const services = [svc('db', ['5432:5432']), svc('web', ['8080:80', '9000-9010:9000']), svc('cache', ['6379:6379/udp', '127.0.0.1::11211'])];
    const conflicts = await upPortConflicts({
      project: 'shop',
      services,
      published: new Map([
        ['5432/tcp', { name: 'shop-db-1', project: 'shop', service: 'db' }],
        ['8080/tcp', { name: 'other-web-1', project: 'other', service: 'web' }],
      ]),
      hostFree: async (port) => port !== 6379 && port !== 9000,
    });
    assert.deepEqual(conflicts, [
      { service: 'web', hostPort: 8080, protocol: 'tcp', holder: { kind: 'container', name: 'other-web-1' } },
      { service: 'cache', hostPort: 6379, protocol: 'udp', holder: { kind: 'host' } },
    ]);
    // The same port held by the project's db but asked by its web: a conflict.
    const clash = await upPortConflicts({ project: 'shop', services: [svc('web', ['5432:80'])], published: new Map([['5432/tcp', { name: 'shop-db-1', project: 'shop', service: 'db' }]]), hostFree: async () => true });
    assert.deepEqual(clash.map((c) => c.holder), [{ kind: 'container', name: 'shop-db-1' }]);
  });
  it('counts what an Up starts: the named services and what they depend on', () => {
    const svc = (name: string, definition: object = {}) => ({ ...db, name, definition: definition as Record<string, unknown> });
    const all = [svc('web', { depends_on: ['api'] }), svc('api', { depends_on: { db: { condition: 'service_healthy' } } }), svc('db'), svc('tools')];
    assert.deepEqual(startedServices(all, all, ['web']).map((s) => s.name), ['web', 'api', 'db']);
    assert.deepEqual(startedServices(all, all.slice(2), undefined).map((s) => s.name), ['db', 'tools']);
  });
  it('rewrites only the fixed entry, keeping the rest of the file', () => {
    const text = '# my app\nservices:\n  db:\n    image: postgres # pinned\n    ports:\n      - "${PG_PORT}:5432"\n      - "9187:9187"\n  web:\n    ports: ["5432:5432"]\n';
    const out = rewriteFileForScale(text, 'db', [{ containerPort: 5432, protocol: 'tcp', hostIp: '127.0.0.1', wanted: 5432, hostPort: 5436 }], vars({ PG_PORT: '5432' }));
    assert.equal(out, '# my app\nservices:\n  db:\n    image: postgres # pinned\n    ports:\n      - "127.0.0.1:5436:5432"\n      - "9187:9187"\n  web:\n    ports: [ "5432:5432" ]\n');
    assert.equal(rewriteFileForScale('services:\n  web: {image: x}\n', 'db', [], vars({})), undefined);
  });
});
