// The extension-host half of `npm run bench`, run as the tests module of a real web workbench with
// Berth loaded against the bench engine. It measures (a) cold list to tree items beside raw HTTP
// and the docker CLI, (b) requests and CPU per start event, (c) event -> onDidChangeTreeData and
// (d) event -> row visible in the page, then writes the figures for the launcher (bench/main.ts).
import { execFile, fork, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import { Session as InspectorSession } from 'inspector';
import * as path from 'path';
import * as vscode from 'vscode';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import type { BerthApi } from '../../src/extension';
import { EngineSession } from '../../src/session/engineSession';
import { ContainersProvider } from '../../src/tree/containers/containersProvider';
import { rawListContainers, type ContainerSpec } from '../engineHttp';
import type { BenchResults, ColdList, StartPhase, StartSample } from '../results';
import type { StarterRequest } from './starter';

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is not set: run the benchmark with npm run bench`);
  return v;
};
const socket = env('BENCH_SOCKET');
const total = Number(env('BENCH_CONTAINERS', '1000'));
const samples = Number(env('BENCH_SAMPLES', '30'));
const rounds = Number(env('BENCH_ROUNDS', '15'));
/** Fixed CPU window per event: long enough for the host's tree view work after the fire. */
const WINDOW_MS = 300;
/** Quiet time before each event, longer than VS Code's 200 ms tree refresh debounce. */
const QUIET_MS = 400;

const wall = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const log = (m: string) => console.log(`[bench] ${m}`);

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function evalInPage<T>(expression: string): Promise<T> {
  const res = await fetch(`${env('BERTH_BRIDGE')}/eval`, { method: 'POST', headers: { authorization: `Bearer ${env('BERTH_BRIDGE_TOKEN')}` }, body: JSON.stringify({ expression }) });
  if (!res.ok) throw new Error(`bridge /eval: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Records, in the page, when each container's row is first seen in the running state: its label
 * reads "Container <name>, Up …" (containerNode.ts; the workbench runs in English). A
 * MutationObserver sees the DOM change itself; polling from Playwright would add up to its interval.
 */
const OBSERVER = `(() => {
  if (window.__benchSeen) return true;
  window.__benchSeen = {};
  const scan = () => {
    const now = Date.now();
    for (const row of document.querySelectorAll('.monaco-list-row[aria-label^="Container "][aria-label*=", Up "]')) {
      const label = row.getAttribute('aria-label');
      const name = label.slice('Container '.length, label.indexOf(', '));
      if (!(name in window.__benchSeen)) window.__benchSeen[name] = now;
    }
  };
  new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  return true;
})()`;

class Starter {
  private readonly child: ChildProcess;
  private seq = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor() {
    this.child = fork(path.join(__dirname, 'starter.js'), [], { env: { ...process.env, BENCH_SOCKET: socket }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: { seq: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.seq);
      this.pending.delete(m.seq);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    });
  }

  call<T>(r: Omit<StarterRequest, 'seq'>): Promise<T> {
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...r, seq });
    });
  }

  dispose(): void {
    this.child.disconnect();
  }
}

/**
 * Counts every HTTP request Berth's live client sends, whoever sends it, by wrapping dockerode's
 * modem.dial: an independent check on EngineSession.eventRequests. Keys are "GET /containers/{id}/json".
 */
function countEngineRequests(api: BerthApi): Record<string, number> {
  const counts: Record<string, number> = {};
  type Modem = { dial?: (o: { method?: string; path?: string }, cb: unknown) => unknown };
  // DockerEngine keeps dockerode in its Connection (engine/connection.ts).
  const client = api.session.requireClient() as unknown as { docker?: { modem?: Modem }; c?: { docker?: { modem?: Modem } } };
  const modem = (client.c?.docker ?? client.docker)?.modem;
  if (!modem?.dial) throw new Error("cannot count engine requests: Berth's client has no docker.modem.dial any more; update bench/workbench/index.ts");
  const dial = modem.dial.bind(modem);
  modem.dial = (o, cb) => {
    const key = `${o.method ?? 'GET'} ${(o.path ?? '').replace(/\?.*$/, '').replace(/[0-9a-f]{64}/g, '{id}')}`;
    counts[key] = (counts[key] ?? 0) + 1;
    return dial(o, cb);
  };
  return counts;
}

/**
 * Counts, per view, the work VS Code asks of Berth (onDidChangeTreeData fires, getTreeItem calls)
 * and times the container store's listeners (every view's and feature's reaction to one record):
 * what an event costs, in figures a loaded machine does not blur.
 */
function countViewWork(api: BerthApi): { counts: Record<string, number>; storeMs: { total: number } } {
  const counts: Record<string, number> = {};
  const bump = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
  const views = { containers: api.containers, images: api.images, volumes: api.volumes, networks: api.networks, compose: api.compose, services: api.services } as Record<string, vscode.TreeDataProvider<string>>;
  for (const [name, p] of Object.entries(views)) {
    p.onDidChangeTreeData?.(() => bump(`${name} fire`));
    const get = p.getTreeItem.bind(p);
    p.getTreeItem = (el: string) => {
      bump(`${name} getTreeItem`);
      return get(el);
    };
  }
  const storeMs = { total: 0 };
  const store = api.session.containers;
  for (const m of ['upsert', 'remove'] as const) {
    const real = store[m].bind(store) as (a: never) => void;
    (store as unknown as Record<string, (a: never) => void>)[m] = (a: never) => {
      const t0 = performance.now();
      real(a);
      storeMs.total += performance.now() - t0;
    };
  }
  return { counts, storeMs };
}

const diff = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).filter(([k, v]) => v !== (before[k] ?? 0)).map(([k, v]) => [k, v - (before[k] ?? 0)]));

interface Probe {
  id?: string;
  name: string;
  eventMs?: number;
  receivedMs?: number;
  firedMs?: number;
  gapMs?: number;
  done(): void;
}

class StartBench {
  private probe: Probe | undefined;
  /** Engine events about the probed container: its own, and network (dis)connects naming it. */
  private events: string[] = [];
  private lastFire = 0;
  private readonly subs: { dispose(): void }[] = [];

  constructor(
    private readonly api: BerthApi,
    private readonly starter: Starter,
    private readonly calls: Record<string, number>,
    private readonly work: { counts: Record<string, number>; storeMs: { total: number } },
  ) {
    this.subs.push(
      api.session.onDidReceiveEvent((e) => {
        const p = this.probe;
        if (!p) return;
        if (!p.id && e.type === 'container' && e.attributes.name === p.name) p.id = e.id;
        if (!p.id || (e.id !== p.id && e.attributes.container !== p.id)) return;
        this.events.push(`${e.type} ${e.action}`);
        if (e.type !== 'container' || e.action !== 'start' || p.receivedMs !== undefined) return;
        p.eventMs = e.timeNano / 1e6;
        p.receivedMs = wall();
        if (p.firedMs !== undefined) p.done();
      }),
      // A refetch for an earlier event (network connect) can already see the container running:
      // then the row is fired before the start event arrives, and the latency is <= 0.
      api.containers.onDidChangeTreeData((el) => {
        const p = this.probe;
        const previous = this.lastFire;
        this.lastFire = wall();
        if (!p?.id || p.firedMs !== undefined) return;
        const els = el === undefined || el === null ? undefined : Array.isArray(el) ? el : [el];
        // A grouped row re-renders with its group when the group's running count changes.
        const parent = this.api.containers.getParent(p.id);
        if (els && !els.includes(p.id) && !(parent && els.includes(parent))) return;
        if (this.api.session.containers.get(p.id)?.state !== 'running') return;
        p.firedMs = this.lastFire;
        p.gapMs = p.firedMs - previous;
        if (p.receivedMs !== undefined) p.done();
      }),
    );
  }

  /** One start (of an existing container, or a new one as `docker run` does it), fully timed. */
  async sample(target: { id?: string; name: string; composeProject?: string }, dom: boolean, near?: string): Promise<StartSample> {
    if (dom) await evalInPage(`delete window.__benchSeen[${JSON.stringify(target.name)}]`);
    // With 1,000 containers the row is far below the fold and the list renders only what is in
    // view: scroll to it (or, for a new one, to where it will appear) before the quiet time.
    const at = near ?? target.id;
    if (dom && at) await this.api.containersView.reveal(at, { select: false, focus: false });
    await sleep(QUIET_MS);
    let done!: () => void;
    const fired = new Promise<void>((r) => (done = r));
    const probe: Probe = { id: target.id, name: target.name, done };
    this.events = [];
    const requests0 = this.api.session.eventRequests;
    const calls0 = { ...this.calls };
    const work0 = { ...this.work.counts };
    const store0 = this.work.storeMs.total;
    const cpu0 = process.cpuUsage();
    const t0 = wall();
    this.probe = probe;
    await this.starter.call(target.id ? { op: 'start', id: target.id } : { op: 'run', name: target.name, composeProject: target.composeProject });
    await Promise.race([fired, sleep(5000).then(() => Promise.reject(new Error(`no onDidChangeTreeData for ${target.name} within 5 s`)))]);
    await this.api.session.settled();
    await sleep(t0 + WINDOW_MS - wall());
    const cpu = process.cpuUsage(cpu0);
    this.probe = undefined;
    const sample: StartSample = {
      eventMs: probe.eventMs!,
      receivedMs: probe.receivedMs!,
      firedMs: probe.firedMs!,
      sincePreviousFireMs: probe.gapMs!,
      requests: this.api.session.eventRequests - requests0,
      calls: diff(this.calls, calls0),
      events: [...this.events],
      cpuMs: (cpu.user + cpu.system) / 1000,
      viewWork: diff(this.work.counts, work0),
      storeMs: this.work.storeMs.total - store0,
    };
    // On a loaded machine a row can miss the page (scrolled away, or later than this); the table
    // counts those rather than the whole run failing.
    if (dom)
      sample.domMs = await waitFor(`${target.name}'s row shown as running`, () => evalInPage<number | null>(`window.__benchSeen[${JSON.stringify(target.name)}] ?? null`).then((v) => v ?? undefined), 15_000, 50).catch(
        () => undefined,
      );
    return sample;
  }

  /** Host CPU over the same window with no event. */
  async idleCpu(times: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < times; i++) {
      await sleep(QUIET_MS);
      const cpu0 = process.cpuUsage();
      await sleep(WINDOW_MS);
      const cpu = process.cpuUsage(cpu0);
      out.push((cpu.user + cpu.system) / 1000);
    }
    return out;
  }

  /** Starts the given existing containers in turn, killing each after, `samples` times in all. */
  async startExisting(label: string, set: { id: string; name: string }[], dom: boolean): Promise<StartPhase> {
    const out: StartSample[] = [];
    for (let i = 0; i < samples; i++) {
      const c = set[i % set.length];
      out.push(await this.sample(c, dom));
      await this.starter.call({ op: 'kill', id: c.id });
      await waitFor(`${c.name} exited in Berth`, () => this.api.session.containers.get(c.id)?.state === 'exited', 10_000);
      await this.api.session.settled();
    }
    return { label, containers: this.api.session.containers.size, samples: out, idleCpuMs: await this.idleCpu(20), windowMs: WINDOW_MS };
  }

  /**
   * New containers created and started back to back, as `docker run -d` does. They stay running.
   * With a `composeProject` that sorts first, each joins a group at the top of the view, as
   * `docker compose up` adds a service; without, it is a top-level row.
   */
  async runNew(label: string, prefix: string, dom: boolean, composeProject?: string): Promise<StartPhase> {
    const out: StartSample[] = [];
    for (let i = 0; i < samples; i++) {
      const near = composeProject ? this.api.containers.getChildren()[0] : this.newestLoose();
      out.push(await this.sample({ name: `${prefix}-${i}`, composeProject }, dom, near));
    }
    return { label, containers: this.api.session.containers.size, samples: out, idleCpuMs: await this.idleCpu(20), windowMs: WINDOW_MS };
  }

  /** The ungrouped container sorted first (newest): a new one's row appears right beside it. */
  private newestLoose(): string | undefined {
    const loose = this.api.session.containers.all().filter((c) => !c.labels['com.docker.compose.project']);
    return loose.sort((a, b) => b.created - a.created)[0]?.id;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}

function execCli(): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('docker', ['-H', `unix://${socket}`, 'ps', '-a', '--no-trunc', '--format', '{{json .}}'], { maxBuffer: 256 * 1024 * 1024 }, (err) => (err ? reject(err) : resolve())),
  );
}

/** (a): what a cold Berth does to show the list, beside the same list through raw HTTP and the CLI. */
async function coldList(): Promise<ColdList> {
  const endpoint = resolveEndpoint({ setting: `unix://${socket}`, env: {} });
  let rows = 0;
  let treeItems = 0;
  const berth = async (): Promise<{ total: number; list: number }> => {
    const t0 = performance.now();
    const client = createEngineClient(endpoint);
    const records = await client.listContainers();
    const t1 = performance.now();
    // The same path as a connect: records into a fresh session's store, then the provider
    // builds every row (groups, containers, ports) as the view asks for them.
    const session = new EngineSession({ resolve: () => endpoint, createClient: () => client });
    session.containers.replaceAll(records);
    const provider = new ContainersProvider(session, { groupBy: () => 'composeProject', sortBy: () => 'created' });
    let items = 0;
    const walk = async (el?: string): Promise<void> => {
      for (const child of (await provider.getChildren(el)) ?? []) {
        const item = await provider.getTreeItem(child);
        items++;
        if (item.collapsibleState) await walk(child);
      }
    };
    await walk();
    const t2 = performance.now();
    provider.dispose();
    session.dispose();
    client.dispose();
    rows = records.length;
    treeItems = items;
    return { total: t2 - t0, list: t1 - t0 };
  };
  const timed = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  // Warm up each path once (module loading, the CLI binary in the page cache).
  await berth();
  await rawListContainers(socket);
  await execCli();
  const out: ColdList = { rows: 0, treeItems: 0, rawMs: [], berthMs: [], berthListMs: [], cliMs: [], connectMs: [] };
  const steps: (() => Promise<void>)[] = [
    async () => void out.rawMs.push(await timed(() => rawListContainers(socket))),
    async () => {
      const r = await berth();
      out.berthMs.push(r.total);
      out.berthListMs.push(r.list);
    },
    async () => void out.cliMs.push(await timed(execCli)),
  ];
  for (let i = 0; i < rounds; i++) {
    // Rotate the order so no path always runs right after another's garbage.
    for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]();
    await sleep(50);
  }
  for (let i = 0; i < 5; i++) {
    const session = new EngineSession({ resolve: () => endpoint, createClient: createEngineClient });
    out.connectMs.push(await timed(() => session.connect()));
    session.dispose();
  }
  out.rows = rows;
  out.treeItems = treeItems;
  return out;
}

/**
 * With BENCH_PROFILE=<folder>, a CPU profile of the extension host per phase (open it in VS Code or
 * Chrome's DevTools): what the host does per event, beside the figures.
 */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return work();
  const session = new InspectorSession();
  session.connect();
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session.post(method, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name.replace(/[^\w.-]+/g, '-')}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** The label suffix of the phases measured with every Berth view open. */
const ALL_VIEWS = ', all views';

/**
 * Opens only the Containers pane, or every Berth pane (Images, Volumes, Networks, Compose, and
 * Services when the engine is a Swarm manager), then waits for them to settle.
 */
async function showViews(api: BerthApi, all: boolean): Promise<void> {
  const headers = `[...document.querySelectorAll('#workbench\\\\.parts\\\\.sidebar .pane-header')]`;
  const isContainers = `/containers/i.test(h.querySelector('.title')?.textContent ?? '')`;
  if (all) await evalInPage(`${headers}.filter((h) => h.getAttribute('aria-expanded') === 'false').forEach((h) => h.click())`);
  else await evalInPage(`${headers}.filter((h) => h.getAttribute('aria-expanded') === 'true' && !${isContainers}).forEach((h) => h.click())`);
  const wanted = all ? [api.containersView, api.imagesView, api.volumesView, api.networksView, api.composeView] : [api.containersView];
  await waitFor(`the ${all ? 'Berth views' : 'Containers view'} to show`, () => wanted.every((v) => v.visible), 10_000);
  if (all) await api.compose.settled();
  await api.session.settled();
  await sleep(1000);
}

async function withViewsHidden(api: BerthApi, work: () => Promise<void>): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await waitFor('the event stream to stop while the views are hidden', () => !api.session.streaming, 10_000);
  await work();
  await vscode.commands.executeCommand('workbench.view.extension.berth');
  await waitFor('the event stream again', () => api.session.streaming, 10_000);
}

async function bench(): Promise<BenchResults> {
  const ext = vscode.extensions.getExtension<BerthApi>('berth.berth');
  if (!ext) throw new Error('berth.berth is not loaded in this extension host');
  const api = await ext.activate();
  await vscode.commands.executeCommand('workbench.view.extension.berth');
  await vscode.commands.executeCommand('berth.containers.focus');
  // The launcher sets DOCKER_HOST and the user setting too; the page can apply its settings late.
  const host = `unix://${socket}`;
  if (vscode.workspace.getConfiguration('berth').get('engine.host') !== host) await vscode.workspace.getConfiguration('berth').update('engine.host', host, vscode.ConfigurationTarget.Global);
  await api.session.ready();
  const startSet = JSON.parse(env('BENCH_START_SET')) as { id: string; name: string }[];
  const initial = Number(env('BENCH_INITIAL'));
  await waitFor(`Berth to list the ${initial} bench containers`, () => api.session.status.state === 'ready' && api.session.status.endpoint?.url === host && api.session.containers.size >= initial, 60_000).catch((err: Error) => {
    const s = api.session;
    throw new Error(`${err.message}: Berth is ${s.status.state} on ${s.status.endpoint?.url} (${s.status.error?.message ?? 'no error'}), streaming ${s.streaming}, ${s.containers.size} containers`);
  });
  const notes: string[] = [];
  await sleep(1000);
  if (!api.session.streaming) {
    // Seen when the view became visible while a (re)connect was still listing: setLive(true) during
    // 'connecting' neither opens the stream nor leaves a note for doConnect to open it.
    notes.push('Berth was connected and its view visible, but it followed no events until the view was hidden and shown again (setLive(true) during a connect is lost).');
    await withViewsHidden(api, async () => undefined);
  }
  const starter = new Starter();
  const calls = countEngineRequests(api);
  const runs = new StartBench(api, starter, calls, countViewWork(api));
  const results: BenchResults = { images: api.session.images.size, activationMs: api.activationMs, phases: [], notes };
  try {
    await evalInPage(OBSERVER);
    // At first the start set sorts first (newest), so its rows are in the viewport.
    const startSetShown = () => waitFor('the start set rows in the page', () => evalInPage<boolean>(`!!document.querySelector('.monaco-list-row[aria-label^=${JSON.stringify(`Container ${startSet[0].name},`)}]')`), 20_000, 100);
    // Each figure twice: with only the Containers view open (its rows measured are inside the
    // viewport), then with every Berth view open, each following the same events.
    const each = async (what: string, phase: (suffix: string) => Promise<StartPhase>, first = false) => {
      for (const all of [false, true]) {
        await showViews(api, all);
        if (first) await startSetShown();
        log(`${api.session.containers.size} containers, ${all ? 'every view' : 'the Containers view'} open: ${what}`);
        results.phases.push(await profiled(`${api.session.containers.size} ${what}${all ? ALL_VIEWS : ''}`, () => phase(all ? ALL_VIEWS : '')));
      }
    };
    await each('starting existing containers', (s) => runs.startExisting(`start existing${s}`, startSet, true), true);
    await each('docker-run style create + start', (s) => runs.runNew(`create + start (docker run)${s}`, `berth-bench-run${s ? '-all' : ''}`, true));

    const more = total - api.session.containers.size;
    log(`adding ${more} containers (views hidden, so Berth resyncs once instead of following ${more} create events)`);
    const specs: ContainerSpec[] = Array.from({ length: more }, (_, i) => ({ name: `berth-bench-more-${i}`, composeProject: i % 2 ? `proj${i % 20}` : undefined }));
    await withViewsHidden(api, () => starter.call({ op: 'createMany', specs }));
    await waitFor(`Berth to list ${total} containers`, () => api.session.containers.size >= total, 60_000);
    await api.session.settled();
    await each('starting existing containers', (s) => runs.startExisting(`start existing${s}`, startSet, true));
    // A new top-level row lands below the 1,000 rows' groups, out of the viewport: this one joins
    // a Compose project listed first instead.
    await each('docker-run style create + start into a Compose project', (s) => runs.runNew(`create + start into a project${s}`, `berth-bench-run1k${s ? '-all' : ''}`, true, '0-bench-run'));
    log(`${api.session.containers.size} containers: cold list`);
    results.coldList = await coldList();
  } finally {
    runs.dispose();
    starter.dispose();
  }
  return results;
}

export async function run(): Promise<void> {
  const counts = { passed: 0, failed: 0, failures: [] as string[] };
  try {
    fs.writeFileSync(env('BENCH_RESULTS'), JSON.stringify(await bench()));
    counts.passed = 1;
  } catch (err) {
    counts.failed = 1;
    counts.failures.push((err as Error).stack ?? String(err));
    console.error(`[bench] failed: ${(err as Error).stack ?? err}`);
  }
  if (process.env.BERTH_TEST_RESULTS) fs.writeFileSync(process.env.BERTH_TEST_RESULTS, JSON.stringify(counts));
  if (counts.failed) throw new Error('the benchmark failed');
}
