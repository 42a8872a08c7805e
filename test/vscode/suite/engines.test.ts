import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { evalInPage, hasWorkbenchBridge, keys, screenshot } from './bridge';
import { useBerthInWorkbench, waitFor } from './helpers';

const statusText = () => evalInPage<string>("document.querySelector('#berth\\\\.berth\\\\.berth\\\\.engine, [id$=\"berth.engine\"]')?.innerText ?? ''");

describe('Switching engines in a real VS Code', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (npm run test:vscode)');
  });

  after(async () => {
    await vscode.commands.executeCommand('berth.engine.switch', '');
    await vscode.workspace.getConfiguration('berth').update('engines', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows the engine in the status bar, lists engines with whether they answer, and switches', async () => {
    const empty = process.env.BERTH_EMPTY_ENGINE;
    if (!empty) throw new Error('BERTH_EMPTY_ENGINE is not set: the launcher starts a second engine');
    await waitFor('the status bar item', async () => ((await statusText()).includes('Docker') ? true : undefined), 5000);
    await vscode.workspace.getConfiguration('berth').update('engines', [{ name: 'Second engine', url: empty }], vscode.ConfigurationTarget.Global);

    void vscode.commands.executeCommand('berth.engine.switch');
    const listed = await waitFor('every entry checked', async () => {
      const t = await evalInPage<string>("document.querySelector('.quick-input-widget')?.innerText ?? ''");
      return t.includes('Second engine') && !t.includes('checking…') ? t : undefined;
    }, 10_000);
    assert.match(listed, /Docker Engine/);
    assert.match(listed, /answers · Docker Engine \d+/);
    await screenshot('switch-engine-picker');
    await keys('', 'Escape');

    await vscode.commands.executeCommand('berth.engine.switch', 'configured:Second engine');
    assert.equal(berth.api.session.status.state, 'ready');
    assert.equal(berth.api.session.status.endpoint?.url, empty);
    assert.deepEqual(berth.api.containers.getChildren(), [], 'the second engine has no containers');
    await waitFor('the status bar names it', async () => ((await statusText()).includes('Second engine') ? true : undefined), 5000);
    await screenshot('status-bar-engine');

    await vscode.commands.executeCommand('berth.engine.switch', '');
    assert.equal(berth.api.session.status.endpoint?.source, 'default');
  });
});
