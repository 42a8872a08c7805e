// Runs in an extension host where Berth was installed from dist/berth.vsix, not loaded from source.
import * as fs from 'fs';
import * as path from 'path';
import { runMocha } from '../../support/runMocha';

export async function run(): Promise<void> {
  const counts = await runMocha([path.join(__dirname, 'installed.test.js')], { timeout: 60_000, color: false });
  if (process.env.BERTH_TEST_RESULTS) fs.writeFileSync(process.env.BERTH_TEST_RESULTS, JSON.stringify(counts));
  if (counts.failed > 0) throw new Error(`${counts.failed} vsix test(s) failed`);
}
