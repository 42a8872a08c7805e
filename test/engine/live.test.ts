import { strict as assert } from 'assert';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { EngineSession } from '../../src/model/engineSession';
import { startEmptyEngine, pingSocket, type EmptyEngine } from '../support/emptyEngine';
import { BASE_IMAGE, buildImage, createIdleContainer, TEST_LABEL, uniqueName } from '../support/testEngine';
import { useTestEngine } from '../support/engineHooks';
import { timeUntil as waitFor } from '../support/wait';

const socket = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';

/** Runs `body` with a connected, live session on `host`, disposed afterwards. */
async function withLiveSession(host: string, body: (s: EngineSession) => Promise<void>): Promise<void> {
  const s = new EngineSession({ resolve: () => resolveEndpoint({ setting: host, env: {} }), createClient: createEngineClient, pingTimeoutMs: 1000 });
  s.setLive(true);
  try {
    await s.connect();
    await body(s);
  } finally {
    s.dispose();
  }
}

describe('live updates from the event stream', () => {
  const t = useTestEngine();

  it('a container started from outside appears within 1 s, changes state on stop, and disappears on removal', async () => {
    await withLiveSession(`unix://${socket}`, async (s) => {
      assert.ok(s.streaming, 'the event stream is open');
      const c = await t.docker.createContainer({ name: uniqueName('berth-test-live'), Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: { [TEST_LABEL]: '1' }, StopTimeout: 1 });
      await c.start();
      const appeared = await waitFor('running row', () => s.containers.get(c.id)?.state === 'running', 1000);
      await c.stop({ t: 0 });
      await waitFor('exited state', () => s.containers.get(c.id)?.state === 'exited', 1000);
      await c.remove();
      await waitFor('removal', () => !s.containers.get(c.id), 1000);
      console.log(`      container visible in the store ${appeared} ms after start returned`);
    });
  });

  it('costs at most 2 engine requests per event, whatever the container count', async () => {
    await withLiveSession(`unix://${socket}`, async (s) => {
      let events = 0;
      s.onDidReceiveEvent((e) => e.type === 'container' && events++);
      const before = s.eventRequests;
      const c = await createIdleContainer(t.docker);
      await c.stop({ t: 0 });
      await c.start();
      await c.kill();
      await waitFor('events', () => events >= 6, 2000);
      await s.settled();
      const requests = s.eventRequests - before;
      assert.ok(requests <= 2 * events, `${requests} requests for ${events} events`);
      assert.ok(requests >= 1);
    });
  });

  it('stops the stream when no view is visible, and resyncs once when one is again', async () => {
    await withLiveSession(`unix://${socket}`, async (s) => {
      s.setLive(false);
      assert.equal(s.streaming, false);
      const c = await createIdleContainer(t.docker);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(s.containers.get(c.id), undefined, 'no updates while hidden');
      s.setLive(true);
      await waitFor('resync', () => !!s.containers.get(c.id) && s.streaming, 2000);
    });
  });

  it('follows events when a view becomes visible while the first lists are still loading', async () => {
    const s: EngineSession = new EngineSession({
      resolve: () => resolveEndpoint({ setting: `unix://${socket}`, env: {} }),
      createClient: (endpoint) => {
        const client = createEngineClient(endpoint);
        const list = client.listContainers.bind(client);
        // The view shows up while the first list is in flight.
        client.listContainers = () => (s.setLive(true), list());
        return client;
      },
      pingTimeoutMs: 1000,
    });
    try {
      await s.connect();
      await waitFor('the stream', () => s.streaming, 2000);
      const c = await createIdleContainer(t.docker);
      await waitFor('an event applied', () => s.containers.get(c.id)?.state === 'running', 2000);
    } finally {
      s.dispose();
    }
  });

  it('moves a tag to a rebuilt image and shows the old one as dangling', async () => {
    await withLiveSession(`unix://${socket}`, async (s) => {
      const tag = `berth-test/retag:${uniqueName('t')}`;
      const first = await buildImage(t.docker, `FROM ${BASE_IMAGE}\nRUN echo 1 > /a\n`, tag);
      await waitFor('first image tagged', () => !!s.images.get(first)?.repoTags.includes(tag), 2000);
      const second = await buildImage(t.docker, `FROM ${BASE_IMAGE}\nRUN echo 2 > /a\n`, tag);
      await waitFor('tag moved', () => !!s.images.get(second)?.repoTags.includes(tag) && s.images.get(first)?.repoTags.length === 0, 2000);
      await t.docker.getImage(second).remove();
      await waitFor('image removed', () => !s.images.get(second), 2000);
    });
  });

  describe('engine restart', () => {
    let engine: EmptyEngine;
    before(async function () {
      this.timeout(60_000);
      engine = await startEmptyEngine();
    });
    after(async function () {
      this.timeout(30_000);
      await engine?.stop();
    });

    it('shows unreachable within 2 s of the engine dying, and recovers within 3 s of it answering', async function () {
      this.timeout(60_000);
      await withLiveSession(`unix://${engine.socket}`, async (s) => {
        assert.equal(s.status.state, 'ready');
        await engine.kill();
        const down = await waitFor('unreachable', () => s.status.state === 'unreachable', 2000);
        await engine.start();
        assert.ok(await pingSocket(engine.socket));
        const up = await waitFor('ready again', () => s.status.state === 'ready' && s.streaming, 3000);
        console.log(`      unreachable after ${down} ms; ready ${up} ms after the engine answered`);
      });
    });
  });
});
