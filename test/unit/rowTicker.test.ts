import { strict as assert } from 'assert';
import { changedRows, Ticker, type Clock } from '../../src/model/rowTicker';

/** A clock whose time moves only when the test says so. */
function fakeClock(): Clock & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.push({ at: now + ms, fn, id: next });
      return next++;
    },
    clearTimeout: (id) => void (timers = timers.filter((t) => t.id !== id)),
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}

describe('row ticker', () => {
  it('ticks once a minute while active and schedules nothing while hidden', () => {
    const clock = fakeClock();
    const ticks: number[] = [];
    const t = new Ticker(60_000, () => ticks.push(clock.now()), clock);
    clock.advance(5 * 60_000);
    assert.deepEqual(ticks, [], 'hidden: no tick');
    assert.equal(clock.pending(), 0, 'hidden: no timer');
    t.setActive(true);
    clock.advance(0);
    assert.deepEqual(ticks, [5 * 60_000], 'shown after a long while: rows catch up at once');
    clock.advance(3 * 60_000);
    assert.deepEqual(ticks, [5, 6, 7, 8].map((m) => m * 60_000));
    t.setActive(false);
    assert.equal(clock.pending(), 0);
    clock.advance(10 * 60_000);
    assert.equal(ticks.length, 4);
    t.dispose();
  });

  it('never ticks twice within an interval, however often the view is shown', () => {
    const clock = fakeClock();
    const ticks: number[] = [];
    const t = new Ticker(60_000, () => ticks.push(clock.now()), clock);
    t.setActive(true);
    clock.advance(60_000);
    for (let i = 0; i < 10; i++) {
      t.setActive(false);
      clock.advance(1_000);
      t.setActive(true);
    }
    clock.advance(50_000);
    assert.deepEqual(ticks, [60_000, 120_000]);
    t.dispose();
    assert.equal(clock.pending(), 0);
  });

  it('takes a shorter interval (tests only) at once', () => {
    const clock = fakeClock();
    let ticks = 0;
    const t = new Ticker(60_000, () => ticks++, clock);
    t.setActive(true);
    t.setInterval(1_000);
    clock.advance(3_000);
    assert.equal(ticks, 3);
    t.dispose();
  });

  it('finds the rows whose text changed and forgets the ones that are gone', () => {
    const shown = new Map([
      ['a', 'Up 5 minutes'],
      ['b', 'Up 2 hours'],
      ['gone', 'Exited (0) 1 second ago'],
    ]);
    const now: Record<string, string> = { a: 'Up 6 minutes', b: 'Up 2 hours' };
    assert.deepEqual(changedRows(shown, (id) => now[id]), ['a']);
    assert.deepEqual([...shown.keys()], ['a', 'b']);
  });
});
