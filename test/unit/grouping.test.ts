import { strict as assert } from 'assert';
import { arrangeContainers, COMPOSE_PROJECT_LABEL } from '../../src/model/grouping';
import type { ContainerRecord } from '../../src/model/records';

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
});
