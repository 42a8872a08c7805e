// npm run bench:files: issue 25's figures. Opening a 50 MB container file the way the editor does
// (ContainerFiles.readFile, one GET /archive streamed through tar-stream) beside
// `docker cp CONTAINER:/file -` to /dev/null in the same run, with the heap and RSS growth of the
// read; and listing a folder of 10,000 files (one archive request, bodies skipped), with the time
// to its first entry and to the whole list (what the Files row shows at once).
import { execFile } from 'child_process';
import { promisify } from 'util';
import { createEngineClient, resolveEndpoint } from '../src/engine/index';
import { ContainerFiles } from '../src/model/files/containerFiles';
import { BASE_IMAGE, ensureBaseImage, testDocker } from '../test/support/testEngine';
import { median } from './stats';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MB = 50;
const FILES = 10_000;
const socket = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';
const LABEL = 'berth.bench';

async function main(): Promise<void> {
  const docker = testDocker(socket);
  await ensureBaseImage(docker);
  const c = await docker.createContainer({ Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: { [LABEL]: 'files' }, StopTimeout: 1 });
  await c.start();
  const client = createEngineClient(resolveEndpoint({ setting: `unix://${socket}`, env: {} }));
  try {
    await client.ping(3000);
    const files = new ContainerFiles(() => client);
    const setup = await c.exec({ Cmd: ['sh', '-c', `dd if=/dev/urandom of=/big.bin bs=1048576 count=${MB} 2>/dev/null; mkdir /many && cd /many && i=0; while [ $i -lt ${FILES} ]; do : > f$i; i=$((i+1)); done`], AttachStdout: true });
    const stream = await setup.start({ hijack: true, stdin: false });
    await new Promise((r) => (stream.on('end', r), stream.resume()));

    const berthMs: number[] = [];
    const cliMs: number[] = [];
    const growthMb: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let t = performance.now();
      await run('docker', ['-H', `unix://${socket}`, 'cp', `${c.id}:/big.bin`, '-'], { maxBuffer: 1 << 30, encoding: 'buffer' }).then((r) => void r.stdout.length);
      cliMs.push(performance.now() - t);
      global.gc?.();
      const base = process.memoryUsage();
      let peak = base.rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      t = performance.now();
      const bytes = await files.readFile(c.id, '/big.bin');
      berthMs.push(performance.now() - t);
      clearInterval(sampler);
      if (bytes.length !== MB * 1048576) throw new Error(`read ${bytes.length} bytes`);
      growthMb.push((peak - base.rss) / 1048576);
    }
    const firstMs: number[] = [];
    const wholeMs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      let first = 0;
      const list = await files.list(c.id, '/many', undefined, () => (first ||= performance.now() - t));
      wholeMs.push(performance.now() - t);
      firstMs.push(first);
      if (list.length !== FILES) throw new Error(`listed ${list.length}`);
    }
    const b = median(berthMs);
    const k = median(cliMs);
    console.log(`open a ${MB} MB file: Berth ${b.toFixed(0)} ms, docker cp to /dev/null ${k.toFixed(0)} ms, ratio ${(b / k).toFixed(2)} (target <= 1.1); RSS growth ${median(growthMb).toFixed(0)} MB (target < ${2 * MB} MB)`);
    console.log(`list ${FILES} files: first entry ${median(firstMs).toFixed(0)} ms, whole list ${median(wholeMs).toFixed(0)} ms (target: first rows <= 500 ms)`);
  } finally {
    client.dispose();
    await c.remove({ force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
