import { strict as assert } from 'assert';
import { imageRowKey as viaImageTree } from '../../src/model/imageTree';
import type { PortRecord } from '../../src/contract/records';
import { containerGroupKey, DANGLING_GROUP, imageRowKey, isGroupKey, isImageRowKey, portKey, portOwner, repositoryKey } from '../../src/model/treeKeys';

const id = 'f'.repeat(64);

describe('tree keys', () => {
  it('port keys name their container, whatever the host address', () => {
    const ports: PortRecord[] = [
      { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostIp: '::1', hostPort: 5353, containerPort: 53, protocol: 'udp' },
      { containerPort: 9000, protocol: 'tcp' },
    ];
    const keys = ports.map((p) => portKey(id, p));
    assert.equal(new Set(keys).size, 3);
    for (const k of keys) assert.equal(portOwner(k), id);
    assert.equal(keys[0], `${id}/port/127.0.0.1:8080/80/tcp`);
  });

  it('only port keys have an owner; only group keys are groups', () => {
    for (const k of [id, containerGroupKey('composeProject', 'a/port/b'), imageRowKey({ image: { id } }), repositoryKey('r')]) {
      if (!k.startsWith('group:')) assert.equal(portOwner(k), undefined, k);
    }
    assert.equal(isGroupKey(containerGroupKey('state', 'running')), true);
    assert.equal(isGroupKey(DANGLING_GROUP), true);
    assert.equal(isGroupKey(id), false);
    assert.equal(isGroupKey(portKey(id, { containerPort: 1, protocol: 'tcp' })), false);
  });

  it('image rows: a tag, or the image id when it has none; references are not row keys', () => {
    const tagged = imageRowKey({ image: { id: 'sha256:1' }, tag: 'app:1' });
    const dangling = imageRowKey({ image: { id: 'sha256:2' } });
    assert.deepEqual([tagged, dangling], ['tag:app:1', 'dangling:sha256:2']);
    assert.equal(isImageRowKey(tagged) && isImageRowKey(dangling), true);
    assert.equal(isImageRowKey('app:1'), false);
    assert.equal(isImageRowKey(repositoryKey('app')), false);
    assert.equal(viaImageTree({ image: { id: 'sha256:1' }, tag: 'app:1' } as Parameters<typeof viaImageTree>[0]), tagged);
  });
});
