// npm run bench:stats (issue 16): 50 running containers in the Resource Usage panel for 60 s on a
// dockerd of its own, beside `docker stats` doing the same job in the same run. The figures are
// printed by the extension-host half (bench/workbench/usage.ts) and repeated here.
// BENCH_USAGE_CONTAINERS and BENCH_USAGE_SECONDS change the size.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runInWorkbench } from '../test/vscode/launch/runInWorkbench';
import { repoRoot } from '../test/vscode/launch/workbench';
import { startBenchEngine } from './engine';

async function main(): Promise<void> {
  const engine = await startBenchEngine(process.env.BENCH_USAGE_BRIDGE_CIDR ?? '198.19.16.1/24');
  process.once('SIGINT', () => void engine.stop().finally(() => process.exit(130)));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-usage-'));
  const results = path.join(work, 'results.json');
  try {
    fs.writeFileSync(path.join(work, 'README.md'), '# Berth resource usage benchmark workspace\n');
    const counts = await runInWorkbench({
      label: 'bench stats',
      folder: work,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'bench', 'workbench', 'usage.js'),
      settings: { 'berth.engine.host': `unix://${engine.socket}` },
      env: {
        DOCKER_HOST: `unix://${engine.socket}`,
        BENCH_SOCKET: engine.socket,
        BERTH_TEST_SOCKET: engine.socket,
        BENCH_RESULTS: results,
        BENCH_USAGE_CONTAINERS: process.env.BENCH_USAGE_CONTAINERS ?? '50',
        BENCH_USAGE_SECONDS: process.env.BENCH_USAGE_SECONDS ?? '60',
      },
      timeoutMs: 20 * 60_000,
    });
    if (counts.failed || !counts.passed) throw new Error(`the stats benchmark failed: ${counts.failures.join('\n')}`);
    console.log('\nResource usage (issue 16)');
    for (const line of JSON.parse(fs.readFileSync(results, 'utf8')) as string[]) console.log(`  ${line}`);
  } finally {
    await engine.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
