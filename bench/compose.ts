// npm run bench:compose: issue 15's figures.
// 1. Parses, interpolates and validates a generated 300-service compose file (the path the Compose
//    view takes on every file change: js-yaml's fast read, positions on demand) and prints the median
//    beside the 50 ms target, with yaml's parseDocument alone and the fully positioned yaml path
//    measured in the same rounds. The schema's one-off compile is printed on its own line.
// 2. Up of a 10-service project: Berth's route (read the project, build the invocation, run the
//    program as the Compose terminal does, through the same startComposeProcess) against the same
//    docker-compose run directly as from a terminal, interleaved in one run, down between rounds.
// 3. A 20-replica scale-up followed by a live session through a counting proxy: requests per
//    replica event, and how long after the last replica's start event the rows show all 20.
// BENCH_COMPOSE_ENGINE=0 runs the parse figure only.
import { execFile } from 'child_process';
import Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { LineCounter, parseDocument } from 'yaml';
import type { Endpoint } from '../src/contract/endpoint';
import { createEngineClient, resolveEndpoint } from '../src/engine/index';
import { composeEnvironment, composeInvocation, detectComposeProgram, type ComposeInvocation, type ComposeProgram, type Exec } from '../src/model/compose/program';
import { buildProject, loadComposeProject } from '../src/model/compose/project';
import { readComposeYamlFast } from '../src/model/compose/fastRead';
import { parseComposeFile, parseComposeFileFast, parseComposeFileWithPositions } from '../src/model/compose/parse';
import { composeRows } from '../src/model/composeTree';
import { EngineSession } from '../src/session/engineSession';
import { startComposeProcess } from '../src/terminals/composeProcess';
import { BASE_IMAGE, cleanupTestResources, ensureBaseImage, testLabels, uniqueName } from '../test/support/testEngine';
import { startCountingProxy } from './countingProxy';
import { percentile, median } from './stats';

const SERVICES = 300;
const ROUNDS = Number(process.env.BENCH_COMPOSE_ROUNDS ?? 30);
const TARGET_MS = 50;

function generate(n: number): string {
  const lines = ['x-common: &common', '  restart: unless-stopped', '  logging: {driver: json-file}', 'services:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  svc${i}:`,
      '    <<: *common',
      `    image: registry.example/app/svc${i}:\${TAG:-latest}`,
      ...(i % 3 === 0 ? [`    build: {context: ./svc${i}, args: {VERSION: "\${VERSION}"}}`] : []),
      `    ports: ["127.0.0.1:\${HOST_IP_PORT_BASE:-2}${String(i).padStart(4, '0')}:80", "${30000 + i}:443"]`,
      '    environment:',
      `      NAME: svc${i}`,
      '      DB_URL: postgres://db:5432/${DB_NAME:-app}',
      '      SECRET: $${NOT_INTERPOLATED}',
      `    volumes: ["data${i}:/data", "./conf/svc${i}:/etc/app:ro"]`,
      '    networks: [front, back]',
      ...(i % 10 === 0 ? ['    profiles: [extra]', '    deploy: {replicas: 2}'] : []),
      '    healthcheck: {test: ["CMD", "true"], interval: 10s}',
    );
  }
  lines.push('networks: {front: {}, back: {}}', 'volumes:');
  for (let i = 0; i < n; i++) lines.push(`  data${i}: {}`);
  return `${lines.join('\n')}\n`;
}

function parseFigure(): void {
  const text = generate(SERVICES);
  const vars = new Map([['TAG', '1.2'], ['VERSION', '3']]);
  const once = () => {
    const parsed = parseComposeFile('/bench/compose.yaml', text, (n) => vars.get(n));
    const project = buildProject('/bench', ['/bench/compose.yaml'], undefined, [], undefined, vars, [parsed], [...parsed.problems]);
    if (project.problems.length) throw new Error(`generated file has problems: ${JSON.stringify(project.problems.slice(0, 3))}`);
    if (project.services.length !== SERVICES) throw new Error(`expected ${SERVICES} services, got ${project.services.length}`);
  };
  const t0 = performance.now();
  once();
  const firstMs = performance.now() - t0;
  const samples: number[] = [];
  // Baseline in the same rounds: the yaml library's parse alone, with the options Berth's takes.
  const library: number[] = [];
  // The path a file with a problem takes: the yaml library with every position.
  const positioned: number[] = [];
  // The fast path's YAML read alone: js-yaml's events, the give-way scan and the data.
  const jsYaml: number[] = [];
  if (!parseComposeFileFast('/bench/compose.yaml', text, (n) => vars.get(n))) throw new Error('the fast read (js-yaml) gave way on the generated file');
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    once();
    samples.push(performance.now() - t);
    const l = performance.now();
    parseDocument(text, { lineCounter: new LineCounter(), merge: true, prettyErrors: false, uniqueKeys: true });
    library.push(performance.now() - l);
    const w = performance.now();
    parseComposeFileWithPositions('/bench/compose.yaml', text, (n) => vars.get(n));
    positioned.push(performance.now() - w);
    const j = performance.now();
    readComposeYamlFast(text);
    jsYaml.push(performance.now() - j);
  }
  const m = median(samples);
  console.log(`compose: ${SERVICES}-service file (${(text.length / 1024).toFixed(0)} KiB), parse + interpolate + validate + model, ${ROUNDS} rounds`);
  console.log(`  median ${m.toFixed(1)} ms, p90 ${percentile(samples, 90).toFixed(1)} ms (target <= ${TARGET_MS} ms): ${m <= TARGET_MS ? 'PASS' : 'MISS'}`);
  console.log(`  baseline in the same rounds, yaml's parseDocument alone: median ${median(library).toFixed(1)} ms (Berth's path ${(m / median(library)).toFixed(2)}× it)`);
  console.log(`  the yaml path with every position (a file with a problem takes it): median ${median(positioned).toFixed(1)} ms`);
  console.log(`  of Berth's path, js-yaml's read (events, give-way scan, data): median ${median(jsYaml).toFixed(1)} ms`);
  console.log(`  first parse, schema compile included: ${firstMs.toFixed(0)} ms (once per extension host)`);
}

const SOCKET = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';
const endpoint: Endpoint = { kind: 'unix', socketPath: SOCKET, source: 'setting', url: `unix://${SOCKET}` };

const exec: Exec = (file, args) =>
  new Promise((resolve, reject) =>
    execFile(file, [...args], (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') reject(err);
      else resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    }),
  );

function runQuiet(inv: ComposeInvocation): Promise<void> {
  return new Promise((resolve, reject) => execFile(inv.file, inv.args, { cwd: inv.cwd, env: inv.env }, (err, _o, stderr) => (err ? reject(new Error(`${inv.args.join(' ')}: ${stderr}`)) : resolve())));
}

function projectFolder(services: Record<string, string[]>): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-compose-')), 'app');
  fs.mkdirSync(dir);
  const labels = Object.entries(testLabels()).map(([k, v]) => `      ${k}: "${v}"`);
  const lines = ['services:'];
  for (const [name, extra] of Object.entries(services))
    lines.push(`  ${name}:`, `    image: ${BASE_IMAGE}`, '    command: ["sleep", "3600"]', '    stop_grace_period: 1s', '    labels:', ...labels, ...extra);
  lines.push('networks:', '  default:', '    labels:', ...labels, '');
  fs.writeFileSync(path.join(dir, 'docker-compose.yml'), lines.join('\n'));
  return dir;
}

/** Berth's Up against the same program from a terminal, alternating which goes first. */
async function upFigure(program: ComposeProgram): Promise<void> {
  const rounds = Number(process.env.BENCH_COMPOSE_UP_ROUNDS ?? 3);
  if (!rounds) return;
  const dir = projectFolder(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`svc${i}`, []])));
  const name = uniqueName('berth-bench-up');
  const env = composeEnvironment(process.env, { endpoint }, program);
  const target = { name, folder: dir, files: [path.join(dir, 'docker-compose.yml')], profiles: [] };
  const down = () => runQuiet(composeInvocation(program, target, { verb: 'down' }, env));
  const berth = async () => {
    const t = performance.now();
    const project = await loadComposeProject({ folder: dir, environment: process.env });
    const inv = composeInvocation(program, { name, folder: project.folder, files: project.files, envFile: project.envFile, profiles: project.activeProfiles }, { verb: 'up' }, env);
    const code = await startComposeProcess(inv, () => undefined).done;
    if (code !== 0) throw new Error(`Berth's up exited with ${code}`);
    return performance.now() - t;
  };
  const direct = async () => {
    const t = performance.now();
    // As typed in a terminal in the project folder: the program, -p and up -d.
    await new Promise<void>((resolve, reject) =>
      execFile(program.command[0], [...program.command.slice(1), '-p', name, 'up', '-d'], { cwd: dir, env: { ...process.env, DOCKER_HOST: `unix://${SOCKET}` } }, (err, _o, stderr) => (err ? reject(new Error(stderr)) : resolve())),
    );
    return performance.now() - t;
  };
  const b: number[] = [];
  const d: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      for (const [route, out] of (i % 2 ? [[direct, d], [berth, b]] : [[berth, b], [direct, d]]) as [() => Promise<number>, number[]][]) {
        out.push(await route());
        await down();
      }
    }
  } finally {
    await down().catch(() => undefined);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
  const ratio = median(b) / median(d);
  console.log(`compose: Up of a 10-service project with ${program.command.join(' ')} ${program.version ?? ''}, ${rounds} rounds each, interleaved`);
  console.log(`  Berth median ${(median(b) / 1000).toFixed(2)} s [${b.map((x) => (x / 1000).toFixed(2)).join(', ')}], terminal median ${(median(d) / 1000).toFixed(2)} s [${d.map((x) => (x / 1000).toFixed(2)).join(', ')}]`);
  console.log(`  ratio ${ratio.toFixed(3)} (target <= 1.05): ${ratio <= 1.05 ? 'PASS' : 'MISS'}`);
}

/** 20 replicas started by Compose while a live session follows them through a counting proxy. */
async function scaleFigure(program: ComposeProgram, docker: Docker): Promise<void> {
  const replicas = 20;
  const dir = projectFolder({ r: [] });
  const name = uniqueName('berth-bench-scale');
  const env = composeEnvironment(process.env, { endpoint }, program);
  const target = { name, folder: dir, files: [path.join(dir, 'docker-compose.yml')], profiles: [] };
  const proxy = await startCountingProxy(path.join(path.dirname(dir), 'proxy.sock'), SOCKET);
  const session = new EngineSession({ resolve: () => resolveEndpoint({ setting: `unix://${proxy.socket}`, env: {} }), createClient: createEngineClient, pingTimeoutMs: 5000 });
  // The engine's own record of the replicas' events, on a stream of its own (not through the proxy).
  const starts: number[] = [];
  let events = 0;
  const stream = (await docker.getEvents({ filters: JSON.stringify({ type: ['container'], label: [`com.docker.compose.project=${name}`] }) })) as NodeJS.ReadableStream & { destroy(): void };
  // Network connects name the replica too, and Berth reads them (a container's networks change).
  const replicaIds = new Set<string>();
  let connects = 0;
  const netStream = (await docker.getEvents({ filters: JSON.stringify({ type: ['network'], event: ['connect'] }) })) as NodeJS.ReadableStream & { destroy(): void };
  let netBuffered = '';
  const pendingConnects: string[] = [];
  netStream.on('data', (chunk: Buffer) => {
    netBuffered += chunk.toString();
    let nl: number;
    while ((nl = netBuffered.indexOf('\n')) >= 0) {
      const line = netBuffered.slice(0, nl);
      netBuffered = netBuffered.slice(nl + 1);
      if (line.trim()) pendingConnects.push((JSON.parse(line) as { Actor: { Attributes: Record<string, string> } }).Actor.Attributes.container);
    }
  });
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (!line.trim()) continue;
      const e = JSON.parse(line) as { Action: string; id: string };
      replicaIds.add(e.id);
      events++;
      if (e.Action === 'start') starts.push(performance.now());
    }
  });
  try {
    // Live from the start: connect lists once and opens the event stream, no resync later.
    session.setLive(true);
    await session.connect();
    // Counting starts once the session is quiet (its list and stream opened).
    for (let n = -1; n !== proxy.requests.length; ) {
      n = proxy.requests.length;
      await new Promise((r) => setTimeout(r, 500));
    }
    let shownAt: number | undefined;
    const shown = new Promise<void>((resolve) => {
      const sub = session.containers.onDidChange(() => {
        const svc = composeRows([], session.containers.all()).find((p) => p.name === name)?.services[0];
        if (svc && svc.running === replicas && shownAt === undefined) {
          shownAt = performance.now();
          sub.dispose();
          resolve();
        }
      });
    });
    const before = proxy.requests.length;
    const t0 = performance.now();
    await runQuiet(composeInvocation(program, target, { verb: 'up', scale: { r: replicas } }, env));
    const upMs = performance.now() - t0;
    await Promise.race([shown, new Promise((_, reject) => setTimeout(() => reject(new Error('the rows never showed 20 running replicas')), 60_000))]);
    // Requests the session sent for the scale, the long-lived /events stream aside.
    const sent = proxy.requests.slice(before).filter((r) => !r.path.startsWith('/events') && !/\/v[\d.]+\/events/.test(r.path)).length;
    connects = pendingConnects.filter((id) => replicaIds.has(id)).length;
    const perEvent = sent / (events + connects);
    const perContainerEvent = sent / events;
    if (process.env.BENCH_COMPOSE_VERBOSE) {
      const kinds = new Map<string, number>();
      for (const r of proxy.requests.slice(before)) {
        const k = `${r.method} ${r.path.replace(/\/v[\d.]+/, '').replace(/[0-9a-f]{64}/, '<id>').replace(/\?.*/, '')}`;
        kinds.set(k, (kinds.get(k) ?? 0) + 1);
      }
      console.log([...kinds].map(([k, n]) => `    ${n} × ${k}`).join('\n'));
    }
    const lag = (shownAt as number) - Math.max(...starts);
    console.log(`compose: scale-up to ${replicas} replicas (${(upMs / 1000).toFixed(1)} s of docker-compose), live session through a counting proxy`);
    console.log(`  ${sent} requests for ${events + connects} replica events (${events} container events, ${starts.length} of them starts, and ${connects} network connects): ${perEvent.toFixed(2)} per event (target <= 2): ${perEvent <= 2 ? 'PASS' : 'MISS'}; ${perContainerEvent.toFixed(2)} per container event`);
    console.log(`  all ${replicas} shown ${lag.toFixed(0)} ms after the last start event (target <= 200 ms): ${lag <= 200 ? 'PASS' : 'MISS'}`);
  } finally {
    stream.destroy();
    netStream.destroy();
    session.dispose();
    await runQuiet(composeInvocation(program, target, { verb: 'down' }, env)).catch(() => undefined);
    await proxy.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  parseFigure();
  if (process.env.BENCH_COMPOSE_ENGINE === '0') return;
  const program = await detectComposeProgram(exec);
  if (!program) throw new Error('no Compose program found: bash scripts/setup.sh --tests installs docker-compose');
  const docker = new Docker({ socketPath: SOCKET });
  await ensureBaseImage(docker);
  try {
    await upFigure(program);
    await scaleFigure(program, docker);
  } finally {
    await cleanupTestResources(docker);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
