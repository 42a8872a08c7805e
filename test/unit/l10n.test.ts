import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { getL10nJson } from '@vscode/l10n-dev';

const root = path.join(__dirname, '..', '..', '..');
const readJson = (p: string) => JSON.parse(fs.readFileSync(path.join(root, p), 'utf8')) as Record<string, unknown>;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('localisation', () => {
  it('every vscode.l10n.t string in src has a French translation', async function () {
    // Parsing every source file takes seconds on a busy 2-core machine.
    this.timeout(120_000);
    const files = sourceFiles(path.join(root, 'src')).map((p) => ({ extension: '.ts', contents: fs.readFileSync(p, 'utf8') }));
    const keys = Object.keys(await getL10nJson(files));
    assert.ok(keys.length > 10, `expected to find the extension's strings, found ${keys.length}`);
    const fr = readJson('l10n/bundle.l10n.fr.json');
    const missing = keys.filter((k) => typeof fr[k] !== 'string' || !(fr[k] as string).trim());
    assert.deepEqual(missing, [], `missing French entries in l10n/bundle.l10n.fr.json`);
    const stale = Object.keys(fr).filter((k) => !keys.includes(k));
    assert.deepEqual(stale, [], 'French entries no longer used in src');
  });

  it('every manifest key has English and French text', () => {
    const manifest = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
    const used = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    const en = readJson('package.nls.json');
    const fr = readJson('package.nls.fr.json');
    assert.deepEqual(used.filter((k) => !(k in en)), [], 'keys missing from package.nls.json');
    assert.deepEqual(Object.keys(en).filter((k) => !(k in fr)), [], 'keys missing from package.nls.fr.json');
  });

  it('French puts a no-break space before : ; ? ! and inside « », in code and manifest alike', () => {
    const fr = { ...(readJson('l10n/bundle.l10n.fr.json') as Record<string, string>), ...(readJson('package.nls.fr.json') as Record<string, string>) };
    const bad = Object.entries(fr).filter(([, text]) => /(^|[^\u00a0\u202f])[:;?!](?=[\s»)]|$)|«[^\u00a0]|[^\u00a0]»/.test(text));
    assert.deepEqual(bad, [], 'French punctuation without its no-break space');
  });

  it('translations keep every {n} placeholder', () => {
    const fr = readJson('l10n/bundle.l10n.fr.json') as Record<string, string>;
    for (const [en, text] of Object.entries(fr)) {
      const want = (en.match(/\{\d+\}/g) ?? []).sort();
      assert.deepEqual((text.match(/\{\d+\}/g) ?? []).sort(), want, `placeholders differ for "${en}"`);
    }
  });
});
