import * as vscode from 'vscode';
import type { EngineSession } from '../session/engineSession';
import { registerCommand, type CommandContext } from './register';
import { INSPECT_SCHEME, type InspectDocuments } from '../ui/inspectDocuments';

export function registerEngineCommands(ctx: CommandContext, session: EngineSession, inspectDocs: InspectDocuments): vscode.Disposable[] {
  return [
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
