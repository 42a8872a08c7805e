import { strict as assert } from 'assert';
import { toEngineEvent } from '../../src/engine/convert';
import { JsonLineDecoder } from '../../src/engine/jsonLines';
import { Store, type StoreChange } from '../../src/model/store';

describe('event stream decoding', () => {
  it('joins objects and multi-byte characters split across chunks', () => {
    const d = new JsonLineDecoder<{ n: string }>();
    const bytes = Buffer.from('{"n":"é1"}\n{"n":"ü2"}\n', 'utf8');
    const out: { n: string }[] = [];
    // Split inside the two-byte "é" and inside the second object.
    out.push(...d.push(bytes.subarray(0, 8)));
    out.push(...d.push(bytes.subarray(8, 15)));
    out.push(...d.push(bytes.subarray(15)));
    assert.deepEqual(out, [{ n: 'é1' }, { n: 'ü2' }]);
  });

  it('reduces an engine event to its verb, id and time', () => {
    const e = toEngineEvent({ Type: 'container', Action: 'health_status: unhealthy', Actor: { ID: 'abc', Attributes: { name: 'web' } }, time: 1, timeNano: 1_000_000_123 });
    assert.deepEqual(e, { type: 'container', action: 'health_status', id: 'abc', attributes: { name: 'web' }, timeNano: 1_000_000_123 });
    assert.equal(toEngineEvent({ Type: 'container' }), undefined);
  });
});

describe('Store single-record updates', () => {
  it('upsert reports added, then updated only on a real change; remove reports removed', () => {
    const s = new Store<{ id: string; v: number }>();
    const seen: StoreChange[] = [];
    s.onDidChange((c) => seen.push(c));
    s.upsert({ id: 'a', v: 1 });
    s.upsert({ id: 'a', v: 1 });
    s.upsert({ id: 'a', v: 2 });
    s.remove('a');
    s.remove('a');
    assert.deepEqual(seen, [
      { added: ['a'], updated: [], removed: [] },
      { added: [], updated: ['a'], removed: [] },
      { added: [], updated: [], removed: ['a'] },
    ]);
  });
});

describe('event ordering', () => {
  it('does not bring back an object deleted while its inspect was in flight', async () => {
    const { EventApplier } = await import('../../src/session/eventApplier');
    const { Store } = await import('../../src/model/store');
    let answer: (v: unknown) => void = () => undefined;
    // Only the inspect the applier calls; it answers when the test says, as a slow engine would.
    const client = { image: () => new Promise((r) => (answer = r)) } as unknown as import('../../src/contract/client').EngineClient;
    const stores = { containers: new Store(), images: new Store(), volumes: new Store(), networks: new Store() } as unknown as import('../../src/session/eventApplier').AppliedStores;
    const applier = new EventApplier(client, stores);
    const id = 'sha256:abc';
    applier.apply({ type: 'image', action: 'untag', id, attributes: {}, timeNano: 1 });
    applier.apply({ type: 'image', action: 'delete', id, attributes: {}, timeNano: 2 });
    answer({ id, repoTags: [], repoDigests: [], size: 1, created: 1, labels: {} }); // the image as it was
    await applier.idle();
    assert.equal(stores.images.get(id), undefined);
  });

  it('drops answers that arrive after its connection was torn down (an engine switch)', async () => {
    const { EventApplier } = await import('../../src/session/eventApplier');
    const { Store } = await import('../../src/model/store');
    let answer: (v: unknown) => void = () => undefined;
    const client = { container: () => new Promise((r) => (answer = r)) } as unknown as import('../../src/contract/client').EngineClient;
    const stores = { containers: new Store(), images: new Store(), volumes: new Store(), networks: new Store() } as unknown as import('../../src/session/eventApplier').AppliedStores;
    const applier = new EventApplier(client, stores);
    applier.apply({ type: 'container', action: 'start', id: 'old-engine', attributes: {}, timeNano: 1 });
    applier.dispose();
    // The old engine's answer: before the fix it landed in the stores of the engine switched to.
    answer({ id: 'old-engine', name: 'web', image: 'x', state: 'running', status: 'Up', created: 1, ports: [], labels: {} });
    await applier.idle();
    assert.equal(stores.containers.get('old-engine'), undefined);
    // A positive control: the same answer before dispose() lands.
    const live = new EventApplier(client, stores);
    live.apply({ type: 'container', action: 'start', id: 'old-engine', attributes: {}, timeNano: 2 });
    answer({ id: 'old-engine', name: 'web', image: 'x', state: 'running', status: 'Up', created: 1, ports: [], labels: {} });
    await live.idle();
    assert.ok(stores.containers.get('old-engine'));
  });
});
