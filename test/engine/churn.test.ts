// Issue 11 item 9: after build churn or short-lived containers, the store must hold exactly the
// containers the engine has. Every check compares the store with the engine's own list for ids
// this test made (its labelled containers, its builds' intermediate containers).
import { strict as assert } from 'assert';
import type Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import type { EngineClient } from '../../src/contract/client';
import type { Endpoint } from '../../src/contract/endpoint';
import { runBuild } from '../../src/model/build';
import { EngineSession } from '../../src/session/engineSession';
import { useTestEngine } from '../support/engineHooks';
import { BASE_IMAGE, TEST_LABEL, uniqueName } from '../support/testEngine';
import { waitFor } from '../support/wait';

const socket = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';

describe('the store after container churn', function () {
  this.timeout(180_000);
  const t = useTestEngine();
  let s: EngineSession;
  let dir: string;
  /** When set, the next container list is made at once but answered only when this resolves, as a busy engine with many containers answers late. */
  let holdNextList: Promise<void> | undefined;

  function client(endpoint: Endpoint): EngineClient {
    const c = createEngineClient(endpoint);
    const list = c.listContainers.bind(c);
    c.listContainers = async () => {
      const hold = holdNextList;
      holdNextList = undefined;
      const listed = await list();
      await hold;
      return listed;
    };
    return c;
  }

  beforeEach(async () => {
    holdNextList = undefined;
    s = new EngineSession({ resolve: () => resolveEndpoint({ setting: `unix://${socket}`, env: {} }), createClient: client, pingTimeoutMs: 2000 });
    s.setLive(true);
    await s.connect();
    assert.ok(s.streaming, 'the event stream is open');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-churn-'));
  });
  afterEach(() => {
    s.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Ids, among `ids`, the engine lists now, with their state. */
  async function engineHas(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const listed = await t.docker.listContainers({ all: true, filters: JSON.stringify({ id: ids }) });
    return new Map(listed.map((c) => [c.Id, c.State]));
  }

  /** Waits until the store and the engine agree on every id in `ids`, then says which disagree if they never do. */
  async function agree(ids: string[], what: string): Promise<void> {
    let wrong: string[] = [];
    try {
      await waitFor(
        what,
        async () => {
          await s.settled();
          const has = await engineHas(ids);
          wrong = ids.filter((id) => has.get(id) !== s.containers.get(id)?.state);
          return wrong.length === 0;
        },
        10_000,
        100,
      );
    } catch {
      const has = await engineHas(ids);
      const detail = wrong.map((id) => `${id.slice(0, 12)} engine:${has.get(id) ?? 'gone'} store:${s.containers.get(id)?.state ?? 'none'} (${s.containers.get(id)?.status ?? ''})`);
      assert.fail(`${what}: the store and the engine disagree on ${wrong.length} of ${ids.length}: ${detail.join(', ')}`);
    }
  }

  it('lists no intermediate container of builds cancelled at every step', async () => {
    const steps = 6;
    const lines = [`FROM ${BASE_IMAGE}`];
    for (let i = 1; i <= steps; i++) lines.push(`RUN echo step${i} && sleep 0.${i % 3}`);
    lines.push('RUN echo last && sleep 30');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), lines.join('\n') + '\n');
    // Container ids the engine created while these builds ran (full ids, from the stream).
    const created: string[] = [];
    s.onDidReceiveEvent((e) => e.type === 'container' && e.action === 'create' && created.push(e.id));
    const running: string[] = [];
    for (let round = 0; round < 3 * (steps + 1); round++) {
      const stopAt = `step${(round % (steps + 1)) + 1}`.replace(`step${steps + 1}`, 'last');
      const abort = new AbortController();
      const build = runBuild(
        s.requireClient(),
        { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), tag: `berth-test/churn:${uniqueName('t')}`, labels: { [TEST_LABEL]: '1' }, noCache: true },
        {
          onSegment: (seg) => {
            const m = / ---> Running in ([0-9a-f]{12})/.exec(seg.text);
            if (m) running.push(m[1]);
            if (seg.kind === 'output' && seg.text.trim() === stopAt) abort.abort();
          },
        },
        abort.signal,
      );
      const outcome = await build.then((r) => r, (e: Error) => e);
      // Other suites on this engine remove labelled containers (build steps inherit the base
      // image's label), which fails a build instead: churn all the same.
      if (outcome instanceof Error) assert.equal(outcome.name, 'AbortError', outcome.message);
      else assert.ok(outcome.failure, `round ${round} was cancelled at ${stopAt}, yet it built ${outcome.imageId}`);
    }
    // Only this test's builds: the containers whose short id the builds printed.
    await waitFor('every build container seen in the stream', () => running.every((short) => created.some((id) => id.startsWith(short))), 10_000);
    const ids = created.filter((id) => running.some((short) => id.startsWith(short)));
    await waitFor('the engine removed every build container', async () => (await engineHas(ids)).size === 0, 30_000, 100);
    await agree(ids, 'build containers gone from the store');
  });

  it('lists exactly the short-lived labelled containers the engine still has', async () => {
    const label = `${TEST_LABEL}.churn`;
    const run = uniqueName('churn');
    const made: string[] = [];
    const one = async (i: number) => {
      const c = await t.docker.createContainer({
        name: uniqueName(`berth-test-churn-${i}`),
        Image: BASE_IMAGE,
        Cmd: i % 4 === 0 ? ['sleep', '3600'] : ['true'],
        Labels: { [TEST_LABEL]: '1', [label]: run },
        StopTimeout: 1,
        HostConfig: { AutoRemove: i % 3 === 1 },
      });
      made.push(c.id);
      await c.start().catch(() => undefined); // another suite's cleanup may have removed it
      // Most go at once, some stay running, so both removal and appearance are checked.
      if (i % 4 !== 0 && i % 3 !== 1) await c.remove({ force: true }).catch(() => undefined);
    };
    for (let round = 0; round < 6; round++) await Promise.all(Array.from({ length: 16 }, (_, i) => one(round * 16 + i)));
    await waitFor('auto-removed containers gone from the engine', async () => {
      const left = await t.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${label}=${run}`] }) });
      return left.every((c) => c.State === 'running');
    }, 30_000, 100);
    await agree(made, 'short-lived containers');
    const kept = await engineHas(made);
    assert.ok(kept.size > 0, 'some containers are still running');
  });

  it('lists exactly what the engine has when a late resync answers after a newer one (Refresh pressed while a view comes back)', async () => {
    const label = `${TEST_LABEL}.churn`;
    const run = uniqueName('resync');
    const made: string[] = [];
    let previous: Docker.Container[] = [];
    for (let round = 0; round < 4; round++) {
      // This resync lists now and answers late; a second one (a view shown again) lists and answers.
      let answer = () => undefined as void;
      holdNextList = new Promise<void>((r) => (answer = r));
      const late = s.refresh();
      await s.refresh();
      // Meanwhile the last round's containers stop or go and new ones come.
      // Other suites' cleanups may remove labelled containers first: the engine's word is what counts.
      await Promise.all(previous.map((c, i) => (i % 2 ? c.remove({ force: true }) : c.stop({ t: 0 })).catch(() => undefined)));
      previous = await Promise.all(
        Array.from({ length: 6 }, async (_, i) => {
          const c = await t.docker.createContainer({ name: uniqueName(`berth-test-resync-${i}`), Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: { [TEST_LABEL]: '1', [label]: run }, StopTimeout: 1 });
          made.push(c.id);
          await c.start().catch(() => undefined);
          return c;
        }),
      );
      await waitFor('the store following the churn', () => previous.every((c) => s.containers.get(c.id)), 15_000);
      answer();
      await late;
      await agree(made, `round ${round}: containers changed while an older resync was answering`);
    }
  });
});
