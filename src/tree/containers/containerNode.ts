import * as vscode from 'vscode';
import { plural } from '../../ui/locale';
import { codeSpan, escapeMarkdown } from '../../ui/markdown';
import { browserUrl, connectionHint, portKind } from '../../model/connectionHint';
import { formatAge, formatPort, publishedPorts, shortId } from '../../model/format';
import type { GroupBy } from '../../model/grouping';
import type { PendingAction } from '../../model/pendingActions';
import type { ContainerRecord, ContainerState, PortRecord } from '../../contract/records';
import { maskEnv } from '../../model/secrets';
import { field, labelsMarkdown } from '../usersText';
import { containerStatusText, healthName, stateName } from './statusText';

interface StateLook {
  icon: string;
  color: string;
}

/**
 * State icons must never look like the row's buttons (Start is ▷ debug-start, Stop □ debug-stop,
 * Pause, Restart, Remove a trash can): shapes and spinners, in theme colours so they read in light,
 * dark and high-contrast themes. Transient states spin.
 */
export function stateLook(c: ContainerRecord, pending?: PendingAction): StateLook {
  if (pending) return { icon: pending === 'restarting' ? 'sync~spin' : 'loading~spin', color: 'charts.yellow' };
  if (c.state === 'running') {
    if (c.health === 'unhealthy') return { icon: 'warning', color: 'list.warningForeground' };
    if (c.health === 'starting') return { icon: 'pulse', color: 'charts.yellow' };
    return { icon: 'circle-filled', color: 'testing.iconPassed' };
  }
  switch (c.state) {
    case 'paused':
      // Not 'snooze': codicons has none, and the row showed no icon at all.
      return { icon: 'clock', color: 'charts.blue' };
    case 'restarting':
      return { icon: 'sync~spin', color: 'charts.yellow' };
    case 'dead':
      return { icon: 'error', color: 'errorForeground' };
    case 'removing':
      return { icon: 'loading~spin', color: 'descriptionForeground' };
    default: // exited, created
      return { icon: 'circle-outline', color: 'descriptionForeground' };
  }
}

/** contextValue encodes the state for `when` clauses: container:running, container:exited, ... */
export function containerContextValue(c: ContainerRecord): string {
  return c.health === 'unhealthy' ? `container:${c.state}:unhealthy` : `container:${c.state}`;
}

/** "127.0.0.1 port 8080 to 80/tcp": a screen reader reads "→" as an arrow, or not at all. */
function spokenPort(p: PortRecord): string {
  const inside = `${p.containerPort}/${p.protocol}`;
  return p.hostPort === undefined ? inside : vscode.l10n.t('{0} port {1} to {2}', p.hostIp ?? '0.0.0.0', p.hostPort, inside);
}

export function containerCount(n: number): string {
  return n === 1 ? vscode.l10n.t('1 container') : vscode.l10n.t('{0} containers', n);
}

/**
 * A container row at `nowMs`. The description is cut at the sidebar's width, so it leads with
 * what matters most: the status (state and health), then ports, then the image.
 */
export function containerTreeItem(c: ContainerRecord, nowMs: number, pending?: PendingAction, usage?: string): vscode.TreeItem {
  const published = publishedPorts(c);
  const ports = published.map(formatPort);
  const item = new vscode.TreeItem(c.name, ports.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = c.id;
  const status = pending === 'stopping' ? vscode.l10n.t('Stopping…') : pending === 'restarting' ? vscode.l10n.t('Restarting…') : containerStatusText(c, nowMs) || stateName(c.state);
  // Usage ("12% · 85 MB", berth.containers.showUsage) first: it changes most, and at the default
  // side bar width anything after the status is cut.
  item.description = [...(usage ? [usage] : []), status, ...ports, c.image].join(' · ');
  const look = stateLook(c, pending);
  item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
  item.contextValue = containerContextValue(c);
  const spoken = published.length
    ? vscode.l10n.t('Container {0}, {1}, image {2}, ports {3}', c.name, status, c.image, published.map(spokenPort).join(', '))
    : vscode.l10n.t('Container {0}, {1}, image {2}', c.name, status, c.image);
  // The usage text is rowUsageText's "CPU · memory".
  const [cpu, memory] = usage ? usage.split(' · ') : [];
  item.accessibilityInformation = { label: usage ? vscode.l10n.t('{0}, CPU {1}, memory {2}', spoken, cpu, memory) : spoken };
  return item;
}

/** "Exited", "Running": the state's localised name as a heading. */
function stateHeading(state: string): string {
  const name = stateName(state as ContainerState) ?? state;
  return name.charAt(0).toLocaleUpperCase(vscode.env.language) + name.slice(1);
}

/** A group row: a Compose project, a state or an image, with how many of its containers run. */
export function groupTreeItem(key: string, label: string, groupBy: GroupBy, members: ContainerRecord[]): vscode.TreeItem {
  const byState = groupBy === 'state';
  const item = new vscode.TreeItem(byState ? stateHeading(label) : label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = key;
  const running = members.filter((c) => c.state === 'running').length;
  // Grouped by state every member has the group's state: "0 of 3 running" would say nothing.
  item.description = byState ? containerCount(members.length) : vscode.l10n.t('{0} of {1} running', running, members.length);
  if (byState) {
    const look = stateLook({ state: label } as ContainerRecord);
    item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
  } else item.iconPath = new vscode.ThemeIcon(groupBy === 'composeProject' ? 'layers' : 'package');
  item.contextValue = `group:${groupBy}`;
  item.accessibilityInformation = {
    label: byState
      ? vscode.l10n.t('{0}: {1}', stateHeading(label), containerCount(members.length))
      : groupBy === 'composeProject'
        ? plural(
            running,
            vscode.l10n.t({ message: 'Compose project {0}: {1} of {2} containers running', args: [label, running, members.length], comment: ['the running count is 0 or 1 (singular in French)'] }),
            vscode.l10n.t('Compose project {0}: {1} of {2} containers running', label, running, members.length),
          )
        : plural(
            running,
            vscode.l10n.t({ message: 'Image {0}: {1} of {2} containers running', args: [label, running, members.length], comment: ['the running count is 0 or 1 (singular in French)'] }),
            vscode.l10n.t('Image {0}: {1} of {2} containers running', label, running, members.length),
          ),
  };
  return item;
}

/**
 * A published port under its container, with how to reach it ("postgres: 127.0.0.1:5433").
 * contextValue port:http (or https) where a browser plausibly gets an answer, port:tcp for
 * another protocol (a database), port:udp: only web ports open in the browser on a click.
 */
export function portTreeItem(key: string, p: PortRecord, image: string): vscode.TreeItem {
  const item = new vscode.TreeItem(formatPort(p), vscode.TreeItemCollapsibleState.None);
  item.id = key;
  item.iconPath = new vscode.ThemeIcon('plug');
  const kind = portKind(image, p) ?? 'udp';
  const url = browserUrl(image, p);
  const hint = connectionHint(image, p);
  const said = hint && !url ? vscode.l10n.t('{0}: {1}', hint.service, hint.address) : url;
  if (said) item.description = said;
  item.contextValue = `port:${kind === 'https' ? 'http' : kind}`;
  item.accessibilityInformation = {
    label: url
      ? vscode.l10n.t('Published port {0}, opens {1}', spokenPort(p), url)
      : hint
        ? vscode.l10n.t('Published port {0}, {1} at {2}', spokenPort(p), hint.service, hint.address)
        : vscode.l10n.t('Published port {0}', spokenPort(p)),
  };
  if (url) {
    item.tooltip = vscode.l10n.t('Open {0} in the browser', url);
    item.command = { command: 'berth.containers.openPort', title: vscode.l10n.t('Open in Browser'), arguments: [key] };
  } else if (hint) item.tooltip = vscode.l10n.t('{0} at {1}: Copy Port Address puts it on the clipboard', hint.service, hint.address);
  return item;
}

const SHOWN_ENV = 12;

/** Everything a container row shows at `nowMs`; equal signatures need no re-render. */
export function rowSignature(c: ContainerRecord, nowMs: number, pending?: PendingAction, usage?: string): string {
  return itemSignature(containerTreeItem(c, nowMs, pending, usage));
}

export function itemSignature(item: vscode.TreeItem): string {
  return JSON.stringify([item.label, item.description, item.iconPath, item.contextValue, item.collapsibleState]);
}

export function containerTooltip(c: ContainerRecord, env?: readonly string[], nowMs = Date.now()): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escapeMarkdown(c.name)}** ${codeSpan(shortId(c.id))}\n\n`);
  md.appendMarkdown(`${field(vscode.l10n.t('Image'))} ${codeSpan(c.image)}\n\n`);
  const state = `${stateName(c.state)}${c.health ? ` (${healthName(c.health)})` : ''}`;
  const status = containerStatusText(c, nowMs, false);
  md.appendMarkdown(`${field(vscode.l10n.t('State'))} ${escapeMarkdown(state)}${status ? ` — ${escapeMarkdown(status)}` : ''}\n\n`);
  md.appendMarkdown(`${field(vscode.l10n.t('Created'))} ${formatAge(c.created, nowMs, vscode.env.language)}\n\n`);
  if (c.command) md.appendMarkdown(`${field(vscode.l10n.t('Command'))} ${codeSpan(c.command)}\n\n`);
  if (c.ports.length) {
    md.appendMarkdown(`${field(vscode.l10n.t('Ports'))}\n`);
    for (const p of c.ports) md.appendMarkdown(`- ${escapeMarkdown(formatPort(p))}\n`);
    md.appendMarkdown('\n');
  }
  if (env) {
    const count = plural(env.length, vscode.l10n.t('{0} environment variable', env.length), vscode.l10n.t('{0} environment variables', env.length));
    md.appendMarkdown(`${env.length ? field(count) : count}\n`);
    for (const e of maskEnv(env.slice(0, SHOWN_ENV))) md.appendMarkdown(`- ${codeSpan(e)}\n`);
    if (env.length > SHOWN_ENV) md.appendMarkdown(`- ${vscode.l10n.t('and {0} more', env.length - SHOWN_ENV)}\n`);
    md.appendMarkdown('\n');
  }
  labelsMarkdown(md, c.labels);
  return md;
}
