// The Registries view in a French workbench: a tag's details and a registry that cannot be reached,
// said on its row, in French. The registry is Debian's docker-registry on 127.0.0.1, without auth.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { RegistryClient } from '../../../src/model/registry/client';
import { freePort } from '../../support/ports';
import { startRegistry, type Registry } from '../../support/registry';
import { seedImage, seedIndex } from '../../support/registrySeed';
import { click, evalInPage, hasWorkbenchBridge, screenshot, waitForPane } from '../suite/bridge';
import { useBerthInWorkbench } from '../suite/helpers';

async function setPaneExpanded(title: RegExp, expanded: boolean): Promise<void> {
  const now = await evalInPage<boolean | null>(`(() => { const h = [...document.querySelectorAll('.pane-header')].find((e) => ${title}.test(e.innerText.trim())); return h ? h.getAttribute('aria-expanded') === 'true' : null; })()`);
  if (now !== null && now !== expanded) {
    const text = await evalInPage<string>(`[...document.querySelectorAll('.pane-header')].find((e) => ${title}.test(e.innerText.trim())).innerText.trim().split('\\n')[0]`);
    await click('.pane-header', { text });
  }
}

describe('The Registries view in French', function () {
  this.timeout(120_000);
  const berth = useBerthInWorkbench();
  let registry: Registry;
  let down: string;
  let configDir: string;
  const savedConfig = process.env.DOCKER_CONFIG;
  const panes = [/^Conteneurs/, /^Images/];

  before(async () => {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (node out/test/vscode/launch/main.js fr)');
    assert.equal(vscode.env.language, 'fr');
    registry = await startRegistry();
    const seeder = new RegistryClient(registry.host);
    await seedIndex(seeder, 'equipe/web', 'latest');
    await seedImage(seeder, 'equipe/api', '1.0');
    seeder.dispose();
    down = `127.0.0.1:${await freePort()}`;
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dockercfg-'));
    process.env.DOCKER_CONFIG = configDir;
    for (const p of panes) await setPaneExpanded(p, false);
  });

  after(async () => {
    for (const host of [registry.host, down]) await vscode.commands.executeCommand('berth.registry.remove', `registry:${host}`);
    if (savedConfig === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = savedConfig;
    await setPaneExpanded(/^Registres/, false).catch(() => undefined);
    for (const p of panes) await setPaneExpanded(p, true).catch(() => undefined);
    await registry.stop();
    fs.rmSync(configDir, { recursive: true, force: true });
  });

  it('shows a tag\'s details and an unreachable registry in French', async () => {
    await vscode.commands.executeCommand('berth.registries.focus');
    // Room for the Registries pane's rows: the Compose and Services panes (their long welcome texts) are closed.
    await setPaneExpanded(/^Compose/i, false);
    await setPaneExpanded(/^Services/i, false);
    await vscode.commands.executeCommand('berth.registry.add', { host: registry.host });
    await vscode.commands.executeCommand('berth.registry.add', { host: down });
    const view = berth.api.registriesView;
    await view.reveal(`registry:${down}`, { expand: true });
    await view.reveal(`tag:${registry.host}/equipe/web:latest`, { expand: true, select: false });
    const pane = await waitForPane(/^registres/i, (t) => t.includes('2 plateformes') && t.includes('injoignable'));
    assert.match(pane.text, /Empreinte/);
    assert.match(pane.text, /Type de média/);
    assert.match(pane.text, /est injoignable\s*:/);
    await click('.part.editor');
    await screenshot('fr-registries');
  });
});
