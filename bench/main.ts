// npm run bench: issue 3's benchmark. Starts its own dockerd, fills it with 1,000 images and
// containers (all labelled berth.bench=1), runs bench/workbench/index.ts inside a real web
// workbench with Berth loaded, and prints every figure beside its baseline from the same run.
// It also prints the speed targets tests must not assert on a shared machine: (e) activate()'s
// time and (f) how fast Berth follows an engine restart (bench/recovery.ts, its own dockerd).
// It exits 0 when a target is missed (the table says MISS); only a broken run fails.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runInWorkbench } from '../test/vscode/launch/runInWorkbench';
import { repoRoot } from '../test/vscode/launch/workbench';
import { startBenchEngine, type BenchEngine } from './engine';
import { createContainers, engineRequest, removeBenchResources } from './engineHttp';
import { buildBaseImage, makeImageTags } from './fixtures';
import { measureRecovery, type Recovery } from './recovery';
import type { BenchResults, StartPhase } from './results';
import { mean, median, percentile } from './stats';

const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 1000);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 1000);
const OTHERS = 300;
const START_SET = 8;

const ms = (v: number) => `${v.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

function printResults(r: BenchResults, engineVersion: string, recovery: Recovery | undefined): void {
  const out: string[] = [];
  const line = (s = '') => out.push(s);
  line(`Berth benchmark on its own dockerd ${engineVersion}: ${r.images} images listed by Berth (${IMAGES} berth-bench/tN tags + base)`);
  line();
  const a = r.coldList;
  if (a) {
    const raw = median(a.rawMs);
    const berth = median(a.berthMs);
    const cli = median(a.cliMs);
    line(`(a) cold list of ${a.rows} containers to ${a.treeItems} tree items ready, median of ${a.rawMs.length} interleaved rounds`);
    line(`    raw HTTP GET /containers/json?all=1 + JSON.parse   ${ms(raw).padStart(9)}   1.00x (baseline)`);
    line(`    Berth: list -> records -> store -> getChildren/getTreeItem   ${ms(berth).padStart(9)}   ${(berth / raw).toFixed(2)}x   (engine layer alone ${ms(median(a.berthListMs))}, ${(median(a.berthListMs) / raw).toFixed(2)}x)`);
    line(`    docker ps -a --no-trunc --format '{{json .}}'        ${ms(cli).padStart(9)}   ${(cli / raw).toFixed(2)}x`);
    line(`    target Berth <= 1.2x raw HTTP: ${verdict(berth / raw <= 1.2)}`);
    line(`    (for reference: a whole cold EngineSession.connect, i.e. ping + version + containers and images lists: ${ms(median(a.connectMs))})`);
    line();
  }
  const start = r.phases.filter((p) => p.label === 'start existing');
  line(`(b) engine requests and extension host CPU per container start, ${start[0]?.samples.length ?? 0} starts per row`);
  line(`    requests = EngineSession.eventRequests (HTTP requests counted at dockerode's modem in brackets); CPU = host user+sys in ${start[0]?.windowMs} ms from the start request, median, minus the idle median`);
  const tally = (p: StartPhase, pick: (s: StartPhase['samples'][number]) => string[]) => {
    const totals: Record<string, number> = {};
    for (const s of p.samples) for (const k of pick(s)) totals[k] = (totals[k] ?? 0) + 1;
    return Object.entries(totals).map(([k, v]) => `${(v / p.samples.length).toFixed(2)} ${k}`).join(', ') || 'none';
  };
  for (const p of r.phases) {
    const events = mean(p.samples.map((s) => s.events.length));
    const req = mean(p.samples.map((s) => s.requests));
    const cpu = median(p.samples.map((s) => s.cpuMs));
    const idle = median(p.idleCpuMs);
    line(`    ${`${p.label} @ ${p.containers} containers`.padEnd(56)} ${req.toFixed(2)} requests for ${events.toFixed(2)} events = ${(req / events).toFixed(2)}/event [${tally(p, (s) => Object.entries(s.calls).flatMap(([k, v]) => Array<string>(v).fill(k)))}]`);
    line(`    ${''.padEnd(56)} events: ${tally(p, (s) => s.events)}; CPU ${ms(cpu)} vs idle ${ms(idle)} -> ~${ms(Math.max(0, cpu - idle))} net`);
    if (p.samples[0]?.viewWork)
      line(`    ${''.padEnd(56)} per start: ${tally(p, (s) => Object.entries(s.viewWork ?? {}).flatMap(([k, v]) => Array<string>(v).fill(k)))}; store listeners ${ms(median(p.samples.map((s) => s.storeMs ?? 0)))} median`);
  }
  const perEvent = start.map((p) => mean(p.samples.map((s) => s.requests)) / mean(p.samples.map((s) => s.events.length)));
  const flat = perEvent.length >= 2 && Math.abs(perEvent[0] - perEvent[perEvent.length - 1]) < 0.25;
  line(`    target <= 2 requests/event, independent of container count (${start.map((p) => p.containers).join(' vs ')}): ${verdict(Math.max(...perEvent) <= 2 && flat)}`);
  line();
  line('(c) event -> onDidChangeTreeData in the extension host, p50 / p95');
  let cOk = true;
  for (const p of r.phases) {
    const fromEngine = p.samples.map((s) => s.firedMs - s.eventMs);
    const fromHost = p.samples.map((s) => s.firedMs - s.receivedMs);
    const delivery = p.samples.map((s) => s.receivedMs - s.eventMs);
    cOk &&= percentile(fromEngine, 95) <= 50;
    line(`    ${`${p.label} @ ${p.containers} containers`.padEnd(60)} from engine timestamp ${ms(median(fromEngine))} / ${ms(percentile(fromEngine, 95))}; from receipt in host ${ms(median(fromHost))} / ${ms(percentile(fromHost, 95))} (stream delivery ${ms(median(delivery))} / ${ms(percentile(delivery, 95))})`);
  }
  line(`    target p95 <= 50 ms (from the engine's timestamp): ${verdict(cOk)}`);
  line();
  line('(d) engine start event -> row visible as running in the workbench page (MutationObserver), median / p95');
  for (const p of r.phases.filter((x) => x.samples.some((s) => s.domMs !== undefined))) {
    const seen = p.samples.filter((s) => s.domMs !== undefined);
    const dom = seen.map((s) => s.domMs! - s.eventMs);
    const afterFire = seen.map((s) => s.domMs! - s.firedMs);
    line(`    ${`${p.label} @ ${p.containers} containers`.padEnd(60)} ${ms(median(dom))} / ${ms(percentile(dom, 95))} (max ${ms(Math.max(...dom))}; fire -> DOM ${ms(median(afterFire))} / ${ms(percentile(afterFire, 95))}) - target median <= 50, p95 <= 100: ${verdict(seen.length === p.samples.length && median(dom) <= 50 && percentile(dom, 95) <= 100)}`);
    if (seen.length < p.samples.length) line(`    ${''.padEnd(60)} ${p.samples.length - seen.length} of ${p.samples.length} rows not seen in the page within 15 s (left out above; a MISS)`);
    // VS Code's ExtHostTreeView debounces onDidChangeTreeData (200 ms, leading edge): a fire soon
    // after another reaches the page only after 200 ms of quiet.
    const close = p.samples.filter((s) => s.sincePreviousFireMs < 200);
    const slow = p.samples.filter((s) => s.domMs! - s.eventMs > 100);
    if (slow.length)
      line(`    ${''.padEnd(60)} ${slow.length} of ${p.samples.length} over 100 ms; ${close.length} fired < 200 ms after the provider's previous fire (${slow.filter((s) => s.sincePreviousFireMs < 200).length} of the slow ones): VS Code's 200 ms tree refresh debounce`);
  }
  line();
  // Targets the workbench and engine tests used to assert, where a loaded machine failed them.
  if (r.activationMs !== undefined) line(`(e) activate() in the workbench: ${ms(r.activationMs)} - target < 100 ms: ${verdict(r.activationMs < 100)}`);
  if (recovery) {
    const down = recovery.downMs;
    const up = recovery.upMs;
    line(`(f) engine killed and started again, ${down.length} rounds on its own dockerd, median / max:`);
    line(`    kill -> Berth shows unreachable ${ms(median(down))} / ${ms(Math.max(...down))} - target max <= 2000 ms: ${verdict(Math.max(...down) <= 2000)}`);
    line(`    engine answers -> Berth ready and following events ${ms(median(up))} / ${ms(Math.max(...up))} - target max <= 3000 ms: ${verdict(Math.max(...up) <= 3000)}`);
  } else line('(f) skipped (BENCH_RECOVERY=0)');
  for (const n of r.notes) line(`note: ${n}`);
  console.log(out.join('\n'));
}

async function main(): Promise<void> {
  let engine: BenchEngine | undefined;
  const stopAll = async () => {
    const e = engine;
    engine = undefined;
    if (!e) return;
    await removeBenchResources(e.socket).catch((err) => console.error(`cleanup: ${(err as Error).message}`));
    await e.stop();
  };
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
  try {
    const t0 = Date.now();
    // First, on a dockerd of its own, before the 1,000-container engine loads the machine.
    // BENCH_RECOVERY=0 skips (f), for runs that only need the tree figures.
    const recovery = process.env.BENCH_RECOVERY === '0' ? undefined : await measureRecovery();
    engine = await startBenchEngine();
    const socket = engine.socket;
    const { json: version } = await engineRequest<{ Version: string; ApiVersion: string }>(socket, 'GET', '/version');
    await buildBaseImage(socket);
    await makeImageTags(socket, IMAGES);
    await createContainers(socket, Array.from({ length: OTHERS }, (_, i) => ({ name: `berth-bench-other-${i}` })));
    // Creation times have 1 s resolution and the view sorts newest first: a later second puts the
    // start set at the top of the view, inside the viewport.
    await new Promise((r) => setTimeout(r, 1100));
    const names = Array.from({ length: START_SET }, (_, i) => `berth-bench-start-${i}`);
    const ids = await createContainers(socket, names.map((name) => ({ name })));
    console.log(`bench engine ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${IMAGES} images, ${OTHERS + START_SET} containers`);

    fs.writeFileSync(path.join(work, 'README.md'), '# Berth benchmark workspace\n');
    const resultsFile = path.join(work, 'results.json');
    const counts = await runInWorkbench({
      label: 'bench',
      folder: work,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'bench', 'workbench', 'index.js'),
      settings: { 'berth.engine.host': `unix://${socket}` },
      env: {
        // Berth must never reach the shared engine, even before the page's settings apply.
        DOCKER_HOST: `unix://${socket}`,
        BENCH_SOCKET: socket,
        BENCH_RESULTS: resultsFile,
        BENCH_CONTAINERS: String(CONTAINERS),
        BENCH_INITIAL: String(OTHERS + START_SET),
        BENCH_START_SET: JSON.stringify(names.map((name, i) => ({ name, id: ids[i] }))),
      },
      timeoutMs: 20 * 60_000,
    });
    if (counts.failed || !fs.existsSync(resultsFile)) throw new Error(`the benchmark did not finish: ${counts.failures.join('\n')}`);
    console.log();
    printResults(JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as BenchResults, `${version.Version} (API ${version.ApiVersion})`, recovery);
  } finally {
    await stopAll();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
