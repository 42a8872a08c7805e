import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { BASE_IMAGE, TEST_LABEL, uniqueName } from '../../support/testEngine';
import { click, evalInPage, hasWorkbenchBridge, keys, notifications, screenshot, setSideBarWidth, waitForPane } from './bridge';
import { docker } from './helpers';
import { terminalText } from './terminals';
import { setEngineHost, useBerthInWorkbench, waitFor } from './helpers';

const pickerOpen = () => evalInPage<boolean>("(() => { const w = document.querySelector('.quick-input-widget'); return !!w && getComputedStyle(w).display !== 'none'; })()");
const statusText = () => evalInPage<string>("document.querySelector('#berth\\\\.berth\\\\.berth\\\\.engine, [id$=\"berth.engine\"]')?.innerText ?? ''");

describe('Switching engines in a real VS Code', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (npm run test:vscode)');
  });

  // A picker a failed check left open would hide the next test's view.
  afterEach(async () => {
    if (await pickerOpen()) await keys('', 'Escape');
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

  it('takes an address typed in Switch Engine…, checks it like the others, uses it and offers to remember it', async function () {
    this.timeout(120_000);
    const empty = process.env.BERTH_EMPTY_ENGINE;
    if (!empty) throw new Error('BERTH_EMPTY_ENGINE is not set: the launcher starts a second engine');
    const picker = () => evalInPage<string>("document.querySelector('.quick-input-widget')?.innerText ?? ''");
    // An address not yet in berth.engines: the earlier test listed this one there.
    await vscode.workspace.getConfiguration('berth').update('engines', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('notifications.clearAll');
    void vscode.commands.executeCommand('berth.engine.switch');
    await waitFor('the picker', async () => ((await picker()).includes('As the docker CLI would') ? true : undefined));
    await click('.quick-input-widget .quick-input-box input');
    // A mistyped address says what is wrong, in the item itself.
    await keys('tcp://');
    const wrong = await waitFor('the typed item', async () => ((await picker()).includes('Use tcp://') ? picker() : undefined));
    assert.match(wrong, /is not one Berth can use: write unix:/, wrong);
    await keys('', 'Control+A', 'Backspace');
    await keys(empty);
    const checked = await waitFor('the typed address checked', async () => {
      const t = await picker();
      return t.includes(`Use ${empty}`) && /answers · Docker Engine \d+/.test(t) && !t.includes('checking…') ? t : undefined;
    }, 10_000);
    assert.match(checked, new RegExp(`Use ${empty.replace(/[/.]/g, '\\$&')}`));
    await screenshot('switch-engine-typed-address');
    await keys('', 'Enter');
    await waitFor('the picker closed', async () => ((await pickerOpen()) ? undefined : true));
    await waitFor('connected to the typed address', () => (berth.api.session.status.state === 'ready' && berth.api.session.status.endpoint?.url === empty) || undefined, 20_000);
    assert.deepEqual(berth.api.containers.getChildren(), [], 'the second engine has no containers');

    await vscode.commands.executeCommand('notifications.showList');
    const offer = await waitFor('the offer to remember it', async () => (await notifications()).find((m) => m.includes('Remember it in berth.engines')));
    assert.ok(offer.includes(empty), offer);
    await screenshot('switch-engine-remember-offer');
    await click('.notifications-center .monaco-button', { text: 'Remember' });
    await waitFor('remembered in berth.engines', () => vscode.workspace.getConfiguration('berth').get<{ url: string }[]>('engines', []).some((e) => e.url === empty) || undefined);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('berth.engine.switch', { engine: '' });
    await waitFor('back on the main engine', () => (berth.api.session.status.state === 'ready' && berth.api.session.status.endpoint?.source === 'default') || undefined, 20_000);
  });

  it('says why an engine address cannot be used in the view itself, whole at a 300 px side bar, with advice that fits', async function () {
    this.timeout(120_000);
    await setSideBarWidth(300);
    try {
      await setEngineHost('ftp://docker.example');
      const reason = 'The engine address "ftp://docker.example" (from the berth.engine.host setting) starts with ftp://, which Berth does not know: use unix://, tcp://, ssh:// or npipe://.';
      const containers = await waitForPane(/^containers/i, (t) => t.includes('ftp://docker.example'), 60_000);
      assert.ok(containers.text.replace(/\s+/g, ' ').includes(reason), containers.text);
      assert.match(containers.text, /Correct the address with Choose the Engine Endpoint/);
      assert.doesNotMatch(containers.text, /systemctl|header/, 'no advice that does not fit a mistyped address');
      const images = await waitForPane(/^images/i, (t) => t.includes('Choose the Engine Endpoint'));
      assert.match(images.text, /Switch Engine/);
      assert.doesNotMatch(images.text, /systemctl/);
      await screenshot('bad-engine-address-300px');
    } finally {
      await setEngineHost(undefined);
      await waitFor('back on the default engine', () => berth.api.session.status.state === 'ready' || undefined, 60_000);
      await setSideBarWidth(640);
    }
    // Once the address is right, the message is gone.
    const containers = await waitForPane(/^containers/i, (t) => !t.includes('ftp://'));
    assert.doesNotMatch(containers.text, /Correct the address/);
  });

  it('opens the engine settings in the scope where they apply (Remote settings in this remote window)', async function () {
    this.timeout(60_000);
    assert.ok(vscode.env.remoteName, 'the web workbench is a remote window');
    await vscode.commands.executeCommand('berth.engine.openSettings');
    const editor = () => evalInPage<string>("document.querySelector('.settings-editor')?.innerText ?? ''");
    const shown = await waitFor('the engine settings', async () => {
      const t = await editor();
      return /Engine: Host/i.test(t) && /Engines/.test(t) ? t : undefined;
    }, 20_000).catch(async (err: Error) => {
      await screenshot('engine-settings-remote-failed');
      throw new Error(`${err.message}; the settings editor showed: ${await editor()}`);
    });
    assert.doesNotMatch(shown, /No Settings Found/);
    const tab = await evalInPage<string>("document.querySelector('.settings-editor .settings-tabs-widget .action-label.checked')?.innerText ?? ''");
    assert.match(tab, /Remote/, `the checked tab is ${tab}`);
    await screenshot('engine-settings-remote');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
