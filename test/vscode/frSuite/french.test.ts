// Berth in a French workbench: rows, sizes, accessibility labels and counts read as French.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { formatSize } from '../../../src/model/format';
import { BASE_IMAGE, createIdleContainer, startWebContainer, testLabels, uniqueName } from '../../support/testEngine';
import { click, evalInPage, hasWorkbenchBridge, screenshot, waitForPane } from '../suite/bridge';
import { docker, setEngineHost, useBerthInWorkbench, waitFor } from '../suite/helpers';

/** English words that must not show in a French row or message ("minute" is French too). */
const ENGLISH = /\b(Up|Exited|ago|seconds?|hours?|containers?|ready|unreachable)\b|\d(MB|kB|GB)\b/;

async function notificationTexts(): Promise<string[]> {
  return evalInPage<string[]>("[...document.querySelectorAll('.notifications-center .notification-list-item-message')].map((e) => e.innerText)");
}

describe('Berth in French', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (node out/test/vscode/launch/main.js fr)');
    // The launcher opens this workbench in French; without that every check below is meaningless.
    assert.equal(vscode.env.language, 'fr', 'the workbench was not opened in French');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it('shows container rows, their accessibility labels and image sizes in French', async () => {
    const web = await startWebContainer(docker);
    const name = (await web.inspect()).Name.slice(1);
    await waitFor('the running row', () => berth.api.containers.record(web.id)?.state === 'running' || undefined);
    const description = String(berth.api.containers.getTreeItem(web.id).description);
    assert.match(description, /^Actif depuis /, description);
    assert.doesNotMatch(description, ENGLISH);
    await berth.api.containersView.reveal(web.id, { select: false, focus: false });
    const pane = await waitForPane(/containers|conteneurs/i, (t) => t.includes(name) && t.includes('Actif depuis'));
    assert.ok(pane.text.includes('Actif depuis'), pane.text);
    // The row as a screen reader reads it.
    const aria = await waitFor('the row in the page', () =>
      evalInPage<string | null>(`[...document.querySelectorAll('#workbench\\\\.parts\\\\.sidebar .monaco-list-row')]
        .find((r) => r.querySelector('.label-name')?.textContent.trim() === ${JSON.stringify(name)})?.getAttribute('aria-label') ?? null`).then((a) => a ?? undefined),
    );
    assert.match(aria, /Actif depuis/, aria);
    assert.doesNotMatch(aria, ENGLISH, aria);

    // Sizes: decimal units, French digits and symbols ("1,99 Mo").
    const base = (await docker.getImage(BASE_IMAGE).inspect()).Size;
    const key = `tag:${BASE_IMAGE}`;
    await waitFor('the base image row', () => berth.api.images.row(key) || undefined);
    const imageText = String(berth.api.images.getTreeItem(key).description);
    const size = formatSize(base, 'fr');
    assert.match(size, /^\d+(,\d+)?\u00a0(o|ko|Mo|Go)$/, size);
    assert.ok(imageText.startsWith(size), `${imageText} starts with ${size}`);
    await berth.api.imagesView.reveal(key, { select: false, focus: false, expand: true });
    const images = await waitForPane(/images/i, (t) => t.includes(size));
    assert.doesNotMatch(images.text, /\d(\.\d+)?\s?(MB|kB|GB)\b/, images.text);
    await screenshot('fr-views');
  });

  it('says in French why an engine address cannot be used, in the view header and the not-connected message', async function () {
    this.timeout(120_000);
    const { session } = berth.api;
    await setEngineHost('ftp://docker.example');
    try {
      // The reason is the view's description, in its header (the welcome text points there).
      const headers = () => evalInPage<string>("[...document.querySelectorAll('#workbench\\\\.parts\\\\.sidebar .pane-header')].map((h) => h.getAttribute('aria-label') + ' ' + h.innerText).join('\\n')");
      const header = await waitFor('the reason in the header', async () => ((await headers()).includes('ftp://docker.example') ? headers() : undefined), 60_000);
      assert.match(header, /L’adresse de moteur «\u00a0ftp:\/\/docker\.example\u00a0» \(d’après le paramètre berth\.engine\.host\) commence par ftp:\/\/, que Berth ne connaît pas\u00a0: utilisez unix:\/\/, tcp:\/\/, ssh:\/\/ ou npipe:\/\//, header);
      assert.doesNotMatch(header, /unsupported scheme/, 'not the English words of the engine layer');
      await screenshot('fr-bad-engine-address');
      // A command run now says the same, not the English of the layer below.
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('berth.containers.viewLogs');
      await vscode.commands.executeCommand('notifications.showList');
      const said = await waitFor('the not-connected message', async () => (await notificationTexts()).find((m) => m.includes('ftp://docker.example')));
      assert.match(said, /^L’adresse de moteur/, said);
    } finally {
      await setEngineHost(undefined);
      await waitFor('back on the default engine', () => session.status.state === 'ready' || undefined, 60_000);
    }
  });

  it('explains Swarm in French in the Services view of an engine not in Swarm mode', async () => {
    await waitFor('the Swarm mode', () => berth.api.services.feature().watcher.mode === 'inactive' || undefined, 20_000);
    await vscode.commands.executeCommand('berth.services.focus');
    const pane = await waitForPane(/^services/i, (t) => t.includes('Initialiser Swarm sur ce moteur'));
    assert.match(pane.text, /Le mode Swarm exécute les conteneurs comme services répliqués/);
    assert.match(pane.text, /Ce moteur n’est pas en mode Swarm\u00a0:/);
    // Room for the whole welcome: the two tall panes fold for the picture, then open again.
    await click('.pane-header', { text: 'Conteneurs' });
    await click('.pane-header', { text: 'Images' });
    await waitForPane(/^services/i, (t) => t.includes('Initialiser Swarm sur ce moteur'));
    await screenshot('fr-services-welcome');
    await click('.pane-header', { text: 'Conteneurs' });
    await click('.pane-header', { text: 'Images' });
    await vscode.commands.executeCommand('berth.containers.focus');
  });

  it('labels the status bar item in French for screen readers', async () => {
    const label = await waitFor('the status bar item', () =>
      evalInPage<string | null>("document.querySelector('[id$=\"berth.engine\"]')?.getAttribute('aria-label') ?? document.querySelector('[id$=\"berth.engine\"] a')?.getAttribute('aria-label') ?? null").then((l) => l ?? undefined),
    );
    assert.match(label, /^Moteur Berth .+\u00a0: prêt$/, label);
    await screenshot('fr-status-bar', '#workbench\\.parts\\.statusbar');
  });

  it('counts with French plurals in progress and failure messages', async () => {
    // sleep as PID 1 ignores SIGTERM, so a restart waits out its stop timeout: long enough for
    // the progress notification, which appears after a second.
    const slow = await docker.createContainer({ name: uniqueName('berth-test-slow'), Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: testLabels(), StopTimeout: 4 });
    await slow.start();
    await waitFor('the running row', () => berth.api.containers.record(slow.id)?.state === 'running' || undefined);
    const restarting = vscode.commands.executeCommand('berth.containers.restart', slow.id);
    await vscode.commands.executeCommand('notifications.showList');
    const progress = await waitFor('the progress notification', async () => (await notificationTexts()).find((m) => m.startsWith('Redémarrage')));
    assert.equal(progress, 'Redémarrage de 1 conteneur… (0/1)');
    await screenshot('fr-progress');
    await restarting;
    await vscode.commands.executeCommand('notifications.clearAll');

    // One of two fails: "1 conteneur sur 2 a échoué", not "1 conteneur(s)".
    const good = await createIdleContainer(docker, undefined, false);
    const bad = await docker.createContainer({ name: uniqueName('berth-test-bad'), Image: BASE_IMAGE, Cmd: ['/no/such/program'], Labels: testLabels() });
    await waitFor('created rows', () => (!!berth.api.containers.record(good.id) && !!berth.api.containers.record(bad.id)) || undefined);
    await vscode.commands.executeCommand('berth.containers.start', good.id, [good.id, bad.id]);
    await vscode.commands.executeCommand('notifications.showList');
    const failed = await waitFor('the failure message', async () => (await notificationTexts()).find((m) => m.includes('a échoué')));
    assert.match(failed, /^1 conteneur sur 2 a échoué\u00a0: /, failed);
    assert.doesNotMatch(failed, /\(s\)/);
    await screenshot('fr-failure');
  });
  it('says the Dockerfile checks in French when a Dockerfile opens', async () => {
    const dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, uniqueName('fr-dockerfile'));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch AS Build\nCMD node app.js\nENV DB_PASSWORD=x\n');
    try {
      const doc = await vscode.workspace.openTextDocument(path.join(dir, 'Dockerfile'));
      await vscode.window.showTextDocument(doc);
      const messages = await waitFor('the checks', () => {
        const list = vscode.languages.getDiagnostics(doc.uri).map((d) => d.message);
        return list.length === 3 ? list : undefined;
      });
      assert.deepEqual(messages, [
        'Le nom d’étape «\u00a0Build\u00a0» devrait être en minuscules',
        'Arguments JSON recommandés pour CMD, afin d’éviter un comportement inattendu avec les signaux du système',
        'N’utilisez pas ARG ni ENV pour des données sensibles (ENV «\u00a0DB_PASSWORD\u00a0»)',
      ]);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await screenshot('fr-dockerfile-checks');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('workbench.action.closePanel');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
