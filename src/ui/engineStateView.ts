// Mirrors the connection state into the welcome views' context keys and the views' header.
// A TreeView message would hide the welcome content, so the endpoint goes in the description.
import * as vscode from 'vscode';
import type { EngineSession, SessionStatus } from '../model/engineSession';
import { endpointText } from './engineStatusText';

export function watchEngineState(session: EngineSession, views: vscode.TreeView<unknown>[]): vscode.Disposable {
  const apply = (s: SessionStatus) => {
    void vscode.commands.executeCommand('setContext', 'berth.engineState', s.state);
    const error = s.state !== 'unreachable' ? undefined : s.endpointError ? 'endpoint' : s.error?.code;
    void vscode.commands.executeCommand('setContext', 'berth.engineError', error);
    let description: string | undefined;
    if (s.state === 'unreachable') description = s.endpointError ?? (s.endpoint ? endpointText(s.endpoint) : undefined);
    for (const v of views) v.description = description;
  };
  apply(session.status);
  return session.onDidChangeStatus(apply);
}
