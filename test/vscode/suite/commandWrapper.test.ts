// The one command wrapper, as a new user meets it: with no engine answering, engine commands run
// from the command palette say that Berth is not connected, and why, with buttons that act,
// instead of "no container is in a state this action applies to".
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { click, evalInPage, hasWorkbenchBridge, keys, notifications, screenshot } from './bridge';
import { setEngineHost, useBerthInWorkbench, waitFor } from './helpers';

const NOWHERE = 'unix:///tmp/berth-no-engine/docker.sock';

/** The open quick input's placeholder ('' when none is open). */
async function quickInputPlaceholder(): Promise<string> {
  return evalInPage<string>("(() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? (w.querySelector('input')?.placeholder ?? '') : ''; })()");
}

async function quickInputVisible(): Promise<boolean> {
  return evalInPage<boolean>("(() => { const w = document.querySelector('.quick-input-widget'); return !!w && w.style.display !== 'none'; })()");
}

/** The notification centre's messages, each with its buttons' labels. */
async function notificationsWithButtons(): Promise<{ message: string; buttons: string[] }[]> {
  return evalInPage(
    "[...document.querySelectorAll('.notifications-center .notification-list-item')].map((item) => ({ message: item.querySelector('.notification-list-item-message')?.innerText ?? '', buttons: [...item.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map((b) => b.innerText.trim()) }))",
  );
}

/** Runs a command the way a user does: F1, its title, Enter. */
async function fromPalette(title: string, opensPicker = false): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.showCommands');
  await waitFor('the command palette', async () => ((await quickInputVisible()) ? true : undefined));
  await keys(title);
  // The palette filters as it is typed but keeps its own order (recent, then alphabetical: "Prune
  // Stopped Containers…" comes before "Stop Container"): the command's own row is chosen.
  const rowLabels = "[...document.querySelectorAll('.quick-input-list .monaco-list-row')].map((r) => r.getAttribute('aria-label') ?? '')";
  await waitFor(`"${title}" in the palette`, async () => ((await evalInPage<string[]>(rowLabels)).some((l) => l.split(',')[0].trim() === title) ? true : undefined));
  for (let i = 0; i < 20; i++) {
    const focused = await evalInPage<string>("document.querySelector('.quick-input-list .monaco-list-row.focused')?.getAttribute('aria-label') ?? ''");
    if (focused.split(',')[0].trim() === title) break;
    await keys('', 'ArrowDown');
  }
  await keys('', 'Enter');
  if (!opensPicker) await waitFor('the palette to close', async () => ((await quickInputVisible()) ? undefined : true));
}

describe('The command wrapper in a real VS Code', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (npm run test:vscode)');
  });

  after(async function () {
    this.timeout(30_000);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
    await setEngineHost(undefined);
    await waitFor('ready again', () => berth.api.session.status.state === 'ready');
  });

  it('says Berth is not connected, and why, when Stop Container and Run Image… run from the palette with no engine', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await setEngineHost(NOWHERE);
    await waitFor('unreachable state', () => berth.api.session.status.state === 'unreachable' && berth.api.session.status.endpoint?.url === NOWHERE);

    const expected = `Berth is not connected to ${NOWHERE}: no engine socket exists there.`;
    for (const title of ['Berth: Stop Container', 'Berth: Run Image…']) {
      // The two messages read the same: the first must be gone from the page before the second is looked for.
      await vscode.commands.executeCommand('notifications.clearAll');
      await waitFor('no message left', async () => ((await notifications()).length ? undefined : true));
      await fromPalette(title);
      await vscode.commands.executeCommand('notifications.showList');
      const shown = await waitFor(`the message from ${title}`, async () => {
        const all = await notificationsWithButtons();
        return all.length ? all : undefined;
      });
      assert.deepEqual(
        shown,
        [{ message: expected, buttons: ['Retry', 'Switch Engine', 'Show Log'] }],
        `${title} says the engine is not connected, and nothing else (no picker, no "nothing applies")`,
      );
      assert.equal(await quickInputVisible(), false, `${title} opened no picker`);
      if (title.includes('Stop')) await screenshot('command-not-connected');
    }

    // The buttons act: Switch Engine opens its picker.
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('berth.containers.stop');
    await vscode.commands.executeCommand('notifications.showList');
    await waitFor('the message again', async () => ((await notifications()).length ? true : undefined));
    await click('.notifications-center .notification-list-item-buttons-container .monaco-button', { text: 'Switch Engine' });
    await waitFor('the Switch Engine picker', async () => ((await quickInputPlaceholder()) === 'Engine for this workspace' ? true : undefined));
    await keys('', 'Escape');
  });

  it('leaves local commands alone: a filter, and the engine being back brings the picker back', async () => {
    // Filters need no engine: scripted text applies with no message.
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.equal(await vscode.commands.executeCommand('berth.containers.filter', { text: 'nothing-matches-this' }), 'nothing-matches-this');
    assert.equal(await vscode.commands.executeCommand('berth.containers.clearFilter'), undefined);
    await vscode.commands.executeCommand('notifications.showList');
    assert.deepEqual(await notifications(), [], 'a local command says nothing about the engine');

    await setEngineHost(undefined);
    await waitFor('ready again', () => berth.api.session.status.state === 'ready');
    // Connected, Run Image… from the palette asks which image.
    await fromPalette('Berth: Run Image…', true);
    await waitFor('the image picker', async () => ((await quickInputPlaceholder()) === 'Choose an image to run' ? true : undefined));
    await keys('', 'Escape');
  });
});
