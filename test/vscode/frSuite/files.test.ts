// Container files in a French workbench: the Files row, a file's tooltip, and Open File in
// Container…'s title and hint, all French.
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { fileKey, filesKey } from '../../../src/model/files/fileKeys';
import { createIdleContainer, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, keys, screenshot } from '../suite/bridge';
import { docker, useBerthInWorkbench, waitFor } from '../suite/helpers';

const quickInputText = () => evalInPage<string>("(() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? w.innerText : ''; })()");

describe('Container files in French', function () {
  this.timeout(120_000);
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (node out/test/vscode/launch/main.js fr)');
    assert.equal(vscode.env.language, 'fr', 'the workbench was not opened in French');
  });

  it('Fichiers under the container, French tooltips, and Ouvrir un fichier du conteneur', async () => {
    const { api } = berth;
    const c = await createIdleContainer(docker, uniqueName('berth-test-fichiers'));
    const setup = await c.exec({ Cmd: ['sh', '-c', 'echo "port=80" > /etc/berth.conf'], AttachStdout: true });
    const out = await setup.start({ hijack: true, stdin: false });
    await new Promise((r) => (out.on('end', r), out.resume()));
    await waitFor('the running row', () => api.session.containers.get(c.id)?.state === 'running' || undefined);
    await vscode.commands.executeCommand('berth.containers.focus');
    for (const key of [c.id, filesKey(c.id), fileKey(c.id, '/etc')]) await api.containersView.reveal(key, { expand: true, select: false, focus: false });
    await api.containersView.reveal(fileKey(c.id, '/etc/berth.conf'), { select: true, focus: true });
    assert.equal(api.containers.getTreeItem(filesKey(c.id)).label, 'Fichiers');
    const tip = String(api.containers.getTreeItem(fileKey(c.id, '/etc/berth.conf')).tooltip);
    assert.match(tip, /Taille\u00a0: /);
    assert.match(tip, /Propriétaire\u00a0: root \(0\), groupe\u00a0: root \(0\)/);
    await waitFor('the rows drawn', async () => (/berth\.conf/.test(await evalInPage<string>("[...document.querySelectorAll('.monaco-list-row')].map((r) => r.innerText).join('\\n')")) ? true : undefined));
    await screenshot('files-tree-fr');
    const opened = vscode.commands.executeCommand('berth.containers.openFile', c.id);
    await waitFor('the picker', async () => (/etc\//.test(await quickInputText()) ? true : undefined));
    await keys('etc/');
    const text = await waitFor('the folder completed', async () => {
      const t = await quickInputText();
      return /berth\.conf/.test(t) ? t : undefined;
    });
    assert.match(text, /Ouvrir un fichier du conteneur berth-test-fichiers/);
    await screenshot('files-open-in-container-fr');
    await keys('', 'Escape');
    await opened;
  });
});
