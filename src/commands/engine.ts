import * as vscode from 'vscode';
import type { EngineSession } from '../model/engineSession';
import { registerCommand, type CommandContext } from './register';

export function registerEngineCommands(ctx: CommandContext, session: EngineSession): vscode.Disposable[] {
  return [
    registerCommand(ctx, 'berth.refresh', () => session.refresh()),
    registerCommand(ctx, 'berth.engine.retry', () => session.connect()),
    registerCommand(ctx, 'berth.engine.openSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', 'berth.engine.host'),
    ),
    registerCommand(ctx, 'berth.engine.showLog', () => ctx.log.show()),
  ];
}
