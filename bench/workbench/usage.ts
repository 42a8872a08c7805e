// The extension-host half of `npm run bench:stats` (issue 16), run as the tests module of a real
// web workbench with Berth on the bench's own dockerd: N running containers shown in the Resource
// Usage panel for S seconds, then `docker stats` doing the same job for S seconds. Measures the
// extension host's CPU, the engine's extra CPU (dockerd, its containerd and shims) over an idle
// baseline for each, the time from opening the panel to its first plotted point, and the
// webview's JS heap at start and end. Prints the figures; the launcher fails on no target.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BerthApi } from '../../src/extension';
import { evalInWebview, screenshot } from '../../test/vscode/suite/bridge';
import { BASE_IMAGE, ensureBaseImage, testDocker, testLabels } from '../../test/support/testEngine';

const socket = process.env.BENCH_SOCKET ?? '';
const CONTAINERS = Number(process.env.BENCH_USAGE_CONTAINERS ?? 50);
const SECONDS = Number(process.env.BENCH_USAGE_SECONDS ?? 60);
const IDLE_SECONDS = 15;
const TICK = 100; // clock ticks per second in /proc/<pid>/stat (USER_HZ)
const log = (m: string) => console.log(`[bench:stats] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds used so far by the engine's processes: those whose command line names its folder. */
function engineCpuSeconds(): number {
  const dir = path.dirname(socket);
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) continue;
      // Fields after the command name in parentheses: utime is the 14th, stime the 15th.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / TICK;
}

const hostCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** The engine's CPU (and this process's) over `seconds`, as % of one core. */
async function measure(seconds: number): Promise<{ engine: number; host: number }> {
  const e0 = engineCpuSeconds();
  const h0 = hostCpuSeconds();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const wall = (performance.now() - t0) / 1000;
  return { engine: ((engineCpuSeconds() - e0) / wall) * 100, host: ((hostCpuSeconds() - h0) / wall) * 100 };
}

async function bench(): Promise<string[]> {
  const ext = vscode.extensions.getExtension<BerthApi>('berth.berth');
  if (!ext) throw new Error('Berth is not installed in this extension host');
  const api = await ext.activate();
  await api.session.ready();
  // The store follows the engine's events while a Berth view shows.
  await vscode.commands.executeCommand('workbench.view.extension.berth');
  const docker = testDocker(socket);
  await ensureBaseImage(docker);
  log(`starting ${CONTAINERS} containers, a tenth of them busy`);
  const ids: string[] = [];
  for (let i = 0; i < CONTAINERS; i++) {
    // Busy ones sleep a little in their loop: load to plot without taking the machine's 2 cores.
    const cmd = i % 10 === 0 ? ['sh', '-c', 'while :; do i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; sleep 0.1; done'] : ['sleep', '3600'];
    const c = await docker.createContainer({ name: `berth-bench-usage-${i}`, Image: BASE_IMAGE, Cmd: cmd, Labels: testLabels(), StopTimeout: 1 });
    await c.start();
    ids.push(c.id);
  }
  const deadline = Date.now() + 60_000;
  while (ids.some((id) => api.session.containers.get(id)?.state !== 'running')) {
    if (Date.now() > deadline) throw new Error('the containers never all showed as running in Berth');
    await sleep(200);
  }
  const lines: string[] = [];
  try {
    log(`idle baseline, ${IDLE_SECONDS} s`);
    const idle = await measure(IDLE_SECONDS);
    log(`Resource Usage panel of all running containers, ${SECONDS} s`);
    await vscode.commands.executeCommand('berth.usage.show');
    const panel = api.usage.feature().panels.panels().find((p) => p.scope.kind === 'all');
    if (!panel) throw new Error('no panel opened');
    while (panel.firstPointMs === undefined) {
      if (Date.now() > deadline + 120_000) throw new Error('the panel never drew a point');
      await sleep(50);
    }
    const heap = () => evalInWebview<number>(panel.panel.title, '(performance.memory && performance.memory.usedJSHeapSize) || 0');
    await sleep(3000); // every container's first points in
    const heapStart = await heap();
    const messages0 = panel.messages;
    const requests0 = api.usage.feature().sampler.requests;
    const withPanel = await measure(SECONDS);
    const heapEnd = await heap();
    await screenshot('usage-bench-panel');
    const messages = panel.messages - messages0;
    const streams = api.usage.feature().sampler.streamCount;
    const requests = api.usage.feature().sampler.requests - requests0;
    panel.dispose();
    await sleep(2000);
    if (api.usage.feature().sampler.streamCount) throw new Error('streams left open after the panel closed');

    log(`docker stats on the same engine, ${SECONDS} s`);
    const cli = spawn('docker', ['-H', `unix://${socket}`, 'stats', '--format', '{{.Name}} {{.CPUPerc}} {{.MemUsage}}'], { stdio: ['ignore', 'ignore', 'pipe'] });
    await sleep(3000);
    const cliT0 = performance.now();
    const cliCpu0 = cliCpuSeconds(cli.pid!);
    const withCli = await measure(SECONDS);
    const cliCpu = ((cliCpuSeconds(cli.pid!) - cliCpu0) / ((performance.now() - cliT0) / 1000)) * 100;
    cli.kill();

    const extra = (x: number) => Math.max(0, x - idle.engine);
    const berthExtra = extra(withPanel.engine);
    const cliExtra = extra(withCli.engine);
    lines.push(
      `${CONTAINERS} running containers, ${SECONDS} s each, on the bench's own dockerd (engine CPU = dockerd + containerd + shims)`,
      `time from opening the panel to the first plotted point: ${panel.firstPointMs.toFixed(0)} ms (target ≤ 1500 ms; page ready at ${panel.readyMs?.toFixed(0)} ms, first points sent at ${panel.firstPointsSentMs?.toFixed(0)} ms)`,
      `extension host CPU with the panel open: ${withPanel.host.toFixed(2)} % of one core (idle: ${idle.host.toFixed(2)} %; target ≤ 3 %)`,
      `engine CPU idle: ${idle.engine.toFixed(1)} % of one core`,
      `engine extra CPU, Berth's panel: ${berthExtra.toFixed(1)} % (${streams} streams open, ${requests} opened or reopened during the window)`,
      `engine extra CPU, docker stats:  ${cliExtra.toFixed(1)} % (+ the docker CLI's own ${cliCpu.toFixed(1)} %)`,
      `ratio Berth / docker stats (engine extra): ${cliExtra > 0 ? (berthExtra / cliExtra).toFixed(2) : 'n/a'} (target ≤ 1)`,
      `messages to the webview: ${messages} in ${SECONDS} s (at most one a second)`,
      `webview JS heap: ${(heapStart / 1e6).toFixed(1)} MB at start, ${(heapEnd / 1e6).toFixed(1)} MB at the end`,
    );
  } finally {
    await Promise.all(ids.map((id) => docker.getContainer(id).remove({ force: true }).catch(() => undefined)));
  }
  return lines;
}

function cliCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

export async function run(): Promise<void> {
  const counts = { passed: 0, failed: 0, failures: [] as string[] };
  try {
    const lines = await bench();
    for (const l of lines) log(l);
    if (process.env.BENCH_RESULTS) fs.writeFileSync(process.env.BENCH_RESULTS, JSON.stringify(lines));
    counts.passed = 1;
  } catch (err) {
    counts.failed = 1;
    counts.failures.push((err as Error).stack ?? String(err));
    console.error(`[bench:stats] failed: ${(err as Error).stack ?? err}`);
  }
  if (process.env.BERTH_TEST_RESULTS) fs.writeFileSync(process.env.BERTH_TEST_RESULTS, JSON.stringify(counts));
  if (counts.failed) throw new Error('the benchmark failed');
}
