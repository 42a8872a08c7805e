// Tests module for the palette workbench (main.ts 'palette' mode). It runs every palette command,
// so it leaves the views as a user who tried everything would (dangling images hidden, terminals,
// remembered choices): a workbench of its own keeps that away from the other suites.
import * as fs from 'fs';
import * as path from 'path';
import { runMocha } from '../../support/runMocha';

export async function run(): Promise<void> {
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(__dirname, f));
  const counts = await runMocha(files, { timeout: 60_000, slow: 3000, color: false });
  if (process.env.BERTH_TEST_RESULTS) fs.writeFileSync(process.env.BERTH_TEST_RESULTS, JSON.stringify(counts));
  if (counts.failed > 0) throw new Error(`${counts.failed} palette vscode test(s) failed`);
}
