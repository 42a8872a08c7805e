import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { BASE_IMAGE, testLabels, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, screenshot, waitForPane } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const NB = '\u00a0';

// Sizes by hand: the first RUN writes 1000 + 2000 + 300 bytes, a hard link (counted once) and a
// symlink the engine counts as its target's length (9); the second RUN rewrites a file with 500.
const DOCKERFILE = `FROM ${BASE_IMAGE}
RUN mkdir -p /w && head -c 1000 /dev/zero > /w/deleted && head -c 2000 /dev/zero > /w/over && head -c 300 /dev/zero > /w/linked && ln /w/linked /w/hard && ln -s /w/linked /w/soft
RUN rm /w/deleted && head -c 500 /dev/zero > /w/over
RUN mkdir -p /var/cache/apk && head -c 3000 /dev/zero > /var/cache/apk/idx
RUN rm -rf /var/cache/apk/*
CMD ["sh"]
`;

/** Collapses (or expands again) the side bar's panes whose titles match, so the pane under test has room. */
function togglePanes(titles: RegExp, expanded: boolean): Promise<null> {
  return evalInPage<null>(
    `(() => { for (const h of document.querySelectorAll('#workbench\\\\.parts\\\\.sidebar .pane-header[aria-expanded="${!expanded}"]')) if (${titles.toString()}.test(h.querySelector('.title')?.innerText.trim() ?? '')) h.click(); return null; })()`,
  );
}

async function lenses(uri: vscode.Uri): Promise<{ line: number; title: string }[]> {
  const list = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return list.filter((l) => l.command?.title).map((l) => ({ line: l.range.start.line, title: l.command!.title }));
}

describe('Where the space goes in a real VS Code', function () {
  this.timeout(180_000);
  useBerthInWorkbench();
  const dir = () => path.join(root(), 'layers-fixture');

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks drive the page: run them with the web launcher (npm run test:vscode)');
  });

  after(async () => {
    await togglePanes(/^(containers|images|compose)$/i, true);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('berth.layers.close');
    await vscode.commands.executeCommand('berth.disk.close');
    fs.rmSync(dir(), { recursive: true, force: true });
  });

  it('shows each line’s cost after a build, follows an edit, says the cache after a rebuild, then the layers, the wasted space and the disk', async () => {
    fs.mkdirSync(dir(), { recursive: true });
    const file = path.join(dir(), 'Dockerfile');
    fs.writeFileSync(file, DOCKERFILE);
    const uri = vscode.Uri.file(file);
    const tag = `berth-test/layers-ui:${uniqueName('t')}`;
    // With this run's label: another test run's cleanup leaves it alone while this one lives.
    const labels = testLabels();
    await vscode.commands.executeCommand('berth.images.build', uri, { tag, labels });
    await docker.getImage(tag).inspect();
    const editor = await vscode.window.showTextDocument(uri);

    const first = await waitFor('the line costs', async () => ((await lenses(uri)).length >= 5 ? lenses(uri) : undefined));
    // The base image's two layers: busybox (its size depends on the machine's busybox-static) and its links.
    assert.match(first[0].title, /^base image: [\d.]+\u00a0(kB|MB) in 2 layers$/);
    assert.deepEqual(first.slice(1), [
      { line: 1, title: `+3.31${NB}kB` },
      { line: 2, title: `+500${NB}B` },
      { line: 3, title: `+3${NB}kB` },
      { line: 4, title: `+0${NB}B` },
    ]);
    await waitFor('the CodeLens drawn in the editor', async () => ((await evalInPage<string>("[...document.querySelectorAll('.codelens-decoration')].map((e) => e.textContent).join('|')")).includes('3.31') ? true : undefined));
    await screenshot('layers-dockerfile-annotated');

    // Two comment lines above the RUNs move every annotation down with its instruction; an edited one says so.
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), '# dependencies\n# and the cache\n'));
    await editor.edit((e) => e.replace(new vscode.Range(6, 0, 6, 100), 'RUN rm -rf /var/cache/apk/* /tmp/x'));
    const moved = await lenses(uri);
    assert.deepEqual(moved.map((l) => [l.line, l.title]), [
      [0, first[0].title],
      [3, `+3.31${NB}kB`],
      [4, `+500${NB}B`],
      [5, `+3${NB}kB`],
      [6, 'changed since the last build: build again to see its cost'],
    ]);
    await vscode.commands.executeCommand('workbench.action.files.revert');

    // A rebuild from the cache says so on each line; the figures stay.
    await vscode.commands.executeCommand('berth.images.build', uri, { tag, labels });
    const cached = await waitFor('the cached line costs', async () => {
      const l = await lenses(uri);
      return l[1]?.title.includes('cache') ? l : undefined;
    });
    assert.deepEqual(cached.slice(1).map((l) => l.title), [`+3.31${NB}kB (from the build cache)`, `+500${NB}B (from the build cache)`, `+3${NB}kB (from the build cache)`, `+0${NB}B (from the build cache)`]);

    // Image Layers: the Dockerfile's steps apart from the base image's, then the wasted space with its hint.
    // Room for the Image Layers pane's rows: the panes earlier suites left open are closed (restored after).
    await togglePanes(/^(containers|images|volumes|networks|compose|services|registries)$/i, false);
    await vscode.commands.executeCommand('berth.images.showLayers', `tag:${tag}`);
    const pane = await waitForPane(/image layers/i, (t) => t.includes('efficiency') && t.includes('Wasted space'), 30_000);
    assert.match(pane.text, /Added by this image’s Dockerfile \(7 steps\)/);
    assert.match(pane.text, new RegExp(`Base image ${BASE_IMAGE.replace(/[/.]/g, '\\$&')}`));
    assert.match(pane.text, /of package cache \(\/var\/cache\/apk\) written by layer 5/);
    assert.match(pane.text, /var\/cache\/apk\/idx/);
    await screenshot('layers-view');

    await vscode.commands.executeCommand('berth.layers.filter', { text: 'w/over' });
    const filtered = await waitForPane(/image layers/i, (t) => t.includes('filter: w/over'));
    assert.ok(!filtered.text.includes('\nvar/cache/apk/idx') && filtered.text.includes('\nw/over'), filtered.text);
    await screenshot('layers-wasted-filtered');
    await vscode.commands.executeCommand('berth.layers.filter', { text: '' });

    // The image removed while its layers are shown: the view keeps what it read and says so.
    await docker.getImage(tag).remove();
    await waitForPane(/image layers/i, (t) => t.includes('removed from the engine: shown as it was') && t.includes('Wasted space'));

    // Disk Usage: four sections, each with what could be reclaimed.
    await vscode.commands.executeCommand('berth.layers.close');
    await vscode.commands.executeCommand('berth.disk.show');
    const disk = await waitForPane(/disk usage/i, (t) => t.includes('reclaimable') && t.includes('Build cache'));
    for (const section of ['Images', 'Containers’ writable layers', 'Volumes', 'Build cache']) assert.ok(disk.text.includes(section), disk.text);
    await screenshot('layers-disk-overview');
  });
});
