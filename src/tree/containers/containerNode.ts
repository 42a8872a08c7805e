import * as vscode from 'vscode';
import { codeSpan, escapeMarkdown } from '../../ui/markdown';
import { formatAge, formatPort, portUrl, publishedPorts, shortId } from '../../model/format';
import type { GroupBy } from '../../model/grouping';
import type { ContainerRecord, PortRecord } from '../../model/records';
import { maskEnv } from '../../model/secrets';
import { labelsMarkdown } from '../usersText';
import { containerStatusText, healthName, stateName } from './statusText';

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

/**
 * A container row at `nowMs`. The description is cut at the sidebar's width, so it leads with
 * what matters most: the status (state and health), then ports, then the image.
 */
export function containerTreeItem(c: ContainerRecord, nowMs: number): vscode.TreeItem {
  const ports = publishedPorts(c).map(formatPort);
  const item = new vscode.TreeItem(c.name, ports.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = c.id;
  const status = containerStatusText(c, nowMs) || stateName(c.state);
  item.description = [status, ...ports, c.image].join(' · ');
  const look = stateLook(c);
  item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
  item.contextValue = containerContextValue(c);
  item.accessibilityInformation = {
    label: ports.length
      ? vscode.l10n.t('{0}: {1}, ports {2}, image {3}', c.name, status, ports.join(', '), c.image)
      : vscode.l10n.t('{0}: {1}, image {2}', c.name, status, c.image),
  };
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

/** Everything a container row shows at `nowMs`; equal signatures need no re-render. */
export function rowSignature(c: ContainerRecord, nowMs: number): string {
  return itemSignature(containerTreeItem(c, nowMs));
}

export function itemSignature(item: vscode.TreeItem): string {
  return JSON.stringify([item.label, item.description, item.iconPath, item.contextValue, item.collapsibleState]);
}

export function containerTooltip(c: ContainerRecord, env?: readonly string[], nowMs = Date.now()): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escapeMarkdown(c.name)}** ${codeSpan(shortId(c.id))}\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Image')}: ${codeSpan(c.image)}\n\n`);
  const state = `${stateName(c.state)}${c.health ? ` (${healthName(c.health)})` : ''}`;
  const status = containerStatusText(c, nowMs, false);
  md.appendMarkdown(`${vscode.l10n.t('State')}: ${escapeMarkdown(state)}${status ? ` — ${escapeMarkdown(status)}` : ''}\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Created')}: ${formatAge(c.created, nowMs, vscode.env.language)}\n\n`);
  if (c.command) md.appendMarkdown(`${vscode.l10n.t('Command')}: ${codeSpan(c.command)}\n\n`);
  if (c.ports.length) {
    md.appendMarkdown(`${vscode.l10n.t('Ports')}:\n`);
    for (const p of c.ports) md.appendMarkdown(`- ${escapeMarkdown(formatPort(p))}\n`);
    md.appendMarkdown('\n');
  }
  if (env) {
    md.appendMarkdown(`${env.length === 1 ? vscode.l10n.t('1 environment variable') : vscode.l10n.t('{0} environment variables', env.length)}${env.length ? ':' : ''}\n`);
    for (const e of maskEnv(env.slice(0, SHOWN_ENV))) md.appendMarkdown(`- ${codeSpan(e)}\n`);
    if (env.length > SHOWN_ENV) md.appendMarkdown(`- ${vscode.l10n.t('and {0} more', env.length - SHOWN_ENV)}\n`);
    md.appendMarkdown('\n');
  }
  labelsMarkdown(md, c.labels);
  return md;
}
