import * as vscode from 'vscode';
import type { ContainerRecord } from '../contract/records';
import { isActive } from '../model/usage';
import { codeSpan, escapeMarkdown } from '../ui/markdown';
import { stateName } from './containers/statusText';

/** "used by 3 containers"; undefined when none. */
export function usedByText(count: number): string | undefined {
  if (!count) return undefined;
  return count === 1 ? vscode.l10n.t('used by 1 container') : vscode.l10n.t('used by {0} containers', count);
}

export function usersText(users: readonly ContainerRecord[]): string {
  return usedByText(users.length) ?? vscode.l10n.t('unused');
}

export function appendUsers(md: vscode.MarkdownString, users: readonly ContainerRecord[]): void {
  if (!users.length) return void md.appendMarkdown(`${vscode.l10n.t('No container uses it.')}\n\n`);
  const list = users.map((c) => `- ${escapeMarkdown(c.name)} (${isActive(c) ? vscode.l10n.t('running') : stateName(c.state)})`).join('\n');
  md.appendMarkdown(`${field(vscode.l10n.t('Used by'))}\n\n${list}\n\n`);
}

export function labelsMarkdown(md: vscode.MarkdownString, labels: Record<string, string>): void {
  const entries = Object.entries(labels);
  if (!entries.length) return;
  md.appendMarkdown(`${field(vscode.l10n.t('Labels'))}\n\n${entries.map(([k, v]) => `- ${codeSpan(k)}: ${escapeMarkdown(v)}`).join('\n')}\n\n`);
}

/** "Image:" in English, "Image :" in French: the colon follows the language's typography. */
export function field(label: string): string {
  return vscode.l10n.t('{0}:', label);
}
