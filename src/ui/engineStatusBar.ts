// The status bar item: which engine Berth talks to and whether it answers. Click to switch.
import * as vscode from 'vscode';
import type { EngineSession, SessionStatus } from '../session/engineSession';
import { endpointText, engineName } from './engineStatusText';
import { codeSpan, escapeMarkdown } from './markdown';

/** The state in words a screen reader says ("ready", "prêt"). */
function stateText(state: SessionStatus['state']): string {
  switch (state) {
    case 'ready':
      return vscode.l10n.t('ready');
    case 'connecting':
      return vscode.l10n.t('connecting');
    case 'unreachable':
      return vscode.l10n.t('unreachable');
  }
}

export function engineStatusBar(session: EngineSession): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('berth.engine', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('Berth Engine');
  item.command = 'berth.engine.switch';
  const render = (s: SessionStatus) => {
    const name = engineName(s.endpoint, s.version?.product);
    const icon = s.state === 'ready' ? '$(vm-active)' : s.state === 'connecting' ? '$(loading~spin)' : '$(vm-outline)';
    item.text = `${icon} ${name}`;
    item.backgroundColor = s.state === 'unreachable' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${vscode.l10n.t('{0}:', vscode.l10n.t('Berth engine'))}** ${escapeMarkdown(name)}\n\n`);
    if (s.endpoint) md.appendMarkdown(`${codeSpan(endpointText(s.endpoint))}\n\n`);
    if (s.state === 'ready' && s.version) md.appendMarkdown(`${vscode.l10n.t('Answers: {0} {1} (API {2})', s.version.product, s.version.version, s.version.apiVersion)}\n\n`);
    if (s.state === 'unreachable') md.appendMarkdown(`${vscode.l10n.t('Does not answer: {0}', escapeMarkdown(s.error?.message ?? ''))}\n\n`);
    md.appendMarkdown(vscode.l10n.t('Click to switch engines.'));
    item.tooltip = md;
    item.accessibilityInformation = { label: vscode.l10n.t('Berth engine {0}: {1}', name, stateText(s.state)) };
  };
  render(session.status);
  item.show();
  const sub = session.onDidChangeStatus(render);
  return { dispose: () => (sub.dispose(), item.dispose()) };
}
