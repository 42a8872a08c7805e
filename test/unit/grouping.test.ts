import { strict as assert } from 'assert';
import { arrangeContainers, compareNames, COMPOSE_PROJECT_LABEL } from '../../src/model/grouping';
import { groupImages } from '../../src/model/imageTree';
import type { ContainerRecord } from '../../src/contract/records';

const c = (name: string, created: number, state: ContainerRecord['state'], project?: string, image = 'app:1') =>
  ({ id: name, name, created, state, image, labels: project ? { [COMPOSE_PROJECT_LABEL]: project } : {} }) as ContainerRecord;

const list = [c('web-1', 5, 'running', 'shop'), c('db-1', 4, 'exited', 'shop'), c('solo', 9, 'running'), c('api-1', 1, 'running', 'blog', 'api:2')];

describe('container grouping', () => {
  it('groups by Compose project and leaves the rest at the top level', () => {
    const { groups, loose } = arrangeContainers(list, 'composeProject', 'created');
    assert.deepEqual(groups.map((g) => [g.key, g.containers.map((x) => x.name)]), [
      ['group:composeProject:blog', ['api-1']],
      ['group:composeProject:shop', ['web-1', 'db-1']],
    ]);
    assert.deepEqual(loose.map((x) => x.name), ['solo']);
  });

  it('groups by state in lifecycle order, and by image', () => {
    assert.deepEqual(arrangeContainers(list, 'state', 'name').groups.map((g) => [g.label, g.containers.map((x) => x.name)]), [
      ['running', ['api-1', 'solo', 'web-1']],
      ['exited', ['db-1']],
    ]);
    assert.deepEqual(arrangeContainers(list, 'image', 'created').groups.map((g) => g.label), ['api:2', 'app:1']);
  });

  it('does not group with none, and sorts by name or state', () => {
    assert.deepEqual(arrangeContainers(list, 'none', 'name').loose.map((x) => x.name), ['api-1', 'db-1', 'solo', 'web-1']);
    assert.deepEqual(arrangeContainers(list, 'none', 'state').loose.map((x) => x.name), ['api-1', 'solo', 'web-1', 'db-1']);
  });

  it('sorts names naturally: web-2 before web-10, in rows, groups and image tags', () => {
    const scaled = ['web-10', 'web-2', 'web-1', 'Web-3', 'api-10', 'api-9'].map((n, i) => c(n, i, 'running', n.startsWith('api') ? 'p10' : 'p9'));
    assert.deepEqual(arrangeContainers(scaled, 'none', 'name').loose.map((x) => x.name), ['api-9', 'api-10', 'web-1', 'web-2', 'Web-3', 'web-10']);
    assert.deepEqual(arrangeContainers(scaled, 'composeProject', 'name').groups.map((g) => g.label), ['p9', 'p10']);
    // Ties in the creation order are broken by name, naturally too.
    assert.deepEqual(arrangeContainers([c('x-10', 1, 'exited'), c('x-9', 1, 'exited')], 'none', 'created').loose.map((x) => x.name), ['x-9', 'x-10']);
    const image = (tags: string[]) => ({ id: tags.join(), repoTags: tags, repoDigests: [], size: 1, created: 1, labels: {} });
    const { repositories } = groupImages([image(['app:1.10', 'app:1.9', 'app:1.2']), image(['lib2:1']), image(['lib10:1'])]);
    assert.deepEqual(repositories.map((r) => r.repository), ['app', 'lib2', 'lib10']);
    assert.deepEqual(repositories[0].rows.map((r) => r.tag), ['app:1.2', 'app:1.9', 'app:1.10']);
  });

  it('compares names in the locale, numbers by value', () => {
    assert.ok(compareNames('a-2', 'a-10') < 0);
    assert.ok(compareNames('é', 'f') < 0, 'accents sort with their letter, not after z');
    assert.equal(compareNames('db', 'db'), 0);
  });
});
