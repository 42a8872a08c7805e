import * as vscode from 'vscode';
import { formatAge, shortId } from '../../model/format';
import type { NetworkRecord } from '../../contract/records';
import { isBuiltInNetwork, networkUsers } from '../../model/usage';
import { codeSpan, escapeMarkdown } from '../../ui/markdown';
import type { ResourceKind } from '../resourceProvider';
import { appendUsers, field, labelsMarkdown, usersText } from '../usersText';

export const networkKind: ResourceKind<NetworkRecord> = {
  store: (s) => s.networks,
  name: (n) => n.name,
  searchable: (n) => [n.name, n.driver, n.id],
  users: (n, containers) => networkUsers(n, containers),
  treeItem(n, users) {
    const item = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    const builtIn = isBuiltInNetwork(n);
    const age = n.created === undefined ? undefined : formatAge(n.created, Date.now(), vscode.env.language);
    item.description = [n.driver, builtIn ? vscode.l10n.t('built-in') : age, n.internal ? vscode.l10n.t('internal') : undefined, usersText(users)]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = new vscode.ThemeIcon(builtIn ? 'lock' : 'type-hierarchy-sub');
    const spoken = builtIn
      ? vscode.l10n.t('Network {0}, {1} driver, built-in', n.name, n.driver)
      : age
        ? vscode.l10n.t('Network {0}, {1} driver, created {2}', n.name, n.driver, age)
        : vscode.l10n.t('Network {0}, {1} driver', n.name, n.driver);
    item.accessibilityInformation = { label: [spoken, n.internal ? vscode.l10n.t('internal') : undefined, usersText(users)].filter(Boolean).join(', ') };
    // Built-in networks get no remove entry: the engine refuses, so the menu does not offer it.
    item.contextValue = builtIn ? 'network:builtin' : 'network';
    return item;
  },
  tooltip(n, users) {
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMarkdown(n.name)}**${isBuiltInNetwork(n) ? ` (${vscode.l10n.t('built-in')})` : ''}\n\n`);
    md.appendMarkdown(`ID: ${codeSpan(shortId(n.id))}\n\n`);
    md.appendMarkdown(`${field(vscode.l10n.t('Driver'))} ${escapeMarkdown(n.driver)} · ${field(vscode.l10n.t('Scope'))} ${escapeMarkdown(n.scope)}\n\n`);
    if (n.created !== undefined) md.appendMarkdown(`${field(vscode.l10n.t('Created'))} ${new Date(n.created * 1000).toLocaleString(vscode.env.language)}\n\n`);
    appendUsers(md, users);
    labelsMarkdown(md, n.labels);
    return md;
  },
};
