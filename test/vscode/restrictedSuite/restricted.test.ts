// Berth in Restricted Mode (a folder not trusted): what needs trust stays findable and says so,
// with the way to trust the folder.
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { click, evalInPage, hasWorkbenchBridge, keys, screenshot } from '../suite/bridge';
import { waitFor } from '../../support/wait';

async function quickInputVisible(): Promise<boolean> {
  return evalInPage<boolean>("(() => { const w = document.querySelector('.quick-input-widget'); return !!w && w.style.display !== 'none'; })()");
}

/** The notification centre's messages, each with its buttons' labels. */
async function notificationsWithButtons(): Promise<{ message: string; buttons: string[] }[]> {
  return evalInPage(
    "[...document.querySelectorAll('.notifications-center .notification-list-item')].map((item) => ({ message: item.querySelector('.notification-list-item-message')?.innerText ?? '', buttons: [...item.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map((b) => b.innerText.trim()) }))",
  );
}

describe('Berth in Restricted Mode', function () {
  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (npm run test:vscode restricted)');
    assert.equal(vscode.workspace.isTrusted, false, 'the folder is not trusted');
  });

  it('keeps Build Image… in the palette and says the folder must be trusted, with a button to trust it', async function () {
    this.timeout(120_000);
    // Activated first, so an activation problem in Restricted Mode is said as such.
    await vscode.extensions.getExtension('berth.berth')?.activate();
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.showCommands');
    await waitFor('the command palette', async () => ((await quickInputVisible()) ? true : undefined));
    await keys('Berth: Build Image');
    const row = await waitFor('Build Image… in the palette', async () => {
      const focused = await evalInPage<string>("document.querySelector('.quick-input-list .monaco-list-row.focused')?.innerText ?? ''");
      return focused.includes('Berth: Build Image…') ? focused : undefined;
    });
    assert.ok(row.includes('Build Image…'), row);
    await screenshot('restricted-build-in-palette');
    await keys('', 'Enter');
    await waitFor('the palette closed', async () => ((await quickInputVisible()) ? undefined : true));
    await vscode.commands.executeCommand('notifications.showList');
    // VS Code's own "Activating Extensions..." may come and go beside it.
    // The first command activates Berth, which takes a while on a loaded machine.
    const shown = await waitFor('the explanation', async () => (await notificationsWithButtons()).find((n) => n.message.startsWith('Building')), 60_000);
    assert.deepEqual(shown, {
      message: 'Building sends this folder’s files to the engine and runs its Dockerfile, so it needs a trusted folder. This window is in Restricted Mode: trust the folder to build.',
      buttons: ['Manage Workspace Trust…'],
    });
    await screenshot('restricted-build-explained');
    await click('.notifications-center .notification-list-item-buttons-container .monaco-button', { text: 'Manage Workspace Trust…' });
    await waitFor('the Workspace Trust editor', () => (vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Workspace Trust' ? true : undefined));
    await screenshot('restricted-trust-editor');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  });
});
