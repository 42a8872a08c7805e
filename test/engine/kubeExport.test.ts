// Export to Kubernetes from what really runs (issue 18): a 3-service Compose project brought up by
// the real Compose program and scaled to 2, read through Berth's engine client both from its files
// and from its containers alone; and a Swarm service with 3 replicas on a Swarm test engine. Every
// manifest passes the Kubernetes schemas and no secret value reaches the document.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ContainerRecord } from '../../src/contract/records';
import type { Endpoint } from '../../src/contract/endpoint';
import { composeEnvironment, composeInvocation, detectComposeProgram, type ComposeInvocation, type ComposeProgram, type Exec } from '../../src/model/compose/program';
import { loadComposeProject } from '../../src/model/compose/project';
import type { ServiceInspect } from '../../src/model/kube/fromDocker';
import { useEngineClient, useSwarmEngine, useTestEngine } from '../support/engineHooks';
import { loadKubeBundle, type KubeModule } from '../support/kubeBundle';
import { BASE_IMAGE, testLabels, uniqueName } from '../support/testEngine';

const SOCKET = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';
const OPTIONS = { serviceType: 'ClusterIP' as const, volumeSize: '2Gi' };
const SECRETS = { web: `web-key-${Math.random().toString(36).slice(2)}`, db: `db-pw-${Math.random().toString(36).slice(2)}`, url: `url-pw-${Math.random().toString(36).slice(2)}` };

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

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function checked(kube: KubeModule, doc: { text: string; manifests: { object: Obj }[] }): Obj[] {
  const objs = doc.manifests.map((m) => m.object);
  for (const o of objs) assert.deepEqual(kube.manifestProblems(o), [], `${o.kind} ${o.metadata.name}`);
  for (const secret of Object.values(SECRETS)) assert.ok(!doc.text.includes(secret), `the secret ${secret} is in the document`);
  return objs;
}

const deployment = (objs: Obj[], name: string) => {
  const d = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
  assert.ok(d, `no Deployment ${name}`);
  return d;
};

describe('Export to Kubernetes from a running Compose project', function () {
  this.timeout(180_000);
  useTestEngine();
  const e = useEngineClient();
  const endpoint: Endpoint = { kind: 'unix', socketPath: SOCKET, source: 'setting', url: `unix://${SOCKET}` };
  const name = uniqueName('berth-test-kube');
  const labels = testLabels();
  let dir: string;
  let program: ComposeProgram | undefined;
  let kube: KubeModule;
  let containers: ContainerRecord[];

  const target = () => ({ name, folder: dir, files: [path.join(dir, 'compose.yaml')], profiles: [] });

  before(async () => {
    kube = await loadKubeBundle();
    program = await detectComposeProgram(exec);
    assert.ok(program, 'no Compose program found: bash scripts/setup.sh --tests installs docker-compose');
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kube-')), 'app');
    fs.mkdirSync(dir);
    const labelLines = Object.entries(labels).map(([k, v]) => `      ${k}: "${v}"`);
    const common = ['    stop_grace_period: 1s', '    labels:', ...labelLines];
    fs.writeFileSync(
      path.join(dir, 'compose.yaml'),
      [
        'services:',
        '  web:',
        `    image: ${BASE_IMAGE}`,
        '    command: ["httpd", "-f", "-p", "8080", "-h", "/"]',
        '    ports:',
        '      - "127.0.0.1::8080"',
        '    environment:',
        `      APP_SECRET_KEY: ${SECRETS.web}`,
        `      DATABASE_URL: postgres://app:${SECRETS.url}@db:5432/app`,
        '      MODE: test',
        '    healthcheck:',
        '      test: ["CMD-SHELL", "wget -q -O /dev/null http://localhost:8080/ || exit 1"]',
        '      interval: 5s',
        '    mem_limit: 64m',
        '    depends_on: [db, cache]',
        ...common,
        '  db:',
        `    image: ${BASE_IMAGE}`,
        '    command: ["sleep", "3600"]',
        '    environment:',
        `      DB_PASSWORD: ${SECRETS.db}`,
        '    volumes:',
        '      - data:/data',
        ...common,
        '  cache:',
        `    image: ${BASE_IMAGE}`,
        '    command: ["sleep", "3600"]',
        '    expose: ["6379"]',
        ...common,
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
    const env = composeEnvironment(process.env, { endpoint }, program);
    await run(composeInvocation(program, target(), { verb: 'up' }, env));
    await run(composeInvocation(program, target(), { verb: 'up', scale: { web: 2 } }, env));
    containers = (await e.client.listContainers()).filter((c) => c.labels['com.docker.compose.project'] === name);
  });

  after(async () => {
    if (program) await run(composeInvocation(program, target(), { verb: 'down', volumes: true }, composeEnvironment(process.env, { endpoint }, program))).catch(() => undefined);
    if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('runs 3 services, web scaled to 2', () => {
    const count = (s: string) => containers.filter((c) => c.labels['com.docker.compose.service'] === s && c.state === 'running').length;
    assert.deepEqual([count('web'), count('db'), count('cache')], [2, 1, 1]);
  });

  it('exports it from its containers alone, with the scaled replica count', async () => {
    const services = await kube.runningComposeServices(e.client, containers);
    const doc = kube.exportToKube(kube.composeRunningInput(`Compose project ${name}`, name, services), OPTIONS);
    const objs = checked(kube, doc);
    assert.deepEqual(objs.filter((o) => o.kind === 'Deployment').map((o) => `${o.metadata.name}=${o.spec.replicas}`), ['cache=1', 'db=1', 'web=2']);
    const web = deployment(objs, 'web').spec.template.spec.containers[0];
    assert.equal(web.image, BASE_IMAGE);
    assert.deepEqual(web.args, ['httpd', '-f', '-p', '8080', '-h', '/']);
    assert.deepEqual(web.readinessProbe.httpGet, { path: '/', port: 8080 }, 'a wget of the published port is an httpGet');
    assert.equal(web.resources.limits.memory, '64Mi');
    // The project's volume loses Compose's prefix; the claim has the asked size.
    const claim = objs.find((o) => o.kind === 'PersistentVolumeClaim');
    assert.equal(claim?.metadata.name, 'data');
    assert.equal(claim?.spec.resources.requests.storage, '2Gi');
    const secret = objs.find((o) => o.kind === 'Secret' && o.metadata.name === 'web-secret');
    assert.deepEqual(secret?.stringData, { APP_SECRET_KEY: 'CHANGE-ME', DATABASE_URL: 'CHANGE-ME' });
    assert.deepEqual(objs.find((o) => o.kind === 'Service' && o.metadata.name === 'web')?.spec.ports, [{ name: 'tcp-8080', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    assert.ok(!/com\.docker\.compose/.test(doc.text), "Compose's own labels are left out");
    assert.ok(!/hostPort/.test(doc.text));
  });

  it('exports it from its files with the replica count that runs', async () => {
    const project = await loadComposeProject({ folder: dir, environment: {} });
    const running: Record<string, number> = {};
    for (const c of containers) running[c.labels['com.docker.compose.service']] = (running[c.labels['com.docker.compose.service']] ?? 0) + 1;
    const doc = kube.exportToKube(kube.composeFilesInput(`Compose project ${name}`, { ...project, name }, running), OPTIONS);
    const objs = checked(kube, doc);
    assert.equal(deployment(objs, 'web').spec.replicas, 2);
    assert.match(doc.text, /web depends on cache, db/);
    assert.deepEqual(objs.find((o) => o.kind === 'Service' && o.metadata.name === 'cache')?.spec.ports, [{ name: 'tcp-6379', port: 6379, targetPort: 6379, protocol: 'TCP' }]);
  });
});

describe('Export to Kubernetes from a Swarm service', function () {
  this.timeout(240_000);
  const t = useSwarmEngine();
  let kube: KubeModule;

  before(async () => {
    kube = await loadKubeBundle();
  });

  it('exports a service with 3 replicas, its secret never written', async () => {
    const swarm = t.client.swarm;
    assert.ok(swarm, 'the engine client has no Swarm part');
    const name = uniqueName('berth-test-kube-svc');
    const id = await swarm.createService({
      name,
      image: BASE_IMAGE,
      replicas: 3,
      command: ['httpd', '-f', '-p', '8080', '-h', '/'],
      env: [`API_TOKEN=${SECRETS.web}`, 'LOG_LEVEL=info'],
      ports: [{ targetPort: 8080, publishedPort: 18080, protocol: 'tcp', mode: 'ingress' }],
      labels: testLabels(),
      update: { parallelism: 1, delaySeconds: 0, failureAction: 'pause' },
      restart: { condition: 'any' },
    });
    try {
      const raw = (await swarm.inspect('service', id)) as ServiceInspect;
      const doc = kube.exportToKube(kube.swarmInput(`Swarm service ${name}`, [raw]), OPTIONS);
      const objs = checked(kube, doc);
      const d = deployment(objs, name);
      assert.equal(d.spec.replicas, 3);
      assert.deepEqual(d.spec.template.spec.containers[0].command, ['httpd', '-f', '-p', '8080', '-h', '/']);
      assert.deepEqual(objs.find((o) => o.kind === 'Secret')?.stringData, { API_TOKEN: 'CHANGE-ME' });
      // Clients in the cluster use the container port; the published 18080 is a host port (issue 23, item 17).
      assert.deepEqual(objs.find((o) => o.kind === 'Service')?.spec.ports, [{ name: 'tcp-8080', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    } finally {
      await swarm.removeService(id);
    }
  });
});
