// Ordering of events, inspects and resyncs during churn (issue 11 item 9), scripted: the fake
// engine answers when the test says, in the order a busy engine can.
import { strict as assert } from 'assert';
import type { EngineClient, EventSubscription } from '../../src/contract/client';
import { resolveEndpoint } from '../../src/engine/endpoint';
import { EngineSession } from '../../src/session/engineSession';
import { EventApplier, type AppliedStores } from '../../src/session/eventApplier';
import type { ContainerRecord, ContainerState, EngineEvent } from '../../src/contract/records';
import { Store } from '../../src/model/store';

function container(id: string, state: ContainerState): ContainerRecord {
  return { id, name: id, image: 'img', imageId: 'sha256:img', state, status: state, created: 1, command: '', ports: [], labels: {}, volumes: [], networks: [] };
}

let time = 0;
const event = (id: string, action: string): EngineEvent => ({ type: 'container', action, id, attributes: {}, timeNano: ++time });

/** A fake engine whose container inspects and lists answer only when the test releases them. */
class ScriptedEngine {
  inspects: { id: string; answer: (rec: ContainerRecord | undefined) => void }[] = [];
  lists: ((recs: ContainerRecord[]) => void)[] = [];
  since: (number | undefined)[] = [];
  emit: (e: EngineEvent) => void = () => undefined;
  product = 'Docker Engine';

  client(): EngineClient {
    const none = async () => [];
    return {
      endpoint: resolveEndpoint({ setting: 'unix:///scripted.sock', env: {} }),
      ping: async () => ({ version: '20.10.24', apiVersion: '1.41', os: 'linux', arch: 'amd64', product: this.product }),
      container: (id: string) => new Promise((answer) => this.inspects.push({ id, answer })),
      listContainers: () => new Promise((answer) => this.lists.push(answer)),
      listImages: none,
      listVolumes: none,
      listNetworks: none,
      events: async (since: number | undefined, onEvent: (e: EngineEvent) => void): Promise<EventSubscription> => {
        this.since.push(since);
        this.emit = onEvent;
        return { ended: new Promise(() => undefined), close: () => undefined };
      },
      dispose: () => undefined,
    } as unknown as EngineClient;
  }

  /** Answers the oldest pending inspect of `id`. */
  answer(id: string, rec: ContainerRecord | undefined): void {
    const i = this.inspects.findIndex((q) => q.id === id);
    assert.ok(i >= 0, `an inspect of ${id} is pending`);
    this.inspects.splice(i, 1)[0].answer(rec);
  }
}

const tick = () => new Promise((r) => setImmediate(r));

/** Answers every inspect (the container running) until none is asked for any more. */
async function answerAll(engine: ScriptedEngine, s: EngineSession): Promise<void> {
  for (let quiet = 0; quiet < 3; quiet++) {
    await tick();
    if (engine.inspects.length) quiet = -1;
    while (engine.inspects.length) engine.answer(engine.inspects[0].id, container(engine.inspects[0].id, 'running'));
  }
  await s.settled();
}

describe('event ordering during churn', () => {
  function applierOn(engine: ScriptedEngine) {
    const stores = { containers: new Store(), images: new Store(), volumes: new Store(), networks: new Store() } as unknown as AppliedStores;
    return { applier: new EventApplier(engine.client(), stores), stores };
  }

  it('a build step created, started, killed and removed while its inspect is in flight leaves no row', async () => {
    const engine = new ScriptedEngine();
    const { applier, stores } = applierOn(engine);
    for (const action of ['create', 'start', 'kill', 'die', 'destroy']) applier.apply(event('step', action));
    // The inspect sent for `create` answers after `destroy` was applied, with the step running.
    engine.answer('step', container('step', 'running'));
    await tick();
    // The events that came meanwhile ask once more; the engine no longer has it.
    engine.answer('step', undefined);
    await applier.idle();
    assert.equal(stores.containers.get('step'), undefined);
  });

  it('a container created and removed before its first inspect answers never appears', async () => {
    const engine = new ScriptedEngine();
    const { applier, stores } = applierOn(engine);
    const seen: string[] = [];
    stores.containers.onDidChange((c) => seen.push(...c.added));
    applier.apply(event('short', 'create'));
    applier.apply(event('short', 'destroy'));
    engine.answer('short', container('short', 'created'));
    await applier.idle();
    assert.equal(stores.containers.get('short'), undefined);
    assert.deepEqual(seen, [], 'never added, so never shown for an instant either');
  });

  it('the last state wins when answers for one container come late', async () => {
    const engine = new ScriptedEngine();
    const { applier, stores } = applierOn(engine);
    applier.apply(event('web', 'create'));
    applier.apply(event('web', 'start'));
    engine.answer('web', container('web', 'created'));
    await tick();
    engine.answer('web', container('web', 'running'));
    await applier.idle();
    assert.equal(stores.containers.get('web')?.state, 'running');
  });

  async function liveSession(engine: ScriptedEngine): Promise<EngineSession> {
    const s = new EngineSession({ resolve: () => resolveEndpoint({ setting: 'unix:///scripted.sock', env: {} }), createClient: () => engine.client() });
    s.setLive(true);
    const connected = s.connect();
    await tick();
    engine.lists.shift()!([container('step', 'running')]);
    await connected;
    assert.equal(s.status.state, 'ready');
    return s;
  }

  it('an older resync answering last does not bring back a container removed meanwhile', async () => {
    const engine = new ScriptedEngine();
    const s = await liveSession(engine);
    try {
      assert.equal(s.containers.get('step')?.state, 'running');
      // Refresh pressed while another resync (a view shown again) is still listing.
      const first = s.refresh();
      const second = s.refresh();
      await tick();
      const [answerFirst, answerSecond] = engine.lists.splice(0, 2);
      engine.emit(event('step', 'destroy'));
      assert.equal(s.containers.get('step'), undefined, 'the destroy event removes it at once');
      answerSecond([]);
      await second;
      // The first list was made before the removal and comes back last.
      answerFirst([container('step', 'running')]);
      await first;
      await answerAll(engine, s);
      assert.equal(s.containers.get('step'), undefined, 'no row for a container the engine no longer has');
    } finally {
      s.dispose();
    }
  });

  it('an older resync answering last does not hide a container created meanwhile (it would wait for its next event)', async () => {
    const engine = new ScriptedEngine();
    const s = await liveSession(engine);
    try {
      const first = s.refresh();
      await tick();
      const second = s.refresh();
      await tick();
      const [answerFirst, answerSecond] = engine.lists.splice(0, 2);
      // Listed by the first resync before it was created; created while both were listing.
      engine.emit(event('new', 'create'));
      engine.answer('new', container('new', 'running'));
      answerSecond([container('step', 'running'), container('new', 'running')]);
      await second;
      await answerAll(engine, s);
      answerFirst([container('step', 'running')]);
      await first;
      await answerAll(engine, s);
      assert.equal(s.containers.get('new')?.state, 'running');
    } finally {
      s.dispose();
    }
  });

  it('opens the event stream from before its request, so the engine replays what it would miss while subscribing', async () => {
    const engine = new ScriptedEngine();
    const before = Date.now() * 1e6;
    const s = await liveSession(engine);
    s.dispose();
    assert.equal(engine.since.length, 1);
    const since = engine.since[0];
    assert.ok(since !== undefined && since <= before, `the stream asked for events since ${since}, not from before ${before}`);
    // Podman filters live events by `since` too: a clock ahead of the engine's would hold them back.
    const podman = new ScriptedEngine();
    podman.product = 'Podman Engine';
    (await liveSession(podman)).dispose();
    assert.deepEqual(podman.since, [undefined]);
  });
});
