// The real Compose program (Debian's docker-compose here: setup.sh --tests installs it) on the
// test engine: found by the ladder, run with Berth's argument arrays, and a service with a fixed
// host port scaled to 3, the first replica keeping the file's port and each added one on its own
// free 127.0.0.1 port; a project started from a
// terminal appears in the view's rows through the session's live store; scaling down removes the
// highest-numbered replicas first and keeps the named volume's data.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import type { Endpoint } from '../../src/contract/endpoint';
import { listEngineChoices } from '../../src/engine/engineChoices';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { COMPOSE_NUMBER_LABEL, composeRows } from '../../src/model/composeTree';
import { EngineSession } from '../../src/session/engineSession';
import { hostPortFree } from '../../src/model/hostPorts';
import { composeEnvironment, composeInvocation, detectComposeProgram, type ComposeInvocation, type ComposeProgram, type Exec } from '../../src/model/compose/program';
import { loadComposeProject } from '../../src/model/compose/project';
import { needsPortPlan, planScalePorts, rewriteFileForScale } from '../../src/model/compose/scale';
import { useTestEngine } from '../support/engineHooks';
import { freePort } from '../support/ports';
import { startSshd, type Sshd } from '../support/sshd';
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

  it('scales a service with a fixed host port to 3: the first replica keeps the port, each added one takes its own free port', async () => {
    assert.ok(program);
    const project = await loadComposeProject({ folder: dir, environment: {} });
    assert.deepEqual(project.problems, []);
    const web = project.services[0];
    const target = { name, folder: dir, files: project.files, envFile: project.envFile, profiles: project.activeProfiles };
    const env = composeEnvironment(process.env, { endpoint }, program);
    await run(composeInvocation(program, target, { verb: 'up' }, env));
    const fixed = web.ports[0].hostPort as number;
    const firstAnswer = await get(fixed);
    assert.ok(firstAnswer, 'the single replica answers on the fixed port');
    assert.equal(needsPortPlan(web, 3), true);

    const containers = async () => t.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`com.docker.compose.project=${name}`, 'com.docker.compose.service=web'] }) });
    const [before] = await containers();
    // Another program holds the port after the file's: the added replicas go around it.
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.once('error', () => resolve()).listen(fixed + 1, '127.0.0.1', () => resolve()));
    try {
      const publishedBy = new Map(
        (await t.docker.listContainers()).flatMap((c) => c.Ports.filter((p) => p.PublicPort).map((p) => [`${p.PublicPort}/${p.Type}`, c.Names[0].slice(1)] as [string, string])),
      );
      const plan = await planScalePorts({ service: web, existing: 1, replicas: 3, publishedBy, hostFree: hostPortFree, defaultIp: '127.0.0.1' });
      assert.deepEqual(plan.map((a) => a.replica), [2, 3]);
      const original = path.join(dir, 'compose.yaml');
      for (const added of plan) {
        assert.notEqual(added.ports[0].hostPort, fixed + 1, 'not the held port');
        const rewritten = rewriteFileForScale(fs.readFileSync(original, 'utf8'), 'web', added.ports, (n) => project.variables.get(n));
        assert.ok(rewritten);
        const copy = path.join(storage, `compose-${added.replica}.yaml`);
        fs.writeFileSync(copy, rewritten);
        await run(composeInvocation(program, target, { verb: 'up', services: ['web'], scale: { web: added.replica }, noRecreate: true }, env, { replaceFiles: new Map([[original, copy]]) }));
      }
      const replicas = await containers();
      assert.equal(replicas.length, 3);
      assert.ok(replicas.some((c) => c.Id === before.Id), 'the first replica was not recreated');
      assert.equal(await get(fixed), firstAnswer, 'the first replica still answers on the file\'s port');
      const added = replicas.filter((c) => c.Id !== before.Id).map((c) => {
        const p = c.Ports.find((x) => x.PrivatePort === 80 && x.PublicPort);
        assert.ok(p, `${c.Names[0]} publishes 80`);
        assert.equal(p.IP, '127.0.0.1');
        return p.PublicPort;
      });
      assert.deepEqual(added.sort(), plan.map((a) => a.ports[0].hostPort).sort(), 'each added replica on its planned port');
      const answers = await Promise.all([fixed, ...added].map(get));
      assert.equal(new Set(answers).size, 3, `each port reaches its own replica: ${answers}`);
      assert.deepEqual(fs.readFileSync(original, 'utf8').includes('"${WEB_PORT}:80"'), true, "the user's file is untouched");
    } finally {
      holder.close();
    }
  });
});

describe('Compose projects started from a terminal', function () {
  this.timeout(180_000);
  const t = useTestEngine();
  const endpoint: Endpoint = { kind: 'unix', socketPath: SOCKET, source: 'setting', url: `unix://${SOCKET}` };
  const name = uniqueName('berth-test-term');
  const labels = testLabels();
  let dir: string;
  let program: ComposeProgram;
  let session: EngineSession;

  before(async () => {
    const found = await detectComposeProgram(exec);
    assert.ok(found, 'no Compose program found: bash scripts/setup.sh --tests installs docker-compose');
    program = found;
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-compose-')), 'term');
    fs.mkdirSync(dir);
    const labelLines = Object.entries(labels).map(([k, v]) => `      ${k}: "${v}"`);
    fs.writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      [
        'services:',
        '  app:',
        `    image: ${BASE_IMAGE}`,
        '    command: ["sleep", "3600"]',
        '    stop_grace_period: 1s',
        '    volumes: ["data:/data"]',
        '    labels:',
        ...labelLines,
        'volumes:',
        '  data:',
        '    labels:',
        ...labelLines,
        'networks:',
        '  default:',
        '    labels:',
        ...labelLines,
        '',
      ].join('\n'),
    );
    session = new EngineSession({ resolve: () => resolveEndpoint({ setting: `unix://${SOCKET}`, env: {} }), createClient: createEngineClient, pingTimeoutMs: 5000 });
    await session.connect();
    session.setLive(true);
  });

  after(async () => {
    session?.dispose();
    if (program) await run(composeInvocation(program, { name, folder: dir, files: [path.join(dir, 'docker-compose.yml')], profiles: [] }, { verb: 'down', volumes: true }, composeEnvironment(process.env, { endpoint }, program))).catch(() => undefined);
    if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  /** Resolves with what `check` returns once it is truthy, re-checked on each store change. */
  function whenStore<T>(what: string, check: () => T | undefined, ms = 60_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (v: T) => {
        clearTimeout(timer);
        sub.dispose();
        resolve(v);
      };
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`timed out waiting for ${what}`));
      }, ms);
      const sub = session.containers.onDidChange(() => {
        const v = check();
        if (v) done(v);
      });
      const now = check();
      if (now) done(now);
    });
  }

  const appRow = () => composeRows([], session.containers.all()).find((p) => p.name === name)?.services.find((s) => s.name === 'app');

  it('shows a project brought up by docker-compose in a terminal, with no file in the workspace', async () => {
    // Run directly, as a user would in a terminal: no Berth invocation, only the program and the folder.
    await new Promise<void>((resolve, reject) =>
      execFile('docker-compose', ['-p', name, 'up', '-d'], { cwd: dir, env: { ...process.env, DOCKER_HOST: `unix://${SOCKET}` } }, (err, _o, stderr) => (err ? reject(new Error(stderr)) : resolve())),
    );
    const row = await whenStore('the project in the rows', () => {
      const project = composeRows([], session.containers.all()).find((p) => p.name === name);
      return project && project.running === 1 ? project : undefined;
    });
    assert.equal(row.project, undefined, 'a project known from the engine only');
    assert.deepEqual(row.services.map((s) => [s.name, s.containers.length, s.running]), [['app', 1, 1]]);
  });

  it('scales down removing the highest-numbered replicas first, keeping the named volume and its data', async () => {
    const target = { name, folder: dir, files: [path.join(dir, 'docker-compose.yml')], profiles: [] };
    const env = composeEnvironment(process.env, { endpoint }, program);
    await run(composeInvocation(program, target, { verb: 'up', services: ['app'], scale: { app: 3 } }, env));
    const three = await whenStore('3 running replicas', () => {
      const s = appRow();
      return s && s.running === 3 ? s : undefined;
    });
    const numbers = three.containers.map((c) => Number(c.labels[COMPOSE_NUMBER_LABEL]));
    assert.deepEqual(numbers, [1, 2, 3], 'the rows list replicas by number');
    // Data written through replica 1 into the shared named volume.
    const exec1 = await t.docker.getContainer(three.containers[0].id).exec({ Cmd: ['sh', '-c', 'echo kept > /data/marker'], AttachStdout: true, AttachStderr: true });
    const stream = await exec1.start({});
    await new Promise((resolve) => stream.on('end', resolve).resume());
    const removed: number[] = [];
    const seen = session.containers.onDidChange((ch) => {
      for (const id of ch.removed) {
        const c = three.containers.find((x) => x.id === id);
        if (c) removed.push(Number(c.labels[COMPOSE_NUMBER_LABEL]));
      }
    });
    await run(composeInvocation(program, target, { verb: 'up', services: ['app'], scale: { app: 1 } }, env));
    const one = await whenStore('one replica left', () => {
      const s = appRow();
      return s && s.containers.length === 1 && s.running === 1 ? s : undefined;
    });
    seen.dispose();
    assert.deepEqual(removed.sort(), [2, 3], 'replicas 2 and 3 removed');
    assert.equal(one.containers[0].id, three.containers[0].id, 'replica 1 kept, not recreated');
    const volumes = (await t.docker.listVolumes({ filters: JSON.stringify({ label: [`com.docker.compose.project=${name}`] }) })).Volumes ?? [];
    assert.deepEqual(volumes.map((v) => v.Name), [`${name}_data`], 'the named volume is kept');
    let text = '';
    const out = new PassThrough().on('data', (d: Buffer) => (text += d.toString()));
    const check = await t.docker.run(BASE_IMAGE, ['cat', '/data/marker'], out, { Labels: labels, HostConfig: { Binds: [`${name}_data:/data`] } });
    await check[1].remove();
    assert.equal(check[0].StatusCode, 0);
    assert.equal(text.trim(), 'kept', 'the marker written before the scale-down is still there');
  });

  it('takes the project down keeping the named volume, whose data the next up finds', async () => {
    const target = { name, folder: dir, files: [path.join(dir, 'docker-compose.yml')], profiles: [] };
    const env = composeEnvironment(process.env, { endpoint }, program);
    await run(composeInvocation(program, target, { verb: 'down' }, env));
    await whenStore('no replica left', () => (appRow() ? undefined : true));
    const volumes = (await t.docker.listVolumes({ filters: JSON.stringify({ label: [`com.docker.compose.project=${name}`] }) })).Volumes ?? [];
    assert.deepEqual(volumes.map((v) => v.Name), [`${name}_data`], 'down without --volumes keeps it');
    await run(composeInvocation(program, target, { verb: 'up' }, env));
    const app = await whenStore('the project up again', () => {
      const s = appRow();
      return s && s.running === 1 ? s : undefined;
    });
    const ex = await t.docker.getContainer(app.containers[0].id).exec({ Cmd: ['cat', '/data/marker'], AttachStdout: true, AttachStderr: true });
    let text = '';
    const stream = await ex.start({});
    await new Promise((resolve) => stream.on('data', (d: Buffer) => (text += d.toString())).on('end', resolve));
    assert.match(text, /kept/);
  });
});

describe('Compose on an ssh engine, through the forward Berth keeps', function () {
  this.timeout(120_000);
  const t = useTestEngine();
  let sshd: Sshd;
  let dir: string;
  const name = uniqueName('berth-test-ssh');
  const labels = testLabels();

  before(async () => {
    sshd = await startSshd();
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-compose-')), 'overssh');
    fs.mkdirSync(dir);
    const labelLines = Object.entries(labels).map(([k, v]) => `      ${k}: "${v}"`);
    fs.writeFileSync(
      path.join(dir, 'compose.yaml'),
      ['services:', '  app:', `    image: ${BASE_IMAGE}`, '    command: ["sleep", "3600"]', '    stop_grace_period: 1s', '    labels:', ...labelLines, 'networks:', '  default:', '    labels:', ...labelLines, ''].join('\n'),
    );
  });
  after(async () => {
    await sshd?.stop();
    if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it("runs the program with DOCKER_HOST at Berth's forwarded socket, reaching the remote engine", async () => {
    const program = await detectComposeProgram(exec);
    assert.ok(program, 'no Compose program found: bash scripts/setup.sh --tests installs docker-compose');
    const [choice] = listEngineChoices({
      env: {},
      homeDir: '/nonexistent',
      exists: () => false,
      configured: [{ name: 'over ssh', url: `ssh://${sshd.user}@127.0.0.1:${sshd.port}`, sshArgs: ['-i', sshd.keyFile, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${sshd.knownHosts}`] }],
    });
    assert.ok(choice.endpoint, choice.problem);
    const client = createEngineClient(choice.endpoint);
    try {
      assert.equal(client.forwardedSocket?.(), undefined, 'no forward before the first connect');
      await client.ping(10_000);
      const forwarded = client.forwardedSocket?.();
      assert.ok(forwarded && fs.existsSync(forwarded), `the forward's local socket: ${forwarded}`);
      const env = composeEnvironment({ ...process.env, DOCKER_HOST: 'tcp://192.0.2.1:2375' }, { endpoint: choice.endpoint, forwardedSocket: forwarded }, program);
      assert.equal(env.DOCKER_HOST, `unix://${forwarded}`, "the shell's DOCKER_HOST replaced by the forward");
      const target = { name, folder: dir, files: [path.join(dir, 'compose.yaml')], profiles: [] };
      await run(composeInvocation(program, target, { verb: 'up' }, env));
      const list = await t.docker.listContainers({ filters: JSON.stringify({ label: [`com.docker.compose.project=${name}`] }) });
      assert.deepEqual(list.map((c) => [c.Labels['com.docker.compose.service'], c.State]), [['app', 'running']]);
      await run(composeInvocation(program, target, { verb: 'down' }, env));
      assert.deepEqual(await t.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`com.docker.compose.project=${name}`] }) }), []);
    } finally {
      client.dispose();
    }
  });
});
