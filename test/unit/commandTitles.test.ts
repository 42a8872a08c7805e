import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..', '..');
const read = (p: string) => JSON.parse(fs.readFileSync(path.join(root, p), 'utf8'));

/**
 * Whether the command palette finds `title` for `query`, the way it matches words: each typed word
 * starts a word of the title, in order, words may be skipped (VS Code's matchesWords).
 */
function paletteFinds(query: string, title: string): boolean {
  const words = title.toLowerCase().split(/[\s:…]+/).filter(Boolean);
  let i = 0;
  for (const q of query.toLowerCase().split(/\s+/)) {
    while (i < words.length && !words[i].startsWith(q)) i++;
    if (i++ >= words.length) return false;
  }
  return true;
}

describe('command titles', () => {
  const pkg = read('package.json');
  const en = read('package.nls.json') as Record<string, string>;
  const titles = (pkg.contributes.commands as { command: string; title: string }[]).map((c) => ({ id: c.command, title: `Berth: ${en[c.title.replace(/%/g, '')] ?? c.title}` }));

  // What users type for each command, and the command they mean.
  const typed: [string, string][] = [
    ['Run Image', 'berth.images.run'],
    ['Run', 'berth.images.run'],
    ['Run Again', 'berth.images.runAgain'],
    ['Build Image', 'berth.images.build'],
    ['View Logs', 'berth.containers.viewLogs'],
    ['Container Logs', 'berth.containers.viewLogs'],
    ['Compose Logs', 'berth.containers.composeLogs'],
    ['Save Logs', 'berth.containers.saveLogs'],
    ['Attach Shell', 'berth.containers.attachShell'],
    ['Remove Container', 'berth.containers.remove'],
    ['Stop Container', 'berth.containers.stop'],
    ['Restart Container', 'berth.containers.restart'],
    ['Remove Image', 'berth.images.remove'],
    ['Prune Images', 'berth.images.prune'],
    ['Prune Volumes', 'berth.volumes.prune'],
    ['Publish Port', 'berth.containers.publishPort'],
    ['Switch Engine', 'berth.engine.switch'],
    ['Berth Run', 'berth.images.run'],
  ];

  for (const [query, id] of typed) {
    it(`finds ${id} for "${query}"`, () => {
      const own = titles.find((t) => t.id === id);
      assert.ok(own, `${id} is contributed`);
      assert.ok(paletteFinds(query, own.title), `"${query}" does not find "${own.title}"`);
    });
  }

  it('matches words as the palette does', () => {
    assert.ok(paletteFinds('view logs', 'Berth: View Container Logs'));
    assert.ok(!paletteFinds('run image', 'Berth: Run…'));
    assert.ok(!paletteFinds('logs view', 'Berth: View Logs'));
  });
});
