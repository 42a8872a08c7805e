// npm run bench:language: issue 27's figures for help while typing, on a 300-service Compose file.
// 1. Completion: the cursor on a new key line inside a service (cursorContext + the schema's keys),
//    and in `links: [` (the services' names the last check read): median, p95 and max against 50 ms.
// 2. Diagnostics: from the last keystroke, the editor's debounce (COMPOSE_CHECK_DELAY_MS) plus what
//    ComposeFeatures.check runs: the project read with the unsaved text, the undefined services
//    from its data, and Up's port check against this machine (600 host ports
//    bound for real): against 200 ms.
// 3. The event loop while typing: 40 keystrokes 60 ms apart, each scheduling the debounced check as
//    the editor does, measured with perf_hooks' monitorEventLoopDelay: the longest block against 50 ms.
// The model functions are the ones the editor calls (src/ui/language/composeFeatures.ts), in the
// same order, without VS Code.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import type { ComposeFs } from '../src/model/compose/discovery';
import { cursorContext, keysAt, undefinedServiceNames } from '../src/model/compose/language';
import { loadComposeProject } from '../src/model/compose/project';
import { upPortConflicts } from '../src/model/compose/upPorts';
import { hostPortFree } from '../src/model/hostPorts';
import { median, percentile } from './stats';

const SERVICES = 300;
const ROUNDS = Number(process.env.BENCH_LANGUAGE_ROUNDS ?? 30);
const COMPLETION_MS = 50;
const DIAGNOSTICS_MS = 200;
const BLOCK_MS = 50;
/** As src/ui/language/composeFeatures.ts (kept equal by hand: that file imports vscode). */
const COMPOSE_CHECK_DELAY_MS = 100;

function generate(n: number): string {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  svc${i}:`,
      `    image: registry.example/app/svc${i}:\${TAG:-latest}`,
      '    restart: unless-stopped',
      `    ports: ["127.0.0.1:${40000 + i}:80", "127.0.0.1:${41000 + i}:443"]`,
      '    environment:',
      `      NAME: svc${i}`,
      '      DB_URL: postgres://db:5432/${DB_NAME:-app}',
      `    volumes: ["data${i}:/data", "./conf/svc${i}:/etc/app:ro"]`,
      '    networks: [front, back]',
      ...(i > 0 ? ['    depends_on:', `      svc${i - 1}:`, '        condition: service_started'] : []),
      ...(i > 1 ? [`    links: ["svc${i - 2}"]`] : []),
      '    healthcheck: {test: ["CMD", "true"], interval: 10s}',
    );
  }
  lines.push('networks: {front: {}, back: {}}', 'volumes:');
  for (let i = 0; i < n; i++) lines.push(`  data${i}: {}`);
  return `${lines.join('\n')}\n`;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

function figure(name: string, samples: number[], target: number): void {
  const max = Math.max(...samples);
  console.log(`  ${name}: median ${fmt(median(samples))}, p95 ${fmt(percentile(samples, 95))}, max ${fmt(max)} (target <= ${target} ms): ${percentile(samples, 95) <= target ? 'PASS' : 'MISS'}`);
}

/** A new key line typed in the middle of service `i`: the text and the cursor. */
function typed(text: string, i: number, word: string): { text: string; line: number; character: number } {
  const lines = text.split('\n');
  const at = lines.indexOf(`  svc${i}:`) + 2;
  lines.splice(at, 0, `    ${word}`);
  return { text: lines.join('\n'), line: at, character: 4 + word.length };
}

/** What ComposeFeatures.check computes, in the same order. */
async function check(dir: string, file: string, text: string): Promise<number> {
  const fsOverlay: ComposeFs = {
    readFile: async (f) => (f === file ? text : fs.promises.readFile(f, 'utf8').catch(() => undefined)),
    stat: async (f) => (f === file ? 'file' : fs.promises.stat(f).then((s) => (s.isDirectory() ? 'directory' : 'file'), () => undefined)),
  };
  const project = await loadComposeProject({ folder: dir, environment: {}, fs: fsOverlay });
  const undefinedOnes = undefinedServiceNames(project.parsedFiles ?? []);
  const conflicts = await upPortConflicts({ project: project.name, services: project.services, published: new Map(), hostFree: hostPortFree });
  return project.problems.length + undefinedOnes.length + conflicts.length;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-language-'));
  const file = path.join(dir, 'compose.yaml');
  const text = generate(SERVICES);
  fs.writeFileSync(file, text);
  console.log(`Help while typing, ${SERVICES} services (${(text.length / 1024).toFixed(0)} KB, ${text.split('\n').length} lines), ${ROUNDS} rounds, node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
  try {
    // Warm-up: the schema's first walk and the parsers' first run are not typing.
    await check(dir, file, text);
    const lastData = (await loadComposeProject({ folder: dir, environment: {} })).parsedFiles![0].data!;

    const keyCompletion: number[] = [];
    const nameCompletion: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const k = typed(text, (r * 37) % SERVICES, 'stop_gr');
      let start = performance.now();
      const ctx = cursorContext(k.text, k.line, k.character)!;
      const keys = keysAt(ctx.path).filter((x) => !ctx.siblings.includes(x.key));
      keyCompletion.push(performance.now() - start);
      if (!keys.some((x) => x.key === 'stop_grace_period') || keys.some((x) => x.key === 'restart')) throw new Error('completion read the wrong mapping');
      const n = typed(text, (r * 53) % SERVICES, 'links: [svc');
      start = performance.now();
      const c = cursorContext(n.text, n.line, n.character);
      // The editor offers the names the project had at its last check (a line being typed is not YAML yet).
      const names = Object.keys(lastData.services as Record<string, unknown>);
      nameCompletion.push(performance.now() - start);
      if (names.length !== SERVICES || !c) throw new Error('names completion read the wrong file');
    }
    console.log('Completion');
    figure('a key in a service', keyCompletion, COMPLETION_MS);
    figure('a service name', nameCompletion, COMPLETION_MS);

    const diagnostics: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const k = typed(text, (r * 41) % SERVICES, `foo${r}: 1`);
      const lastKey = performance.now();
      await new Promise((res) => setTimeout(res, COMPOSE_CHECK_DELAY_MS));
      const found = await check(dir, file, k.text);
      diagnostics.push(performance.now() - lastKey);
      if (found < 1) throw new Error('the typed unknown key was not reported');
    }
    console.log('Diagnostics after the last keystroke');
    figure(`debounce ${COMPOSE_CHECK_DELAY_MS} ms + project read, undefined services, ports`, diagnostics, DIAGNOSTICS_MS);

    const loop = monitorEventLoopDelay({ resolution: 1 });
    let current = text;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const running: Promise<unknown>[] = [];
    loop.enable();
    for (let i = 0; i < 40; i++) {
      const k = typed(current, 150, 'x'.repeat(i + 1));
      current = k.text.replace(`    ${'x'.repeat(i + 1)}\n`, '');
      const snapshot = k.text;
      const ctx = cursorContext(snapshot, k.line, k.character);
      if (ctx) keysAt(ctx.path);
      clearTimeout(timer);
      timer = setTimeout(() => running.push(check(dir, file, snapshot)), COMPOSE_CHECK_DELAY_MS);
      await new Promise((res) => setTimeout(res, 60));
    }
    await new Promise((res) => setTimeout(res, COMPOSE_CHECK_DELAY_MS + 20));
    await Promise.all(running);
    loop.disable();
    const longest = loop.max / 1e6;
    console.log('Event loop while typing (40 keystrokes, 60 ms apart)');
    console.log(`  longest block ${fmt(longest)}, mean delay ${fmt(loop.mean / 1e6)} (target <= ${BLOCK_MS} ms): ${longest <= BLOCK_MS ? 'PASS' : 'MISS'}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
