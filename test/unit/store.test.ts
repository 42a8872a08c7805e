import { strict as assert } from 'assert';
import { Store, type StoreChange } from '../../src/model/store';

describe('Store', () => {
  it('reports exactly which ids were added, updated and removed', () => {
    const store = new Store<{ id: string; v: number }>();
    const seen: StoreChange[] = [];
    store.onDidChange((c) => seen.push(c));
    store.replaceAll([{ id: 'a', v: 1 }, { id: 'b', v: 1 }]);
    store.replaceAll([{ id: 'a', v: 1 }, { id: 'b', v: 2 }, { id: 'c', v: 1 }]);
    store.replaceAll([{ id: 'b', v: 2 }, { id: 'c', v: 1 }]);
    assert.deepEqual(seen, [
      { added: ['a', 'b'], updated: [], removed: [] },
      { added: ['c'], updated: ['b'], removed: [] },
      { added: [], updated: [], removed: ['a'] },
    ]);
  });

  it('fires nothing when nothing changed', () => {
    const store = new Store<{ id: string }>();
    store.replaceAll([{ id: 'a' }]);
    let fired = 0;
    store.onDidChange(() => fired++);
    store.replaceAll([{ id: 'a' }]);
    assert.equal(fired, 0);
  });
});

describe('Store merge', () => {
  it('keeps what merge returns and fires only when that differs', () => {
    // Keep the more precise of two values that agree, as containers keep exact times over listed ones.
    const store = new Store<{ id: string; v: number; err: number }>((prev, next) => (prev.err < next.err && Math.abs(prev.v - next.v) <= next.err ? prev : next));
    const seen: StoreChange[] = [];
    store.onDidChange((c) => seen.push(c));
    store.replaceAll([{ id: 'a', v: 10, err: 5 }]);
    store.upsert({ id: 'a', v: 12, err: 0 });
    store.replaceAll([{ id: 'a', v: 9, err: 5 }]);
    assert.deepEqual(store.get('a'), { id: 'a', v: 12, err: 0 });
    store.replaceAll([{ id: 'a', v: 30, err: 5 }]);
    assert.deepEqual(store.get('a'), { id: 'a', v: 30, err: 5 });
    assert.deepEqual(seen.map((c) => [...c.added, ...c.updated]), [['a'], ['a'], ['a']]);
  });
});
