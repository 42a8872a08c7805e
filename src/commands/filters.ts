// A filter per view: a substring of name, image or tag. The view's header shows it while active;
// when it hides every row, the view's welcome content says so and offers to clear it.
import * as vscode from 'vscode';
import type { ViewHeader } from '../ui/viewHeader';
import { registerCommand, type CommandContext } from './register';

export interface Filterable {
  filter: string | undefined;
  /** Whether no row is shown (the filter hides them all, or there are none). */
  isEmpty(): boolean;
  readonly onDidChangeTreeData: vscode.Event<unknown>;
}

/** A script's filter text: `{ text: 'web' }`. */
export interface FilterArgs {
  text?: string;
}

export function registerFilterCommands(ctx: CommandContext, views: { name: string; tree: Filterable; header: ViewHeader; prompt: string }[]): vscode.Disposable[] {
  return views.flatMap(({ name, tree, header, prompt }) => {
    // berth.<view>.filteredEmpty picks the "No … match the filter" welcome content over "No … yet".
    let filteredEmpty: boolean | undefined;
    const updateEmpty = () => {
      const now = !!tree.filter && tree.isEmpty();
      if (now === filteredEmpty) return;
      filteredEmpty = now;
      void vscode.commands.executeCommand('setContext', `berth.${name}.filteredEmpty`, now);
    };
    const apply = (value: string | undefined) => {
      tree.filter = value?.trim() || undefined;
      header.filter = tree.filter;
      void vscode.commands.executeCommand('setContext', `berth.${name}.filtered`, !!tree.filter);
      updateEmpty();
      return tree.filter;
    };
    updateEmpty();
    return [
      // Rows come and go while filtered: a new match ends the "no match" message.
      tree.onDidChangeTreeData(updateEmpty),
      // From the title bar VS Code passes the focused row; the wrapper hands over only an options object.
      registerCommand(ctx, `berth.${name}.filter`, { engine: false }, async ({ options }) => {
        const text = (options as FilterArgs | undefined)?.text;
        if (typeof text === 'string') return apply(text);
        const typed = await vscode.window.showInputBox({ prompt, value: tree.filter, placeHolder: vscode.l10n.t('Part of a name, image or tag; empty shows everything') });
        return typed === undefined ? tree.filter : apply(typed);
      }),
      registerCommand(ctx, `berth.${name}.clearFilter`, { engine: false }, () => apply(undefined)),
    ];
  });
}
