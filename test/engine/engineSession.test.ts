import { strict as assert } from 'assert';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { EngineSession } from '../../src/model/engineSession';
import { createIdleContainer } from '../support/testEngine';
import { useTestEngine } from '../support/engineHooks';

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
    const s = session(`unix://${socket}`);
    await s.connect();
    const changes: string[][] = [];
    s.containers.onDidChange((ch) => changes.push([...ch.added, ...ch.updated, ...ch.removed]));
    const c = await createIdleContainer(t.docker);
    await s.refresh();
    assert.deepEqual(changes, [[c.id]]);
    s.dispose();
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
