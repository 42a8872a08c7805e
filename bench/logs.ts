// npm run bench:logs: issue 6's log flood. A container writes 1,000,000 lines (~60 MB) to stdout
// and stderr; Berth's pipeline (demux, decode, coalesced terminal writes) delivers them all,
// beside `docker logs <id> > /dev/null` on the same container, in the same run.
import { execFile } from 'child_process';
import { promisify } from 'util';
import { createEngineClient, resolveEndpoint } from '../src/engine/index';
import { LogFollower } from '../src/model/logFollower';
import { ensureBaseImage, testDocker, BASE_IMAGE } from '../test/support/testEngine';
import { median } from './stats';

const run = promisify(execFile);
const LINES = Number(process.env.BENCH_LOG_LINES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const socket = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';
const LABEL = 'berth.bench';

// Half the lines to each stream, ~60 bytes each, numbered so order can be checked per stream.
const AWK = `BEGIN { pad = sprintf("%40s", ""); gsub(/ /, "x", pad); for (i = 1; i <= ${LINES / 2}; i++) { print "out " i " " pad; print "err " i " " pad > "/dev/stderr" } }`;

interface Delivery {
  ms: number;
  lines: number;
  inOrder: boolean;
  peakRssGrowthMb: number;
}

async function berthOnce(id: string): Promise<Delivery> {
  const client = createEngineClient(resolveEndpoint({ setting: `unix://${socket}`, env: {} }));
  await client.ping(3000);
  global.gc?.();
  const baseRss = process.memoryUsage().rss;
  let peak = baseRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const next = { out: 1, err: 1 };
  let inOrder = true;
  let lines = 0;
  let carry = '';
  const started = performance.now();
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  // The sink stands in for the terminal: it receives the coalesced writes and checks each line.
  const sink = (text: string) => {
    const parts = (carry + text).split('\r\n');
    carry = parts.pop() ?? '';
    for (const p of parts) {
      const err = p.startsWith('\x1b[31m');
      const body = err ? p.slice(5) : p;
      if (!body.startsWith('out ') && !body.startsWith('err ')) continue; // the exit marker
      const n = Number(body.slice(4, body.indexOf(' ', 4)));
      const key = err ? 'err' : 'out';
      if (n !== next[key]) inOrder = false;
      next[key] = n + 1;
      if (++lines === LINES) resolveDone();
    }
  };
  const follower = new LogFollower(client, id, { tail: 'all', timestamps: false }, sink, { exited: () => '-- exited --', removed: () => '-- removed --', failed: (m) => `-- failed ${m} --` });
  void follower.start();
  // A lost line would leave this waiting: say so instead of hanging.
  const stuck = setTimeout(() => {
    console.error(`stuck at ${lines} of ${LINES} lines (next expected ${JSON.stringify(next)})`);
    resolveDone();
  }, 120_000);
  await done;
  clearTimeout(stuck);
  const ms = performance.now() - started;
  follower.close();
  clearInterval(sampler);
  client.dispose();
  return { ms, lines, inOrder, peakRssGrowthMb: (peak - baseRss) / 1e6 };
}

async function cliOnce(id: string): Promise<number> {
  const started = performance.now();
  await run('sh', ['-c', 'docker -H "$1" logs "$2" > /dev/null 2>&1', 'sh', `unix://${socket}`, id], { maxBuffer: 1024 });
  return performance.now() - started;
}

async function main(): Promise<void> {
  const docker = testDocker();
  await ensureBaseImage(docker);
  const c = await docker.createContainer({ Image: BASE_IMAGE, Cmd: ['awk', AWK], Labels: { [LABEL]: '1' } });
  try {
    await c.start();
    await c.wait();
    const berth: Delivery[] = [];
    const cli: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      cli.push(await cliOnce(c.id));
      berth.push(await berthOnce(c.id));
    }
    const b = median(berth.map((d) => d.ms));
    const d = median(cli);
    const rss = Math.max(...berth.map((x) => x.peakRssGrowthMb));
    const ordered = berth.every((x) => x.inOrder && x.lines === LINES);
    console.log(`\nLog flood: ${LINES.toLocaleString('en')} lines (~${((LINES * 62) / 1e6).toFixed(0)} MB) on stdout and stderr, median of ${ROUNDS} interleaved rounds`);
    console.log(`    docker logs <id> > /dev/null                         ${d.toFixed(0).padStart(6)} ms   1.00x (baseline)`);
    console.log(`    Berth: demux + decode + coalesced terminal writes    ${b.toFixed(0).padStart(6)} ms   ${(b / d).toFixed(2)}x   target <= 2x: ${b / d <= 2 ? 'PASS' : 'MISS'}`);
    console.log(`    peak RSS growth during Berth's delivery               ${rss.toFixed(1).padStart(6)} MB   target <= 64 MB: ${rss <= 64 ? 'PASS' : 'MISS'}`);
    console.log(`    every line delivered, in order per stream: ${ordered ? 'PASS' : 'MISS'} (${berth.map((x) => `${x.lines}${x.inOrder ? '' : ' out of order'}`).join(', ')})`);
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
