import * as vscode from 'vscode';
import { escapeMarkdown } from '../../ui/markdown';
import { formatAge, formatPort, portUrl, publishedPorts, shortId } from '../../model/format';
import type { GroupBy } from '../../model/grouping';
import type { ContainerRecord, PortRecord } from '../../model/records';
import { maskEnv } from '../../model/secrets';
import { labelsMarkdown } from '../usersText';

interface StateLook {
  icon: string;
  color: string;
}

export function stateLook(c: ContainerRecord): StateLook {
  if (c.state === 'running') {
    if (c.health === 'unhealthy') return { icon: 'warning', color: 'list.warningForeground' };
    if (c.health === 'starting') return { icon: 'pulse', color: 'charts.yellow' };
    return { icon: 'debug-start', color: 'debugIcon.startForeground' };
  }
  switch (c.state) {
    case 'paused':
      return { icon: 'debug-pause', color: 'debugIcon.pauseForeground' };
    case 'restarting':
      return { icon: 'debug-restart', color: 'charts.yellow' };
    case 'dead':
      return { icon: 'error', color: 'errorForeground' };
    case 'removing':
      return { icon: 'trash', color: 'descriptionForeground' };
    case 'exited':
      return { icon: 'debug-stop', color: 'descriptionForeground' };
    default:
      return { icon: 'circle-outline', color: 'descriptionForeground' };
  }
}

/** contextValue encodes the state for `when` clauses: container:running, container:exited, ... */
export function containerContextValue(c: ContainerRecord): string {
  return c.health === 'unhealthy' ? `container:${c.state}:unhealthy` : `container:${c.state}`;
}

export function containerTreeItem(c: ContainerRecord): vscode.TreeItem {
  const ports = publishedPorts(c).map(formatPort);
  const item = new vscode.TreeItem(c.name, ports.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = c.id;
  item.description = [c.image, c.status, ...ports].filter(Boolean).join(' · ');
  const look = stateLook(c);
  item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
  item.contextValue = containerContextValue(c);
  item.accessibilityInformation = { label: `${c.name}, ${c.state}, ${item.description}` };
  return item;
}

/** A group row: a Compose project, a state or an image, with how many of its containers run. */
export function groupTreeItem(key: string, label: string, groupBy: GroupBy, members: ContainerRecord[]): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = key;
  const running = members.filter((c) => c.state === 'running').length;
  item.description = vscode.l10n.t('{0} of {1} running', running, members.length);
  item.iconPath = new vscode.ThemeIcon(groupBy === 'composeProject' ? 'layers' : groupBy === 'image' ? 'package' : 'symbol-enum');
  item.contextValue = `group:${groupBy}`;
  return item;
}

/** A published port under its container; clicking it opens it in the browser when it is TCP. */
export function portTreeItem(key: string, p: PortRecord): vscode.TreeItem {
  const item = new vscode.TreeItem(formatPort(p), vscode.TreeItemCollapsibleState.None);
  item.id = key;
  item.iconPath = new vscode.ThemeIcon('plug');
  const url = portUrl(p);
  item.contextValue = url ? 'port:web' : 'port';
  if (url) {
    item.tooltip = vscode.l10n.t('Open {0} in the browser', url);
    item.command = { command: 'berth.containers.openPort', title: vscode.l10n.t('Open in Browser'), arguments: [key] };
  }
  return item;
}

const SHOWN_ENV = 12;

/** Everything a container row shows; equal signatures need no re-render. */
export function rowSignature(c: ContainerRecord): string {
  return JSON.stringify([c.name, c.image, c.state, c.health, c.status, publishedPorts(c)]);
}

export function containerTooltip(c: ContainerRecord, env?: readonly string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMarkdown(c.name)}** \`${shortId(c.id)}\`\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Image')}: \`${escapeMarkdown(c.image)}\`\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('State')}: ${escapeMarkdown(c.state)}${c.health ? ` (${escapeMarkdown(c.health)})` : ''} — ${escapeMarkdown(c.status)}\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Created')}: ${formatAge(c.created, Date.now(), vscode.env.language)}\n\n`);
  if (c.command) md.appendMarkdown(`${vscode.l10n.t('Command')}: \`${escapeMarkdown(c.command)}\`\n\n`);
  if (c.ports.length) {
    md.appendMarkdown(`${vscode.l10n.t('Ports')}:\n`);
    for (const p of c.ports) md.appendMarkdown(`- ${escapeMarkdown(formatPort(p))}\n`);
    md.appendMarkdown('\n');
  }
  if (env) {
    md.appendMarkdown(`${env.length === 1 ? vscode.l10n.t('1 environment variable') : vscode.l10n.t('{0} environment variables', env.length)}${env.length ? ':' : ''}\n`);
    for (const e of maskEnv(env.slice(0, SHOWN_ENV))) md.appendMarkdown(`- \`${e.replace(/`/g, "'")}\`\n`);
    if (env.length > SHOWN_ENV) md.appendMarkdown(`- ${vscode.l10n.t('and {0} more', env.length - SHOWN_ENV)}\n`);
    md.appendMarkdown('\n');
  }
  labelsMarkdown(md, c.labels);
  return md;
}
