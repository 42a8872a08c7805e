// Container files in a real workbench (issue 25): the Files rows under a container, a file opened,
// edited and saved back (mode and owner kept), a save onto a file changed in the container since
// (VS Code's own conflict: the save fails, the container's text stays), and Open File in
// Container… completing a typed path.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type Docker from 'dockerode';
import { fileKey, filesKey, FILES_SCHEME } from '../../../src/model/files/fileKeys';
import { BASE_IMAGE, testLabels, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, keys, screenshot } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

async function sh(c: Docker.Container, script: string): Promise<string> {
  const e = await c.exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
  const stream = await e.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    const out = { write: (b: Buffer) => chunks.push(b) } as unknown as NodeJS.WritableStream;
    c.modem.demuxStream(stream, out, out);
    stream.on('end', resolve);
  });
  return Buffer.concat(chunks).toString('utf8');
}

const quickInputText = () => evalInPage<string>("(() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? w.innerText : ''; })()");

describe('Container files in a real VS Code', function () {
  this.timeout(120_000);
  const berth = useBerthInWorkbench();
  let c: Docker.Container;

  before(async function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (npm run test:vscode)');
    c = await docker.createContainer({ name: uniqueName('berth-test-files'), Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: testLabels(), StopTimeout: 1 });
    await c.start();
    await sh(c, 'mkdir -p /srv/app/conf.d && printf "listen 80\\n" > /srv/app/server.conf && chmod 640 /srv/app/server.conf && chown 1234:2345 /srv/app/server.conf && echo x > /srv/app/conf.d/a.conf && ln -s app/server.conf /srv/current.conf');
    await waitFor('the row', () => berth.api.containers.record(c.id)?.state === 'running' || undefined);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('walks the Files tree, opens a file, edits and saves it with its mode and owner kept', async () => {
    const { api } = berth;
    const view = api.containersView;
    await vscode.commands.executeCommand('berth.containers.focus');
    assert.ok(api.containers.getChildren(c.id).includes(filesKey(c.id)), 'the container row has a Files node');
    const conf = fileKey(c.id, '/srv/app/server.conf');
    // Expanded level by level, as a user clicks down the tree.
    for (const key of [c.id, filesKey(c.id), fileKey(c.id, '/srv'), fileKey(c.id, '/srv/app')]) await view.reveal(key, { expand: true, select: false, focus: false });
    await view.reveal(conf, { select: true, focus: true });
    let shown = '';
    const rows = await waitFor('the file rows drawn', async () => {
      shown = await evalInPage<string>("[...document.querySelectorAll('.monaco-list-row')].map((r) => r.innerText).join('\\n')");
      return /server\.conf/.test(shown) && /conf\.d/.test(shown) && /current\.conf/.test(shown) ? shown : undefined;
    }).catch(async (err: Error) => {
      await screenshot('files-tree-missing');
      throw new Error(`${err.message}; the rows: ${shown}; under Files: ${(await api.containers.getChildren(filesKey(c.id))).join(', ')}`);
    });
    assert.match(rows, /Files/);
    const item = api.containers.getTreeItem(conf);
    assert.match(String(item.tooltip), /rw-r-----/);
    assert.match(String(item.tooltip), /1234/);
    assert.match(String(api.containers.getTreeItem(fileKey(c.id, '/srv/current.conf')).description), /→ app\/server\.conf/);
    await screenshot('files-tree');

    await vscode.commands.executeCommand('berth.files.open', conf);
    const editor = await waitFor('the editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === FILES_SCHEME && e.document.uri.path === '/srv/app/server.conf' ? e : undefined;
    });
    assert.equal(editor.document.getText(), 'listen 80\n');
    await editor.edit((b) => b.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), 'listen 8080\nserver_name berth.test\n'));
    await screenshot('files-edited');
    assert.ok(await editor.document.save(), 'the save went through');
    assert.equal(await sh(c, 'cat /srv/app/server.conf'), 'listen 8080\nserver_name berth.test\n');
    assert.equal((await sh(c, 'stat -c "%a %u %g" /srv/app/server.conf')).trim(), '640 1234 2345');

    // Changed in the container since it was read: VS Code's save sees a newer mtime and size and refuses.
    await sh(c, 'sleep 1; printf "changed inside\\n" > /srv/app/server.conf');
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# mine\n'));
    assert.equal(await editor.document.save(), false, 'the save onto a newer file is refused');
    assert.equal(await sh(c, 'cat /srv/app/server.conf'), 'changed inside\n', 'the container’s text is kept');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Open File in Container… completes a typed path and opens the file', async () => {
    const opened = vscode.commands.executeCommand('berth.containers.openFile', c.id);
    await waitFor('the picker', async () => (/srv\//.test(await quickInputText()) ? true : undefined));
    await keys('srv/app/');
    const text = await waitFor('the folder completed', async () => {
      const t = await quickInputText();
      return /server\.conf/.test(t) && /conf\.d\//.test(t) ? t : undefined;
    });
    assert.ok(!/current\.conf/.test(text), 'only the typed folder is listed');
    await keys('ser');
    await waitFor('the file narrowed', async () => {
      const t = await quickInputText();
      return /server\.conf/.test(t) && !/conf\.d\//.test(t) ? true : undefined;
    });
    await screenshot('files-open-in-container');
    await keys('', 'Enter');
    await opened;
    const editor = await waitFor('the editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.path === '/srv/app/server.conf' ? e : undefined;
    });
    assert.equal(editor.document.getText(), 'changed inside\n');
  });

  it('uploads a local folder dropped from the Explorer onto a container folder, keeping its structure', async () => {
    const local = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-drop-'));
    try {
      fs.mkdirSync(path.join(local, 'site', 'css'), { recursive: true });
      fs.writeFileSync(path.join(local, 'site', 'index.html'), '<h1>dropped</h1>');
      fs.writeFileSync(path.join(local, 'site', 'css', 'a.css'), 'b{}');
      const data = new vscode.DataTransfer();
      data.set('text/uri-list', new vscode.DataTransferItem(vscode.Uri.file(path.join(local, 'site')).toString()));
      const controller = berth.api.files.dropController();
      await controller.handleDrop?.(fileKey(c.id, '/srv'), data, new vscode.CancellationTokenSource().token);
      assert.equal(await sh(c, 'cat /srv/site/index.html /srv/site/css/a.css'), '<h1>dropped</h1>b{}');
    } finally {
      fs.rmSync(local, { recursive: true, force: true });
    }
  });

  it('browses an unused volume under its row through a helper container, gone once released', async () => {
    const { api } = berth;
    const volume = uniqueName('berth-test-files-vol');
    await docker.createVolume({ Name: volume, Labels: testLabels() });
    const writer = await docker.createContainer({ Image: BASE_IMAGE, Cmd: ['sh', '-c', 'echo kept > /v/note.txt'], Labels: testLabels(), HostConfig: { Binds: [`${volume}:/v`] } });
    await writer.start();
    await writer.wait();
    await writer.remove();
    await waitFor('the volume row', () => api.volumes.getChildren().includes(volume) || undefined);
    assert.deepEqual(api.volumes.getChildren(volume), [`vfiles:${volume}`]);
    const rows = await api.volumes.getChildren(`vfiles:${volume}`);
    assert.equal(rows.length, 1);
    assert.match(rows[0], /:\/volume\/note\.txt$/);
    assert.equal(api.volumes.getTreeItem(rows[0]).label, 'note.txt');
    const helpers = () => docker.listContainers({ all: true, filters: JSON.stringify({ label: [`berth.volumeHelper=${volume}`] }) });
    assert.equal((await helpers()).length, 1, 'one helper while browsing');
    assert.ok(!api.containers.getChildren().some((k) => k === (helpersId(rows[0]))), 'the helper is not shown as a container');
    await api.files.get().volumes.release(volume);
    assert.deepEqual(await helpers(), [], 'the helper is gone');
  });
});

function helpersId(key: string): string {
  return key.split(':')[1];
}

