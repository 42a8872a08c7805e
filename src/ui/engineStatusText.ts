// User-facing words for the connection state: shown in the views' message, never as popups.
import * as vscode from 'vscode';
import type { Endpoint } from '../engine/endpoint';
import type { SessionStatus } from '../model/engineSession';

function sourceText(e: Endpoint): string {
  switch (e.source) {
    case 'setting':
      return vscode.l10n.t('from the berth.engine.host setting');
    case 'DOCKER_HOST':
      return vscode.l10n.t('from DOCKER_HOST');
    case 'context':
      return vscode.l10n.t('from Docker context "{0}"', e.contextName ?? '');
    case 'default':
      return vscode.l10n.t('default socket');
  }
}

export function endpointText(e: Endpoint): string {
  return `${e.url} (${sourceText(e)})`;
}

/** One sentence on why the engine is unreachable, naming the endpoint that was tried. */
export function unreachableMessage(s: SessionStatus): string {
  if (s.endpointError || !s.endpoint) {
    return vscode.l10n.t('Berth could not work out which engine to use: {0}', s.endpointError ?? s.error?.message ?? '');
  }
  const where = endpointText(s.endpoint);
  switch (s.error?.code) {
    case 'no-socket':
      return vscode.l10n.t('Tried {0}: no engine socket exists there.', where);
    case 'refused':
      return vscode.l10n.t('Tried {0}: nothing is listening.', where);
    case 'permission':
      return vscode.l10n.t('Tried {0}: permission denied. Add your user to the docker group, then sign in again.', where);
    case 'timeout':
      return vscode.l10n.t('Tried {0}: the engine did not answer in time.', where);
    case 'tls':
      return vscode.l10n.t('Tried {0}: TLS failed: {1}', where, s.error.message);
    case 'not-found':
      return vscode.l10n.t('Tried {0}: the host name could not be resolved.', where);
    default:
      return vscode.l10n.t('Tried {0}: {1}', where, s.error?.message ?? '');
  }
}
