import { strict as assert } from 'assert';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { EngineSession } from '../../src/session/engineSession';
import type { StoreChange } from '../../src/model/store';
import { useTestEngine } from '../support/engineHooks';
import { withNoisyNeighbour } from '../support/noisyNeighbour';
import { createIdleContainer } from '../support/testEngine';

const socket = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';

describe('EngineSession against a real engine', () => {
  const t = useTestEngine();

  function session(host: string) {
    return new EngineSession({ resolve: () => resolveEndpoint({ setting: host, env: {} }), createClient: createEngineClient, pingTimeoutMs: 2000 });
  }

  it('becomes ready and fills both stores', async () => {
    const c = await createIdleContainer(t.docker);
    const s = session(`unix://${socket}`);
    const states: string[] = [];
    s.onDidChangeStatus((st) => states.push(st.state));
    await s.connect();
    assert.equal(s.status.state, 'ready');
    assert.deepEqual(states, ['connecting', 'ready']);
    assert.ok(s.containers.get(c.id), 'container in the store');
    assert.ok(s.images.size > 0);
    s.dispose();
  });

  it('refresh reports only what changed', async () => {
    // Other clients change the engine meanwhile (a neighbour below), so the test checks its own
    // containers exactly, and every other reported id against the store's contents before and after.
    await withNoisyNeighbour(t.docker, async (noise) => {
      const unchanged = await createIdleContainer(t.docker, undefined, false);
      const s = session(`unix://${socket}`);
      try {
        await s.connect();
        assert.ok(s.containers.get(unchanged.id), 'the unchanged container is listed');
        const changes: StoreChange[] = [];
        s.containers.onDidChange((ch) => changes.push(ch));
        const c = await createIdleContainer(t.docker);
        // The neighbour changes the engine between the list and the refresh.
        await noise.reached(noise.created + 2);
        const before = new Map(s.containers.all().map((r) => [r.id, JSON.stringify(r)]));
        await s.refresh();
        const after = new Map(s.containers.all().map((r) => [r.id, JSON.stringify(r)]));
        const mine = new Set([unchanged.id, c.id]);
        const own = (ids: string[]) => ids.filter((id) => mine.has(id));
        assert.deepEqual(
          changes.map((ch) => [own(ch.added), own(ch.updated), own(ch.removed)]),
          changes.map(() => [[c.id], [], []]),
          'its new container added once, its unchanged one never reported',
        );
        assert.equal(changes.length, 1, 'one change event for one refresh');
        for (const ch of changes) {
          for (const id of ch.added) assert.ok(!before.has(id) && after.has(id), `${id} reported added`);
          for (const id of ch.removed) assert.ok(before.has(id) && !after.has(id), `${id} reported removed`);
          for (const id of ch.updated) assert.ok(before.has(id) && after.has(id) && before.get(id) !== after.get(id), `${id} reported updated but unchanged`);
        }
        const reported = new Set(changes.flatMap((ch) => [...ch.added, ...ch.updated, ...ch.removed]));
        for (const id of new Set([...before.keys(), ...after.keys()])) assert.ok(before.get(id) === after.get(id) || reported.has(id), `${id} changed but was not reported`);
        console.log(`      the refresh reported ${[...reported].filter((id) => !mine.has(id)).length} other container(s) that changed meanwhile`);
      } finally {
        s.dispose();
      }
    });
  });

  it('fresh() lists again what changed while no view followed events', async () => {
    const s = session(`unix://${socket}`);
    try {
      s.setLive(true);
      await s.connect();
      await new Promise<void>((resolve) => {
        const check = () => (s.streaming ? resolve() : setTimeout(check, 20));
        check();
      });
      // Every view hidden: the stream closes and the stores stop following.
      s.setLive(false);
      assert.equal(s.streaming, false);
      const c = await createIdleContainer(t.docker);
      assert.equal(s.containers.get(c.id), undefined, 'not followed while hidden');
      await s.fresh();
      assert.ok(s.containers.get(c.id), 'a command asking fresh() sees the container created meanwhile');
      await t.docker.getContainer(c.id).remove({ force: true });
      await s.fresh();
      assert.equal(s.containers.get(c.id), undefined, 'and no longer sees a removed one');
    } finally {
      s.dispose();
    }
  });

  it('is unreachable, with the endpoint and the reason, when no engine listens', async () => {
    const s = session('unix:///tmp/berth-no-engine-here.sock');
    await s.connect();
    assert.equal(s.status.state, 'unreachable');
    assert.equal(s.status.endpoint?.url, 'unix:///tmp/berth-no-engine-here.sock');
    assert.equal(s.status.error?.code, 'no-socket');
    assert.equal(s.containers.size, 0);
    s.dispose();
  });

  it('reports a bad endpoint setting instead of throwing', async () => {
    const s = session('ftp://nowhere');
    await s.connect();
    assert.equal(s.status.state, 'unreachable');
    assert.match(s.status.endpointError ?? '', /unsupported scheme/);
    s.dispose();
  });
});
