import * as vscode from 'vscode';
import { formatAge } from '../../model/format';
import type { ContainerRecord, VolumeRecord } from '../../contract/records';
import { volumeUsers } from '../../model/usage';
import { codeSpan, escapeMarkdown } from '../../ui/markdown';
import type { ResourceKind } from '../resourceProvider';
import { appendUsers, field, labelsMarkdown, usersText } from '../usersText';

/** Anonymous volumes are named by a 64-hex id; show them shortened, like the CLI's users do. */
function displayName(v: VolumeRecord): string {
  return /^[0-9a-f]{64}$/.test(v.id) ? `${v.id.slice(0, 12)}…` : v.id;
}

export const volumeKind: ResourceKind<VolumeRecord> = {
  store: (s) => s.volumes,
  name: (v) => v.id,
  searchable: (v) => [v.id, v.driver],
  users: (v, containers) => volumeUsers(v.id, containers),
  treeItem(v, users) {
    const item = new vscode.TreeItem(displayName(v), vscode.TreeItemCollapsibleState.None);
    item.id = v.id;
    const age = v.created === undefined ? undefined : formatAge(v.created, Date.now(), vscode.env.language);
    item.description = [v.driver, age, usersText(users)].filter(Boolean).join(' · ');
    const spoken = age ? vscode.l10n.t('Volume {0}, {1} driver, created {2}', displayName(v), v.driver, age) : vscode.l10n.t('Volume {0}, {1} driver', displayName(v), v.driver);
    item.accessibilityInformation = { label: `${spoken}, ${usersText(users)}` };
    item.iconPath = new vscode.ThemeIcon('database', users.length ? undefined : new vscode.ThemeColor('disabledForeground'));
    item.contextValue = users.length ? 'volume:used' : 'volume';
    return item;
  },
  tooltip(v, users: readonly ContainerRecord[]) {
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMarkdown(v.id)}**\n\n`);
    md.appendMarkdown(`${field(vscode.l10n.t('Driver'))} ${escapeMarkdown(v.driver)} · ${field(vscode.l10n.t('Scope'))} ${escapeMarkdown(v.scope)}\n\n`);
    if (v.created !== undefined) md.appendMarkdown(`${field(vscode.l10n.t('Created'))} ${new Date(v.created * 1000).toLocaleString(vscode.env.language)}\n\n`);
    md.appendMarkdown(`${field(vscode.l10n.t('Mount point'))} ${codeSpan(v.mountpoint)}\n\n`);
    appendUsers(md, users);
    labelsMarkdown(md, v.labels);
    return md;
  },
};
