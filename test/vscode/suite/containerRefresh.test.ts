// What the Containers provider fires for each store change, in the real extension host (with the
// real vscode API), on a store of its own: the engine is shared, and any container someone else
// starts at the top level would legitimately fire the whole tree.
import { strict as assert } from 'assert';
import type { ContainerRecord } from '../../../src/contract/records';
import { COMPOSE_PROJECT_LABEL } from '../../../src/model/grouping';
import { Store } from '../../../src/model/store';
import { containerGroupKey } from '../../../src/model/treeKeys';
import type { EngineSession } from '../../../src/session/engineSession';
import { ContainersProvider } from '../../../src/tree/containers/containersProvider';
import { waitFor } from './helpers';

const now = Date.now();
const record = (id: string, state: ContainerRecord['state'], project?: string, extra: Partial<ContainerRecord> = {}): ContainerRecord => ({
  id,
  name: id,
  image: 'app:1',
  imageId: 'sha256:app',
  state,
  status: '',
  startedAt: state === 'running' ? now - 3_600_000 : undefined,
  created: Math.floor(now / 1000) - 7200 + id.length,
  command: 'sleep 3600',
  ports: [],
  labels: project ? { [COMPOSE_PROJECT_LABEL]: project } : {},
  volumes: [],
  networks: [],
  ...extra,
});
const shop = containerGroupKey('composeProject', 'shop');

describe('Containers view refresh', () => {
  let store: Store<ContainerRecord>;
  let provider: ContainersProvider;
  /** Each fire: an element, or 'ALL' for the whole tree. */
  let fired: string[];

  /** Renders every row as VS Code would, so each row's shown text is known. */
  const render = (el?: string) => {
    for (const child of provider.getChildren(el)) {
      provider.getTreeItem(child);
      render(child);
    }
  };

  beforeEach(() => {
    store = new Store<ContainerRecord>();
    store.replaceAll([record('web', 'running', 'shop'), record('db', 'exited', 'shop'), record('solo', 'exited'), record('api', 'running', 'shop')]);
    provider = new ContainersProvider({ containers: store } as unknown as EngineSession);
    render();
    fired = [];
    provider.onDidChangeTreeData((e) => fired.push(e === undefined ? 'ALL' : Array.isArray(e) ? `[${e.join()}]` : String(e)));
  });

  afterEach(() => provider.dispose());

  it('a start that changes the running count fires the group only, not the tree', () => {
    store.upsert(record('db', 'running', 'shop'));
    assert.deepEqual(fired, [shop]);
    assert.equal(provider.getTreeItem(shop).description, '3 of 3 running');
  });

  it('a state change at the top level fires only its row', () => {
    store.upsert(record('solo', 'running'));
    assert.deepEqual(fired, ['solo']);
  });

  it('a change nothing shows (a network connect) fires nothing', () => {
    store.upsert(record('solo', 'exited', undefined, { networks: ['n1'] }));
    assert.deepEqual(fired, []);
  });

  it('docker run into a project: held while created, then its group fires once', async () => {
    store.upsert(record('cache', 'created', 'shop'));
    assert.deepEqual(fired, [], 'a fresh created row waits for its start');
    assert.ok(!provider.getChildren(shop).includes('cache'));
    store.upsert(record('cache', 'running', 'shop'));
    assert.deepEqual(fired, [shop]);
    assert.ok(provider.getChildren(shop).includes('cache'));
    // A created row that is never started shows once the hold ends, again through its group only.
    fired = [];
    store.upsert(record('worker', 'created', 'shop'));
    await waitFor('the held row released', () => fired.length > 0);
    assert.deepEqual(fired, [shop]);
    assert.ok(provider.getChildren(shop).includes('worker'));
  });

  it('removing a member fires its group; adding or removing at the top level fires the tree', () => {
    store.remove('api');
    assert.deepEqual(fired, [shop]);
    store.upsert(record('loose', 'running'));
    store.remove('solo');
    assert.deepEqual(fired, [shop, 'ALL', 'ALL']);
  });

  it('ports appearing on a start fire the row, whose children are now its ports', () => {
    store.upsert(record('solo', 'running', undefined, { ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }] }));
    assert.deepEqual(fired, ['solo']);
    const [port] = provider.getChildren('solo');
    assert.equal(provider.getParent(port), 'solo');
    assert.equal(provider.port(port)?.port.hostPort, 8080);
  });

  it('grouped by state, a start fires the two groups it moves between, in one event', () => {
    const byState = new ContainersProvider({ containers: store } as unknown as EngineSession, { groupBy: () => 'state', sortBy: () => 'created' });
    const events: unknown[] = [];
    byState.onDidChangeTreeData((e) => events.push(e));
    try {
      store.upsert(record('db', 'running', 'shop'));
      assert.equal(events.length, 1);
      assert.deepEqual((events[0] as string[]).slice().sort(), [containerGroupKey('state', 'exited'), containerGroupKey('state', 'running')]);
    } finally {
      byState.dispose();
    }
  });

  it("a pending restart marks only its row, and the engine's answer clears it", () => {
    provider.pending.begin('web', 'restarting');
    assert.deepEqual(fired, ['web']);
    assert.match(String(provider.getTreeItem('web').description), /Restarting…/);
    store.upsert(record('web', 'running', 'shop', { startedAt: now }));
    assert.ok(!String(provider.getTreeItem('web').description).includes('Restarting'));
    assert.ok(fired.slice(1).every((e) => e === 'web' || e === shop), fired.join());
  });
});
