// Mirrors the connection state into the welcome views' context keys and the views' headers. When
// the address itself is wrong, the Containers view's body says why in full (a header is cut at
// the side bar's width); the Images view's welcome below it carries the buttons, since a view with
// a message shows no welcome content.
import * as vscode from 'vscode';
import type { EngineSession, SessionStatus } from '../session/engineSession';
import { endpointProblemText, endpointText, sshText } from './engineStatusText';
import type { ViewHeader } from './viewHeader';

export function watchEngineState(session: EngineSession, headers: ViewHeader[], body?: vscode.TreeView<unknown>): vscode.Disposable {
  const apply = (s: SessionStatus) => {
    void vscode.commands.executeCommand('setContext', 'berth.engineState', s.state);
    const error = s.state !== 'unreachable' ? undefined : s.endpointError ? 'endpoint' : s.error?.code;
    void vscode.commands.executeCommand('setContext', 'berth.engineError', error);
    let description: string | undefined;
    // ssh's own words say what to do (accept a host key, load a key): they go in the header.
    if (s.state === 'unreachable') description = (s.endpointProblem && endpointProblemText(s.endpointProblem)) ?? s.endpointError ?? (s.error?.ssh ? sshText(s.error.ssh) : s.endpoint ? endpointText(s.endpoint) : undefined);
    for (const h of headers) h.unreachable = description;
    if (body) body.message = error === 'endpoint' && description ? `${description} ${endpointAdvice(s)}` : undefined;
  };
  apply(session.status);
  return session.onDidChangeStatus(apply);
}

/** What to do about an address Berth cannot use: correct it where it was typed, or choose another. */
function endpointAdvice(s: SessionStatus): string {
  const typed = !s.endpointProblem || ['unsupported', 'noSocketPath', 'noHost', 'scheme'].includes(s.endpointProblem.kind);
  return typed
    ? vscode.l10n.t('Correct the address with Choose the Engine Endpoint, or choose another engine with Switch Engine…: both links are in the Images view below.')
    : vscode.l10n.t('Choose another engine with Switch Engine… (a link in the Images view below).');
}
