// Export to Kubernetes (issue 18): recorded inspect answers (a container and a Swarm service, taken
// from real engines) and Compose files turned into manifests, every one checked against the
// Kubernetes API schemas; golden files for three realistic projects. KUBE_GOLDEN_UPDATE=1 rewrites
// the golden files (read the diff before committing them).
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { loadComposeProject, type ComposeProject } from '../../src/model/compose/project';
import { cpuQuantity, memoryQuantity } from '../../src/model/kube/manifests';
import { durationSeconds, memoryBytes } from '../../src/model/kube/fromCompose';
import { NameRegistry, toDnsLabel } from '../../src/model/kube/names';
import { CONFIG_FIELDS, HOST_CONFIG_FIELDS } from '../../src/model/kube/inspectFields';
import { httpCheck, probeFor } from '../../src/model/kube/probes';
import type { ExportInput, ExportOptions } from '../../src/model/kube/workload';
import { loadKubeBundle, type KubeModule } from '../support/kubeBundle';

const root = path.join(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'unit', 'fixtures', 'kube');
const readJson = <T>(name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8')) as T;
const OPTIONS: ExportOptions = { serviceType: 'ClusterIP', volumeSize: '1Gi' };

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The objects of a document as kubectl would read them. */
function parsed(text: string): Obj[] {
  return parseAllDocuments(text, { version: '1.1' }).map((d) => {
    assert.deepEqual(d.errors, [], 'the document does not parse');
    return d.toJS() as Obj;
  });
}

/** The comments with each wrapped note back on one line. */
const unwrap = (text: string) => text.replace(/\n# {3}/g, ' ');

const find = (objs: Obj[], kind: string, name?: string) => {
  const o = objs.find((x) => x.kind === kind && (!name || x.metadata.name === name));
  assert.ok(o, `no ${kind} ${name ?? ''} in ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
};

describe('Kubernetes export', function () {
  this.timeout(120_000);
  let kube: KubeModule;
  /** Every document made in this suite, validated once more at the end. */
  const made: string[] = [];

  before(async () => {
    kube = await loadKubeBundle();
  });

  function exportText(input: ExportInput, options: ExportOptions = OPTIONS): { text: string; objs: Obj[] } {
    const doc = kube.exportToKube(input, options);
    made.push(doc.text);
    const objs = parsed(doc.text);
    assert.deepEqual(objs, doc.manifests.map((m) => m.object), 'the YAML says what was built');
    return { text: doc.text, objs };
  }

  async function project(folder: string, environment: Record<string, string> = {}): Promise<ComposeProject> {
    const p = await loadComposeProject({ folder: path.join(fixtures, folder), environment });
    assert.deepEqual(p.problems, []);
    return p;
  }

  describe('names', () => {
    it('converts to DNS-1035 labels: lowercase, "-" for anything else, a letter first, at most 63', () => {
      assert.equal(toDnsLabel('My_App.1'), 'my-app-1');
      assert.equal(toDnsLabel('web'), 'web');
      assert.equal(toDnsLabel('1st-service'), 'app-1st-service');
      assert.equal(toDnsLabel('__'), 'app');
      assert.equal(toDnsLabel('a--b__c'), 'a-b-c');
      const long = toDnsLabel('x'.repeat(40) + '_' + 'y'.repeat(40));
      assert.ok(long.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(long), long);
    });

    it('keeps names unique after conversion, with room for the -secret suffix', () => {
      const r = new NameRegistry();
      assert.equal(r.workload('My_App.1'), 'my-app-1');
      assert.equal(r.workload('my-app-1'), 'my-app-1-2');
      assert.equal(r.workload('MY.APP.1'), 'my-app-1-3');
      const long = r.workload('a'.repeat(70));
      assert.ok(`${long}-secret`.length <= 63);
      assert.equal(r.workload('a'.repeat(70)), `${'a'.repeat(54)}-2`);
      assert.deepEqual([...r.renamed.keys()], ['My_App.1', 'my-app-1', 'MY.APP.1', 'a'.repeat(70)]);
    });

    it('exports a container named My_App.1 as my-app-1, saying so at the top', () => {
      const inspect = readJson<Obj>('container-web.inspect.json');
      const { text, objs } = exportText(kube.containerInput('container My_App.1', { ...inspect, Name: '/My_App.1' }));
      assert.equal(find(objs, 'Deployment').metadata.name, 'my-app-1');
      assert.equal(find(objs, 'Service').metadata.name, 'my-app-1');
      assert.match(unwrap(text.split('\n---')[0]), /^# - Renamed My_App\.1 to my-app-1/m);
    });
  });

  describe('a recorded container', () => {
    let text: string;
    let objs: Obj[];
    before(() => {
      const inspect = readJson<Obj>('container-web.inspect.json');
      const image = kube.imageDefaults(readJson<Obj>('busybox.image.json'));
      ({ text, objs } = exportText(kube.containerInput('container web', inspect, image)));
    });

    it('gives the Service the container ports clients in the cluster use (not Docker\'s host ports), never hostPort', () => {
      const svc = find(objs, 'Service');
      assert.equal(svc.spec.type, 'ClusterIP');
      assert.deepEqual(
        svc.spec.ports.map((p: Obj) => `${p.protocol} ${p.port}->${p.targetPort}`),
        ['UDP 53->53', 'TCP 8080->8080', 'TCP 9000->9000', 'TCP 9001->9001', 'TCP 9002->9002'],
      );
      assert.doesNotMatch(unwrap(text), /Docker published/, 'host ports are noted for NodePort only');
      const ports = find(objs, 'Deployment').spec.template.spec.containers[0].ports.map((p: Obj) => `${p.name} ${p.containerPort}/${p.protocol}`);
      assert.deepEqual(ports, ['udp-53 53/UDP', 'tcp-8080 8080/TCP', 'tcp-9000 9000/TCP', 'tcp-9001 9001/TCP', 'tcp-9002 9002/TCP']);
      assert.doesNotMatch(text, /hostPort/);
    });

    it('puts plain variables in a ConfigMap and secret-looking ones as placeholders in a Secret', () => {
      assert.deepEqual(find(objs, 'ConfigMap').data, { ENABLED: 'yes', MODE: 'production' });
      assert.match(unwrap(text), /ENABLED: "yes"/, 'a YAML 1.1 boolean word stays a string');
      const secret = find(objs, 'Secret');
      assert.deepEqual(secret.stringData, { API_TOKEN: 'CHANGE-ME', DATABASE_URL: 'CHANGE-ME', DB_PASSWORD: 'CHANGE-ME' });
      for (const value of ['hunter2-secret', 'tok-abc123', 'pw-in-url']) assert.ok(!text.includes(value), `${value} is in the document`);
      const c = find(objs, 'Deployment').spec.template.spec.containers[0];
      assert.deepEqual(c.envFrom, [{ configMapRef: { name: 'web-env' } }, { secretRef: { name: 'web-secret' } }]);
      assert.match(unwrap(text), /^# web: the values of API_TOKEN, DATABASE_URL, DB_PASSWORD look secret/m);
    });

    it('leaves the image\'s own PATH out, and keeps the command the container runs', () => {
      assert.ok(!('PATH' in find(objs, 'ConfigMap').data));
      const c = find(objs, 'Deployment').spec.template.spec.containers[0];
      assert.deepEqual(c.args, ['httpd', '-f', '-p', '8080', '-h', '/srv']);
      assert.equal(c.workingDir, '/srv');
      assert.deepEqual(c.securityContext, { runAsUser: 1000, runAsGroup: 1000 });
    });

    it('claims the named volume, makes the tmpfs an emptyDir and lists the bind mount', () => {
      const pvc = find(objs, 'PersistentVolumeClaim', 'kube-rec-data');
      assert.equal(pvc.spec.resources.requests.storage, '1Gi');
      const spec = find(objs, 'Deployment').spec.template.spec;
      assert.deepEqual(spec.volumes, [
        { name: 'kube-rec-data', persistentVolumeClaim: { claimName: 'kube-rec-data' } },
        { name: 'tmpfs-3', emptyDir: { medium: 'Memory' } },
      ]);
      assert.deepEqual(spec.containers[0].volumeMounts, [
        { name: 'kube-rec-data', mountPath: '/data' },
        { name: 'tmpfs-3', mountPath: '/run/cache' },
      ]);
      assert.match(unwrap(text), /^# - web: the bind mount \/tmp -> \/host-tmp needs a decision/m);
    });

    it('turns the wget health check of a published port into httpGet probes with Docker\'s timings', () => {
      const c = find(objs, 'Deployment').spec.template.spec.containers[0];
      const probe = { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 20, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 4 };
      assert.deepEqual(c.readinessProbe, probe);
      assert.deepEqual(c.livenessProbe, probe);
    });

    it('takes resources from the limits and reservation', () => {
      assert.deepEqual(find(objs, 'Deployment').spec.template.spec.containers[0].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { memory: '128Mi' } });
    });

    it('lists what is not carried: restart on-failure, cap_add, an invalid label', () => {
      const head = unwrap(text.split('\n---')[0]);
      assert.match(head, /# - web: restart "on-failure" was not carried/);
      assert.match(head, /# - web: cap_add: CAP_NET_ADMIN is not carried over\./);
      assert.match(head, /# - web: the label Bad_Label! is not a valid Kubernetes key/);
      assert.match(head, /# - web: published on 127\.0\.0\.1 only in Docker/);
      assert.equal(find(objs, 'Deployment').metadata.labels['com.example.team'], 'web');
    });

    it('uses the chosen Service type and volume size', () => {
      const inspect = readJson<Obj>('container-web.inspect.json');
      for (const serviceType of ['NodePort', 'LoadBalancer'] as const) {
        const { text: t, objs: o } = exportText(kube.containerInput('container web', inspect), { serviceType, volumeSize: '5Gi' });
        assert.equal(find(o, 'Service').spec.type, serviceType);
        assert.equal(find(o, 'PersistentVolumeClaim').spec.resources.requests.storage, '5Gi');
        assert.equal(/NodePort: clients in the cluster use the container port/.test(unwrap(t)), serviceType === 'NodePort');
        assert.equal(/web: Docker published 5353:53\/udp, 8080:8080, 9000:9000, 9001:9001, 9002:9002 on the host; its node port is picked by Kubernetes/.test(unwrap(t)), serviceType === 'NodePort');
        assert.deepEqual(find(o, 'Service').spec.ports.map((p: Obj) => p.port), [53, 8080, 9000, 9001, 9002]);
      }
    });
  });

  describe('a container\'s settings that Kubernetes has elsewhere, or not at all', () => {
    const web = () => readJson<Obj>('container-web.inspect.json');

    it('every Config and HostConfig field of a recorded inspect answer (Engine API 1.41) is mapped, listed or said to be the engine\'s own', () => {
      const inspect = web();
      for (const [section, table] of [['Config', CONFIG_FIELDS], ['HostConfig', HOST_CONFIG_FIELDS]] as const) {
        const unknown = Object.keys(inspect[section]).filter((k) => !(k in table));
        assert.deepEqual(unknown, [], `${section} fields the export knows nothing of: add them to src/model/kube/inspectFields.ts`);
      }
    });

    it('lists each set "listed" field, and any field the table does not know, at the top', () => {
      for (const [section, table] of [['Config', CONFIG_FIELDS], ['HostConfig', HOST_CONFIG_FIELDS]] as const)
        for (const [field, fate] of Object.entries(table)) {
          if (fate.fate !== 'listed') continue;
          const inspect = web();
          inspect[section][field] = field === 'Ulimits' ? [{ Name: 'nofile', Soft: 1024, Hard: 2048 }] : field === 'LogConfig' ? { Type: 'syslog', Config: {} } : 'berth-probe-value';
          const { text } = exportText(kube.containerInput('container web', inspect as never));
          assert.match(unwrap(text), new RegExp(`# - web: ${fate.name.replace(/[()]/g, '.')}\\b`), `${section}.${field} set, and not listed`);
        }
      const inspect = web();
      inspect.HostConfig.SomeFutureSetting = 'on';
      assert.match(unwrap(exportText(kube.containerInput('container web', inspect as never)).text), /# - web: SomeFutureSetting: on is not carried over\./);
    });

    it('carries --read-only, --dns, --shm-size and tmpfs sizes, and lists --ulimit, --security-opt and --init', () => {
      const inspect = web();
      Object.assign(inspect.HostConfig, {
        ReadonlyRootfs: true,
        Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
        SecurityOpt: ['no-new-privileges', 'seccomp=unconfined'],
        Dns: ['10.0.0.53'],
        DnsSearch: ['corp.example'],
        DnsOptions: ['ndots:2', 'rotate'],
        ShmSize: 256 * 1024 * 1024,
        Init: true,
        Tmpfs: { '/run/cache': 'size=64m,mode=1777' },
      });
      const { text, objs } = exportText(kube.containerInput('container web', inspect as never));
      const spec = find(objs, 'Deployment').spec.template.spec;
      const c = spec.containers[0];
      assert.equal(c.securityContext.readOnlyRootFilesystem, true);
      assert.deepEqual(spec.dnsConfig, { nameservers: ['10.0.0.53'], searches: ['corp.example'], options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }] });
      assert.deepEqual(spec.volumes.filter((v: Obj) => v.emptyDir), [
        { name: 'tmpfs-3', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
        { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } },
      ]);
      assert.ok(c.volumeMounts.some((m: Obj) => m.name === 'dshm' && m.mountPath === '/dev/shm'));
      const head = unwrap(text.split('\n---')[0]);
      assert.match(head, /# - web: ulimits: nofile=1024:2048 is not carried over\./);
      assert.match(head, /# - web: security_opt: no-new-privileges, seccomp=unconfined is not carried over\./);
      assert.match(head, /# - web: init is not carried over\./);
      assert.doesNotMatch(head, /ShmSize|shm|Dns|dns|Tmpfs|read.only/i, 'what is carried is not also listed');
    });

    it('lists nothing for Docker\'s own defaults (json-file logging, 64 MiB shm, private ipc, runc)', () => {
      const { text } = exportText(kube.containerInput('container web', web() as never));
      assert.doesNotMatch(unwrap(text), /logging|shm|ipc|runtime|cgroupns|MaskedPaths|Hostname/);
    });
  });

  describe('a recorded Swarm service', () => {
    let text: string;
    let objs: Obj[];
    before(() => {
      const inspect = readJson<Obj>('swarm-service.inspect.json');
      const network = (id: string) => (id === 'mkqnikybspy7gexjz5qle4opb' ? 'shop_backend' : undefined);
      ({ text, objs } = exportText(kube.swarmInput('Swarm service shop_api', [inspect], network)));
    });

    it('keeps its replicas, its stack as part-of and its name without the stack prefix', () => {
      const d = find(objs, 'Deployment', 'api');
      assert.equal(d.spec.replicas, 3);
      assert.equal(d.metadata.labels['app.kubernetes.io/part-of'], 'shop');
      assert.equal(d.metadata.labels.tier, 'api');
      assert.ok(!Object.keys(d.metadata.labels).some((k) => k.startsWith('com.docker.stack')));
    });

    it('maps the ingress ports, the volume, the health check and the limits', () => {
      assert.deepEqual(find(objs, 'Service', 'api').spec.ports.map((p: Obj) => `${p.protocol} ${p.port}->${p.targetPort}`), ['UDP 53->53', 'TCP 8080->8080']);
      find(objs, 'PersistentVolumeClaim', 'uploads');
      const c = find(objs, 'Deployment').spec.template.spec.containers[0];
      assert.deepEqual(c.readinessProbe.httpGet, { path: '/', port: 8080 });
      assert.equal(c.readinessProbe.periodSeconds, 10);
      assert.deepEqual(c.resources, { limits: { cpu: '250m', memory: '128Mi' }, requests: { memory: '64Mi' } });
      assert.equal(unwrap(text).match(/claim uploads is ReadWriteOnce but used by 3 pods/g)?.length, 1, 'said once: the claim is right under the list');
      assert.match(unwrap(text), /api: the Compose networks \(backend\) are not carried/);
    });

    it('never writes the secret value', () => {
      assert.deepEqual(find(objs, 'Secret').stringData, { SESSION_SECRET: 'CHANGE-ME' });
      assert.ok(!text.includes('swarm-very-secret'));
    });

    it('exports a global service with one replica and says a DaemonSet is closer', () => {
      const inspect = readJson<Obj>('swarm-service.inspect.json');
      const global = { ...inspect, Spec: { ...inspect.Spec, Mode: { Global: {} } } };
      const { text: t, objs: o } = exportText(kube.swarmInput('Swarm service shop_api', [global]));
      assert.equal(find(o, 'Deployment').spec.replicas, 1);
      assert.match(unwrap(t), /global mode .* DaemonSet/);
    });
  });

  describe('Compose files', () => {
    const golden = (name: string, text: string) => {
      const file = path.join(fixtures, `${name}.golden.yaml`);
      if (process.env.KUBE_GOLDEN_UPDATE === '1') fs.writeFileSync(file, text);
      assert.equal(text, fs.readFileSync(file, 'utf8'), `${name} differs from ${file} (KUBE_GOLDEN_UPDATE=1 rewrites it)`);
    };

    it('web app with postgres 5432 and redis: golden file', async () => {
      const p = await project('webapp');
      const { text, objs } = exportText(kube.composeFilesInput('Compose project shop', p, {}));
      golden('webapp', text);
      assert.deepEqual(objs.map((o) => `${o.kind}/${o.metadata.name}`), [
        'PersistentVolumeClaim/pgdata', 'PersistentVolumeClaim/redisdata',
        'ConfigMap/db-env', 'ConfigMap/web-env',
        'Secret/db-secret', 'Secret/web-secret',
        'Service/db', 'Service/redis', 'Service/web',
        'Deployment/db', 'Deployment/redis', 'Deployment/web',
      ]);
      for (const secret of ['pg-Sup3r-secret', 'django-insecure-0123456789abcdef']) assert.ok(!text.includes(secret), `${secret} is in the document`);
      assert.equal(find(objs, 'Deployment', 'web').spec.replicas, 2);
      assert.deepEqual(find(objs, 'Service', 'db').spec.ports, [{ name: 'tcp-5432', port: 5432, targetPort: 5432, protocol: 'TCP' }]);
      assert.deepEqual(find(objs, 'Service', 'redis').spec, { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'redis' }, ports: [{ name: 'tcp-6379', port: 6379, targetPort: 6379, protocol: 'TCP' }] });
      const web = find(objs, 'Deployment', 'web').spec.template.spec.containers[0];
      assert.deepEqual(web.readinessProbe.httpGet, { path: '/healthz', port: 8000 });
      assert.deepEqual(find(objs, 'Deployment', 'redis').spec.template.spec.containers[0].args, ['redis-server', '--appendonly', 'yes']);
      assert.deepEqual(find(objs, 'Deployment', 'db').spec.strategy, { type: 'Recreate' }, 'a claim is released before the next pod mounts it');
      assert.equal(find(objs, 'Deployment', 'web').spec.strategy, undefined);
      assert.deepEqual(find(objs, 'Deployment', 'db').spec.template.spec.containers[0].readinessProbe.exec, { command: ['/bin/sh', '-c', 'pg_isready -U shop -d shop'] });
      assert.deepEqual(web.resources, { limits: { cpu: '1500m', memory: '512Mi' }, requests: { memory: '256Mi' } });
      assert.match(unwrap(text), /# - web depends on db, redis: Kubernetes starts them together/);
    });

    it('a mysql 3306 service: golden file', async () => {
      const { text, objs } = exportText(kube.composeFilesInput('Compose project mysql', await project('mysql'), {}));
      golden('mysql', text);
      assert.deepEqual(find(objs, 'Service', 'mysql').spec.ports, [{ name: 'tcp-3306', port: 3306, targetPort: 3306, protocol: 'TCP' }]);
      assert.deepEqual(find(objs, 'Secret').stringData, { MYSQL_PASSWORD: 'CHANGE-ME', MYSQL_ROOT_PASSWORD: 'CHANGE-ME' });
      assert.ok(!text.includes('my-root-Secret-1') && !text.includes('my-user-Secret-2'));
      assert.deepEqual(find(objs, 'Deployment').spec.template.spec.containers[0].resources, { limits: { cpu: '2', memory: '1Gi' } });
      assert.match(unwrap(text), /the bind mount \.\/initdb -> \/docker-entrypoint-initdb\.d needs a decision/);
    });

    it('an mssql 1433 service: golden file', async () => {
      const { text, objs } = exportText(kube.composeFilesInput('Compose project mssql', await project('mssql'), {}));
      golden('mssql', text);
      assert.equal(find(objs, 'ConfigMap').data.ACCEPT_EULA, 'Y');
      assert.match(unwrap(text), /ACCEPT_EULA: "Y"/, 'Y would be a YAML 1.1 boolean');
      assert.ok(!text.includes('Mssql-Str0ng!Pass'));
      const c = find(objs, 'Deployment').spec.template.spec.containers[0];
      assert.deepEqual(c.securityContext, { runAsUser: 10001 });
      assert.deepEqual(c.readinessProbe.exec.command.slice(0, 2), ['/bin/sh', '-c']);
      assert.equal(c.readinessProbe.initialDelaySeconds, 60);
      assert.match(unwrap(text), /sqlserver: cap_add is not carried over/);
    });

    it('takes the replica count that runs over the files\'', async () => {
      const { objs } = exportText(kube.composeFilesInput('Compose project shop', await project('webapp'), { web: 4, db: 1 }));
      assert.equal(find(objs, 'Deployment', 'web').spec.replicas, 4);
      assert.equal(find(objs, 'Deployment', 'db').spec.replicas, 1);
    });

    it('exports one service of a project alone', async () => {
      const { objs } = exportText(kube.composeFilesInput('Compose service shop › db', await project('webapp'), {}, 'db'));
      assert.deepEqual(objs.map((o) => `${o.kind}/${o.metadata.name}`), ['PersistentVolumeClaim/pgdata', 'ConfigMap/db-env', 'Secret/db-secret', 'Service/db', 'Deployment/db']);
    });

    it('gives the same text for the same input, whatever the order of the services', async () => {
      const p = await project('webapp');
      const a = kube.exportToKube(kube.composeFilesInput('x', p, {}), OPTIONS).text;
      const b = kube.exportToKube(kube.composeFilesInput('x', { ...p, services: [...p.services].reverse() }, {}), OPTIONS).text;
      assert.equal(a, b);
    });
  });

  describe('bad input', () => {
    async function fromYaml(text: string) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kube-bad-'));
      fs.writeFileSync(path.join(dir, 'compose.yaml'), text);
      try {
        return await loadComposeProject({ folder: dir, environment: {} });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }

    it('a port range becomes one port per number, a host range for one port the container port, noted for NodePort', async () => {
      const p = await fromYaml('services:\n  app:\n    image: example/app:1\n    ports:\n      - "7000-7002:7000-7002"\n      - "5433-5435:5432"\n');
      const { text, objs } = exportText(kube.composeFilesInput('x', p, {}), { serviceType: 'NodePort', volumeSize: '1Gi' });
      assert.deepEqual(find(objs, 'Service').spec.ports.map((q: Obj) => `${q.port}->${q.targetPort}`), ['5432->5432', '7000->7000', '7001->7001', '7002->7002']);
      assert.match(unwrap(text), /app: Docker published 5433-5435:5432, 7000:7000, 7001:7001, 7002:7002 on the host/);
    });

    it('a service scaled onto another host port is still reached at its container port, as DATABASE_URL says', async () => {
      const p = await fromYaml('services:\n  db:\n    image: postgres:16\n    ports:\n      - "5433:5432"\n    environment:\n      POSTGRES_PASSWORD: Lit3ral-pw\n  api:\n    image: example/api:1\n    environment:\n      DATABASE_URL: postgres://app@db:5432/app\n');
      const { text, objs } = exportText(kube.composeFilesInput('x', p, { db: 2 }));
      assert.deepEqual(find(objs, 'Service', 'db').spec.ports, [{ name: 'tcp-5432', port: 5432, targetPort: 5432, protocol: 'TCP' }]);
      assert.match(unwrap(text), /# - db: the value of POSTGRES_PASSWORD looks secret: the Secret db-secret holds a placeholder;/);
      assert.doesNotMatch(text, /values of POSTGRES_PASSWORD look/);
    });

    it('names one image-less service in the singular and several in the plural', async () => {
      for (const [yaml, words] of [
        ['services:\n  api:\n    build: .\n', /^api has no image, only a build: build the image and push it/],
        ['services:\n  api:\n    build: .\n  jobs:\n    build: .\n', /^api, jobs have no image, only a build: build the images and push them/],
      ] as const) {
        const p = await fromYaml(yaml);
        assert.throws(() => kube.exportToKube(kube.composeFilesInput('x', p, {}), OPTIONS), (err: Error) => words.test(err.message));
      }
    });

    it('a secret value written in a command, a health check or another variable never reaches the document', async () => {
      const p = await fromYaml(
        [
          'services:',
          '  db:',
          '    image: mysql:8.4',
          '    environment:',
          '      MYSQL_ROOT_PASSWORD: Lit3ral-pw',
          '      JAVA_OPTS: -Dpw=Lit3ral-pw -Xmx1g',
          '    command: ["mysqld", "--init-pw=Lit3ral-pw"]',
          '    healthcheck:',
          '      test: ["CMD-SHELL", "mysqladmin ping -pLit3ral-pw"]',
          '  other:',
          '    image: example/other:1',
          '    healthcheck:',
          '      test: ["CMD", "check", "--password", "Lit3ral-pw"]',
          '    environment:',
          '      API_KEY: Lit3ral-pw',
          '',
        ].join('\n'),
      );
      const { text, objs } = exportText(kube.composeFilesInput('x', p, {}));
      assert.ok(!text.includes('Lit3ral-pw'), 'the secret value is in the document');
      const db = find(objs, 'Deployment', 'db').spec.template.spec.containers[0];
      assert.deepEqual(db.args, ['mysqld', '--init-pw=$(MYSQL_ROOT_PASSWORD)']);
      assert.deepEqual(db.readinessProbe.exec.command, ['/bin/sh', '-c', 'mysqladmin ping -p$MYSQL_ROOT_PASSWORD']);
      assert.deepEqual(find(objs, 'Secret', 'db-secret').stringData, { JAVA_OPTS: 'CHANGE-ME', MYSQL_ROOT_PASSWORD: 'CHANGE-ME' });
      assert.deepEqual(find(objs, 'Deployment', 'other').spec.template.spec.containers[0].livenessProbe.exec.command, ['check', '--password', 'CHANGE-ME']);
      assert.match(unwrap(text), /db: the value of MYSQL_ROOT_PASSWORD was written in its command or health check/);
    });

    it('carries the stop grace period, tty, stdin and pull policy, and lists what it does not carry', async () => {
      const p = await fromYaml('services:\n  app:\n    image: example/app:1\n    stop_grace_period: 1m\n    tty: true\n    stdin_open: true\n    pull_policy: always\n    init: true\n    privileged: true\n');
      const { text, objs } = exportText(kube.composeFilesInput('x', p, {}));
      const pod = find(objs, 'Deployment').spec.template.spec;
      assert.equal(pod.terminationGracePeriodSeconds, 60);
      assert.deepEqual([pod.containers[0].tty, pod.containers[0].stdin, pod.containers[0].imagePullPolicy], [true, true, 'Always']);
      assert.match(unwrap(text), /app: init is not carried over\./);
      assert.match(unwrap(text), /app: privileged is not carried over\./);
    });

    it('a UDP port keeps its protocol on the pod and the Service', async () => {
      const p = await fromYaml('services:\n  dns:\n    image: example/dns:1\n    ports:\n      - "53:53/udp"\n      - "53:53/tcp"\n');
      const { objs } = exportText(kube.composeFilesInput('x', p, {}));
      assert.deepEqual(find(objs, 'Service').spec.ports.map((q: Obj) => `${q.name} ${q.protocol}`), ['tcp-53 TCP', 'udp-53 UDP']);
      assert.deepEqual(find(objs, 'Deployment').spec.template.spec.containers[0].ports.map((q: Obj) => q.protocol), ['TCP', 'UDP']);
    });

    it('a service with only a build says the image must be pushed first', async () => {
      const p = await project('buildonly');
      assert.throws(() => kube.exportToKube(kube.composeFilesInput('x', p, {}), OPTIONS), /push/);
      // Not when the export has another service: then it is a note, with the name Compose builds.
      const mixed = await fromYaml('services:\n  api:\n    build: ./api\n  db:\n    image: postgres:16\n');
      const { text, objs } = exportText(kube.composeFilesInput('x', { ...mixed, name: 'shop' }, {}));
      assert.equal(find(objs, 'Deployment', 'api').spec.template.spec.containers[0].image, 'shop-api');
      assert.match(unwrap(text), /api: the image shop-api is built locally; push it to a registry/);
    });

    it('the build-only error is a KubeExportError naming the service and how many', async () => {
      const p = await project('buildonly');
      try {
        kube.exportToKube(kube.composeFilesInput('x', p, {}), OPTIONS);
        assert.fail('no error');
      } catch (err) {
        assert.equal((err as Error).name, 'KubeExportError');
        assert.deepEqual((err as { params: string[] }).params, ['api', '1']);
      }
    });
  });

  describe('pieces', () => {
    it('recognises plain HTTP fetches of the container itself', () => {
      assert.deepEqual(httpCheck(['CMD', 'curl', '-f', 'http://localhost:8000/healthz']), { port: 8000, path: '/healthz' });
      assert.deepEqual(httpCheck(['CMD-SHELL', 'curl -fsS http://127.0.0.1/ || exit 1']), { port: 80, path: '/' });
      assert.deepEqual(httpCheck(['CMD-SHELL', 'wget --spider -q http://localhost:3000/ping']), { port: 3000, path: '/ping' });
      assert.equal(httpCheck(['CMD', 'curl', '-H', 'Host: x', 'http://localhost/']), undefined);
      assert.equal(httpCheck(['CMD', 'curl', '-f', 'http://other:8000/']), undefined);
      assert.equal(httpCheck(['CMD-SHELL', 'curl -f http://localhost/ && echo ok']), undefined);
      assert.equal(httpCheck(['CMD', 'pg_isready']), undefined);
    });

    it('uses exec when the fetched port is not published', () => {
      const probe = probeFor({ test: ['CMD', 'curl', '-f', 'http://localhost:9999/'] }, [{ containerPort: 9999, protocol: 'tcp' }]);
      assert.deepEqual(probeFor({ test: ['CMD', 'curl', '-f', 'http://localhost:9999/'] }, [{ containerPort: 9999, protocol: 'tcp', published: true }])?.httpGet, { path: '/', port: 9999 });
      assert.deepEqual(probe?.exec, { command: ['curl', '-f', 'http://localhost:9999/'] });
      assert.equal(probeFor({ test: ['NONE'] }, []), undefined);
    });

    it('reads quantities and durations as Docker does', () => {
      assert.equal(memoryQuantity(512 * 1024 * 1024), '512Mi');
      assert.equal(memoryQuantity(2 * 1024 ** 3), '2Gi');
      assert.equal(memoryQuantity(1000), '1000');
      assert.equal(cpuQuantity(0.5), '500m');
      assert.equal(cpuQuantity(2), '2');
      assert.equal(memoryBytes('512M'), 512 * 1024 ** 2);
      assert.equal(memoryBytes('1gb'), 1024 ** 3);
      assert.equal(memoryBytes(1024), 1024);
      assert.equal(durationSeconds('1m30s'), 90);
      assert.equal(durationSeconds('500ms'), 1);
      assert.equal(durationSeconds('nonsense'), undefined);
    });

    it('the schema check refuses what Kubernetes would refuse', () => {
      const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'My_App' }, spec: { replicas: 'two', selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ name: 'x', image: 'y', ports: [{ name: 'tcp-99999', containerPort: 99999 }] }] } } } };
      const problems = kube.manifestProblems(bad);
      assert.ok(problems.some((p) => /\/spec\/replicas/.test(p)), problems.join('\n'));
      assert.ok(problems.some((p) => /not a DNS-1035 label/.test(p)), problems.join('\n'));
      assert.ok(problems.some((p) => /container port 99999 out of range/.test(p)), problems.join('\n'));
      assert.deepEqual(kube.manifestProblems({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' }, data: { A: '1' } }), []);
    });

    it('accepts storage sizes Kubernetes reads', () => {
      for (const ok of ['1Gi', '500Mi', '10G', '1.5Gi']) assert.ok(kube.isStorageSize(ok), ok);
      for (const bad of ['', '1 GB', 'big', '-1Gi', '0']) assert.ok(!kube.isStorageSize(bad), bad);
    });
  });

  after(() => {
    // Every document made above, once more through the schemas from its text (a BERTH_TEST_GREP
    // subset makes fewer).
    if (!process.env.BERTH_TEST_GREP) assert.ok(made.length >= 10, `only ${made.length} documents made`);
    for (const text of made) for (const obj of parsed(text)) assert.deepEqual(kube.manifestProblems(obj), [], `${obj.kind} ${obj.metadata?.name}`);
  });
});
