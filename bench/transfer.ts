// npm run bench:transfer: issue 24's benchmark. Pushes and pulls a multi-layer image (200 MB in
// 20 layers by default; BENCH_TRANSFER_MB and BENCH_TRANSFER_LAYERS change it) to a local registry
// (Debian's docker-registry) with Berth's engine client and with the docker CLI, interleaved on the
// main engine, then saves and loads it with Berth and with `docker save` / `docker load`. Each push
// goes to a fresh registry, and each pull starts with the image gone, so both sides move every byte.
// Prints Berth's medians beside the CLI's as ratios (target ≤ 1.05x), the progress renders a
// second (target ≤ 10) and the extension-side memory growth. Exits 0 when a target is missed
// (the table says MISS); only a broken run fails. Everything it makes is labelled berth.bench=1.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { EngineClient } from '../src/contract/client';
import type { TransferMessage } from '../src/contract/transfer';
import { createEngineClient, resolveEndpoint } from '../src/engine/index';
import { loadImagesFromFile, saveImagesToFile } from '../src/model/imageArchive';
import { PROGRESS_INTERVAL_MS, Throttle, TransferProgress } from '../src/model/transferProgress';
import { startRegistry } from '../test/support/registry';
import { buildImage, testDocker } from '../test/support/testEngine';
import { BENCH_BASE_IMAGE, BENCH_LABEL } from './engineHttp';
import { buildBaseImage } from './fixtures';
import { median } from './stats';

const SOCKET = '/var/run/docker.sock';
const ROUNDS = Number(process.env.BENCH_TRANSFER_ROUNDS ?? 3);
const TOTAL_MB = Number(process.env.BENCH_TRANSFER_MB ?? 200);
const LAYERS = Number(process.env.BENCH_TRANSFER_LAYERS ?? 20);
const SOURCE = 'berth-bench/transfer:1';

function docker(...args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let err = '';
    const child = spawn('docker', args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DOCKER_HOST: `unix://${SOCKET}` } });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`docker ${args.join(' ')} exited ${code}: ${err.trim()}`))));
  });
}

/** What the UI does with the stream: the progress model, rendered through the same throttle. */
function uiSide(): { on: (m: TransferMessage) => void; done: () => { renders: number; messages: number } } {
  const progress = new TransferProgress();
  let text = '';
  const throttle = new Throttle(PROGRESS_INTERVAL_MS, () => (text = JSON.stringify(progress.summary())));
  return {
    on: (m) => {
      progress.apply(m);
      throttle.poke();
    },
    done: () => {
      throttle.flush();
      throttle.dispose();
      void text;
      return { renders: throttle.renders, messages: progress.messages };
    },
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

/** The highest RSS growth (MB) over `work`, sampled every 50 ms. */
async function rssGrowth<T>(work: () => Promise<T>): Promise<{ mb: number; value: T }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { mb: (peak - start) / 1e6, value };
  } finally {
    clearInterval(timer);
  }
}

async function removeAll(client: EngineClient, refs: string[]): Promise<void> {
  for (const r of refs) await client.removeImage(r).catch(() => undefined);
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

async function main(): Promise<void> {
  const client = createEngineClient(resolveEndpoint({ setting: `unix://${SOCKET}`, env: {} }));
  await client.ping(5000);
  await buildBaseImage(SOCKET);
  const layerMb = TOTAL_MB / LAYERS;
  const runs = Array.from({ length: LAYERS }, (_, i) => `RUN head -c ${Math.round(layerMb * 1e6)} /dev/urandom > /layer${i}`).join('\n');
  const t0 = performance.now();
  await buildImage(testDocker(SOCKET), `FROM ${BENCH_BASE_IMAGE}\n${runs}\n`, SOURCE, {}, { [BENCH_LABEL]: '1' });
  console.log(`transfer bench: ${TOTAL_MB} MB in ${LAYERS} layers built in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${ROUNDS} rounds`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-transfer-'));
  const s = { berthPush: [] as number[], cliPush: [] as number[], berthPull: [] as number[], cliPull: [] as number[], berthSave: [] as number[], cliSave: [] as number[], berthLoad: [] as number[], cliLoad: [] as number[] };
  let rendersPerSecond = 0;
  let memoryMb = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const regA = await startRegistry();
      const regB = await startRegistry();
      const refA = `${regA.host}/bench/transfer:1`;
      const refB = `${regB.host}/bench/transfer:1`;
      try {
        await client.tag(SOURCE, refA);
        await client.tag(SOURCE, refB);
        // Interleaved, each into an empty registry; the order swaps each round.
        const berthPush = async () => {
          const ui = uiSide();
          const r = await rssGrowth(() => timed(() => client.push({ reference: refA }, ui.on)));
          const { renders } = ui.done();
          rendersPerSecond = Math.max(rendersPerSecond, renders / (r.value.ms / 1000));
          memoryMb = Math.max(memoryMb, r.mb);
          s.berthPush.push(r.value.ms);
        };
        const cliPush = async () => s.cliPush.push(await docker('push', '--quiet', refB));
        if (round % 2) await cliPush().then(berthPush);
        else await berthPush().then(cliPush);

        // Pulls start with the image gone, so every layer is downloaded and extracted.
        await removeAll(client, [SOURCE, refA, refB]);
        const ui = uiSide();
        const pulled = await rssGrowth(() => timed(() => client.pull({ reference: refA }, ui.on)));
        const { renders } = ui.done();
        rendersPerSecond = Math.max(rendersPerSecond, renders / (pulled.value.ms / 1000));
        memoryMb = Math.max(memoryMb, pulled.mb);
        s.berthPull.push(pulled.value.ms);
        await removeAll(client, [refA]);
        s.cliPull.push(await docker('pull', '--quiet', refB));
        await client.tag(refB, SOURCE);
        await removeAll(client, [refB]);
      } finally {
        await regA.stop();
        await regB.stop();
      }

      const berthTar = path.join(dir, 'berth.tar');
      const cliTar = path.join(dir, 'cli.tar');
      const saved = await rssGrowth(() => timed(() => saveImagesToFile(client, [SOURCE], berthTar)));
      memoryMb = Math.max(memoryMb, saved.mb);
      s.berthSave.push(saved.value.ms);
      s.cliSave.push(await docker('save', '-o', cliTar, SOURCE));
      const loaded = await rssGrowth(() => timed(() => loadImagesFromFile(client, berthTar, () => undefined)));
      memoryMb = Math.max(memoryMb, loaded.mb);
      s.berthLoad.push(loaded.value.ms);
      s.cliLoad.push(await docker('load', '-q', '-i', cliTar));
      fs.rmSync(berthTar, { force: true });
      fs.rmSync(cliTar, { force: true });
    }
  } finally {
    await removeAll(client, [SOURCE]);
    fs.rmSync(dir, { recursive: true, force: true });
    client.dispose();
  }

  console.log(`\nImage transfer (${TOTAL_MB} MB, ${LAYERS} layers, local registry), median of ${ROUNDS}:`);
  const row = (what: string, berth: number[], cli: number[], cliName: string) => {
    const ratio = median(berth) / median(cli);
    console.log(`  ${what.padEnd(6)} Berth ${fmt(median(berth)).padStart(9)}   ${cliName.padEnd(12)} ${fmt(median(cli)).padStart(9)}   ${ratio.toFixed(2)}x (target ≤ 1.05x) ${verdict(ratio <= 1.05)}`);
  };
  row('push', s.berthPush, s.cliPush, 'docker push');
  row('pull', s.berthPull, s.cliPull, 'docker pull');
  row('save', s.berthSave, s.cliSave, 'docker save');
  row('load', s.berthLoad, s.cliLoad, 'docker load');
  console.log(`  progress renders: at most ${rendersPerSecond.toFixed(1)} a second (target ≤ 10) ${verdict(rendersPerSecond <= 10)}`);
  console.log(`  memory: the bench process grew at most ${memoryMb.toFixed(1)} MB while moving ${TOTAL_MB} MB (streamed, nothing held whole)`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
