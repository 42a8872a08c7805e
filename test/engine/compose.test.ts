// The real Compose program (Debian's docker-compose here: setup.sh --tests installs it) on the
// test engine: found by the ladder, run with Berth's argument arrays, and a service with a fixed
// host port scaled to 3 with each replica on its own 127.0.0.1 port.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import type { Endpoint } from '../../src/contract/endpoint';
import { hostPortFree } from '../../src/model/hostPorts';
import { composeEnvironment, composeInvocation, detectComposeProgram, type ComposeInvocation, type ComposeProgram, type Exec } from '../../src/model/compose/program';
import { loadComposeProject } from '../../src/model/compose/project';
import { needsPortPlan, planScalePorts, rewriteFileForScale } from '../../src/model/compose/scale';
import { useTestEngine } from '../support/engineHooks';
import { freePort } from '../support/ports';
import { BASE_IMAGE, testLabels, uniqueName } from '../support/testEngine';

const SOCKET = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';

const exec: Exec = (file, args) =>
  new Promise((resolve, reject) =>
    execFile(file, [...args], (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') reject(err);
      else resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    }),
  );

function run(inv: ComposeInvocation): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(inv.file, inv.args, { cwd: inv.cwd, env: inv.env }, (err, _out, stderr) => (err ? reject(new Error(`${inv.file} ${inv.args.join(' ')} failed: ${stderr}`)) : resolve())),
  );
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body.trim()));
      })
      .on('error', reject);
  });
}

describe('Compose with the real program', function () {
  this.timeout(120_000);
  const t = useTestEngine();
  const endpoint: Endpoint = { kind: 'unix', socketPath: SOCKET, source: 'setting', url: `unix://${SOCKET}` };
  const name = uniqueName('berth-test-compose');
  const labels = testLabels();
  let dir: string;
  let storage: string;
  let program: ComposeProgram | undefined;

  before(async () => {
    program = await detectComposeProgram(exec);
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-compose-')), 'app');
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-compose-storage-'));
    fs.mkdirSync(dir);
    const labelLines = Object.entries(labels).map(([k, v]) => `      ${k}: "${v}"`);
    fs.writeFileSync(path.join(dir, '.env'), `WEB_PORT=${await freePort()} # the fixed host port\n`);
    fs.writeFileSync(
      path.join(dir, 'compose.yaml'),
      [
        '# A web service with a fixed host port, as users write them.',
        'services:',
        '  web:',
        `    image: ${BASE_IMAGE}`,
        // Each replica answers with its own hostname (the container id), so replicas are told apart.
        '    command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"]',
        '    ports:',
        '      - "${WEB_PORT}:80"',
        '    stop_grace_period: 1s',
        '    labels:',
        ...labelLines,
        'networks:',
        '  default:',
        '    labels:',
        ...labelLines,
        '',
      ].join('\n'),
    );
  });

  after(async () => {
    if (program) await run(composeInvocation(program, { name, folder: dir, files: [path.join(dir, 'compose.yaml')], profiles: [] }, { verb: 'down', volumes: true }, composeEnvironment(process.env, { endpoint }, program))).catch(() => undefined);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('finds the Compose program with the ladder', () => {
    assert.ok(program, 'no Compose program found: bash scripts/setup.sh --tests installs docker-compose');
    assert.match(program.version ?? '', /^\d+\.\d+\.\d+$/);
  });

  it('scales a service with a fixed host port to 3, each replica on its own 127.0.0.1 port', async () => {
    assert.ok(program);
    const project = await loadComposeProject({ folder: dir, environment: {} });
    assert.deepEqual(project.problems, []);
    const web = project.services[0];
    const target = { name, folder: dir, files: project.files, envFile: project.envFile, profiles: project.activeProfiles };
    const env = composeEnvironment(process.env, { endpoint }, program);
    await run(composeInvocation(program, target, { verb: 'up' }, env));
    const fixed = web.ports[0].hostPort as number;
    assert.ok(await get(fixed), 'the single replica answers on the fixed port');
    assert.equal(needsPortPlan(web, 3), true);

    const containers = async () => t.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`com.docker.compose.project=${name}`, 'com.docker.compose.service=web'] }) });
    const publishedBy = new Map(
      (await t.docker.listContainers()).flatMap((c) => c.Ports.filter((p) => p.PublicPort).map((p) => [`${p.PublicPort}/${p.Type}`, c.Names[0].slice(1)] as [string, string])),
    );
    const own = new Set((await containers()).map((c) => c.Names[0].slice(1)));
    const plan = await planScalePorts({ service: web, replicas: 3, publishedBy, ownContainers: own, hostFree: hostPortFree, defaultIp: '127.0.0.1' });
    assert.equal(plan.length, 1);
    assert.equal(plan[0].last - plan[0].first, 2);
    const original = path.join(dir, 'compose.yaml');
    const rewritten = rewriteFileForScale(fs.readFileSync(original, 'utf8'), 'web', plan, (n) => project.variables.get(n));
    assert.ok(rewritten);
    const copy = path.join(storage, 'compose.yaml');
    fs.writeFileSync(copy, rewritten);
    await run(composeInvocation(program, target, { verb: 'up', scale: { web: 3 } }, env, { replaceFiles: new Map([[original, copy]]) }));

    const replicas = await containers();
    assert.equal(replicas.length, 3);
    const ports = replicas.map((c) => {
      const p = c.Ports.find((x) => x.PrivatePort === 80 && x.PublicPort);
      assert.ok(p, `${c.Names[0]} publishes 80`);
      assert.equal(p.IP, '127.0.0.1');
      return p.PublicPort;
    });
    assert.equal(new Set(ports).size, 3, `three different host ports: ${ports}`);
    for (const p of ports) assert.ok(p >= plan[0].first && p <= plan[0].last, `${p} in the planned range ${plan[0].first}-${plan[0].last}`);
    const answers = await Promise.all(ports.map(get));
    assert.equal(new Set(answers).size, 3, `each port reaches its own replica: ${answers}`);
    assert.deepEqual(fs.readFileSync(original, 'utf8').includes('"${WEB_PORT}:80"'), true, "the user's file is untouched");
  });
});
