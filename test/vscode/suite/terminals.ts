import * as vscode from 'vscode';

/** A terminal's text, read the way a user copies it (the renderer may draw on a canvas). */
export async function terminalText(term: vscode.Terminal): Promise<string> {
  term.show(false);
  // show() switches the panel's terminal asynchronously: copying before it has would read another
  // terminal's text (seen in a full run: a deploy's check read an earlier run's terminal).
  for (let i = 0; i < 250 && vscode.window.activeTerminal !== term; i++) await new Promise((r) => setTimeout(r, 20));
  if (vscode.window.activeTerminal !== term) throw new Error(`terminal ${term.name} did not become the active one`);
  await vscode.commands.executeCommand('workbench.action.terminal.selectAll');
  await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
  await vscode.commands.executeCommand('workbench.action.terminal.clearSelection');
  return vscode.env.clipboard.readText();
}
