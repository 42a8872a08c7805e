// npm run bench: Berth's listing (engine layer -> typed records) beside the raw Engine API call
// and the docker CLI doing the same job, measured in the same run. Prints medians and ratios.
import { execFileSync } from 'child_process';
import * as http from 'http';
import { createEngineClient, resolveEndpoint } from '../src/engine/index';
import { cleanupTestResources, ensureBaseImage, testDocker, TEST_LABEL } from '../test/support/testEngine';

const socket = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const extra = Number(process.env.BENCH_CONTAINERS ?? 100);

function rawList(): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: socket, path: '/containers/json?all=1' }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

async function median(fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function main(): Promise<void> {
  // Labelled, never-started containers so the list has realistic length; removed at the end.
  const docker = testDocker();
  await ensureBaseImage(docker);
  for (let i = 0; i < extra; i++) {
    await docker.createContainer({ Image: 'berth-test/busybox:latest', Cmd: ['true'], Labels: { [TEST_LABEL]: '1', 'com.docker.compose.project': `bench${i % 5}` } });
  }
  try {
    await measure();
  } finally {
    await cleanupTestResources(docker);
  }
}

async function measure(): Promise<void> {
  const client = createEngineClient(resolveEndpoint({ setting: `unix://${socket}`, env: {} }));
  await client.ping(3000);
  const count = (await client.listContainers()).length;
  const raw = await median(rawList);
  const berth = await median(() => client.listContainers());
  let cli: number | undefined;
  try {
    execFileSync('docker', ['-H', `unix://${socket}`, 'ps', '-a', '-q'], { stdio: 'ignore' });
    cli = await median(() => execFileSync('docker', ['-H', `unix://${socket}`, 'ps', '-a', '--format', '{{json .}}'], { stdio: 'pipe' }));
  } catch {
    cli = undefined;
  }
  console.log(`list ${count} containers, median of ${rounds}:`);
  console.log(`  raw Engine API GET /containers/json  ${raw.toFixed(2)} ms  (baseline)`);
  console.log(`  Berth engine layer listContainers    ${berth.toFixed(2)} ms  ${(berth / raw).toFixed(2)}x raw`);
  if (cli !== undefined) console.log(`  docker ps -a --format json           ${cli.toFixed(2)} ms  ${(cli / raw).toFixed(2)}x raw; Berth is ${(cli / berth).toFixed(1)}x faster`);
  else console.log('  docker CLI: not available here');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
