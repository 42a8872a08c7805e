// A filter per view: a substring of name, image or tag. The view's header shows it while active.
import * as vscode from 'vscode';
import type { ViewHeader } from '../ui/viewHeader';
import { registerCommand, type CommandContext } from './register';

export interface Filterable {
  filter: string | undefined;
}

export function registerFilterCommands(ctx: CommandContext, views: { name: string; tree: Filterable; header: ViewHeader; prompt: string }[]): vscode.Disposable[] {
  return views.flatMap(({ name, tree, header, prompt }) => {
    const apply = (value: string | undefined) => {
      tree.filter = value?.trim() || undefined;
      header.filter = tree.filter;
      void vscode.commands.executeCommand('setContext', `berth.${name}.filtered`, !!tree.filter);
      return tree.filter;
    };
    return [
      registerCommand(ctx, `berth.${name}.filter`, async (value?: unknown) => {
        if (typeof value === 'string') return apply(value);
        const typed = await vscode.window.showInputBox({ prompt, value: tree.filter, placeHolder: vscode.l10n.t('Part of a name, image or tag; empty shows everything') });
        return typed === undefined ? tree.filter : apply(typed);
      }),
      registerCommand(ctx, `berth.${name}.clearFilter`, () => apply(undefined)),
    ];
  });
}
