import * as vscode from 'vscode';
import type { ContainerRecord } from '../contract/records';
import { isActive } from '../model/usage';
import { codeSpan, escapeMarkdown } from '../ui/markdown';
import { stateName } from './containers/statusText';

/** "used by 3 containers"; undefined when none. An image is feminine in French ("utilisée"). */
export function usedByText(count: number, of: 'image' | 'other' = 'other'): string | undefined {
  if (!count) return undefined;
  if (of === 'image') return count === 1 ? vscode.l10n.t({ message: 'used by 1 container', comment: ['said of an image'] }) : vscode.l10n.t({ message: 'used by {0} containers', args: [count], comment: ['said of an image'] });
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
