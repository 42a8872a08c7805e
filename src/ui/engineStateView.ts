// Mirrors the connection state into the welcome views' context keys and the views' headers.
import * as vscode from 'vscode';
import type { SshProblem } from '../contract/errors';
import type { EngineSession, SessionStatus } from '../session/engineSession';
import { endpointText } from './engineStatusText';
import type { ViewHeader } from './viewHeader';

function sshText(p: SshProblem): string {
  return p.reason === 'unknownHost'
    ? vscode.l10n.t('The SSH host key of {0} is not known yet: run "ssh {0}" once in a terminal to check it and add it to known_hosts ({1}).', p.target, p.said)
    : vscode.l10n.t('ssh could not log in to {0}: add your key to ssh-agent or to your ssh config ({1}).', p.target, p.said);
}

export function watchEngineState(session: EngineSession, headers: ViewHeader[]): vscode.Disposable {
  const apply = (s: SessionStatus) => {
    void vscode.commands.executeCommand('setContext', 'berth.engineState', s.state);
    const error = s.state !== 'unreachable' ? undefined : s.endpointError ? 'endpoint' : s.error?.code;
    void vscode.commands.executeCommand('setContext', 'berth.engineError', error);
    let description: string | undefined;
    // ssh's own words say what to do (accept a host key, load a key): they go in the header.
    if (s.state === 'unreachable') description = s.endpointError ?? (s.error?.ssh ? sshText(s.error.ssh) : s.endpoint ? endpointText(s.endpoint) : undefined);
    for (const h of headers) h.unreachable = description;
  };
  apply(session.status);
  return session.onDidChangeStatus(apply);
}
