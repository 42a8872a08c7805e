// User-facing words for the endpoint: shown in the views' header, never as popups.
import * as vscode from 'vscode';
import type { Endpoint } from '../contract/endpoint';

function sourceText(e: Endpoint): string {
  switch (e.source) {
    case 'choice':
      return vscode.l10n.t('chosen for this workspace');
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

/** The engine's short name for the status bar: its given name, its context, or what answers. */
export function engineName(e: Endpoint | undefined, product?: string): string {
  if (!e) return 'Docker';
  if (e.name) return e.name;
  if (e.contextName) return e.contextName;
  if (product && /podman/i.test(product)) return 'Podman';
  if (e.source === 'DOCKER_HOST') return 'DOCKER_HOST';
  return e.kind === 'tcp' || e.kind === 'ssh' ? e.url.replace(/^\w+:\/\//, '') : 'Docker';
}
