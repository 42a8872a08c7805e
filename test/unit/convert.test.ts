import { strict as assert } from 'assert';
import type { ContainerInfo } from 'dockerode';
import { healthFromStatus, toContainerRecord, toImageRecord, toPortRecords } from '../../src/engine/convert';

describe('engine payload conversion', () => {
  it('drops the IPv6 duplicate of a binding and sorts ports', () => {
    const ports = toPortRecords([
      { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { IP: '127.0.0.1', PrivatePort: 53, PublicPort: 5353, Type: 'udp' },
      { PrivatePort: 443, Type: 'tcp' } as ContainerInfo['Ports'][number],
    ]);
    assert.deepEqual(ports, [
      { containerPort: 53, protocol: 'udp', hostPort: 5353, hostIp: '127.0.0.1' },
      { containerPort: 80, protocol: 'tcp', hostPort: 8080, hostIp: '::' },
      { containerPort: 443, protocol: 'tcp' },
    ]);
  });

  it('reads health from the status text', () => {
    assert.equal(healthFromStatus('Up 3 minutes (unhealthy)'), 'unhealthy');
    assert.equal(healthFromStatus('Up 3 seconds (health: starting)'), 'starting');
    assert.equal(healthFromStatus('Up 3 minutes (healthy)'), 'healthy');
    assert.equal(healthFromStatus('Up 3 minutes'), undefined);
  });

  it('strips the leading slash of names', () => {
    const c = toContainerRecord({ Id: 'abc', Names: ['/web-1'], Image: 'nginx', ImageID: 'sha256:1', Command: 'nginx', Created: 1, Ports: [], Labels: {}, State: 'running', Status: 'Up 1 second', HostConfig: { NetworkMode: 'bridge' }, NetworkSettings: { Networks: {} }, Mounts: [] }, 100_000);
    assert.equal(c.name, 'web-1');
    assert.equal(c.state, 'running');
    // "1 second" is 1 to 2 s: anchored in the middle, give or take half a second.
    assert.equal(c.startedAt, 100_000 - 1500);
    assert.equal(c.timeError, 500);
  });

  it('treats <none>:<none> as no tag', () => {
    const i = toImageRecord({ Id: 'sha256:1', ParentId: '', RepoTags: ['<none>:<none>'], RepoDigests: ['<none>@<none>'], Created: 1, Size: 5, VirtualSize: 5, SharedSize: 0, Labels: {}, Containers: 0 });
    assert.deepEqual(i.repoTags, []);
    assert.deepEqual(i.repoDigests, []);
  });
});

describe('engine events from Podman', () => {
  it('takes a volume event’s name when Podman leaves its ID empty', async () => {
    const { toEngineEvent } = await import('../../src/engine/convert');
    const e = toEngineEvent({ Type: 'volume', Action: 'create', Actor: { ID: '', Attributes: { name: 'v1' } }, timeNano: 5 });
    assert.equal(e?.id, 'v1');
  });
});
