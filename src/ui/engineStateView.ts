// Mirrors the connection state into the welcome views' context keys and the views' headers.
import * as vscode from 'vscode';
import type { EngineSession, SessionStatus } from '../session/engineSession';
import { endpointProblemText, endpointText, sshText } from './engineStatusText';
import type { ViewHeader } from './viewHeader';

export function watchEngineState(session: EngineSession, headers: ViewHeader[]): vscode.Disposable {
  const apply = (s: SessionStatus) => {
    void vscode.commands.executeCommand('setContext', 'berth.engineState', s.state);
    const error = s.state !== 'unreachable' ? undefined : s.endpointError ? 'endpoint' : s.error?.code;
    void vscode.commands.executeCommand('setContext', 'berth.engineError', error);
    let description: string | undefined;
    // ssh's own words say what to do (accept a host key, load a key): they go in the header.
    if (s.state === 'unreachable') description = (s.endpointProblem && endpointProblemText(s.endpointProblem)) ?? s.endpointError ?? (s.error?.ssh ? sshText(s.error.ssh) : s.endpoint ? endpointText(s.endpoint) : undefined);
    for (const h of headers) h.unreachable = description;
  };
  apply(session.status);
  return session.onDidChangeStatus(apply);
}
