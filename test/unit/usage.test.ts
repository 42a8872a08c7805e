import { strict as assert } from 'assert';
import { parseReference } from '../../src/model/imageReference';
import { groupImages } from '../../src/model/imageTree';
import type { ContainerRecord, ImageRecord } from '../../src/contract/records';
import { isBuiltInNetwork, matchesFilter, networkUsers, planImageRemoval, volumeUsers } from '../../src/model/usage';

const img = (id: string, tags: string[], created = 1): ImageRecord => ({ id, repoTags: tags, repoDigests: [], size: 1, created, labels: {} });
const ctr = (name: string, state: ContainerRecord['state'], extra: Partial<ContainerRecord> = {}): ContainerRecord => ({
  id: `id-${name}`,
  name,
  image: 'web:1',
  imageId: 'sha256:web',
  state,
  status: '',
  created: 1,
  command: '',
  ports: [],
  labels: {},
  volumes: [],
  networks: [],
  ...extra,
});

describe('image references', () => {
  it('splits repository and tag, registry ports and digests included', () => {
    assert.deepEqual(parseReference('web:1'), { repository: 'web', tag: '1' });
    assert.deepEqual(parseReference('localhost:5000/team/app:1.2'), { repository: 'localhost:5000/team/app', tag: '1.2' });
    assert.deepEqual(parseReference('localhost:5000/team/app'), { repository: 'localhost:5000/team/app', tag: 'latest' });
    assert.deepEqual(parseReference('app@sha256:abc'), { repository: 'app', tag: 'sha256:abc' });
  });

  it('groups tags under their repository, sorted, and keeps dangling images apart, newest first', () => {
    const { repositories, dangling } = groupImages([img('d1', [], 5), img('a', ['web:2', 'web:1', 'api:latest']), img('d2', [], 9)]);
    assert.deepEqual(
      repositories.map((r) => [r.repository, r.rows.map((x) => x.tag)]),
      [
        ['api', ['api:latest']],
        ['web', ['web:1', 'web:2']],
      ],
    );
    assert.deepEqual(
      dangling.map((r) => r.image.id),
      ['d2', 'd1'],
    );
  });

  it('drops rows the filter rejects and repositories left empty', () => {
    const { repositories } = groupImages([img('a', ['web:1', 'api:1'])], (row) => matchesFilter('WE', row.tag));
    assert.deepEqual(
      repositories.map((r) => r.repository),
      ['web'],
    );
  });
});

describe('who uses what', () => {
  it('untags without touching containers when another tag remains', () => {
    const plan = planImageRemoval(img('sha256:web', ['web:1', 'web:latest']), 'web:1', [ctr('a', 'running', { imageId: 'sha256:web' })]);
    assert.equal(plan.untagOnly, true);
    assert.deepEqual([plan.running, plan.stopped], [[], []]);
    assert.equal(plan.ref, 'web:1');
  });

  it('names the running and stopped containers that hold the last tag or a dangling image', () => {
    const cs = [ctr('up', 'running'), ctr('down', 'exited'), ctr('paused', 'paused'), ctr('other', 'exited', { imageId: 'sha256:other' })];
    const plan = planImageRemoval(img('sha256:web', ['web:1']), 'web:1', cs);
    assert.equal(plan.untagOnly, false);
    assert.deepEqual(
      plan.running.map((c) => c.name),
      ['up', 'paused'],
    );
    assert.deepEqual(
      plan.stopped.map((c) => c.name),
      ['down'],
    );
    assert.equal(planImageRemoval(img('sha256:web', []), undefined, cs).ref, 'sha256:web');
  });

  it('finds the containers of a volume and of a network', () => {
    const cs = [ctr('a', 'running', { volumes: ['data'], networks: ['n1'] }), ctr('b', 'exited', { volumes: ['logs'], networks: ['n1', 'n2'] })];
    assert.deepEqual(
      volumeUsers('data', cs).map((c) => c.name),
      ['a'],
    );
    assert.deepEqual(
      networkUsers({ id: 'n1', name: 'front' }, cs).map((c) => c.name),
      ['a', 'b'],
    );
    assert.deepEqual(networkUsers({ id: 'n3', name: 'back' }, cs), []);
    // Connected but never started: the engine gives the endpoint no network id yet, only the name.
    assert.deepEqual(networkUsers({ id: 'n4', name: 'late' }, [ctr('c', 'created', { networks: ['late'] })]).map((c) => c.name), ['c']);
  });

  it('knows the built-in networks', () => {
    assert.ok(['bridge', 'host', 'none'].every((name) => isBuiltInNetwork({ name })));
    assert.ok(!isBuiltInNetwork({ name: 'bridge-net' }));
  });

  it('filters by substring, case-insensitively, over any of the texts', () => {
    assert.ok(matchesFilter(undefined, 'x'));
    assert.ok(matchesFilter('', 'x'));
    assert.ok(matchesFilter('NGI', 'web', 'nginx:latest'));
    assert.ok(!matchesFilter('db', 'web', undefined));
  });
});

describe('tree diffs', () => {
  it('names only the parents whose children changed, the root as ""', async () => {
    const { changedParents } = await import('../../src/model/treeDiff');
    const before = new Map([
      ['', ['repo:a', 'repo:b']],
      ['repo:a', ['x', 'y']],
      ['repo:b', ['z']],
    ]);
    assert.deepEqual(changedParents(before, new Map(before)), []);
    assert.deepEqual(
      changedParents(
        before,
        new Map([
          ['', ['repo:a', 'repo:b']],
          ['repo:a', ['x']],
          ['repo:b', ['z']],
        ]),
      ),
      ['repo:a'],
    );
    assert.deepEqual(
      changedParents(
        before,
        new Map([
          ['', ['repo:a']],
          ['repo:a', ['x', 'y']],
        ]),
      ),
      ['', 'repo:b'],
    );
  });
});
