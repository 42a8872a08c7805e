import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { BASE_IMAGE, createIdleContainer, TEST_LABEL, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, screenshot } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

describe('Container lifecycle commands', function () {
  const berth = useBerthInWorkbench();

  it('stops every selected container', async () => {
    const a = await createIdleContainer(docker);
    const b = await createIdleContainer(docker);
    await waitFor('both running', () => berth.api.containers.record(a.id)?.state === 'running' && berth.api.containers.record(b.id)?.state === 'running');
    await vscode.commands.executeCommand('berth.containers.stop', a.id, [a.id, b.id]);
    await waitFor('both exited', () => berth.api.containers.record(a.id)?.state === 'exited' && berth.api.containers.record(b.id)?.state === 'exited');
    assert.equal((await a.inspect()).State.Running, false);
    assert.equal((await b.inspect()).State.Running, false);
    await vscode.commands.executeCommand('berth.containers.start', b.id);
    await waitFor('b running again', () => berth.api.containers.record(b.id)?.state === 'running');
  });

  it('reports each failing container in one message', async function () {
    if (!hasWorkbenchBridge) throw new Error('reading the message needs the web launcher (npm run test:vscode)');
    const good = await createIdleContainer(docker, undefined, false);
    const bad = await docker.createContainer({ name: uniqueName('berth-test-bad'), Image: BASE_IMAGE, Cmd: ['/no/such/program'], Labels: { [TEST_LABEL]: '1' } });
    const badName = (await bad.inspect()).Name.slice(1);
    await waitFor('created rows', () => !!berth.api.containers.record(good.id) && !!berth.api.containers.record(bad.id));
    await vscode.commands.executeCommand('berth.containers.start', good.id, [good.id, bad.id]);
    await waitFor('good running', () => berth.api.containers.record(good.id)?.state === 'running');
    // Toasts are held back in the test workbench; the notification centre has every message.
    await vscode.commands.executeCommand('notifications.showList');
    const toasts = await waitFor('the error message', async () => {
      const t = await evalInPage<string[]>("[...document.querySelectorAll('.notifications-center .notification-list-item-message')].map((e) => e.innerText)");
      return t.some((m) => m.includes('1 of 2 containers failed')) ? t : undefined;
    });
    const message = toasts.find((m) => m.includes('1 of 2 containers failed'))!;
    assert.ok(message.includes(`${badName}:`), message);
    assert.ok(!message.includes(`${(await good.inspect()).Name.slice(1)}:`), 'the container that started is not reported');
    await screenshot('lifecycle-partial-failure');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it('inspects a container as a read-only JSON document with secrets masked, and refreshes it', async () => {
    const c = await docker.createContainer({
      name: uniqueName('berth-test-inspect'),
      Image: BASE_IMAGE,
      Cmd: ['sleep', '3600'],
      Env: ['DB_PASSWORD=hunter2', 'PLAIN=visible'],
      Labels: { [TEST_LABEL]: '1' },
    });
    await c.start();
    await waitFor('running row', () => berth.api.containers.record(c.id)?.state === 'running');
    await vscode.commands.executeCommand('berth.containers.inspect', c.id);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor opened');
    assert.equal(editor.document.uri.scheme, 'berth-inspect');
    assert.equal(editor.document.languageId, 'jsonc');
    const json = JSON.parse(editor.document.getText());
    assert.equal(json.Id, c.id);
    assert.ok(json.Config.Env.includes('PLAIN=visible'));
    assert.ok(json.Config.Env.includes('DB_PASSWORD=••••••'));
    assert.ok(!editor.document.getText().includes('hunter2'), 'the secret value is not shown');
    assert.equal(json.State.Running, true);
    if (hasWorkbenchBridge) await screenshot('inspect-document');

    // Live: the engine's events re-read it, no click needed.
    await c.pause();
    await waitFor('"Paused": true in the open document', () => JSON.parse(editor.document.getText()).State.Paused === true);
    if (hasWorkbenchBridge) await screenshot('inspect-document-paused');
    await c.unpause();
    await waitFor('"Paused": false again', () => JSON.parse(editor.document.getText()).State.Paused === false);

    await c.stop({ t: 0 });
    await vscode.commands.executeCommand('berth.inspect.refresh');
    await waitFor('the refreshed document', () => JSON.parse(editor.document.getText()).State.Running === false);
    // Removed: the last inspect stays, under a line saying it is no longer updated, and since when.
    await c.remove({ force: true });
    const stale = await waitFor('the stale note', () => (editor.document.getText().startsWith('// It no longer exists') ? editor.document.getText() : undefined));
    const [note, ...rest] = stale.split('\n');
    assert.match(note, /^\/\/ It no longer exists on the engine \(seen at \d\d:\d\d:\d\d\): below is its last inspect, no longer updated\.$/);
    assert.equal(JSON.parse(rest.join('\n')).Id, c.id);
    if (hasWorkbenchBridge) await screenshot('inspect-document-stale');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
