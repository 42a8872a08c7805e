import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('manifest', () => {
  it('targets VS Code 1.90 or older, with matching typings', () => {
    const min = /^\^?(\d+)\.(\d+)/.exec(pkg.engines.vscode);
    assert.ok(min && Number(min[1]) === 1 && Number(min[2]) <= 90, pkg.engines.vscode);
    assert.equal(pkg.devDependencies['@types/vscode'].replace(/^[\^~]/, '').split('.').slice(0, 2).join('.'), `${min[1]}.${min[2]}`);
  });

  it('gives every command the Berth category and the berth. prefix', () => {
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'Berth', c.command);
      assert.match(c.command, /^berth\./);
    }
  });

  it('uses the fixed view ids', () => {
    assert.deepEqual(pkg.contributes.viewsContainers.activitybar.map((v: { id: string }) => v.id), ['berth']);
    assert.deepEqual(pkg.contributes.views.berth.map((v: { id: string }) => v.id), ['berth.containers', 'berth.images', 'berth.volumes', 'berth.networks', 'berth.compose', 'berth.services', 'berth.registries', 'berth.layers', 'berth.disk']);
  });

  it('declares limited support for untrusted workspaces', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('has its own activity bar icon', () => {
    const icon = fs.readFileSync(path.join(root, pkg.contributes.viewsContainers.activitybar[0].icon), 'utf8');
    assert.match(icon, /<svg[^>]*viewBox="0 0 24 24"/);
  });

  it('names only files that exist in its npm scripts', () => {
    for (const [name, script] of Object.entries<string>(pkg.scripts)) {
      for (const m of script.matchAll(/(?:--config|bash|node(?: --[\w-]+)*) ((?:\.\/)?[\w./-]+\.(?:json|sh|mjs|js))/g)) {
        // Compiled files under out/ come from their TypeScript sources.
        const file = m[1].replace(/^out\/(.*)\.js$/, '$1.ts');
        assert.ok(fs.existsSync(path.join(root, file)), `npm run ${name} names ${m[1]}, which does not exist`);
      }
    }
  });
});
