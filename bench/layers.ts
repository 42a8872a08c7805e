// npm run bench:layers: issue 26's benchmark, on the main engine.
// 1. Analysis of a big image of many layers (BENCH_LAYERS_MB, 1000 by default, in BENCH_LAYERS
//    layers, 30 by default) with Berth's analyseImage (the saved image read once as a stream, each
//    layer tar parsed inside it) against `docker save IMAGE | tar -t > /dev/null` (two processes
//    piped by this script, no shell), interleaved, in the same run: target ratio ≤ 1.2, and this
//    process's memory growing by at most 100 MB while it analyses.
// 2. The line costs after a build: from the build's end to every line's figure (the built image's
//    history, the Dockerfile read, the matching), as the CodeLens provider does it: target ≤ 500 ms.
// Images are labelled berth.bench=1 and removed at the end. Exits 0 when a target is missed (the
// table says MISS); only a broken run fails.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { createEngineClient, resolveEndpoint } from '../src/engine/index';
import { runBuild } from '../src/model/build';
import { readDockerfile } from '../src/model/dockerfile';
import { analyseImage } from '../src/model/layers/analyse';
import { lineCosts } from '../src/model/layers/lineCosts';
import { BENCH_BASE_IMAGE, BENCH_LABEL, engineRequest } from './engineHttp';
import { buildBaseImage } from './fixtures';
import { median } from './stats';

const SOCKET = process.env.BENCH_LAYERS_SOCKET ?? '/var/run/docker.sock';
const TOTAL_MB = Number(process.env.BENCH_LAYERS_MB ?? 1000);
const LAYERS = Number(process.env.BENCH_LAYERS ?? 30);
const ROUNDS = Number(process.env.BENCH_LAYERS_ROUNDS ?? 3);
const BIG = 'berth-bench/layers-big:latest';
const SMALL = 'berth-bench/layers-small:latest';
const labels = { [BENCH_LABEL]: '1' };

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** `docker save IMAGE | tar -t > /dev/null`, piped here: milliseconds until both have exited. */
function cliBaseline(image: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const save = spawn('docker', ['-H', `unix://${SOCKET}`, 'save', image], { stdio: ['ignore', 'pipe', 'inherit'] });
    const list = spawn('tar', ['-t'], { stdio: ['pipe', 'ignore', 'inherit'] });
    save.stdout.pipe(list.stdin);
    let left = 2;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0) reject(new Error(`${what} exited with ${code}`));
      else if (--left === 0) resolve(performance.now() - started);
    };
    save.on('exit', done('docker save'));
    list.on('exit', done('tar -t'));
  });
}

async function build(client: ReturnType<typeof createEngineClient>, dockerfile: string, tag: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-layers-'));
  try {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
    const facts = readDockerfile(dockerfile);
    const r = await runBuild(client, { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), dockerfileText: dockerfile, dockerfileFacts: facts, tag, labels });
    if (r.failure) throw new Error(`building ${tag} failed: ${r.failure.message}`);
    return { outcome: r, facts };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const client = createEngineClient(resolveEndpoint({ setting: `unix://${SOCKET}`, env: {} }));
  await client.ping(5000);
  await buildBaseImage(SOCKET);
  try {
    // Each layer writes a file of its share and, from the second on, rewrites the previous one's
    // first kilobyte, so the analysis has changes and waste to count as a real image would.
    const perLayer = Math.floor((TOTAL_MB * 1000 * 1000) / LAYERS);
    const runs = Array.from({ length: LAYERS }, (_, i) => `RUN head -c ${perLayer} /dev/urandom > /f${i}${i ? ` && head -c 1000 /dev/zero > /f${i - 1}` : ''}`);
    const t0 = performance.now();
    await build(client, `FROM ${BENCH_BASE_IMAGE}\n${runs.join('\n')}\n`, BIG);
    console.log(`built ${BIG}: ${LAYERS} layers, ${TOTAL_MB} MB, in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    const cli: number[] = [];
    const berth: number[] = [];
    const growth: number[] = [];
    let efficiency = 0;
    for (let round = 0; round < ROUNDS; round++) {
      cli.push(await cliBaseline(BIG));
      gc();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const started = performance.now();
      const a = await analyseImage(client, BIG);
      berth.push(performance.now() - started);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      growth.push((peak - before) / 1e6);
      efficiency = a.efficiency;
    }
    const ratio = median(berth) / median(cli);
    const maxGrowth = Math.max(...growth);

    // The line costs after a build: the first build, then a cached one.
    const small = `FROM ${BENCH_BASE_IMAGE}\nRUN head -c 100000 /dev/zero > /a\nCOPY Dockerfile /d\nRUN rm /a\nCMD ["sh"]\n`;
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { outcome } = await build(client, small, SMALL);
      const started = performance.now();
      const history = await client.layers?.history(outcome.imageId ?? '');
      if (!history) throw new Error('the built image has no history');
      const costs = lineCosts(readDockerfile(small), { tag: SMALL, imageId: outcome.imageId ?? '', steps: outcome.steps, finishedAt: Date.now() }, history);
      latencies.push(performance.now() - started);
      if (costs.filter((c) => c.kind === 'layer').length !== 3) throw new Error(`expected 3 lines with a layer: ${JSON.stringify(costs)}`);
    }
    const annot = median(latencies);

    console.log('');
    console.log(`| figure | Berth | baseline | target | |`);
    console.log(`|---|---|---|---|---|`);
    console.log(`| analysis of ${TOTAL_MB} MB in ${LAYERS} layers (median of ${ROUNDS}) | ${median(berth).toFixed(0)} ms | ${median(cli).toFixed(0)} ms (docker save \\| tar -t) | ratio ≤ 1.2: ${ratio.toFixed(2)} | ${verdict(ratio <= 1.2)} |`);
    console.log(`| memory growth while analysing (max of ${ROUNDS}) | ${maxGrowth.toFixed(1)} MB | | ≤ 100 MB | ${verdict(maxGrowth <= 100)} |`);
    console.log(`| line costs after a build (median of 5) | ${annot.toFixed(1)} ms | | ≤ 500 ms | ${verdict(annot <= 500)} |`);
    console.log(`efficiency of the big image: ${(efficiency * 100).toFixed(2)} %; rounds: Berth ${berth.map((v) => v.toFixed(0)).join(', ')} ms, CLI ${cli.map((v) => v.toFixed(0)).join(', ')} ms`);
  } finally {
    for (const tag of [BIG, SMALL]) await engineRequest(SOCKET, 'DELETE', `/images/${encodeURIComponent(tag)}?force=1`).catch(() => undefined);
    client.dispose();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
