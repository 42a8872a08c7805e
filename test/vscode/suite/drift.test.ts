// Issue 14, "load without drift": labelled containers, a second client churning them at about 50
// operations a second (with builds), and at three checkpoints plus the end, after a quiet second,
// Berth's four trees equal the engine's lists for this run's objects. Figures are printed, never
// asserted: the largest event -> row lag, engine requests per event, the host's heap.
// `npm run bench` runs the same test at full size (bench/drift.ts: BERTH_DRIFT_CONTAINERS=1000,
// BERTH_DRIFT_SECONDS=60) on an engine of its own.
import { strict as assert } from 'assert';
import type { EngineEvent } from '../../../src/contract/records';
import { Churn } from '../../support/churn';
import { treeDrift } from '../../support/driftCompare';
import { uniqueName } from '../../support/testEngine';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

const CONTAINERS = Number(process.env.BERTH_DRIFT_CONTAINERS ?? 200);
const SECONDS = Number(process.env.BERTH_DRIFT_SECONDS ?? 10);
const OPS_PER_SECOND = 50;
const CHECKPOINTS = 3;
/** Container actions that change what a row shows (a network connect changes nothing shown). */
const SHOWN = new Set(['create', 'start', 'die', 'pause', 'unpause', 'rename', 'destroy']);

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('load without drift', function () {
  this.timeout(SECONDS * 1000 * 4 + CONTAINERS * 600 + 300_000);
  const berth = useBerthInWorkbench();

  it(`keeps the four trees equal to the engine under churn (${CONTAINERS} containers, ${SECONDS} s)`, async () => {
    const api = berth.api;
    const churn = new Churn(docker, { opsPerSecond: OPS_PER_SECOND, buildEveryMs: 10_000, prefix: uniqueName('berth-drift') });
    // Event -> row lag: from the session's event hook to the provider firing that row (or its
    // group, or the whole tree). Only this run's containers, only actions that change the row.
    const waiting = new Map<string, { at: number; parent: string | undefined; action: string }>();
    const lags: number[] = [];
    const slowest: { ms: number; what: string }[] = [];
    let events = 0;
    const subs = [
      api.session.onDidReceiveEvent((e: EngineEvent) => {
        events++;
        if (e.type !== 'container' || !SHOWN.has(e.action) || !e.attributes.name?.startsWith('berth-drift')) return;
        // A destroy is applied in the event's own turn, before this hook runs: its row has already gone.
        if (e.action === 'destroy' && !api.session.containers.get(e.id)) return void lags.push(0);
        if (!waiting.has(e.id)) waiting.set(e.id, { at: performance.now(), parent: api.containers.getParent(e.id), action: e.action });
      }),
      api.containers.onDidChangeTreeData((el) => {
        const now = performance.now();
        const els = el === undefined || el === null ? undefined : new Set(Array.isArray(el) ? el : [el]);
        for (const [id, w] of waiting) {
          if (els && !els.has(id) && !(w.parent && els.has(w.parent)) && !els.has(api.containers.getParent(id) ?? '\0')) continue;
          lags.push(now - w.at);
          slowest.push({ ms: now - w.at, what: `${w.action} ${id.slice(0, 12)}` });
          slowest.sort((a, b) => b.ms - a.ms).splice(5);
          waiting.delete(id);
        }
      }),
    ];
    const memory: string[] = [];
    const heap = (when: string) => {
      const m = process.memoryUsage();
      memory.push(`${when}: heap ${mb(m.heapUsed)}, rss ${mb(m.rss)}`);
    };
    const checkpoint = async (label: string) => {
      await churn.pause();
      await api.session.settled();
      let result = await treeDrift(docker, api);
      // The engine's stream is asynchronous: a late event is lag, not drift. A generous bound
      // only catches "never converges"; the first difference seen is printed either way.
      const first = result.differences;
      const t0 = Date.now();
      while (result.differences.length && Date.now() - t0 < 15_000) {
        await sleep(250);
        await api.session.settled();
        result = await treeDrift(docker, api);
      }
      const c = result.counts;
      console.log(
        `      ${label}: ${churn.issued} ops issued, ${c.containers} containers, ${c.images} image rows, ${c.volumes} volumes, ${c.networks} networks; ` +
          (first.length ? `${first.length} differences first, ${result.differences.length ? 'never converged' : `equal after ${Date.now() - t0} ms`}` : 'equal'),
      );
      if (first.length) console.log(`        first differences:\n        ${first.slice(0, 20).join('\n        ')}`);
      // A row that never catches up is drift: fail listing every difference.
      assert.deepEqual(result.differences, [], `${label}: Berth's trees differ from the engine:\n${result.differences.join('\n')}`);
      // Events not resolved here changed nothing shown (the row already matched): not lag.
      waiting.clear();
    };
    try {
      const t0 = Date.now();
      await churn.setup(CONTAINERS);
      await waitFor(`${CONTAINERS} containers in Berth`, () => churn.ids.every((id) => api.session.containers.get(id)), 120_000, 100);
      console.log(`      ${CONTAINERS} containers created in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      await checkpoint('after setup');
      heap('start');
      lags.length = 0;
      slowest.length = 0;
      const requests0 = api.session.eventRequests;
      events = 0;
      const slice = (SECONDS * 1000) / (CHECKPOINTS + 1);
      for (let i = 1; i <= CHECKPOINTS + 1; i++) {
        churn.start();
        await sleep(slice);
        await checkpoint(i <= CHECKPOINTS ? `checkpoint ${i}` : 'end');
      }
      heap('end');
      const requests = api.session.eventRequests - requests0;
      const sorted = [...lags].sort((a, b) => a - b);
      const p = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(0) : '-');
      console.log(`      churn: ${(churn.issued / SECONDS).toFixed(1)} ops/s sent (ticks skipped while the engine was slow are not); ${JSON.stringify(churn.counts)}; refused as expected: ${JSON.stringify(churn.refused)}`);
      console.log(`      event -> row: ${sorted.length} rows, median ${p(0.5)} ms, p99 ${p(0.99)} ms, largest ${p(1)} ms (${slowest.map((s) => `${s.what} ${s.ms.toFixed(0)} ms`).join(', ')})`);
      console.log(`      engine requests per event: ${requests} / ${events} = ${(requests / Math.max(1, events)).toFixed(2)}`);
      console.log(`      extension host memory: ${memory.join('; ')}`);
      assert.deepEqual(churn.failures, [], `the churn itself failed: ${churn.failures.join('\n')}`);
      // Positive control: the churn did reach the engine and Berth saw it.
      assert.ok(events > SECONDS * 10, `only ${events} events in ${SECONDS} s of churn`);
    } finally {
      for (const s of subs) s.dispose();
      await churn.pause(0);
      await churn.cleanup();
    }
  });
});
