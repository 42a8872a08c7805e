// CLI: node out/test/support/runLayer.js <unit|engine> [--counts file.json]
import * as fs from 'fs';
import * as path from 'path';
import { runMocha } from './runMocha';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(p));
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

async function main(): Promise<void> {
  const layer = process.argv[2];
  if (layer !== 'unit' && layer !== 'engine') throw new Error('usage: runLayer <unit|engine> [--counts file]');
  const countsIdx = process.argv.indexOf('--counts');
  const files = findTests(path.join(__dirname, '..', layer));
  const counts = await runMocha(files, { timeout: layer === 'engine' ? 60_000 : 5_000, slow: layer === 'engine' ? 2000 : 75 });
  if (countsIdx > 0) fs.writeFileSync(process.argv[countsIdx + 1], JSON.stringify(counts));
  process.exitCode = counts.failed || counts.passed === 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
