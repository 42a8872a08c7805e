import { strict as assert } from 'assert';
import type { ContainerRecord } from '../../src/contract/records';
import type { ComposeProject, ComposeService } from '../../src/model/compose/project';
import { composeChildMap, composeRows, parseComposeKey, projectKey, replicaPorts, serviceKey, serviceSummary } from '../../src/model/composeTree';

function container(id: string, project: string, service: string, n: number, state: ContainerRecord['state'] = 'running'): ContainerRecord {
  return {
    id,
    name: `${project}-${service}-${n}`,
    image: 'busybox',
    state,
    labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': service, 'com.docker.compose.container-number': String(n) },
    ports: [],
  } as unknown as ContainerRecord;
}

function service(name: string, extra: Partial<ComposeService> = {}): ComposeService {
  return { name, ports: [], profiles: [], replicas: 1, environment: {}, volumes: [], networks: [], ...extra };
}

function project(name: string, services: ComposeService[]): ComposeProject {
  return { name, folder: `/w/${name}`, files: [`/w/${name}/compose.yaml`], activeProfiles: [], services, profiles: [], volumes: [], networks: [], variables: new Map(), problems: [] };
}

describe('Compose view rows', () => {
  it('puts running replicas under the file project, by container number, and lists running-only projects after', () => {
    const files = [project('shop', [service('web', { image: 'nginx', replicas: 3 }), service('db', { profiles: ['data'] })])];
    const rows = composeRows(files, [container('b', 'shop', 'web', 10), container('a', 'shop', 'web', 2, 'exited'), container('c', 'other', 'cache', 1), container('d', 'shop', 'extra', 1)]);
    assert.deepEqual(rows.map((r) => [r.name, !!r.project]), [['shop', true], ['other', false]]);
    const [shop] = rows;
    assert.deepEqual(shop.services.map((s) => s.name), ['web', 'db', 'extra']);
    assert.deepEqual(shop.services[0].containers.map((c) => c.id), ['a', 'b']);
    // db is only in the inactive profile 'data' and has no container: off, not down, so not counted.
    assert.deepEqual([shop.running, shop.total], [2, 2]);
    assert.deepEqual(serviceSummary(shop.services[0]), { running: 1, wanted: 3, image: 'nginx', build: undefined, ports: [], profiles: [] });
    assert.equal(serviceSummary(rows[1].services[0]).image, 'busybox');
  });

  it("counts a project's services, not its containers: after Up of one service the others are down", () => {
    const files = [project('shop', [service('web'), service('db'), service('cache')])];
    const [one] = composeRows(files, [container('a', 'shop', 'web', 1)]);
    assert.deepEqual([one.running, one.total, one.containers], [1, 3, 1], '1 of 3, not "1 of 1"');
    const [scaled] = composeRows(files, [container('a', 'shop', 'web', 1), container('b', 'shop', 'web', 2), container('c', 'shop', 'db', 1, 'exited')]);
    assert.deepEqual([scaled.running, scaled.total, scaled.containers], [1, 3, 3], 'replicas of one service count once; a stopped service is not running');
    const [never] = composeRows(files, []);
    assert.deepEqual([never.running, never.total, never.containers], [0, 3, 0]);
    const profiled = [project('shop', [service('web'), service('debug', { profiles: ['debug'] })])];
    assert.deepEqual(composeRows(profiled, [container('a', 'shop', 'web', 1)]).map((r) => [r.running, r.total]), [[1, 1]], 'a service of an inactive profile is off, not down');
    profiled[0].activeProfiles = ['debug'];
    assert.deepEqual(composeRows(profiled, [container('a', 'shop', 'web', 1)]).map((r) => [r.running, r.total]), [[1, 2]], 'once its profile is active, it is down');
    profiled[0].activeProfiles = [];
    assert.deepEqual(composeRows(profiled, [container('a', 'shop', 'web', 1), container('b', 'shop', 'debug', 1)]).map((r) => [r.running, r.total]), [[2, 2]], 'started anyway, it counts');
  });

  it('keys rows so a key names its project and service', () => {
    assert.deepEqual(parseComposeKey(projectKey('shop')), { project: 'shop' });
    assert.deepEqual(parseComposeKey(serviceKey('shop', 'web')), { project: 'shop', service: 'web' });
    assert.equal(parseComposeKey('abc123'), undefined);
  });

  it('maps each parent to its children for incremental refresh', () => {
    const rows = composeRows([project('shop', [service('web')])], [container('x', 'shop', 'web', 1)]);
    const map = composeChildMap(rows);
    assert.deepEqual(map.get(''), ['compose:shop']);
    assert.deepEqual(map.get('compose:shop'), ['compose:shop/web']);
    assert.deepEqual(map.get('compose:shop/web'), ['x']);
  });

  it('shows what the replicas publish, as ranges, rather than the file entry a scale replaced', () => {
    const ctr = (id: string, ports: { containerPort: number; hostPort?: number; hostIp?: string }[]) =>
      ({ id, ports: ports.map((p) => ({ protocol: 'tcp' as const, ...p })) }) as unknown as Parameters<typeof replicaPorts>[0][number];
    assert.deepEqual(
      replicaPorts([
        ctr('a', [{ containerPort: 5432, hostPort: 5433, hostIp: '127.0.0.1' }]),
        ctr('b', [{ containerPort: 5432, hostPort: 5434, hostIp: '127.0.0.1' }]),
        ctr('c', [{ containerPort: 5432, hostPort: 5436, hostIp: '127.0.0.1' }, { containerPort: 9000 }]),
      ]),
      ['127.0.0.1:5433-5434,5436 → 5432/tcp'],
    );
    // An all-interfaces binding listed for 0.0.0.0 and :: counts once.
    assert.deepEqual(replicaPorts([ctr('a', [{ containerPort: 80, hostPort: 8080, hostIp: '0.0.0.0' }, { containerPort: 80, hostPort: 8080, hostIp: '::' }])]), ['0.0.0.0:8080 → 80/tcp']);
    assert.deepEqual(replicaPorts([]), []);
  });
});
