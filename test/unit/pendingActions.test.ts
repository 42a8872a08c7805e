import { strict as assert } from 'assert';
import { PendingActions } from '../../src/model/pendingActions';
import type { ContainerRecord } from '../../src/contract/records';
import { Store } from '../../src/model/store';

const rec = (state: ContainerRecord['state'], startedAt: number, finishedAt?: number, health?: ContainerRecord['health']) =>
  ({ id: 'c', name: 'web', state, startedAt, finishedAt, health, labels: {}, ports: [] }) as unknown as ContainerRecord;

describe('pending stop and restart marks', () => {
  let store: Store<ContainerRecord>;
  let pending: PendingActions;
  let fired: string[];
  beforeEach(() => {
    store = new Store<ContainerRecord>();
    store.upsert(rec('running', 100));
    pending = new PendingActions(store);
    fired = [];
    pending.onDidChange((id) => fired.push(id));
  });
  afterEach(() => pending.dispose());

  it('a stop shows "stopping" until the engine reports the container stopped, not at the kill signal', () => {
    pending.begin('c', 'stopping');
    assert.equal(pending.get('c'), 'stopping');
    store.upsert(rec('running', 100, undefined, 'healthy')); // the kill event's inspect: still running
    assert.equal(pending.get('c'), 'stopping');
    store.upsert(rec('exited', 100, 200));
    assert.equal(pending.get('c'), undefined);
    assert.deepEqual(fired, ['c', 'c']);
    pending.succeeded('c'); // the request answers after the event: nothing left to clear
    assert.deepEqual(fired, ['c', 'c']);
  });

  it('a restart stays "restarting" through its exited phase until the new start', () => {
    pending.begin('c', 'restarting');
    store.upsert(rec('exited', 100, 200));
    assert.equal(pending.get('c'), 'restarting');
    pending.succeeded('c'); // answered before the start event's inspect: the mark waits for it
    assert.equal(pending.get('c'), 'restarting');
    store.upsert(rec('running', 300, 200));
    assert.equal(pending.get('c'), undefined);
  });

  it('a failed request or a removed container ends the mark', () => {
    pending.begin('c', 'stopping');
    pending.failed('c');
    assert.equal(pending.get('c'), undefined);
    pending.begin('c', 'restarting');
    store.remove('c');
    assert.equal(pending.get('c'), undefined);
  });
});
