// Mirrors the connection state into the welcome views' context key and the views' message.
import * as vscode from 'vscode';
import type { EngineSession, SessionStatus } from '../model/engineSession';
import { unreachableMessage } from './engineStatusText';

export function watchEngineState(session: EngineSession, views: vscode.TreeView<unknown>[]): vscode.Disposable {
  const apply = (s: SessionStatus) => {
    void vscode.commands.executeCommand('setContext', 'berth.engineState', s.state);
    const message = s.state === 'unreachable' ? unreachableMessage(s) : undefined;
    for (const v of views) v.message = message;
  };
  apply(session.status);
  return session.onDidChangeStatus(apply);
}
