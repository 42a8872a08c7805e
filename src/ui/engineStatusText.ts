// User-facing words for the endpoint: shown in the views' header, never as popups.
import * as vscode from 'vscode';
import type { Endpoint } from '../engine/endpoint';

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
