// npm run bench:build: issue 4's benchmark. Builds one context (5 MiB of sources beside a 200 MiB
// node_modules that .dockerignore excludes) with Berth's runBuild and with `DOCKER_BUILDKIT=0 docker
// build`, interleaved on the main engine, and prints Berth's figures beside the CLI's from the same
// run. Every image is labelled berth.bench=1 and tagged berth-bench/build:N, and all of them go at the
// end. Exits 0 when a target is missed (the table says MISS); only a broken run fails.
import { spawn } from 'child_process';
import { Writable } from 'stream';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { createEngineClient, resolveEndpoint } from '../src/engine/index';
import type { BuildRequest, EngineClient } from '../src/contract/client';
import { runBuild } from '../src/model/build';
import { packContext, planContext } from '../src/model/buildContext';
import { makeBuildContext, tarSize, type BuildContextFixture } from './buildFixture';
import { startCountingProxy } from './countingProxy';
import { BENCH_BASE_IMAGE, BENCH_LABEL, engineRequest } from './engineHttp';
import { buildBaseImage } from './fixtures';
import { median } from './stats';

// Builds on a shared engine and a small machine are noisy: 11 rounds keep the medians steadier than 7.
const ROUNDS = Number(process.env.BENCH_BUILD_ROUNDS ?? 11);
const SOCKET = process.env.BENCH_BUILD_SOCKET ?? '/var/run/docker.sock';
const REPO = 'berth-bench/build';

/** Milliseconds from the build's start; phases a client cannot see stay undefined. */
interface Sample {
  totalMs: number;
  planMs?: number;
  /** Berth only: the last context byte left its tar stream. */
  uploadMs?: number;
  /** The engine's "Step 1/N", sent once it holds the whole context. */
  firstStepMs?: number;
  bytes?: number;
  contextLine?: string;
}

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : `${v.toFixed(0)} ms`);
const bytes = (v: number) => `${v.toLocaleString('en-US')} B`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const medianOf = (samples: Sample[], pick: (s: Sample) => number | undefined) => {
  const values = samples.map(pick).filter((v): v is number => v !== undefined);
  return values.length ? median(values) : undefined;
};

let tagCount = 0;
const nextTag = () => `${REPO}:${++tagCount}`;
/** Every image id a build printed (" ---> abc"): a failed build leaves untagged ones behind. */
const seenIds = new Set<string>();

/** Berth's client, with a clock on the context stream's end: runBuild keeps the stream to itself. */
function clockedClient(client: EngineClient, onUploaded: () => void): EngineClient {
  return Object.assign(Object.create(client) as EngineClient, {
    build: (req: BuildRequest, onMessage: Parameters<EngineClient['build']>[1]) => {
      req.context.once('end', onUploaded);
      return client.build(req, onMessage);
    },
  });
}

async function berthBuild(client: EngineClient, fx: BuildContextFixture, noCache: boolean): Promise<Sample> {
  const s: Partial<Sample> = {};
  const t0 = performance.now();
  const outcome = await runBuild(
    clockedClient(client, () => (s.uploadMs = performance.now() - t0)),
    { contextDir: fx.dir, dockerfile: fx.dockerfile, tag: nextTag(), noCache, labels: { [BENCH_LABEL]: '1' } },
    {
      onPlan: () => (s.planMs = performance.now() - t0),
      onSegment: (seg) => {
        if (seg.kind === 'step') s.firstStepMs ??= performance.now() - t0;
        for (const m of seg.text.matchAll(/ ---> ([0-9a-f]{12})/g)) seenIds.add(m[1]);
      },
    },
  );
  const totalMs = performance.now() - t0;
  if (outcome.failure) throw new Error(`Berth's build failed: ${outcome.failure.message}`);
  return { ...s, totalMs, bytes: outcome.bytesSent };
}

function cliBuild(socket: string, fx: BuildContextFixture, noCache: boolean): Promise<Sample> {
  const args = ['build', '-f', fx.dockerfile, '-t', nextTag(), '--label', `${BENCH_LABEL}=1`, '--force-rm', ...(noCache ? ['--no-cache'] : []), fx.dir];
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_HOST: `unix://${socket}` };
  delete env.DOCKER_CONTEXT;
  return new Promise((resolve, reject) => {
    const s: Partial<Sample> = {};
    let out = '';
    let err = '';
    const t0 = performance.now();
    const child = spawn('docker', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      const now = performance.now() - t0;
      out += chunk.toString();
      if (s.firstStepMs === undefined) {
        const sending = [...out.matchAll(/Sending build context to Docker daemon\s+(\S+)/g)];
        // Its "Sending build context" line arrives in the same write as Step 1, so it cannot time the upload.
        if (sending.length) s.contextLine = sending[sending.length - 1][0];
        if (/^Step 1\//m.test(out)) s.firstStepMs = now;
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const totalMs = performance.now() - t0;
      for (const m of out.matchAll(/ ---> ([0-9a-f]{12})/g)) seenIds.add(m[1]);
      if (code !== 0) return reject(new Error(`docker build exited ${code}: ${err.trim()}\n${out.trim().split('\n').slice(-5).join('\n')}`));
      resolve({ ...s, totalMs });
    });
  });
}

/** Berth's client side with no engine: the planning walk, then the tar packed into a sink that takes everything at once. */
async function packAlone(fx: BuildContextFixture): Promise<{ planMs: number; packMs: number }> {
  const t0 = performance.now();
  const plan = await planContext(fx.dir, fx.dockerfile);
  const t1 = performance.now();
  await new Promise((resolve, reject) => packContext(plan).on('error', reject).pipe(new Writable({ write: (_c, _e, done) => done() })).on('finish', resolve));
  return { planMs: t1 - t0, packMs: performance.now() - t1 };
}

function cliProcessStart(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    spawn('docker', ['--version'], { stdio: 'ignore' })
      .on('error', reject)
      .on('close', () => resolve(performance.now() - t0));
  });
}

/** Removes the bench's build images, anything a failed build left untagged, then the bench base image. */
async function removeBuildImages(socket: string): Promise<number> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${BENCH_LABEL}=1`] }));
  type Img = { Id: string; RepoTags?: string[] | null };
  const { json: tagged } = await engineRequest<Img[]>(socket, 'GET', `/images/json?filters=${filters}`);
  for (const img of tagged.filter((i) => i.RepoTags?.some((t) => t.startsWith(`${REPO}:`))))
    await engineRequest(socket, 'DELETE', `/images/${img.Id}?force=1`).catch(() => undefined);
  // Newest first, so a child goes before its parent. Unforced: whatever is still in use stays.
  for (const id of [...seenIds].reverse()) await engineRequest(socket, 'DELETE', `/images/${id}`).catch(() => undefined);
  await engineRequest(socket, 'DELETE', `/images/${BENCH_BASE_IMAGE}`).catch(() => undefined);
  // Everything built FROM the bench base inherits its label, so this finds any leftover.
  const { json: left } = await engineRequest<Img[]>(socket, 'GET', `/images/json?all=1&filters=${filters}`);
  return left.length;
}

interface Series {
  berth: Sample[];
  cli: Sample[];
}

async function series(client: EngineClient, fx: BuildContextFixture, noCache: boolean): Promise<Series> {
  const r: Series = { berth: [], cli: [] };
  // One untimed build each first: page cache, JIT, and for the cached series a warm cache.
  await berthBuild(client, fx, noCache);
  await cliBuild(SOCKET, fx, noCache);
  for (let i = 0; i < ROUNDS; i++) {
    // The order alternates so neither client always runs on an engine the other just warmed.
    const pair = [() => berthBuild(client, fx, noCache).then((s) => r.berth.push(s)), () => cliBuild(SOCKET, fx, noCache).then((s) => r.cli.push(s))];
    for (const run of i % 2 ? pair.reverse() : pair) await run();
  }
  return r;
}

function printSeries(line: (s?: string) => void, title: string, r: Series, target?: number): number {
  const cli = median(r.cli.map((s) => s.totalMs));
  const berth = median(r.berth.map((s) => s.totalMs));
  const paired = median(r.berth.map((s, i) => s.totalMs / r.cli[i].totalMs));
  const spread = (xs: Sample[]) => `${ms(Math.min(...xs.map((s) => s.totalMs)))} .. ${ms(Math.max(...xs.map((s) => s.totalMs)))}`;
  line(title);
  line(`    DOCKER_BUILDKIT=0 docker build    ${ms(cli).padStart(8)}   1.00x (baseline)   range ${spread(r.cli)}`);
  line(`    Berth runBuild                     ${ms(berth).padStart(8)}   ${(berth / cli).toFixed(2)}x              range ${spread(r.berth)}; median of per-round ratios ${paired.toFixed(2)}x`);
  line('    where the time goes, median ms from the start:   planned   last byte sent   engine says Step 1   done');
  for (const [name, xs] of [['CLI', r.cli], ['Berth', r.berth]] as const)
    line(`    ${name.padEnd(47)} ${ms(medianOf(xs, (s) => s.planMs)).padStart(9)} ${ms(medianOf(xs, (s) => s.uploadMs)).padStart(16)} ${ms(medianOf(xs, (s) => s.firstStepMs)).padStart(20)} ${ms(median(xs.map((s) => s.totalMs))).padStart(6)}`);
  if (target !== undefined) line(`    target Berth <= ${target}x the CLI: ${verdict(berth / cli <= target)}`);
  return berth / cli;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-build-'));
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    const left = await removeBuildImages(SOCKET).catch((err: Error) => (console.error(`cleanup: ${err.message}`), -1));
    fs.rmSync(work, { recursive: true, force: true });
    if (left) console.log(`cleanup: ${left} image(s) labelled ${BENCH_LABEL}=1 are still on the engine`);
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    const client = createEngineClient(resolveEndpoint({ setting: `unix://${SOCKET}`, env: {} }));
    const version = await client.ping(3000);
    const t0 = performance.now();
    await buildBaseImage(SOCKET);
    const fx = makeBuildContext(path.join(work, 'ctx'));
    console.log(`build bench ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${fx.sentFiles} files to send, ${fx.ignoredFiles} ignored under node_modules`);

    // Bytes: one untimed build each through a counting pass-through.
    const proxy = await startCountingProxy(path.join(work, 'proxy.sock'), SOCKET);
    const proxied = createEngineClient(resolveEndpoint({ setting: `unix://${proxy.socket}`, env: {} }));
    await proxied.ping(3000);
    let plan: { entries: string[]; bytes: number } | undefined;
    const berthCounted = await runBuild(proxied, { contextDir: fx.dir, dockerfile: fx.dockerfile, tag: nextTag(), noCache: true, labels: { [BENCH_LABEL]: '1' } }, { onPlan: (p) => (plan = p) });
    if (berthCounted.failure || !plan) throw new Error(`Berth's build failed: ${berthCounted.failure?.message}`);
    const berthAtProxy = proxy.requests.filter((r) => r.method === 'POST' && /\/build\b/.test(r.path)).map((r) => r.bodyBytes);
    proxy.requests.length = 0;
    const cliCounted = await cliBuild(proxy.socket, fx, true);
    const cliAtProxy = proxy.requests.filter((r) => r.method === 'POST' && /\/build\b/.test(r.path)).map((r) => r.bodyBytes);
    await proxy.close();

    const loadBefore = os.loadavg()[0];
    const noCache = await series(client, fx, true);
    const cached = await series(client, fx, false);
    const start = [];
    const alone = [];
    for (let i = 0; i < ROUNDS; i++) {
      start.push(await cliProcessStart());
      alone.push(await packAlone(fx));
    }

    const out: string[] = [];
    const line = (s = '') => out.push(s);
    const cliVersion = await new Promise<string>((resolve) => {
      let v = '';
      spawn('docker', ['version', '--format', '{{.Client.Version}}'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .on('close', () => resolve(v.trim()))
        .stdout.on('data', (c: Buffer) => (v += c.toString()));
    });
    line(`Berth build benchmark on the main engine ${version.version} (API ${version.apiVersion}), docker CLI ${cliVersion} with DOCKER_BUILDKIT=0 (legacy builder, as Berth uses)`);
    line(`load average (1 min) ${loadBefore.toFixed(2)} before the timed rounds, ${os.loadavg()[0].toFixed(2)} after, on ${os.cpus().length} CPUs: other work on the machine shows up as spread in the ranges below`);
    line(`context ${fx.dir}: ${fx.sentFiles} files of ${bytes(fx.sentBytes)} to send (${fx.sentFiles - 2} sources of varied sizes in nested folders, Dockerfile, .dockerignore); node_modules: ${fx.ignoredFiles} files of ${bytes(fx.ignoredBytes)}, ignored`);
    line();
    const sent = berthCounted.bytesSent;
    const framing = tarSize(fx.dir, plan.entries);
    // tar-fs also writes a header for the context root itself ("."); the CLI does not.
    const framed = plan.bytes + framing.headers + framing.padding + framing.end;
    const rootHeader = 512;
    const contentOk = plan.bytes === fx.sentBytes;
    const framingOk = sent === framed + rootHeader && sent - plan.bytes <= 512 * (plan.entries.length + 1) + framing.padding + framing.end;
    const bytesOk = contentOk && framingOk && berthAtProxy.length === 1 && berthAtProxy[0] === sent;
    line('(a) context bytes, one untimed --no-cache build each through a counting pass-through socket');
    line(`    non-ignored content, as written by the fixture   ${bytes(fx.sentBytes).padStart(14)}`);
    line(`    Berth's plan (plan.bytes, ${plan.entries.length} entries)          ${bytes(plan.bytes).padStart(14)}   ${contentOk ? 'equal' : 'DIFFERENT'}`);
    line(`    Berth sent (runBuild's bytesSent)                 ${bytes(sent).padStart(14)}   = plan.bytes + ${bytes(sent - plan.bytes)} overhead`);
    line(`    Berth sent (HTTP body at the pass-through)        ${berthAtProxy.map((b) => bytes(b).padStart(14)).join(', ')}   ${berthAtProxy.length === 1 && berthAtProxy[0] === sent ? 'equal' : 'DIFFERENT'}`);
    line(`    docker CLI sent (HTTP body at the pass-through)   ${cliAtProxy.map((b) => bytes(b).padStart(14)).join(', ')}   (it printed "${cliCounted.contextLine ?? 'nothing'}")`);
    line(`    ustar framing of the ${plan.entries.length} planned entries: headers ${bytes(framing.headers)} + padding to 512 ${bytes(framing.padding)} + end blocks ${bytes(framing.end)} = ${bytes(framed - plan.bytes)}`);
    line(`      CLI:   plan.bytes + framing ${cliAtProxy[0] === framed ? 'exactly' : `${cliAtProxy[0] - framed > 0 ? '+' : ''}${bytes(cliAtProxy[0] - framed)} off`}`);
    line(`      Berth: plan.bytes + framing + ${bytes(rootHeader)} (tar-fs's header for the root folder ".") ${sent === framed + rootHeader ? 'exactly' : `${bytes(sent - framed - rootHeader)} off`}`);
    line(`    target: Berth sends the non-ignored content plus tar headers and padding only (<= 512 B per entry + padding + 1024 B), nothing of node_modules: ${verdict(bytesOk)}`);
    line();
    const ratio = printSeries(line, `(b) wall time of a --no-cache build, median of ${ROUNDS} interleaved rounds (headline: both do all the work every round)`, noCache, 1.1);
    line();
    printSeries(line, `(c) wall time with the cache (every step cached; mostly context transfer and checksum), median of ${ROUNDS} interleaved rounds`, cached);
    line('    (the CLI shows no upload end: it prints "Sending build context" in the same write as Step 1)');
    line(`    (every CLI figure includes its process start: docker --version takes ${ms(median(start))}, median of ${ROUNDS})`);
    line();
    line(`(d) Berth's client side alone, no engine, median of ${ROUNDS}: planning walk ${ms(median(alone.map((a) => a.planMs)))}, tar packing into a null sink ${ms(median(alone.map((a) => a.packMs)))}`);
    if (ratio > 1.1) {
      const delta = (pick: (s: Sample) => number | undefined) => (medianOf(noCache.berth, pick) ?? NaN) - (medianOf(noCache.cli, pick) ?? NaN);
      const toStep = delta((s) => s.firstStepMs);
      const steps = delta((s) => s.totalMs - (s.firstStepMs ?? NaN));
      line(`    MISS profile, Berth - CLI: up to Step 1 (walk, tar, upload, engine unpacking) ${ms(toStep)}; after Step 1 (the engine's steps, the same work for both) ${ms(steps)}`);
      line(`    ${toStep >= steps ? 'most of it is client side: see (d) for the walk and the packing' : 'most of it is in the engine steps, the same for both clients: noise from the machine, not Berth'}`);
    }
    console.log();
    console.log(out.join('\n'));
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
