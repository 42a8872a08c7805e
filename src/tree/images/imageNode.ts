import * as vscode from 'vscode';
import { codeSpan, escapeMarkdown } from '../../ui/markdown';
import { formatAge, shortId } from '../../model/format';
import { sizeText } from '../../ui/locale';
import { field, labelsMarkdown, usedByText } from '../usersText';
import { parseReference } from '../../model/imageReference';
import { imageRowKey, repositoryKey, type ImageRow, type RepositoryGroup } from '../../model/imageTree';

export const DANGLING_GROUP = 'group:dangling';


export function repositoryTreeItem(group: RepositoryGroup): vscode.TreeItem {
  const item = new vscode.TreeItem(group.repository, vscode.TreeItemCollapsibleState.Expanded);
  item.id = repositoryKey(group.repository);
  item.iconPath = new vscode.ThemeIcon('repo');
  item.description = group.rows.length === 1 ? vscode.l10n.t('1 tag') : vscode.l10n.t('{0} tags', group.rows.length);
  item.contextValue = 'imageRepository';
  item.accessibilityInformation = { label: vscode.l10n.t('Repository {0}, {1}', group.repository, String(item.description)) };
  return item;
}

export function danglingGroupTreeItem(rows: readonly ImageRow[]): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Dangling images'), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = DANGLING_GROUP;
  item.iconPath = new vscode.ThemeIcon('archive');
  const danglingTotal = sizeText(rows.reduce((sum, r) => sum + r.image.size, 0));
  item.description = `${rows.length} · ${danglingTotal}`;
  // Read as what it is, not as its tooltip's explanation.
  item.accessibilityInformation = {
    label: rows.length === 1 ? vscode.l10n.t('Dangling images: 1 image, {0}', danglingTotal) : vscode.l10n.t('Dangling images: {0} images, {1}', rows.length, danglingTotal),
  };
  item.tooltip = vscode.l10n.t('Images no tag names any more, usually left behind by rebuilds. Prune removes those no container uses.');
  item.contextValue = 'imageDanglingGroup';
  return item;
}

export function imageTreeItem(row: ImageRow, users: number, now = Date.now()): vscode.TreeItem {
  const { image, tag } = row;
  const [size, age, usedBy] = [sizeText(image.size), formatAge(image.created, now, vscode.env.language), usedByText(users, 'image')];
  const facts = [size, age, usedBy].filter(Boolean).join(' · ');
  const item = new vscode.TreeItem(tag ? parseReference(tag).tag : shortId(image.id), vscode.TreeItemCollapsibleState.None);
  item.id = imageRowKey(row);
  item.description = facts;
  item.iconPath = new vscode.ThemeIcon('tag', tag ? undefined : new vscode.ThemeColor('disabledForeground'));
  item.contextValue = tag ? 'image:tag' : 'image:dangling';
  // The row's label is the tag alone: the sentence names the whole reference.
  const spoken = tag ? vscode.l10n.t('Image {0}, {1}, created {2}', tag, size, age) : vscode.l10n.t('Dangling image {0}, {1}, created {2}', shortId(image.id), size, age);
  item.accessibilityInformation = { label: usedBy ? `${spoken}, ${usedBy}` : spoken };
  return item;
}

export function imageTooltip(row: ImageRow, users: readonly string[]): vscode.MarkdownString {
  const { image, tag } = row;
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${tag ? escapeMarkdown(tag) : vscode.l10n.t('Dangling image')}**\n\n`);
  md.appendMarkdown(`ID: ${codeSpan(shortId(image.id))}\n\n`);
  md.appendMarkdown(`${field(vscode.l10n.t('Size'))} ${sizeText(image.size)}\n\n`);
  md.appendMarkdown(`${field(vscode.l10n.t('Created'))} ${new Date(image.created * 1000).toLocaleString(vscode.env.language)}\n\n`);
  if (image.repoTags.length > 1) md.appendMarkdown(`${field(vscode.l10n.t('Tags'))} ${image.repoTags.map(codeSpan).join(', ')}\n\n`);
  if (users.length) md.appendMarkdown(`${field(vscode.l10n.t('Used by'))} ${users.map(escapeMarkdown).join(', ')}\n\n`);
  labelsMarkdown(md, image.labels);
  for (const d of image.repoDigests) md.appendMarkdown(`${codeSpan(d)}\n\n`);
  return md;
}
