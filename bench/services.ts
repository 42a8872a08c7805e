// npm run bench:services: issue 17's figures, on a Swarm test engine of its own.
// A service of idle tasks is scaled from 1 to 30 replicas, in interleaved rounds:
//  - Berth: the scale call through Berth's engine client, then the Services view's state (the
//    SwarmWatcher's stores, which the rows are drawn from) followed until it counts 30/30; the
//    session talks to the engine through a counting proxy, so the requests the follow cost are
//    counted and divided by the task changes they showed;
//  - the CLI: `docker service scale NAME=30` against the same engine, timed to the moment it
//    reports convergence (its progress line "30 out of 30 tasks"), and to its exit, which comes
//    after its own stability wait.
// Scaled back to 1 between rounds (untimed). Ratios printed beside the 1.1x target.
import { execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { createEngineClient, resolveEndpoint } from '../src/engine/index';
import { countReplicas, currentTasks } from '../src/model/swarm/replicas';
import { EngineSession } from '../src/session/engineSession';
import { SwarmWatcher } from '../src/session/swarmWatcher';
import { startSwarmEngine } from '../test/support/swarmEngine';
import { BASE_IMAGE, testLabels, uniqueName } from '../test/support/testEngine';
import { startCountingProxy } from './countingProxy';
import { median } from './stats';

const ROUNDS = Number(process.env.BENCH_SERVICES_ROUNDS ?? 3);
const REPLICAS = 30;
const TARGET_RATIO = 1.1;

function dockerCli(socket: string, args: string[], onLine?: (line: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env: { ...process.env, DOCKER_HOST: `unix://${socket}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    const take = (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split(/\r?\n|\r/);
      buf = lines.pop() ?? '';
      for (const l of lines) onLine?.(l);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (e) => reject(new Error(`the docker CLI could not run: ${e.message}`)));
    child.on('close', (code) => resolve(code ?? -1));
  });
}

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 120_000, state?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${state ? ` (${state()})` : ''}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function main(): Promise<void> {
  await new Promise<void>((resolve, reject) => execFile('docker', ['--version'], (err) => (err ? reject(new Error('bench:services needs the docker CLI for its baseline')) : resolve())));
  const engine = await startSwarmEngine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-services-'));
  const proxy = await startCountingProxy(path.join(dir, 'proxy.sock'), engine.socket);
  const direct = createEngineClient(resolveEndpoint({ setting: `unix://${engine.socket}`, env: {} }));
  const session = new EngineSession({ resolve: () => resolveEndpoint({ setting: `unix://${proxy.socket}`, env: {} }), createClient: createEngineClient, pingTimeoutMs: 5000 });
  const watcher = new SwarmWatcher(session);
  try {
    const swarm = direct.swarm!;
    const name = uniqueName('berth-bench-svc');
    const id = await swarm.createService({ name, image: BASE_IMAGE, replicas: 1, command: ['sleep', '3600'], env: [], ports: [], labels: testLabels(), update: { parallelism: 1, delaySeconds: 0, failureAction: 'pause' }, restart: { condition: 'any' } });
    const settledAt = async (n: number) => until(`${n} running`, async () => {
      const tasks = currentTasks(await swarm.listTasks(id));
      return tasks.length === n && tasks.every((t) => t.state === 'running') && !(await swarm.listTasks(id)).some((t) => t.desiredState === 'shutdown' && t.state === 'running');
    });
    await settledAt(1);
    watcher.setVisible(true);
    session.setLive(true);
    await session.connect();
    await until('the watcher as manager', () => watcher.mode === 'manager');
    const berthMs: number[] = [];
    const cliConvergedMs: number[] = [];
    const cliExitMs: number[] = [];
    const perChange: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Berth: the scale call, then the view's state until it counts 30/30.
      await until('the watcher at 1/1', () => {
        const s = watcher.services.get(id);
        return !!s && countReplicas(s, watcher.tasks.all()).running === 1 && watcher.converging.length === 0;
      });
      const before = proxy.requests.length;
      const t0 = performance.now();
      await session.requireClient().swarm!.updateService(id, { kind: 'scale', replicas: REPLICAS });
      watcher.follow(id);
      await until('30/30 in the view', () => {
        const s = watcher.services.get(id);
        const c = s && countReplicas(s, watcher.tasks.all());
        return !!c && c.running === REPLICAS && c.desired === REPLICAS;
      }, 120_000, () => {
        const s = watcher.services.get(id);
        return JSON.stringify({ replicas: s?.replicas, count: s && countReplicas(s, watcher.tasks.all()), streaming: watcher.streaming, following: watcher.converging, tasks: watcher.tasks.all().length });
      });
      berthMs.push(performance.now() - t0);
      await until('the follow to end', () => !watcher.converging.includes(id));
      // Each new task going to running is a task change the view had to show.
      perChange.push((proxy.requests.length - before) / (REPLICAS - 1));
      await swarm.updateService(id, { kind: 'scale', replicas: 1 });
      await settledAt(1);

      // The CLI, converging the same scale on the same engine.
      const c0 = performance.now();
      let convergedAt: number | undefined;
      const code = await dockerCli(engine.socket, ['service', 'scale', `${name}=${REPLICAS}`], (line) => {
        if (convergedAt === undefined && new RegExp(`${REPLICAS} out of ${REPLICAS} tasks`).test(line)) convergedAt = performance.now();
      });
      const exitMs = performance.now() - c0;
      if (code !== 0) throw new Error(`docker service scale exited with ${code}`);
      cliExitMs.push(exitMs);
      cliConvergedMs.push((convergedAt ?? performance.now()) - c0);
      await swarm.updateService(id, { kind: 'scale', replicas: 1 });
      await settledAt(1);
      console.log(`round ${round + 1}: Berth ${berthMs[round].toFixed(0)} ms, CLI converged ${cliConvergedMs[round].toFixed(0)} ms (exit ${exitMs.toFixed(0)} ms), ${perChange[round].toFixed(2)} requests per task change`);
    }
    const b = median(berthMs);
    const c = median(cliConvergedMs);
    console.log(`\nscale 1 -> ${REPLICAS}, median of ${ROUNDS} interleaved rounds on a one-node Swarm test engine:`);
    console.log(`  Berth, scale call to the view showing ${REPLICAS}/${REPLICAS}: ${b.toFixed(0)} ms`);
    console.log(`  docker service scale, to its "${REPLICAS} out of ${REPLICAS} tasks": ${c.toFixed(0)} ms (exit after its stability wait: ${median(cliExitMs).toFixed(0)} ms)`);
    console.log(`  ratio Berth / CLI: ${(b / c).toFixed(2)}x (target <= ${TARGET_RATIO}x) ${b / c <= TARGET_RATIO ? 'met' : 'NOT met'}`);
    console.log(`  engine requests per task change while following: ${median(perChange).toFixed(2)} (the task list every 200 ms, the service only when its tasks disagree with it, until converged for 5 s; the event stream; the inspect each service event costs)`);
    await swarm.removeService(id);
  } finally {
    watcher.dispose();
    session.dispose();
    direct.dispose();
    await proxy.close();
    await engine.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
