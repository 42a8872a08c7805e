// The tree views as a user meets them: the funnel with a row selected, the "no match" state,
// state icons beside the buttons, what a screen reader hears, Enter on a row, a restart in flight,
// and the Containers view in light, dark and high-contrast themes.
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { BASE_IMAGE, createIdleContainer, testLabels, uniqueName } from '../../support/testEngine';
import { click, evalInPage, hasWorkbenchBridge, keys, screenshot, waitForPane } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

const PANE = (title: string) => `[...document.querySelectorAll('#workbench\\\\.parts\\\\.sidebar .pane')].find((p) => p.querySelector('.pane-header .title')?.innerText.trim().toLowerCase() === ${JSON.stringify(title.toLowerCase())})`;

interface RowInPage {
  aria: string;
  /** The state icon's classes. */
  icon: string[];
  /** Each inline button's classes. */
  buttons: string[][];
  /** What the icon draws: a codicon that does not exist draws nothing. */
  glyph: string;
}

/** The row of `pane` whose aria-label contains `text`, as the page renders it. */
async function rowInPage(pane: string, text: string): Promise<RowInPage | undefined> {
  // The bridge answers JSON: null, not undefined, for "no such row".
  const row = await evalInPage<RowInPage | null>(`(() => {
    const row = [...(${PANE(pane)}?.querySelectorAll('.monaco-list-row') ?? [])].find((r) => (r.getAttribute('aria-label') ?? '').includes(${JSON.stringify(text)}));
    if (!row) return null;
    const icon = row.querySelector('.custom-view-tree-node-item-icon');
    return {
      aria: row.getAttribute('aria-label'),
      icon: icon ? [...icon.classList] : [],
      glyph: icon ? getComputedStyle(icon, '::before').content : '',
      buttons: [...row.querySelectorAll('.actions .action-label')].map((a) => [...a.classList]),
    };
  })()`);
  return row ?? undefined;
}

const codicons = (classes: string[]) => classes.filter((c) => c.startsWith('codicon-'));

describe('Tree views as a user meets them', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read and click the page: run them with the web launcher (npm run test:vscode)');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('berth.containers.clearFilter');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the funnel asks for text even with a row selected, and a filter that hides every row says so with a button that clears it', async () => {
    const { api } = berth;
    const c = await createIdleContainer(docker, uniqueName('berth-test-funnel'));
    const name = (await c.inspect()).Name.slice(1);
    await vscode.commands.executeCommand('berth.containers.focus');
    await waitFor('the row in the page', () => rowInPage('containers', name), undefined, 100);
    // Select the row with a real click, as a user does before reaching for the funnel.
    await click(`#workbench\\.parts\\.sidebar .monaco-list-row[aria-label*="${name}"]`);
    await waitFor('the row selected', () => api.containersView.selection.includes(c.id));
    // The title bar re-renders its actions as the selection changes: found by its own label.
    await click('#workbench\\.parts\\.sidebar .pane-header .action-label.codicon-filter[aria-label="Filter Containers…"]');
    // An input box opens; nothing is filtered yet (it used to filter by the row's 64-hex id).
    await waitFor('the filter input', () => evalInPage<boolean>("!!document.querySelector('.quick-input-widget') && getComputedStyle(document.querySelector('.quick-input-widget')).display !== 'none'"), undefined, 100);
    assert.equal(api.containers.filter, undefined, 'no filter is applied before the user types one');
    assert.equal(api.containersView.description, undefined);
    const nothing = `zz-no-such-${uniqueName('x')}`;
    await keys(nothing, 'Enter');
    await waitFor('the filter applied', () => api.containers.filter === nothing);
    const pane = await waitForPane(/^containers$/i, (t) => t.includes('No containers match the filter'));
    assert.ok(!pane.text.includes('No containers on this engine yet'), `the page said: ${pane.text}`);
    assert.match(api.containersView.description ?? '', new RegExp(`filter: “${nothing}”`));
    await screenshot('containers-filtered-empty', '#workbench\\.parts\\.sidebar');
    // The welcome content's button clears it, and the rows come back.
    await click(`#workbench\\.parts\\.sidebar .welcome-view-content .monaco-button`, { text: 'Clear Filter' });
    await waitFor('the filter cleared', () => api.containers.filter === undefined);
    await waitForPane(/^containers$/i, (t) => t.includes(name) && !t.includes('No containers match'));
    assert.equal(api.containersView.description, undefined);
  });

  it('a script still filters with { text }, and a row given as the argument (the title bar’s) never becomes the filter', async () => {
    const { api } = berth;
    const c = await createIdleContainer(docker, uniqueName('berth-test-scripted'));
    await waitFor('the row', () => api.containers.getChildren().includes(c.id));
    assert.equal(await vscode.commands.executeCommand('berth.containers.filter', { text: 'scripted' }), 'scripted');
    assert.ok(api.containers.getChildren().includes(c.id));
    await vscode.commands.executeCommand('berth.containers.clearFilter');
    // What VS Code passes from view/title: the focused element. It asks instead of filtering.
    const asked = vscode.commands.executeCommand('berth.containers.filter', c.id);
    await waitFor('the filter input', () => evalInPage<boolean>("!!document.querySelector('.quick-input-widget') && getComputedStyle(document.querySelector('.quick-input-widget')).display !== 'none'"), undefined, 100);
    await keys('', 'Escape');
    await asked;
    assert.equal(api.containers.filter, undefined);
  });

  it('state icons are not the buttons’ icons, and rows, ports and groups read as sentences', async () => {
    const { api } = berth;
    const running = await createIdleContainer(docker, uniqueName('berth-test-on'));
    const exited = await createIdleContainer(docker, uniqueName('berth-test-off'));
    await exited.stop({ t: 0 });
    const [onName, offName] = [(await running.inspect()).Name.slice(1), (await exited.inspect()).Name.slice(1)];
    await vscode.commands.executeCommand('berth.containers.focus');
    await waitFor('both states', () => api.containers.record(running.id)?.state === 'running' && api.containers.record(exited.id)?.state === 'exited');
    const on = await waitFor('the running row in the page', () => rowInPage('containers', `Container ${onName}, Up`), undefined, 100);
    const off = await waitFor('the exited row in the page', () => rowInPage('containers', `Container ${offName}, Exited`), undefined, 100);
    const paused = await createIdleContainer(docker, uniqueName('berth-test-paused'));
    await paused.pause();
    const pausedName = (await paused.inspect()).Name.slice(1);
    const held = await waitFor('the paused row in the page', () => rowInPage('containers', `Container ${pausedName}, Up`).then((r) => (r && /paused/i.test(r.aria) ? r : undefined)), undefined, 100);
    await paused.unpause();
    // Each state draws a glyph: a codicon name that does not exist renders an empty icon.
    for (const [what, row] of [['running', on], ['exited', off], ['paused', held]] as const) assert.ok(row.glyph && row.glyph !== 'none' && row.glyph !== '""', `the ${what} icon (${codicons(row.icon).join(' ')}) draws nothing`);
    console.log(`      running: ${codicons(on.icon).join(' ')} buttons ${on.buttons.map(codicons).join(' | ')}; exited: ${codicons(off.icon).join(' ')} buttons ${off.buttons.map(codicons).join(' | ')}`);
    assert.ok(codicons(on.icon).includes('codicon-circle-filled'), on.icon.join(' '));
    assert.ok(codicons(off.icon).includes('codicon-circle-outline'), off.icon.join(' '));
    // Every button of the view (start, stop, logs…) differs from both state icons.
    const buttonIcons = new Set([...on.buttons, ...off.buttons].flatMap(codicons));
    assert.ok(buttonIcons.has('codicon-debug-stop') && buttonIcons.has('codicon-debug-start'), `inline buttons: ${[...buttonIcons].join(' ')}`);
    for (const state of [on, off]) for (const icon of codicons(state.icon)) assert.ok(!buttonIcons.has(icon), `${icon} is also a button`);

    // What a screen reader announces.
    assert.match(on.aria, new RegExp(`^Container ${onName}, Up .+, image ${BASE_IMAGE.replace(/[/.]/g, '\\$&')}$`));
    assert.match(off.aria, new RegExp(`^Container ${offName}, Exited \\(137\\) .+, image `));
    const tag = await waitFor('the image row', async () => {
      await api.imagesView.reveal(`tag:${BASE_IMAGE}`, { select: false, focus: false });
      return rowInPage('images', `Image ${BASE_IMAGE},`);
    }, undefined, 200);
    assert.match(tag.aria, new RegExp(`^Image ${BASE_IMAGE.replace(/[/.]/g, '\\$&')}, \\d.* ?[kMG]?B, created .+ ago(, used by \\d+ containers?)?$`));

    // Grouped by state: "Exited: 2 containers", not "exited 0 of 2 running".
    const config = vscode.workspace.getConfiguration('berth.containers');
    await config.update('groupBy', 'state', vscode.ConfigurationTarget.Global);
    try {
      // Revealed first: on a busy engine the running group above it can fill the pane.
      const group = await waitFor('the exited group', async () => {
        await api.containersView.reveal('group:state:exited', { select: false, focus: false }).then(undefined, () => undefined);
        return rowInPage('containers', 'Exited: ');
      }, undefined, 200);
      assert.match(group.aria, /^Exited: \d+ containers?$/);
      const item = api.containers.getTreeItem('group:state:exited');
      assert.equal(item.label, 'Exited');
      assert.match(String(item.description), /^\d+ containers?$/);
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'circle-outline');
    } finally {
      await config.update('groupBy', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a click only selects; Enter on a focused row previews its inspect document and leaves the focus in the tree', async () => {
    const { api } = berth;
    const c = await createIdleContainer(docker, uniqueName('berth-test-enter'));
    const other = await createIdleContainer(docker, uniqueName('berth-test-enter'));
    const [name, otherName] = [(await c.inspect()).Name.slice(1), (await other.inspect()).Name.slice(1)];
    await waitFor('the rows', () => api.containers.getChildren().includes(c.id) && api.containers.getChildren().includes(other.id));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('berth.containers.focus');
    const inspectEditors = () => vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme === 'berth-inspect');
    // A click, then a Ctrl+click: two rows selected, no editor opened.
    await api.containersView.reveal(c.id, { select: false, focus: false });
    await api.containersView.reveal(other.id, { select: false, focus: false });
    await click('#workbench\\.parts\\.sidebar .monaco-list-row .label-name', { text: name });
    await waitFor('one row selected', () => (api.containersView.selection.join() === c.id ? true : undefined));
    assert.deepEqual(inspectEditors(), [], 'a click opens no inspect document');
    await click('#workbench\\.parts\\.sidebar .monaco-list-row .label-name', { text: otherName, modifiers: ['Control'] });
    await waitFor('two rows selected', () => (api.containersView.selection.length === 2 ? true : undefined));
    assert.deepEqual(inspectEditors(), [], 'selecting several opens none');
    await screenshot('containers-two-selected-no-inspect');
    await api.containersView.reveal(c.id, { select: true, focus: true });
    await waitFor('the tree focused', () => evalInPage<boolean>("!!document.activeElement?.closest('#workbench\\\\.parts\\\\.sidebar')"), undefined, 100);
    await keys('', 'Enter');
    const editor = await waitFor('the inspect document', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'berth-inspect' && e.document.uri.path.includes(c.id)),
    );
    assert.match(editor.document.getText(), new RegExp(`"Id": "${c.id}"`));
    assert.ok(await evalInPage<boolean>("!!document.activeElement?.closest('#workbench\\\\.parts\\\\.sidebar')"), 'the focus stays in the tree');
  });

  it('a restart shows "Restarting…" on the row while the engine waits out the stop grace period', async () => {
    const { api } = berth;
    // sleep as PID 1 ignores SIGTERM: the engine waits StopTimeout before killing it.
    const c = await docker.createContainer({ name: uniqueName('berth-test-slowstop'), Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: testLabels(), StopTimeout: 4 });
    await c.start();
    const name = (await c.inspect()).Name.slice(1);
    await vscode.commands.executeCommand('berth.containers.focus');
    await waitFor('the running row', () => rowInPage('containers', `Container ${name}, Up`), undefined, 100);
    const startedBefore = api.containers.record(c.id)?.startedAt;
    const restart = vscode.commands.executeCommand('berth.containers.restart', c.id);
    const during = await waitFor('the transient state in the page', () => rowInPage('containers', `Container ${name}, Restarting…`), undefined, 100);
    assert.ok(codicons(during.icon).includes('codicon-sync'), during.icon.join(' '));
    assert.ok(during.icon.includes('codicon-modifier-spin'), during.icon.join(' '));
    assert.equal(api.containers.record(c.id)?.state, 'running', 'the engine still says running: the row says what Berth asked');
    await screenshot('containers-restarting', '#workbench\\.parts\\.sidebar');
    await restart;
    await waitFor('the new start', () => api.containers.record(c.id)?.startedAt !== startedBefore && api.containers.record(c.id)?.state === 'running');
    const after = await waitFor('the row back to its state', () => rowInPage('containers', `Container ${name}, Up`), undefined, 100);
    assert.ok(codicons(after.icon).includes('codicon-circle-filled'), after.icon.join(' '));
    assert.equal(api.containers.pending.get(c.id), undefined);
  });

  it('shows distinguishable states in light, dark and high-contrast themes', async () => {
    const { api } = berth;
    const on = await createIdleContainer(docker, uniqueName('berth-test-theme-on'));
    const off = await createIdleContainer(docker, uniqueName('berth-test-theme-off'));
    await off.stop({ t: 0 });
    await vscode.commands.executeCommand('berth.containers.focus');
    await waitFor('both rows', () => api.containers.record(on.id)?.state === 'running' && api.containers.record(off.id)?.state === 'exited');
    const workbench = vscode.workspace.getConfiguration('workbench');
    const before = workbench.inspect<string>('colorTheme')?.globalValue;
    try {
      for (const [theme, cls, file] of [
        ['Default Light Modern', 'vs', 'theme-light'],
        ['Default Dark Modern', 'vs-dark', 'theme-dark'],
        ['Default High Contrast', 'hc-black', 'theme-high-contrast'],
      ]) {
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await waitFor(`the ${theme} theme`, () => evalInPage<boolean>(`document.querySelector('.monaco-workbench').classList.contains(${JSON.stringify(cls)})`), undefined, 100);
        // Hover the running row so its inline buttons show beside its state icon.
        await api.containersView.reveal(on.id, { select: true, focus: true });
        await new Promise((r) => setTimeout(r, 500)); // the theme's colours reach every row
        await screenshot(file, '#workbench\\.parts\\.sidebar');
      }
    } finally {
      await workbench.update('colorTheme', before, vscode.ConfigurationTarget.Global);
    }
  });
});
