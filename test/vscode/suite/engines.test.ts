import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { BASE_IMAGE, TEST_LABEL, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, keys, screenshot } from './bridge';
import { docker } from './helpers';
import { terminalText } from './terminals';
import { useBerthInWorkbench, waitFor } from './helpers';

const statusText = () => evalInPage<string>("document.querySelector('#berth\\\\.berth\\\\.berth\\\\.engine, [id$=\"berth.engine\"]')?.innerText ?? ''");

describe('Switching engines in a real VS Code', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (npm run test:vscode)');
  });

  after(async () => {
    await vscode.commands.executeCommand('berth.engine.switch', { engine: '' });
    await vscode.workspace.getConfiguration('berth').update('engines', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows the engine in the status bar, lists engines with whether they answer, and switches', async () => {
    const empty = process.env.BERTH_EMPTY_ENGINE;
    if (!empty) throw new Error('BERTH_EMPTY_ENGINE is not set: the launcher starts a second engine');
    await waitFor('the status bar item', async () => ((await statusText()).includes('Docker') ? true : undefined));
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

    // A log terminal open on this engine is closed, saying so, when Berth switches away from it.
    const c = await docker.createContainer({ name: uniqueName('berth-test-switch'), Image: BASE_IMAGE, Cmd: ['sh', '-c', 'echo before the switch; exec sleep 3600'], Labels: { [TEST_LABEL]: '1' }, StopTimeout: 1 });
    await c.start();
    await waitFor('the row', () => berth.api.containers.record(c.id)?.state === 'running' || undefined);
    const termName = (await vscode.commands.executeCommand('berth.containers.viewLogs', c.id)) as string;
    const term = vscode.window.terminals.find((x) => x.name === termName);
    assert.ok(term);
    await waitFor('the log line', async () => ((await terminalText(term)).includes('before the switch') ? true : undefined));

    await vscode.commands.executeCommand('berth.engine.switch', { engine: 'configured:Second engine' });
    await waitFor('the switch note', async () => ((await terminalText(term)).includes('Berth switched to another engine: this stream is closed') ? true : undefined));
    term.dispose();
    assert.equal(berth.api.session.status.state, 'ready');
    assert.equal(berth.api.session.status.endpoint?.url, empty);
    assert.deepEqual(berth.api.containers.getChildren(), [], 'the second engine has no containers');
    await waitFor('the status bar names it', async () => ((await statusText()).includes('Second engine') ? true : undefined));
    await screenshot('status-bar-engine');

    await vscode.commands.executeCommand('berth.engine.switch', { engine: '' });
    assert.equal(berth.api.session.status.endpoint?.source, 'default');
  });
});
