import * as vscode from 'vscode';
import type { EngineSession } from '../session/engineSession';
import { registerCommand, type CommandContext } from './register';
import { INSPECT_SCHEME, type InspectDocuments } from '../ui/inspectDocuments';

export function registerEngineCommands(ctx: CommandContext, session: EngineSession, inspectDocs: InspectDocuments): vscode.Disposable[] {
  return [
    registerCommand(ctx, 'berth.refresh', () => session.refresh()),
    registerCommand(ctx, 'berth.engine.retry', () => session.connect()),
    registerCommand(ctx, 'berth.engine.openSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', 'berth.engine.host'),
    ),
    registerCommand(ctx, 'berth.engine.showLog', () => ctx.log.show()),
    registerCommand(ctx, 'berth.inspect.refresh', (uri?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (target?.scheme === INSPECT_SCHEME) inspectDocs.refresh(target);
    }),
  ];
}
