// Resource Usage in a French workbench: the panel's title, plot titles, table headings and units,
// and the rows' usage text ("12 % · 85 Mo"), all French.
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { createIdleContainer, uniqueName } from '../../support/testEngine';
import { evalInWebview, hasWorkbenchBridge, screenshot } from '../suite/bridge';
import { docker, useBerthInWorkbench, waitFor } from '../suite/helpers';

describe('Resource Usage in French', function () {
  this.timeout(120_000);
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (node out/test/vscode/launch/main.js fr)');
    assert.equal(vscode.env.language, 'fr', 'the workbench was not opened in French');
  });

  after(async () => {
    for (const p of berth.api.usage.isLoaded ? berth.api.usage.feature().panels.panels() : []) p.dispose();
    await vscode.workspace.getConfiguration('berth.containers').update('showUsage', undefined, vscode.ConfigurationTarget.Global);
  });

  it('titles, headings and units in French, in the panel and in the rows', async () => {
    const { api } = berth;
    const c = await createIdleContainer(docker, uniqueName('berth-test-usage-fr'));
    await waitFor('the running row', () => api.session.containers.get(c.id)?.state === 'running' || undefined);
    await vscode.commands.executeCommand('berth.containers.viewUsage', c.id);
    const panel = await waitFor('the panel', () => (api.usage.isLoaded ? api.usage.feature().panels.panels()[0] : undefined));
    assert.match(panel.panel.title, /^Utilisation des ressources\u00a0: berth-test-usage-fr/);
    await waitFor('the first point drawn', () => panel.firstPointMs, 20_000);
    const text = await waitFor('the table with figures', async () => {
      const t = await evalInWebview<string>(panel.panel.title, `document.body.innerText`);
      return /\d\u00a0%/.test(t) ? t : undefined;
    });
    for (const word of ['Processeur', 'Mémoire', 'Réseau', 'E/S disque', 'Nom', 'Reçu', 'Envoyé', 'Pause', 'Heure']) assert.ok(text.includes(word), `${word} missing:\n${text}`);
    assert.match(text, /\d\u00a0(o|ko|Mo)\b/, 'sizes in octets');
    await screenshot('usage-panel-fr');
    panel.dispose();
    await vscode.workspace.getConfiguration('berth.containers').update('showUsage', true, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('berth.containers.focus');
    const description = await waitFor('the row with its usage', () => {
      const d = String(api.containers.getTreeItem(c.id).description);
      return /%/.test(d) ? d : undefined;
    });
    assert.match(description, /\d+\u00a0% · [\d,]+\u00a0(o|ko|Mo)/, description);
  });
});
