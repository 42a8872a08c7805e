// Tests module for a workbench in Restricted Mode (main.ts 'restricted' mode): a short suite, since each
// run costs a workbench start.
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
  if (counts.failed > 0) throw new Error(`${counts.failed} Restricted Mode vscode test(s) failed`);
}
