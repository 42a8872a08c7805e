// npm run test:electron: the same vscode suite under @vscode/test-electron, for machines where a
// desktop VS Code can be downloaded or is installed (set VSCODE_EXECUTABLE to use an installed one).
// Without the web launcher there is no page bridge, so checks on the workbench page are left out
// there and the suite asserts through the providers and commands only.
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { startEmptyEngine } from '../../support/emptyEngine';
import { startSwarmEngine } from '../../support/swarmEngine';
import { repoRoot } from './workbench';

async function main(): Promise<void> {
  const empty = await startEmptyEngine();
  const swarm = await startSwarmEngine({ worker: true }).catch(async (err) => {
    await empty.stop();
    throw err;
  });
  try {
    await runTests({
    extensionTestsEnv: { BERTH_EMPTY_ENGINE: `unix://${empty.socket}`, BERTH_SWARM_ENGINE: `unix://${swarm.socket}`, ...(swarm.workerSocket ? { BERTH_SWARM_WORKER: `unix://${swarm.workerSocket}` } : {}) },
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
    version: process.env.VSCODE_EXECUTABLE ? undefined : '1.90.0',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'vscode', 'suite', 'index.js'),
    launchArgs: [path.join(repoRoot, 'test', 'vscode', 'probe'), '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    await empty.stop();
    await swarm.stop();
  }
}

main().catch((err) => {
  console.error(`test:electron failed: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
});
