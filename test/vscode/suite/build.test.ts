import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BuildOutcome } from '../../../src/model/build';
import { BASE_IMAGE, TEST_LABEL, uniqueName } from '../../support/testEngine';
import { click, evalInPage, hasWorkbenchBridge, keys, notifications, screenshot, waitForPane } from './bridge';
import { terminalText } from './terminals';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

/** A folder in the workspace with these files; every Dockerfile labels its image for cleanup. */
function project(name: string, files: Record<string, string>): string {
  const dir = path.join(root(), name);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

async function quickInputShows(text: string): Promise<void> {
  let last = '';
  try {
    await waitFor(`the quick input showing ${text}`, async () => {
      last = await evalInPage<string>("(() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? w.innerText : ''; })()");
      return last.includes(text) || undefined;
    });
  } catch (err) {
    await screenshot('build-quick-input-missing');
    throw new Error(`${(err as Error).message}; the quick input showed: ${JSON.stringify(last)}`);
  }
}

describe('Building images in a real VS Code', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks drive the page: run them with the web launcher (npm run test:vscode)');
  });

  it('builds from the Explorer context menu, streams the output, and reveals the new image', async () => {
    const tag = `berth-test/ctxmenu:${uniqueName('t')}`;
    fs.writeFileSync(path.join(root(), 'Dockerfile'), `FROM ${BASE_IMAGE}\nLABEL ${TEST_LABEL}=1\nARG GREETING=hello\nRUN echo "$GREETING from the build"\n`);
    try {
      await vscode.commands.executeCommand('workbench.view.explorer');
      await click('.explorer-folders-view .monaco-list-row', { text: 'Dockerfile', button: 'right' });
      // The workbench's menu highlights the entry on click and runs it on Enter.
      await click('.monaco-menu .action-item', { text: 'Build Image…' });
      if (await evalInPage<boolean>("!!document.querySelector('.context-view .monaco-menu')")) await keys('', 'Enter');
      await quickInputShows('Image tag');
      await keys('', 'Control+A');
      await keys(tag, 'Enter');
      await quickInputShows(`Build ${tag}`);
      await quickInputShows('ARG GREETING');
      await screenshot('build-review');
      await keys('', 'Enter');
      const image = await waitFor('the image on the engine', () => docker.getImage(tag).inspect().catch(() => undefined), 20_000);
      assert.equal(image.Config.Labels?.[TEST_LABEL], '1');
      const term = vscode.window.terminals.find((t) => t.name === `Build ${tag}`);
      assert.ok(term, `a terminal named after the tag: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
      // Berth's views were hidden behind the Explorer; showing them reveals the new image.
      const key = `tag:${tag}`;
      await vscode.commands.executeCommand('workbench.view.extension.berth');
      await waitFor('the row revealed and selected', () => (berth.api.imagesView.selection.includes(key) ? true : undefined));
      const termText = await waitFor('the build output in the terminal', () => terminalText(term));
      assert.ok(termText.includes('hello from the build') && termText.includes(`Built ${tag}.`), termText);
      assert.match(termText, /Step 4\/4 : RUN echo "\$GREETING from the build"/);
      assert.match(termText, /Context .*: \d+ entries/);
      await screenshot('build-succeeded');
      term.dispose();
    } finally {
      fs.rmSync(path.join(root(), 'Dockerfile'), { force: true });
    }
  });

  it('puts a failing instruction in the Problems panel at its line, and a good build clears it', async () => {
    const dir = project('failing', { Dockerfile: `FROM ${BASE_IMAGE}\nLABEL ${TEST_LABEL}=1\n\nCOPY missing.txt /x\n` });
    const dockerfile = vscode.Uri.file(path.join(dir, 'Dockerfile'));
    const tag = `berth-test/failing:${uniqueName('t')}`;
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('berth.images.build', dockerfile, { tag });
    const [diagnostic] = vscode.languages.getDiagnostics(dockerfile);
    assert.ok(diagnostic, 'a diagnostic on the Dockerfile');
    assert.equal(diagnostic.range.start.line, 3);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, /missing\.txt/);
    await vscode.commands.executeCommand('notifications.showList');
    const message = await waitFor('the failure message', async () => (await notifications()).find((m) => m.startsWith('Build failed at step')));
    assert.match(message, /^Build failed at step 3\/\d+ \(COPY missing\.txt \/x\): .*missing\.txt/);
    await vscode.window.showTextDocument(dockerfile);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await waitFor('the problem listed', async () => ((await evalInPage<string>("document.querySelector('.markers-panel')?.innerText ?? ''")).includes('missing.txt') ? true : undefined));
    await screenshot('build-failed-diagnostic');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');

    fs.writeFileSync(path.join(dir, 'missing.txt'), 'now here');
    const ok = (await vscode.commands.executeCommand('berth.images.build', dockerfile, { tag })) as BuildOutcome | undefined;
    assert.ok(ok?.imageId, 'the second build succeeded');
    assert.deepEqual(vscode.languages.getDiagnostics(dockerfile), []);
  });

  it('cancels a running build from its terminal and leaves nothing running', async () => {
    const marker = uniqueName('sleep');
    const dir = project('slow', { Dockerfile: `FROM ${BASE_IMAGE}\nLABEL ${TEST_LABEL}=1\nRUN echo ${marker} && sleep 120\n` });
    const tag = `berth-test/slow:${uniqueName('t')}`;
    const running = vscode.commands.executeCommand('berth.images.build', vscode.Uri.file(path.join(dir, 'Dockerfile')), { tag, noCache: true });
    const builder = await waitFor('the build step running', async () => {
      const list = await docker.listContainers({ filters: JSON.stringify({ status: ['running'] }) });
      return list.find((c) => c.Command.includes(marker));
    }, 20_000);
    const term = vscode.window.terminals.find((t) => t.name === `Build ${tag}`);
    assert.ok(term);
    term.sendText('\x03', false); // Ctrl+C, as typed in the terminal
    assert.equal(await running, undefined, 'a cancelled build is no error');
    await waitFor('the build container gone', async () => ((await docker.listContainers({ all: true, filters: JSON.stringify({ id: [builder.Id] }) })).length === 0 ? true : undefined), 15_000);
    await assert.rejects(docker.getImage(tag).inspect(), 'no image was tagged');
    // The page drops the row a few hundred ms after the engine (VS Code's tree refresh): shoot
    // once it has, or the screenshot shows a row that is already on its way out.
    await waitForPane(/containers/i, (text) => !text.includes(builder.Names[0].slice(1)), 15_000);
    await screenshot('build-cancelled');
    term.dispose();
  });

  it('cancels a running build when its terminal is closed', async () => {
    const marker = uniqueName('sleep');
    const dir = project('closed', { Dockerfile: `FROM ${BASE_IMAGE}\nLABEL ${TEST_LABEL}=1\nRUN echo ${marker} && sleep 120\n` });
    const tag = `berth-test/closed:${uniqueName('t')}`;
    const running = vscode.commands.executeCommand('berth.images.build', vscode.Uri.file(path.join(dir, 'Dockerfile')), { tag, noCache: true });
    const builder = await waitFor('the build step running', async () => (await docker.listContainers({ filters: JSON.stringify({ status: ['running'] }) })).find((c) => c.Command.includes(marker)), 20_000);
    vscode.window.terminals.find((t) => t.name === `Build ${tag}`)?.dispose();
    assert.equal(await running, undefined);
    await waitFor('the build container gone', async () => ((await docker.listContainers({ all: true, filters: JSON.stringify({ id: [builder.Id] }) })).length === 0 ? true : undefined), 15_000);
    await assert.rejects(docker.getImage(tag).inspect(), 'no image was tagged');
  });

  it('rejects a bad tag before building, naming the wrong part', async () => {
    const dir = project('badtag', { Dockerfile: `FROM ${BASE_IMAGE}\n` });
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('berth.images.build', vscode.Uri.file(path.join(dir, 'Dockerfile')), { tag: 'My_App:1' });
    await vscode.commands.executeCommand('notifications.showList');
    const message = await waitFor('the tag message', async () => (await notifications()).find((m) => m.includes('lowercase')));
    assert.equal(message, 'Repository names must be lowercase: “My_App”. Try “my_app”.');
    assert.ok(!vscode.window.terminals.some((t) => t.name.includes('My_App')), 'no build started');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  });
});
