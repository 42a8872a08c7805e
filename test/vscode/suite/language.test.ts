import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { BASE_IMAGE, startWebContainer, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, keys, screenshot } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

function folder(name: string, files: Record<string, string>): string {
  const dir = path.join(root(), name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, rel), content);
  return dir;
}

const codes = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));

/** The suggest widget's rows as the user sees them, once it shows one with this label. */
async function suggestions(label: string): Promise<string> {
  let last = '';
  return waitFor(`the completion list showing ${label}`, async () => {
    last = await evalInPage<string>("(() => { const w = document.querySelector('.editor-widget.suggest-widget.visible'); return w ? w.innerText : ''; })()");
    return last.includes(label) ? last : undefined;
  }).catch(async (err) => {
    await screenshot('language-suggest-missing');
    throw new Error(`${(err as Error).message}; it showed: ${JSON.stringify(last)}`);
  });
}

/** Moves the cursor with the keyboard, as a user would (a selection set from the extension host may land after the keys). */
async function cursorTo(line: number, end = true): Promise<void> {
  await keys('', 'Control+Home', ...Array<string>(line).fill('ArrowDown'), ...(end ? ['End'] : []));
}

describe('Help while typing Dockerfiles and Compose files in a real VS Code', function () {
  useBerthInWorkbench();
  const dirs: string[] = [];

  let autoSave: string | undefined;
  before(async function () {
    if (!hasWorkbenchBridge) throw new Error('these checks drive the page: run them with the web launcher (npm run test:vscode)');
    // The workbench saves after a delay by default: off here, so what is checked is the unsaved text.
    autoSave = vscode.workspace.getConfiguration('files').inspect<string>('autoSave')?.globalValue;
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
  });

  afterEach(async () => {
    // A test that failed half-way leaves typed text: dropped, so closing asks nothing.
    for (const d of vscode.workspace.textDocuments.filter((x) => x.isDirty && dirs.some((dir) => x.uri.fsPath.startsWith(dir)))) {
      await vscode.window.showTextDocument(d);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('checks a Dockerfile as it is typed, completes its instructions, and completes FROM with the engine’s images', async () => {
    const dir = folder(uniqueName('lang-df'), { Dockerfile: 'FROM scratch AS Build\nCOPY secret.txt /s\n', '.dockerignore': 'secret.txt\n', 'secret.txt': 'x\n' });
    dirs.push(dir);
    const doc = await vscode.workspace.openTextDocument(path.join(dir, 'Dockerfile'));
    await vscode.window.showTextDocument(doc);
    await waitFor('the Dockerfile checks', () => (codes(doc.uri).includes('CopyIgnoredFile') && codes(doc.uri).includes('StageNameCasing')) || undefined);
    // Typed, not written to disk: the checks follow the editor's text.
    await cursorTo(2);
    await keys('', 'Control+Space');
    const instructions = await suggestions('HEALTHCHECK');
    await screenshot('language-dockerfile-instructions');
    // The widget draws only the rows in view: the first ones, alphabetically.
    for (const i of ['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM']) assert.match(instructions, new RegExp(`^${i} `, 'm'), `${i} in the list`);
    await keys('', 'Escape');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 1));
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hoverText, /Copy files or folders from/, 'COPY’s reference on hover');
    await keys('CMD node app.js');
    await keys('', 'Escape', 'Enter');
    await keys('FROM ');
    await waitFor('JSONArgsRecommended for the typed CMD', () => codes(doc.uri).includes('JSONArgsRecommended') || undefined);
    const diagnostics = vscode.languages.getDiagnostics(doc.uri);
    assert.deepEqual(
      diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`),
      [
        "0:16 Stage name 'Build' should be lowercase",
        '1:5 Attempting to Copy file "secret.txt" that is excluded by .dockerignore',
        '2:4 JSON arguments recommended for CMD to prevent unintended behavior related to OS signals',
      ],
    );
    await keys('', 'Control+Space');
    const list = await suggestions(BASE_IMAGE);
    assert.match(list, /Build/, 'the stage above is offered too');
    assert.match(list, /--platform/, 'and FROM’s flag');
    await screenshot('language-dockerfile-typing');
    // The certain fix: CMD in JSON form.
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diagnostics[2].range);
    const json = actions.find((a) => a.title.includes('["node", "app.js"]'));
    assert.ok(json?.edit, `a JSON-form fix among ${actions.map((a) => a.title).join(', ')}`);
    await vscode.workspace.applyEdit(json.edit);
    assert.equal(doc.lineAt(2).text, 'CMD ["node", "app.js"]');
    await doc.save();
  });

  it('completes and checks a Compose file as it is typed, and renames a service across its override file', async () => {
    const dir = folder(uniqueName('lang-compose'), {
      'compose.yaml': `services:\n  web:\n    image: ${BASE_IMAGE}\n    depends_on: [db]\n  db:\n    image: ${BASE_IMAGE}\n`,
      'compose.override.yaml': 'services:\n  worker:\n    image: busybox\n    depends_on:\n      db:\n        condition: service_started\n',
    });
    dirs.push(dir);
    const doc = await vscode.workspace.openTextDocument(path.join(dir, 'compose.yaml'));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(3, 0), '    \n'));
    await cursorTo(3);
    await keys('rest');
    await keys('', 'Control+Space');
    const list = await suggestions('restart');
    await screenshot('language-compose-completion');
    assert.doesNotMatch(list, /\bimage\b/, 'a key the service already has is not offered again');
    await keys('', 'Escape');
    await keys('art: always', 'Escape');
    await keys('', 'End', 'Enter');
    await keys('links: [nosuch]', 'Escape');
    await keys('', 'End', 'Enter');
    await keys('foo: 1', 'Escape');
    await waitFor('the live problems', () => (codes(doc.uri).includes('undefinedService') && codes(doc.uri).includes('unknownKey') ? true : undefined));
    const messages = vscode.languages.getDiagnostics(doc.uri).map((d) => `${d.range.start.line}:${d.range.start.character} ${d.source} ${d.code}`);
    assert.deepEqual(messages.sort(), ['4:12 Berth undefinedService', '5:4 Berth Compose unknownKey']);
    assert.ok(doc.isDirty, 'checked as typed, before any save');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('language-compose-problems');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(doc.isDirty, false, 'the typed lines are dropped');
    let left: string[] = [];
    await waitFor('the problems gone with the typed lines', () => ((left = codes(doc.uri)).length === 0 ? true : undefined)).catch((err) => {
      throw new Error(`${(err as Error).message}; left: ${left.join(', ')}`);
    });

    // Rename db (its key in compose.yaml) everywhere it is named: depends_on here and in the override.
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, new vscode.Position(4, 3), 'database');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const override = await vscode.workspace.openTextDocument(path.join(dir, 'compose.override.yaml'));
    assert.equal(doc.getText(), `services:\n  web:\n    image: ${BASE_IMAGE}\n    depends_on: [database]\n  database:\n    image: ${BASE_IMAGE}\n`);
    assert.equal(override.getText(), 'services:\n  worker:\n    image: busybox\n    depends_on:\n      database:\n        condition: service_started\n');
    await vscode.workspace.saveAll(false);
  });

  it('warns on a host port a running container already publishes, naming it', async () => {
    const web = await startWebContainer(docker);
    const info = await web.inspect();
    const port = info.NetworkSettings.Ports['80/tcp']![0].HostPort;
    const name = info.Name.replace(/^\//, '');
    const dir = folder(uniqueName('lang-ports'), { 'compose.yaml': `services:\n  site:\n    image: ${BASE_IMAGE}\n    ports:\n      - "127.0.0.1:${port}:80"\n` });
    dirs.push(dir);
    const doc = await vscode.workspace.openTextDocument(path.join(dir, 'compose.yaml'));
    await vscode.window.showTextDocument(doc);
    const warning = await waitFor('the port-in-use warning', () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'portInUse'));
    assert.equal(warning.message, `Host port ${port} is taken, used by container ${name}: Up would fail to start site.`);
    assert.deepEqual([warning.range.start.line, warning.range.start.character], [4, 8]);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('language-compose-port-in-use');
  });
});
