// npm run bench, issue 14's "load without drift" at full size: the workbench test
// test/vscode/suite/drift.test.ts on 1,000 containers with 60 s of churn at about 50 operations a
// second, on a dockerd of its own. Its bridge is a /20: about 500 containers run at once and a /24
// holds 254; the subnet is apart from the tests' and the main bench's engines. The test prints the
// figures (largest event -> row lag, engine requests per event, the extension host's heap at start
// and end) and fails only when a tree drifts from the engine.
// BENCH_DRIFT_CONTAINERS and BENCH_DRIFT_SECONDS change the size.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runInWorkbench } from '../test/vscode/launch/runInWorkbench';
import { repoRoot } from '../test/vscode/launch/workbench';
import { startBenchEngine } from './engine';

const CONTAINERS = process.env.BENCH_DRIFT_CONTAINERS ?? '1000';
const SECONDS = process.env.BENCH_DRIFT_SECONDS ?? '60';

async function main(): Promise<void> {
  const engine = await startBenchEngine(process.env.BENCH_DRIFT_BRIDGE_CIDR ?? '198.19.0.1/20');
  process.once('SIGINT', () => void engine.stop().finally(() => process.exit(130)));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-drift-'));
  try {
    fs.writeFileSync(path.join(work, 'README.md'), '# Berth drift benchmark workspace\n');
    console.log(`drift benchmark: ${CONTAINERS} containers, ${SECONDS} s of churn, on its own dockerd`);
    const counts = await runInWorkbench({
      label: 'bench drift',
      folder: work,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'vscode', 'suite', 'index.js'),
      settings: { 'berth.engine.host': `unix://${engine.socket}` },
      env: {
        // Berth and the test's own client both talk to this engine only.
        DOCKER_HOST: `unix://${engine.socket}`,
        BERTH_TEST_SOCKET: engine.socket,
        BERTH_TEST_GREP: '^load without drift',
        BERTH_DRIFT_CONTAINERS: CONTAINERS,
        BERTH_DRIFT_SECONDS: SECONDS,
      },
      timeoutMs: 30 * 60_000,
    });
    if (counts.failed || !counts.passed) throw new Error(`the drift benchmark failed: ${counts.failures.join('\n')}`);
  } finally {
    await engine.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
