// npm run test:vscode: runs the vscode suites in the web workbench.
//   dev  - Berth loaded from this folder (dist/extension.js)
//   vsix - Berth installed from dist/berth.vsix
//   fr   - Berth loaded from this folder in a French workbench (a short suite of its own)
//   restricted - Berth loaded from this folder in Restricted Mode (a folder not trusted; a short suite)
// Usage: node out/test/vscode/launch/main.js [dev|vsix|fr|restricted|all] [--counts file.json]
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Counts } from '../../support/runMocha';
import { runInWorkbench } from './runInWorkbench';
import { repoRoot, serverInstall } from './workbench';

const outTests = path.join(repoRoot, 'out', 'test', 'vscode');

function workspaceFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-workspace-'));
  fs.writeFileSync(path.join(dir, 'README.md'), '# A workspace for Berth tests\n');
  return dir;
}

async function runDev(): Promise<Counts> {
  const folder = workspaceFolder();
  try {
    return await runInWorkbench({
      label: 'vscode (dev)',
      emptyEngine: true,
      swarmEngine: true,
      folder,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(outTests, 'suite', 'index.js'),
    });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function runFrench(): Promise<Counts> {
  const folder = workspaceFolder();
  try {
    return await runInWorkbench({
      label: 'vscode (fr)',
      language: 'fr',
      folder,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(outTests, 'frSuite', 'index.js'),
    });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function runRestricted(): Promise<Counts> {
  const folder = workspaceFolder();
  try {
    return await runInWorkbench({
      label: 'vscode (restricted)',
      // Trust on, and no startup question: the folder opens in Restricted Mode.
      settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
      folder,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(outTests, 'restrictedSuite', 'index.js'),
    });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function runPalette(): Promise<Counts> {
  const folder = workspaceFolder();
  try {
    return await runInWorkbench({
      label: 'vscode (palette)',
      folder,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(outTests, 'paletteSuite', 'index.js'),
    });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function runVsix(): Promise<Counts> {
  const vsix = path.join(repoRoot, 'dist', 'berth.vsix');
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} does not exist: run npm run package first`);
  const install = serverInstall();
  const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vsix-ext-'));
  const folder = workspaceFolder();
  try {
    execFileSync(install.node, [install.serverMain, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--accept-server-license-terms'], { stdio: 'pipe' });
    if (!fs.readdirSync(extensionsDir).some((d) => d.startsWith('berth.berth-'))) throw new Error(`installing ${vsix} left no berth.berth-* folder in ${extensionsDir}`);
    return await runInWorkbench({
      label: 'vscode (vsix)',
      folder,
      extensionsDir,
      extensionDevelopmentPath: path.join(repoRoot, 'test', 'vscode', 'probe'),
      extensionTestsPath: path.join(outTests, 'vsixSuite', 'index.js'),
    });
  } finally {
    fs.rmSync(extensionsDir, { recursive: true, force: true });
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const mode = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'dev';
  const countsIdx = process.argv.indexOf('--counts');
  const total: Counts = { passed: 0, failed: 0, failures: [] };
  const add = (c: Counts) => {
    total.passed += c.passed;
    total.failed += c.failed;
    total.failures.push(...c.failures);
  };
  if (mode === 'dev' || mode === 'all') add(await runDev());
  if (mode === 'vsix' || mode === 'all') add(await runVsix());
  if (mode === 'fr' || mode === 'all') add(await runFrench());
  if (mode === 'restricted' || mode === 'all') add(await runRestricted());
  if (mode === 'palette' || mode === 'all') add(await runPalette());
  if (countsIdx > 0) fs.writeFileSync(process.argv[countsIdx + 1], JSON.stringify(total));
  console.log(`vscode layer: ${total.passed} passed, ${total.failed} failed`);
  for (const f of total.failures) console.log(`  FAILED ${f}`);
  process.exitCode = total.failed || total.passed === 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
