import * as vscode from 'vscode';
import { escapeMarkdown } from '../../ui/markdown';
import { formatAge, formatSize, shortId } from '../../model/format';
import type { ImageRecord } from '../../model/records';

export interface ImageRow {
  image: ImageRecord;
  /** repository:tag; undefined for a dangling image. */
  tag?: string;
}

export function imageRowKey(row: ImageRow): string {
  return `${row.image.id}|${row.tag ?? ''}`;
}

export function imageTreeItem(row: ImageRow, now = Date.now()): vscode.TreeItem {
  const { image, tag } = row;
  const age = formatAge(image.created, now, vscode.env.language);
  const size = formatSize(image.size);
  const item = new vscode.TreeItem(tag ?? `<none> ${shortId(image.id)}`, vscode.TreeItemCollapsibleState.None);
  item.id = imageRowKey(row);
  if (tag) {
    item.description = `${size} · ${age}`;
    item.iconPath = new vscode.ThemeIcon('package');
    item.contextValue = 'image';
  } else {
    item.description = `${vscode.l10n.t('dangling')} · ${size} · ${age}`;
    item.iconPath = new vscode.ThemeIcon('package', new vscode.ThemeColor('disabledForeground'));
    item.contextValue = 'image:dangling';
  }
  return item;
}

export function imageTooltip(row: ImageRow): vscode.MarkdownString {
  const { image, tag } = row;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${tag ? escapeMarkdown(tag) : vscode.l10n.t('Dangling image')}**\n\n`);
  md.appendMarkdown(`ID: \`${shortId(image.id)}\`\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Size')}: ${formatSize(image.size)}\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Created')}: ${new Date(image.created * 1000).toLocaleString(vscode.env.language)}\n\n`);
  if (image.repoTags.length > 1) md.appendMarkdown(`${vscode.l10n.t('Tags')}: ${image.repoTags.map((t) => `\`${t}\``).join(', ')}\n\n`);
  for (const d of image.repoDigests) md.appendMarkdown(`\`${d}\`\n\n`);
  return md;
}
