import * as vscode from 'vscode';
import type { EngineSession } from '../session/engineSession';
import { registerCommand, type CommandContext } from './register';
import { INSPECT_SCHEME, type InspectDocuments } from '../ui/inspectDocuments';

/** The views whose rows Enter inspects. */
export type InspectableViews = Record<'containers' | 'images' | 'volumes' | 'networks', vscode.TreeView<string>>;

export function registerEngineCommands(ctx: CommandContext, session: EngineSession, inspectDocs: InspectDocuments, views: InspectableViews): vscode.Disposable[] {
  return [
    // Enter on a row (a keybinding): its inspect document. A click only selects, so choosing
    // several rows opens nothing; Enter on several opens nothing either (Inspect is in the menu).
    registerCommand(ctx, 'berth.inspectSelection', { engine: false }, ({ options }) => {
      const view = views[options?.view as keyof InspectableViews] as vscode.TreeView<string> | undefined;
      const selection = view?.selection ?? [];
      if (selection.length !== 1) return undefined;
      return vscode.commands.executeCommand(`berth.${options?.view as string}.inspect`, selection[0], { preserveFocus: true });
    }),
    // Refresh reconnects when the engine is away, so it is a way out, like Retry, not an engine command.
    registerCommand(ctx, 'berth.refresh', { engine: false }, () => session.refresh()),
    registerCommand(ctx, 'berth.engine.retry', { engine: false }, () => session.connect()),
    // Berth's engine settings are machine-scoped: in a remote or web window the User tab has none
    // of them ("No Settings Found"); they apply from the Remote settings.
    registerCommand(ctx, 'berth.engine.openSettings', { engine: false }, () =>
      vscode.env.remoteName ? vscode.commands.executeCommand('workbench.action.openRemoteSettings', { query: 'berth.engine' }) : vscode.commands.executeCommand('workbench.action.openSettings', 'berth.engine'),
    ),
    registerCommand(ctx, 'berth.engine.showLog', { engine: false }, () => ctx.log.show()),
    registerCommand(ctx, 'berth.inspect.refresh', {}, ({ file }) => {
      const target = file ?? vscode.window.activeTextEditor?.document.uri;
      if (target?.scheme === INSPECT_SCHEME) inspectDocs.refresh(target);
    }),
  ];
}
