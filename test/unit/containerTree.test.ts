import { strict as assert } from 'assert';
import { containerTree, patchTree, refreshTargets } from '../../src/model/containerTree';
import { COMPOSE_PROJECT_LABEL, type GroupBy, type SortBy } from '../../src/model/grouping';
import type { ContainerRecord, PortRecord } from '../../src/contract/records';
import { ROOT } from '../../src/model/treeDiff';
import { containerGroupKey, portKey } from '../../src/model/treeKeys';

const c = (name: string, created: number, state: ContainerRecord['state'], project?: string, ports: PortRecord[] = []) =>
  ({ id: name, name, created, state, image: 'app:1', ports, labels: project ? { [COMPOSE_PROJECT_LABEL]: project } : {} }) as ContainerRecord;
const web: PortRecord = { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' };
const shop = containerGroupKey('composeProject', 'shop');

/** The targets from one list to the next, where `changed` rows say their text changed. */
function targets(before: ContainerRecord[], after: ContainerRecord[], changed: string[] = [], groupBy: GroupBy = 'composeProject', sortBy: SortBy = 'created') {
  const updated = after.filter((a) => before.some((b) => b.id === a.id && b !== a)).map((a) => a.id);
  return refreshTargets(containerTree(before, groupBy, sortBy), containerTree(after, groupBy, sortBy), updated, (id) => changed.includes(id));
}

const base = [c('web-1', 5, 'exited', 'shop', [web]), c('db-1', 4, 'running', 'shop'), c('solo', 9, 'exited'), c('old', 1, 'exited')];
const replace = (list: ContainerRecord[], next: ContainerRecord) => list.map((x) => (x.id === next.id ? next : x));

describe('container tree', () => {
  it('lists groups then loose rows at the top, members under groups, ports under their container', () => {
    const tree = containerTree(base, 'composeProject', 'created');
    assert.deepEqual(tree.children.get(ROOT), [shop, 'solo', 'old']);
    assert.deepEqual(tree.children.get(shop), ['web-1', 'db-1']);
    assert.deepEqual(tree.children.get('web-1'), [portKey('web-1', web)]);
    assert.equal(tree.children.has('db-1'), false);
    assert.equal(tree.parents.get('db-1'), shop);
    assert.equal(tree.parents.get('solo'), ROOT);
  });

  it('a state change fires only the row when the group text stays', () => {
    // solo is loose: no group to update.
    assert.deepEqual(targets(base, replace(base, c('solo', 9, 'running')), ['solo']), ['solo']);
    // A running member's record changes (its health, say): still 1 of 2 running.
    assert.deepEqual(targets(base, replace(base, c('db-1', 4, 'running', 'shop')), ['db-1']), ['db-1']);
  });

  it("a state change that changes the group's running count fires the group, which re-renders the row", () => {
    assert.deepEqual(targets(base, replace(base, c('db-1', 4, 'exited', 'shop')), ['db-1']), [shop]);
  });

  it('an update that changes nothing shown fires nothing', () => {
    assert.deepEqual(targets(base, replace(base, c('solo', 9, 'exited')), []), []);
  });

  it('an add or remove inside a group fires only that group', () => {
    const added = [...base, c('cache-1', 7, 'running', 'shop')];
    assert.deepEqual(targets(base, added), [shop]);
    assert.deepEqual(targets(added, base), [shop]);
  });

  it('an add or remove at the top level fires the whole tree', () => {
    assert.equal(targets(base, [...base, c('new', 10, 'running')]), undefined);
    assert.equal(targets(base, base.filter((x) => x.id !== 'solo')), undefined);
    // The last member leaves: the group row goes.
    const lone = [c('a', 1, 'running', 'p'), c('b', 2, 'running')];
    assert.equal(targets(lone, lone.slice(1)), undefined);
  });

  it('removing a container with ports fires its group, not the gone container', () => {
    assert.deepEqual(targets(base, base.filter((x) => x.id !== 'web-1')), [shop]);
  });

  it('ports appearing on a start fire the row, whose children changed', () => {
    const before = [c('api', 3, 'exited')];
    assert.deepEqual(targets(before, [c('api', 3, 'running', undefined, [web])], ['api']), ['api']);
  });

  it('a row that moves between groups fires both groups', () => {
    const list = [c('a', 1, 'running'), c('b', 2, 'running'), c('c', 3, 'exited')];
    const fired = targets(list, replace(list, c('a', 1, 'exited')), ['a'], 'state');
    assert.deepEqual(fired?.sort(), [containerGroupKey('state', 'exited'), containerGroupKey('state', 'running')]);
  });

  it('a row that moves to the top level, or a state sort that reorders the top level, fires everything', () => {
    const list = [c('a', 1, 'running', 'p'), c('b', 2, 'running', 'p')];
    assert.equal(targets(list, replace(list, c('a', 1, 'running'))), undefined);
    const loose = [c('a', 1, 'exited'), c('b', 2, 'running')];
    assert.deepEqual(targets(loose, replace(loose, c('a', 1, 'running')), ['a'], 'none', 'name'), ['a']);
    // Sorted by state, b (running) comes first until a starts too: then by name.
    assert.equal(targets(loose, replace(loose, c('a', 1, 'running')), ['a'], 'none', 'state'), undefined);
  });

  it('a row under a fired group is not fired on its own', () => {
    const added = [...replace(base, c('web-1', 5, 'running', 'shop', [web])), c('cache-1', 7, 'running', 'shop')];
    assert.deepEqual(targets(base, added, ['web-1']), [shop]);
  });

  describe('patching records in place', () => {
    const cases: [string, ContainerRecord, GroupBy, SortBy][] = [
      ['a grouped start', c('web-1', 5, 'running', 'shop', [web]), 'composeProject', 'created'],
      ['a loose start', c('solo', 9, 'running'), 'composeProject', 'name'],
      ['a stop grouped by image', c('db-1', 4, 'exited', 'shop'), 'image', 'created'],
    ];
    for (const [what, next, groupBy, sortBy] of cases)
      it(`${what} gives the tree a rebuild would, sharing its child lists`, () => {
        const tree = containerTree(base, groupBy, sortBy);
        const patched = patchTree(tree, [next], groupBy, sortBy);
        assert.ok(patched);
        assert.equal(patched.children, tree.children);
        const rebuilt = containerTree(replace(base, next), groupBy, sortBy);
        assert.deepEqual([...patched.groups], [...rebuilt.groups]);
        assert.deepEqual([...patched.loose], [...rebuilt.loose]);
        assert.deepEqual(patched.parents, rebuilt.parents);
        // The original is untouched: it is the "before" of the diff.
        assert.notEqual(tree.groups.get(shop)?.containers.find((x) => x.id === next.id), next);
      });

    it('declines whatever moves a row or changes its ports, and rows it does not show', () => {
      const tree = (groupBy: GroupBy, sortBy: SortBy) => containerTree(base, groupBy, sortBy);
      assert.equal(patchTree(tree('state', 'created'), [c('db-1', 4, 'exited', 'shop')], 'state', 'created'), undefined);
      assert.equal(patchTree(tree('none', 'state'), [c('solo', 9, 'running')], 'none', 'state'), undefined);
      assert.equal(patchTree(tree('composeProject', 'created'), [c('solo', 9, 'exited', 'shop')], 'composeProject', 'created'), undefined);
      assert.equal(patchTree(tree('composeProject', 'created'), [c('web-1', 5, 'running', 'shop')], 'composeProject', 'created'), undefined);
      assert.equal(patchTree(tree('composeProject', 'created'), [c('ghost', 1, 'running')], 'composeProject', 'created'), undefined);
    });
  });
});
