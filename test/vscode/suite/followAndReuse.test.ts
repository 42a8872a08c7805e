// Issue 12: engine setting applied live, one terminal per build tag, Save Logs' default folder.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { BASE_IMAGE, TEST_LABEL, createIdleContainer, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, keys, screenshot, waitForPane } from './bridge';
import { terminalText } from './terminals';
import { docker, setEngineHost, useBerthInWorkbench, waitFor } from './helpers';

const quickInput = () =>
  evalInPage<{ text: string; value: string }>(
    "(() => { const w = document.querySelector('.quick-input-widget'); const shown = w && w.style.display !== 'none'; return { text: shown ? w.innerText : '', value: shown ? w.querySelector('input')?.value ?? '' : '' }; })()",
  );

describe('Settings, build terminals and saved logs', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (npm run test:vscode)');
  });

  after(async () => {
    await vscode.commands.executeCommand('berth.engine.switch', { engine: '' });
    await vscode.workspace.getConfiguration('berth').update('engines', undefined, vscode.ConfigurationTarget.Global);
  });

  it('follows berth.engine.host changed in the user settings, also after an engine was chosen for the workspace', async () => {
    const empty = process.env.BERTH_EMPTY_ENGINE;
    if (!empty) throw new Error('BERTH_EMPTY_ENGINE is not set: the launcher starts a second engine');
    const c = await createIdleContainer(docker);
    const name = (await c.inspect()).Name.slice(1);
    await waitFor('the container row', () => berth.api.containers.record(c.id) || undefined);
    const main = berth.api.session.status.endpoint!.url;

    // Chosen for this workspace: the second (empty) engine.
    await vscode.workspace.getConfiguration('berth').update('engines', [{ name: 'Second engine', url: empty }], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('berth.engine.switch', { engine: 'configured:Second engine' });
    await waitFor('the chosen engine', () => (berth.api.session.status.state === 'ready' && berth.api.session.status.endpoint?.url === empty) || undefined);
    await waitForPane(/containers/i, (t) => !t.includes(name));

    // The user now sets berth.engine.host in the user settings: the views follow, no reload.
    await setEngineHost(main);
    await waitFor('the setting applied', () => (berth.api.session.status.state === 'ready' && berth.api.session.status.endpoint?.url === main) || undefined);
    assert.equal(berth.api.session.status.endpoint?.source, 'setting');
    await waitFor('the container back in the store', () => berth.api.containers.record(c.id) || undefined);
    await waitForPane(/containers/i, (t) => t.includes(name));

    // And again with no choice in the way: to the empty engine and back.
    await setEngineHost(empty);
    await waitFor('the empty engine', () => (berth.api.session.status.state === 'ready' && berth.api.session.status.endpoint?.url === empty) || undefined);
    await waitForPane(/containers/i, (t) => !t.includes(name));
    await screenshot('engine-host-followed');
    await setEngineHost(undefined);
    await waitFor('the default engine', () => (berth.api.session.status.state === 'ready' && berth.api.session.status.endpoint?.url === main) || undefined);
    await waitForPane(/containers/i, (t) => t.includes(name));
  });

  it('reuses the finished terminal of a tag for its next build', async () => {
    const dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, uniqueName('reuse'));
    fs.mkdirSync(dir, { recursive: true });
    const dockerfile = path.join(dir, 'Dockerfile');
    const tag = `berth-test/reuse:${uniqueName('t')}`;
    try {
      fs.writeFileSync(dockerfile, `FROM ${BASE_IMAGE}\nLABEL ${TEST_LABEL}=1\nRUN echo first build\n`);
      await vscode.commands.executeCommand('berth.images.build', vscode.Uri.file(dockerfile), { tag, noCache: true });
      const named = () => vscode.window.terminals.filter((t) => t.name === `Build ${tag}`);
      assert.equal(named().length, 1);
      const first = named()[0];
      await waitFor('the first build output', async () => ((await terminalText(first)).includes(`Built ${tag}.`) ? true : undefined));

      fs.writeFileSync(dockerfile, `FROM ${BASE_IMAGE}\nLABEL ${TEST_LABEL}=1\nRUN echo second build\n`);
      await vscode.commands.executeCommand('berth.images.build', vscode.Uri.file(dockerfile), { tag, noCache: true });
      assert.equal(named().length, 1, `one terminal for the tag: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
      assert.equal(named()[0], first, 'the same terminal');
      const text = await waitFor('the second build output', async () => {
        const t = await terminalText(first);
        return t.includes('second build') && t.includes(`Built ${tag}.`) ? t : undefined;
      });
      assert.ok(!text.includes('first build'), `the first build's output was cleared: ${text}`);
      await screenshot('build-terminal-reused');
      first.dispose();
      // A closed terminal is not reused: the next build opens a new one.
      await waitFor('the terminal closed', () => !vscode.window.terminals.includes(first) || undefined);
      await vscode.commands.executeCommand('berth.images.build', vscode.Uri.file(dockerfile), { tag });
      assert.equal(named().length, 1);
      assert.notEqual(named()[0], first);
      named()[0].dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('proposes the logs file in the workspace folder, after a step titled for saving', async () => {
    const c = await createIdleContainer(docker);
    const name = (await c.inspect()).Name.slice(1);
    await waitFor('the container row', () => berth.api.containers.record(c.id) || undefined);
    const saving = vscode.commands.executeCommand('berth.containers.saveLogs', c.id);
    const since = await waitFor('the since step', async () => {
      const q = await quickInput();
      return q.text.includes('Save logs since…') ? q : undefined;
    });
    assert.ok(!since.text.includes('Show logs since'), since.text);
    await keys('', 'Enter');
    const expected = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, `${name}.log`);
    // The web workbench's save dialog is a quick input holding the proposed path.
    const dialog = await waitFor('the save dialog', async () => {
      const q = await quickInput();
      return q.value.endsWith(`${name}.log`) ? q : undefined;
    });
    await screenshot('save-logs-default-path');
    assert.equal(dialog.value, expected);
    await keys('', 'Escape');
    assert.equal(await saving, undefined);
  });
});
