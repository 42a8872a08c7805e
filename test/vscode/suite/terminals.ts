import * as vscode from 'vscode';

/** A terminal's text, read the way a user copies it (the renderer may draw on a canvas). */
export async function terminalText(term: vscode.Terminal): Promise<string> {
  term.show(false);
  await vscode.commands.executeCommand('workbench.action.terminal.selectAll');
  await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
  await vscode.commands.executeCommand('workbench.action.terminal.clearSelection');
  return vscode.env.clipboard.readText();
}
