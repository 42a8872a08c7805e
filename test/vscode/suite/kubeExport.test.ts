// Export to Kubernetes… in a real workbench (issue 18): a running 3-service Compose project of the
// workspace exported from the Compose view's context menu, the Service type and claim size chosen
// in the quick input, the manifests opened as an untitled YAML document beside the view; and a
// container row exported through the command with a script's options.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import { parseAllDocuments } from 'yaml';
import { projectKey } from '../../../src/model/composeTree';
import { BASE_IMAGE, testLabels, uniqueName } from '../../support/testEngine';
import { click, evalInPage, hasWorkbenchBridge, keys, notifications, screenshot, waitForPane } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const SECRET = `pw-${Math.random().toString(36).slice(2)}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function run(file: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { cwd }, (err, stdout, stderr) => (err ? reject(new Error(`${file} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout))),
  );
}

function composeYaml(port: number): string {
  const labels = Object.entries(testLabels())
    .map(([k, v]) => `      ${k}: "${v}"`)
    .join('\n');
  const service = (command: string, extra = '') => `    image: ${BASE_IMAGE}\n    command: ${command}\n    stop_grace_period: 1s\n    labels:\n${labels}\n${extra}`;
  return [
    'services:',
    '  web:',
    service(
      '["httpd", "-f", "-p", "80", "-h", "/"]',
      `    ports:\n      - "127.0.0.1:${port}:80"\n    environment:\n      DATABASE_URL: postgres://app:${SECRET}@db:5432/app\n      MODE: demo\n    healthcheck:\n      test: ["CMD-SHELL", "wget -q -O /dev/null http://localhost:80/ || exit 1"]\n      interval: 10s\n    depends_on: [db]\n`,
    ),
    '  db:',
    service('["sleep", "3600"]', `    environment:\n      POSTGRES_PASSWORD: ${SECRET}\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n    expose: ["5432"]\n`),
    '  cache:',
    service('["sleep", "3600"]', '    expose: ["6379"]\n    mem_limit: 32m\n'),
    'volumes:',
    `  pgdata:\n    labels:\n${labels}`,
    '',
  ].join('\n');
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const objects = (text: string): Obj[] => parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS() as Obj);

async function closeAll(): Promise<void> {
  // Untitled documents would ask to be saved: revert each first.
  while (vscode.window.activeTextEditor) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('Export to Kubernetes in a real VS Code', function () {
  const berth = useBerthInWorkbench();
  const name = uniqueName('berth-test-kube');
  let folder: string;
  let port: number;

  before(async function () {
    this.timeout(180_000);
    if (!hasWorkbenchBridge) throw new Error('these checks drive the page: run them with the web launcher (npm run test:vscode)');
    port = await freePort();
    folder = path.join(root(), name);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'compose.yaml'), composeYaml(port));
    await run('docker-compose', ['-p', name, '-f', path.join(folder, 'compose.yaml'), 'up', '-d'], folder);
  });

  after(async function () {
    this.timeout(120_000);
    await closeAll();
    if (folder && fs.existsSync(folder)) {
      await run('docker-compose', ['-p', name, '-f', path.join(folder, 'compose.yaml'), 'down', '-v'], folder).catch((err) => console.log(String(err)));
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('exports the running project from its context menu into an untitled YAML document beside the view', async function () {
    this.timeout(120_000);
    const { api } = berth;
    await closeAll();
    await vscode.commands.executeCommand('berth.compose.focus');
    await waitFor('the project running in the Compose view', async () => {
      await api.compose.settled();
      return /^3 of 3 services running/.test(String(api.compose.getTreeItem(projectKey(name)).description ?? '')) || undefined;
    }, 60_000);
    await waitForPane(/compose/i, (t) => t.includes(name));
    // The project's row in the Compose view (the Containers view has a group row of the same name).
    await api.composeView.reveal(projectKey(name), { expand: true });
    // Only the project's row says "3 of 3 services running · <project>" (its replicas' rows hold its name too).
    await click('#workbench\\.parts\\.sidebar .pane:has(.pane-header .title:text-is("Compose")) .monaco-list-row', { text: `3 of 3 services running · ${name}`, button: 'right' });
    await click('.monaco-menu .action-item', { text: 'Export to Kubernetes…' });
    // The Service type: ClusterIP is the first choice; then the claim size, 1Gi by default.
    const quickInput = async (text: RegExp) =>
      waitFor(`the quick input asking ${text}`, async () => text.test(await evalInPage<string>("(() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? w.innerText : ''; })()")) || undefined, 20_000);
    await quickInput(/ClusterIP[\s\S]*NodePort[\s\S]*LoadBalancer/);
    await keys('', 'ArrowDown', 'Enter');
    await quickInput(/PersistentVolumeClaim/);
    await keys('', 'Enter');
    const editor = await waitFor('the exported document', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.isUntitled && e.document.getText().includes('kind: Deployment') ? e : undefined;
    }, 30_000);
    const { document } = editor;
    assert.equal(document.languageId, 'yaml');
    const text = document.getText();
    assert.ok(!text.includes(SECRET), 'a secret value is in the document');
    const objs = objects(text);
    assert.deepEqual(objs.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name), ['cache', 'db', 'web']);
    const web = objs.find((o) => o.kind === 'Service' && o.metadata.name === 'web');
    assert.equal(web?.spec.type, 'NodePort', 'the type picked in the quick pick');
    // In the cluster, web is reached at its container port; Docker's host port is only noted (NodePort).
    assert.deepEqual(web?.spec.ports, [{ name: 'tcp-80', port: 80, targetPort: 80, protocol: 'TCP' }]);
    assert.match(text.replace(/\n# {3}/g, ' '), new RegExp(`^# - web: Docker published ${port}:80 on the host; its node port is picked by Kubernetes`, 'm'));
    assert.equal(objs.find((o) => o.kind === 'PersistentVolumeClaim')?.spec.resources.requests.storage, '1Gi');
    assert.deepEqual(objs.find((o) => o.kind === 'Secret' && o.metadata.name === 'web-secret')?.stringData, { DATABASE_URL: 'CHANGE-ME' });
    assert.match(text, /^# Kubernetes manifests for Compose project berth-test-kube-\w+, made by Berth \(Kubernetes 1\.34 API\)\./);
    assert.match(text, /^# - web depends on db: Kubernetes starts them together/m);
    // The document is on screen beside the Compose view.
    const shown = () => evalInPage<string>("[...document.querySelectorAll('.part.editor .view-lines')].map((e) => e.innerText).join('\\n')");
    await waitFor('the document in the editor', async () => (await shown()).replace(/\u00a0/g, ' ').includes('Kubernetes manifests') || undefined, 20_000);
    await waitForPane(/compose/i, (t) => t.includes(name));
    await screenshot('kube-export-compose');
  });

  it('exports from the palette through a picker of projects and containers', async function () {
    this.timeout(60_000);
    await closeAll();
    const done = vscode.commands.executeCommand<string>('berth.containers.exportKube');
    const quickInput = async (text: RegExp) =>
      waitFor(`the quick input asking ${text}`, async () => text.test(await evalInPage<string>("(() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? w.innerText : ''; })()")) || undefined, 20_000);
    await quickInput(/Compose project/);
    await keys(name, 'Enter');
    await quickInput(/ClusterIP/);
    await keys('', 'Enter');
    await quickInput(/PersistentVolumeClaim/);
    await keys('', 'Enter');
    const uri = await done;
    // Not the first test's document (NodePort), which may still be listed under the same Untitled-1.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri && !d.isClosed && !d.getText().includes('type: NodePort'));
    assert.ok(doc, `no document for ${uri}`);
    const objs = objects(doc.getText());
    assert.deepEqual(objs.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name), ['cache', 'db', 'web']);
    assert.equal(objs.find((o) => o.kind === 'Service' && o.metadata.name === 'web')?.spec.type, 'ClusterIP');
  });

  it('exports one container row with a script\'s options, and refuses a Service type that does not exist', async function () {
    this.timeout(60_000);
    await closeAll();
    const [web] = await docker.listContainers({ filters: { label: [`com.docker.compose.project=${name}`, 'com.docker.compose.service=web'] } });
    assert.ok(web, 'the web container runs');
    await waitFor('the container in the store', () => berth.api.session.containers.get(web.Id));
    const uri = await vscode.commands.executeCommand<string>('berth.containers.exportKube', web.Id, { serviceType: 'LoadBalancer', volumeSize: '3Gi' });
    assert.ok(uri?.startsWith('untitled:'), `the command returned ${uri}`);
    // An earlier test's document, closed, may still be listed under the same Untitled-1.
    const containerName = web.Names[0].slice(1);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri && !d.isClosed && d.getText().includes(`container ${containerName}`));
    assert.ok(doc, 'the returned document is open');
    const text = doc.getText();
    const objs = objects(text);
    const svc = objs.find((o) => o.kind === 'Service');
    assert.equal(svc?.spec.type, 'LoadBalancer');
    assert.equal(svc?.metadata.name, containerName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-'));
    assert.ok(!text.includes(SECRET));
    assert.ok(!/com\.docker\.compose/.test(text));
    await closeAll();
    // A bad option is an error message, and no document opens.
    await vscode.commands.executeCommand('berth.containers.exportKube', web.Id, { serviceType: 'ExternalName' });
    assert.equal(vscode.window.activeTextEditor, undefined);
  });

  it('with every Berth view hidden, exports what runs now: replicas scaled from a terminal and a container created meanwhile', async function () {
    this.timeout(180_000);
    await closeAll();
    // The Explorer takes the side bar: no Berth view follows the engine's events any more.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the event stream closed', () => !berth.api.session.streaming || undefined, 20_000);
    const file = path.join(folder, 'compose.yaml');
    await run('docker-compose', ['-p', name, '-f', file, 'up', '-d', '--no-recreate', '--scale', 'cache=3'], folder);
    const created = await docker.createContainer({ Image: BASE_IMAGE, name: uniqueName('berth-test-kube-late'), Cmd: ['sleep', '3600'], Labels: testLabels(), HostConfig: { ReadonlyRootfs: true } });
    try {
      assert.equal(berth.api.session.containers.get(created.id), undefined, 'the hidden views did not follow the create');
      const projectUri = await vscode.commands.executeCommand<string>('berth.containers.exportKube', projectKey(name), { serviceType: 'ClusterIP', volumeSize: '1Gi' });
      const projectDoc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === projectUri && !d.isClosed && d.getText().includes('name: cache'));
      assert.ok(projectDoc, `no document for ${projectUri}`);
      assert.equal(objects(projectDoc.getText()).find((o) => o.kind === 'Deployment' && o.metadata.name === 'cache')?.spec.replicas, 3, 'the replicas the terminal scaled to');
      await closeAll();
      const uri = await vscode.commands.executeCommand<string>('berth.containers.exportKube', created.id, { serviceType: 'ClusterIP', volumeSize: '1Gi' });
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri && !d.isClosed && d.getText().includes('berth-test-kube-late'));
      assert.ok(doc, `the container created meanwhile was exported (${uri})`);
      const deployment = objects(doc.getText()).find((o) => o.kind === 'Deployment');
      assert.equal(deployment?.spec.template.spec.containers[0].securityContext?.readOnlyRootFilesystem, true, '--read-only carried over');
      await screenshot('kube-export-views-hidden');
    } finally {
      await closeAll();
      await created.remove({ force: true });
      await run('docker-compose', ['-p', name, '-f', file, 'up', '-d', '--no-recreate', '--scale', 'cache=1'], folder);
      await vscode.commands.executeCommand('berth.containers.focus');
    }
  });

  it('refuses a project whose only service has a build and no image, saying to push the image first, before asking anything', async function () {
    this.timeout(60_000);
    await closeAll();
    const buildOnly = `${name}-build`;
    const dir = path.join(root(), buildOnly);
    fs.mkdirSync(dir, { recursive: true });
    try {
      fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  api:\n    build: ./api\n    ports:\n      - "8080:8080"\n');
      await waitFor('the project in the Compose view', async () => {
        await berth.api.compose.settled();
        return berth.api.compose.project(buildOnly);
      }, 20_000);
      await vscode.commands.executeCommand('notifications.clearAll');
      const result = await vscode.commands.executeCommand('berth.containers.exportKube', projectKey(buildOnly));
      assert.equal(result, undefined);
      await vscode.commands.executeCommand('notifications.showList');
      const said = await waitFor('the error', async () => (await notifications()).find((m) => m.includes('no image, only a build')), 20_000);
      assert.match(said, /^api has no image, only a build: build the image and push it to a registry first, then export again\./);
      assert.equal(vscode.window.activeTextEditor, undefined, 'a document was opened');
      assert.equal(await evalInPage<boolean>("(() => { const w = document.querySelector('.quick-input-widget'); return !!w && w.style.display !== 'none'; })()"), false, 'something was asked');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    }
  });
});
