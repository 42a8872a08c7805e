import { strict as assert } from 'assert';
import { cataloguePorts, defaultPorts, formatPortBinding, notesFor, parsePort, parsePorts, planPorts, type PortBinding, type WantedPort } from '../../src/model/ports';

describe('port syntax (docker run -p)', () => {
  it('reads every form docker accepts', () => {
    assert.deepEqual(parsePort('80'), [{ containerPort: 80, protocol: 'tcp', hostPort: undefined, hostIp: undefined }]);
    assert.deepEqual(parsePort('8080:80'), [{ containerPort: 80, protocol: 'tcp', hostPort: 8080, hostIp: undefined }]);
    assert.deepEqual(parsePort('127.0.0.1:8080:80/tcp'), [{ containerPort: 80, protocol: 'tcp', hostPort: 8080, hostIp: '127.0.0.1' }]);
    assert.deepEqual(parsePort(':80/udp'), [{ containerPort: 80, protocol: 'udp', hostPort: undefined, hostIp: undefined }]);
    assert.deepEqual(parsePort('127.0.0.1::53/udp'), [{ containerPort: 53, protocol: 'udp', hostPort: undefined, hostIp: '127.0.0.1' }]);
    assert.deepEqual(parsePort('[::1]:5432:5432'), [{ containerPort: 5432, protocol: 'tcp', hostPort: 5432, hostIp: '::1' }]);
    assert.deepEqual(
      (parsePort('8000-8002:9000-9002') as PortBinding[]).map((s) => [s.hostPort, s.containerPort]),
      [
        [8000, 9000],
        [8001, 9001],
        [8002, 9002],
      ],
    );
  });

  it('names the bad part', () => {
    assert.deepEqual(parsePort('65536'), { problem: 'notPort', part: '65536' });
    assert.deepEqual(parsePort('8080:0'), { problem: 'notPort', part: '0' });
    assert.deepEqual(parsePort('80/foo'), { problem: 'protocol', part: 'foo' });
    assert.deepEqual(parsePort('8000-8001:80'), { problem: 'rangeMismatch', part: '8000-8001:80' });
    assert.deepEqual(parsePort('a:80'), { problem: 'syntax', part: 'a' });
    assert.deepEqual(parsePort('1:2:3:4'), { problem: 'syntax', part: '1:2:3:4' });
    assert.deepEqual(parsePort('300.1:80:80'), { problem: 'syntax', part: '300.1' });
    assert.deepEqual(parsePorts('8080:80, 8080:81'), { problem: 'duplicate', part: '8080' });
    assert.equal((parsePorts('8080:80 8080:80/udp') as PortBinding[]).length, 2, 'tcp and udp may share a number');
  });

  it('writes specs back in -p syntax', () => {
    for (const text of ['8080:80', '127.0.0.1:8080:80', ':80/udp', '[::1]:5432:5432', '127.0.0.1::53/udp'])
      assert.equal(formatPortBinding((parsePort(text) as PortBinding[])[0]), text);
  });
});

describe('well-known ports', () => {
  it('knows the common services by repository, with registry, tag and variants', () => {
    assert.deepEqual(cataloguePorts('mysql:8'), [3306]);
    assert.deepEqual(cataloguePorts('docker.io/library/mariadb:11'), [3306]);
    assert.deepEqual(cataloguePorts('mcr.microsoft.com/mssql/server:2022-latest'), [1433]);
    assert.deepEqual(cataloguePorts('postgres:16-alpine'), [5432]);
    assert.deepEqual(cataloguePorts('redis'), [6379]);
    assert.deepEqual(cataloguePorts('mongo:7'), [27017]);
    assert.deepEqual(cataloguePorts('rabbitmq:3-management'), [5672, 15672]);
    assert.deepEqual(cataloguePorts('elasticsearch:8.11.0'), [9200]);
    for (const web of ['nginx', 'httpd:2.4', 'caddy']) assert.deepEqual(cataloguePorts(web), [80, 443]);
    assert.deepEqual(cataloguePorts('myapp'), []);
  });

  it('prefills from ExposedPorts first, then the catalogue, without duplicates', () => {
    assert.deepEqual(
      defaultPorts('postgres:16', ['5432/tcp', '9187/tcp']).map((p) => p.containerPort),
      [5432, 9187],
    );
    assert.deepEqual(defaultPorts('myapp', ['53/udp']), [{ containerPort: 53, protocol: 'udp' }]);
  });
});

describe('host port planner', () => {
  const hostBusy = (ports: number[]) => async (p: number) => !ports.includes(p);

  it('keeps the container port when free on both sides', async () => {
    const plan = await planPorts({ wanted: [{ containerPort: 5432, protocol: 'tcp' }], publishedBy: new Map(), hostFree: hostBusy([]), defaultIp: '127.0.0.1' });
    assert.deepEqual(plan, [{ containerPort: 5432, protocol: 'tcp', hostPort: 5432, hostIp: '127.0.0.1', moved: undefined }]);
  });

  it('moves to the next free port and says which container holds the wanted one', async () => {
    const plan = await planPorts({
      wanted: [{ containerPort: 5432, protocol: 'tcp' }],
      publishedBy: new Map([['5432/tcp', 'db-1']]),
      hostFree: hostBusy([5433]),
      defaultIp: '127.0.0.1',
    });
    assert.ok(Array.isArray(plan));
    assert.equal(plan[0].hostPort, 5434);
    assert.deepEqual(plan[0].moved, { wanted: 5432, reason: { kind: 'container', name: 'db-1' } });
  });

  it('says when the host itself listens, and never hands one port out twice', async () => {
    const plan = await planPorts({
      wanted: [
        { containerPort: 80, protocol: 'tcp' },
        { containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0' },
      ],
      publishedBy: new Map(),
      hostFree: hostBusy([80]),
      defaultIp: '127.0.0.1',
    });
    assert.ok(Array.isArray(plan));
    assert.deepEqual(
      plan.map((p) => [p.hostIp, p.hostPort, p.moved?.reason.kind]),
      [
        ['127.0.0.1', 81, 'host'],
        ['0.0.0.0', 82, 'host'],
      ],
    );
  });

  it('refuses an explicit host port that is taken instead of moving it', async () => {
    const r = await planPorts({ wanted: [{ containerPort: 80, protocol: 'tcp', hostPort: 8080 }], publishedBy: new Map([['8080/tcp', 'web']]), hostFree: hostBusy([]), defaultIp: '127.0.0.1' });
    assert.deepEqual(r, { taken: { containerPort: 80, protocol: 'tcp', hostPort: 8080 }, by: { kind: 'container', name: 'web' } });
  });
});

describe('port text as typed', () => {
  it('takes spaces around ":" and "/" as part of one mapping', () => {
    assert.deepEqual(parsePorts(' 8089 : 8080 '), [{ containerPort: 8080, protocol: 'tcp', hostPort: 8089, hostIp: undefined }]);
    assert.deepEqual(parsePorts('127.0.0.1 : 8089 : 8080 / udp, 9000:9000'), [
      { containerPort: 8080, protocol: 'udp', hostPort: 8089, hostIp: '127.0.0.1' },
      { containerPort: 9000, protocol: 'tcp', hostPort: 9000, hostIp: undefined },
    ]);
  });

  it('names a missing container port instead of quoting an empty part', () => {
    assert.deepEqual(parsePorts('8080:'), { problem: 'missingPort', part: '8080:' });
    assert.deepEqual(parsePorts('8080 :'), { problem: 'missingPort', part: '8080:' });
  });

  it('keeps a note only while its mapping is still in the text', () => {
    const notes = [{ spec: { containerPort: 8080, protocol: 'tcp' as const, hostPort: 8081 }, text: '8080 is in use; using 8081.' }];
    assert.deepEqual(notesFor('127.0.0.1:8081:8080', notes), ['8080 is in use; using 8081.']);
    assert.deepEqual(notesFor('127.0.0.1:8081:8080, 9000:9000', notes), ['8080 is in use; using 8081.'], 'another port added');
    assert.deepEqual(notesFor('9000:9000', notes), [], 'the moved mapping edited away');
    assert.deepEqual(notesFor('8082:8080', notes), [], 'the moved mapping changed');
    assert.deepEqual(notesFor('8081:80:', notes), [], 'text that does not parse');
  });
});

describe('reusing last run’s mappings', () => {
  const free = (busy: number[]) => async (p: number) => !busy.includes(p);
  const last: WantedPort[] = [
    { containerPort: 80, protocol: 'tcp', hostPort: 8099, hostIp: '127.0.0.1', movable: true },
    { containerPort: 81, protocol: 'tcp', hostPort: 8100, hostIp: '127.0.0.1', movable: true },
    { containerPort: 9000, protocol: 'udp', hostPort: 9000, hostIp: '0.0.0.0', movable: true },
  ];

  it('keeps every mapping whose host port is still free', async () => {
    const plan = await planPorts({ wanted: last, publishedBy: new Map(), hostFree: free([]), defaultIp: '127.0.0.1' });
    assert.ok(Array.isArray(plan));
    assert.deepEqual(
      plan.map((p) => [formatPortBinding(p), p.moved]),
      [
        ['127.0.0.1:8099:80', undefined],
        ['127.0.0.1:8100:81', undefined],
        ['0.0.0.0:9000:9000/udp', undefined],
      ],
    );
  });

  it('moves a taken one past the others it would collide with, says why, and drops none', async () => {
    const plan = await planPorts({ wanted: last, publishedBy: new Map([['8099/tcp', 'web-1']]), hostFree: free([9000]), defaultIp: '127.0.0.1' });
    assert.ok(Array.isArray(plan));
    assert.deepEqual(
      plan.map((p) => [formatPortBinding(p), p.moved]),
      [
        ['127.0.0.1:8101:80', { wanted: 8099, reason: { kind: 'container', name: 'web-1' } }],
        ['127.0.0.1:8100:81', undefined],
        ['0.0.0.0:9001:9000/udp', { wanted: 9000, reason: { kind: 'host' } }],
      ],
    );
  });

  it('moves only tcp when udp holds the same number, and never hands one port out twice', async () => {
    const plan = await planPorts({
      wanted: [
        { containerPort: 53, protocol: 'udp', hostPort: 5353, movable: true },
        { containerPort: 53, protocol: 'tcp', hostPort: 5353, movable: true },
        { containerPort: 54, protocol: 'tcp', hostPort: 5354, movable: true },
      ],
      publishedBy: new Map([['5353/tcp', 'dns']]),
      hostFree: free([]),
      defaultIp: '127.0.0.1',
    });
    assert.ok(Array.isArray(plan));
    assert.deepEqual(
      plan.map((p) => formatPortBinding(p)),
      ['127.0.0.1:5353:53/udp', '127.0.0.1:5355:53', '127.0.0.1:5354:54'],
    );
  });
});
