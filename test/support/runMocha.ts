// Runs a set of mocha test files and reports the counts, for the unit and engine layers and
// inside the extension host. The caller decides what to do with the counts.
import Mocha from 'mocha';

export interface Counts {
  passed: number;
  failed: number;
  failures: string[];
}

export function runMocha(files: string[], options: Mocha.MochaOptions = {}): Promise<Counts> {
  // BERTH_TEST_GREP runs a subset while developing (npm test always runs everything).
  const grep = process.env.BERTH_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: true, ...(grep ? { grep } : {}), ...options });
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve) => {
    const counts: Counts = { passed: 0, failed: 0, failures: [] };
    const runner = mocha.run(() => resolve(counts));
    runner.on('pass', () => counts.passed++);
    runner.on('fail', (test, err) => {
      counts.failed++;
      counts.failures.push(`${test.fullTitle()}: ${(err as Error)?.message}`);
    });
  });
}
