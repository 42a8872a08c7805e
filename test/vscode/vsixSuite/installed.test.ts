import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { BASE_IMAGE, cleanupTestResources, ensureBaseImage, requireEngine, startWebContainer, testDocker, uniqueName } from '../../support/testEngine';
import { activateBerth, EXTENSION_ID } from '../suite/helpers';
import { screenshot, waitForPane } from '../suite/bridge';

const docker = testDocker();
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

describe('Berth installed from its .vsix', () => {
  before(async function () {
    this.timeout(120_000);
    await requireEngine(docker);
    await ensureBaseImage(docker);
  });
  after(async function () {
    this.timeout(60_000);
    await cleanupTestResources(docker);
  });

  it('is the packaged copy, activates, and lists a container', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'Berth is installed');
    assert.ok(!path.resolve(ext.extensionPath).startsWith(repoRoot + path.sep) && path.resolve(ext.extensionPath) !== repoRoot, `loaded from ${ext.extensionPath}, not the source folder`);
    const web = await startWebContainer(docker);
    const api = await activateBerth();
    assert.equal(api.session.status.state, 'ready');
    await vscode.commands.executeCommand('berth.refresh');
    const name = (await web.inspect()).Name.slice(1);
    assert.ok(api.containers.getChildren().some((id) => api.containers.getTreeItem(id).label === name));
    await vscode.commands.executeCommand('workbench.view.extension.berth');
    await waitForPane(/containers/i, (t) => t.includes(name));
    await screenshot('vsix-installed');
  });

  it('ships the Compose bundle, dist/compose.js, and reads a project with it', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.ok(fs.existsSync(path.join(ext.extensionPath, 'dist', 'compose.js')), 'dist/compose.js is not in the .vsix');
    const name = uniqueName('berth-test-vsix-compose');
    const folder = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, name);
    fs.mkdirSync(folder, { recursive: true });
    try {
      fs.writeFileSync(path.join(folder, 'compose.yaml'), `services:\n  app:\n    image: ${BASE_IMAGE}\n`);
      const api = await activateBerth();
      await vscode.commands.executeCommand('berth.compose.focus');
      await api.compose.start();
      await api.compose.settled();
      await waitForPane(/compose/i, (t) => t.includes(name) && t.includes('app'));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
