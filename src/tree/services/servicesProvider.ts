// The Services view: stacks → services → tasks (→ each task's own host ports), and a Nodes group.
// Rows come from the SwarmWatcher's stores; after each change only the rows whose text or
// children changed are fired (the whole tree only when the top level changed).
import * as vscode from 'vscode';
import type { PortRecord } from '../../contract/records';
import type { NodeRecord, ServiceRecord, TaskRecord } from '../../contract/swarm';
import { browserUrl, connectionHint, portKind } from '../../model/connectionHint';
import { shortId } from '../../model/format';
import { formatServicePort } from '../../model/swarm/ports';
import { countReplicas } from '../../model/swarm/replicas';
import { groupByStack } from '../../model/swarm/stacks';
import { taskStateText, taskTone, visibleTasks } from '../../model/swarm/tasks';
import type { SwarmWatcher } from '../../session/swarmWatcher';
import { plural } from '../../ui/locale';
import { availabilityName, durationPhrases, nodeStateName, publishModeText, reachabilityName, taskPhrases } from '../../ui/swarmText';

export type SwarmRow =
  | { kind: 'stack'; key: string; stack: string; services: ServiceRecord[] }
  | { kind: 'service'; key: string; service: ServiceRecord }
  | { kind: 'task'; key: string; task: TaskRecord; service?: ServiceRecord }
  /** `published`: the port as the task's node publishes it (loopback on this engine's node), for its address. */
  | { kind: 'taskPort'; key: string; task: TaskRecord; port: TaskRecord['ports'][0]; image: string; published: PortRecord }
  | { kind: 'nodes'; key: string; nodes: NodeRecord[] }
  | { kind: 'node'; key: string; node: NodeRecord };

export const NODES_KEY = 'nodes';

export class ServicesProvider implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | string[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private rows = new Map<string, SwarmRow>();
  private children = new Map<string, string[]>();
  private parents = new Map<string, string>();
  private signatures = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(readonly watcher: SwarmWatcher) {
    const update = () => this.recompute();
    this.disposables.push(this.changed, watcher.services.onDidChange(update), watcher.tasks.onDidChange(update), watcher.nodes.onDidChange(update), watcher.onDidChangeMode(update), watcher.onDidChangeConverging(update));
    this.recompute();
  }

  /** While visible, "how long" texts re-render once a minute (asking the engine nothing). */
  setVisible(on: boolean): void {
    if (on && !this.ticker) this.ticker = setInterval(() => this.recompute(true), 60_000);
    if (!on && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  row(key: string): SwarmRow | undefined {
    return this.rows.get(key);
  }

  allRows(): SwarmRow[] {
    return [...this.rows.values()];
  }

  private nodeName(id: string | undefined): string {
    const n = id ? this.watcher.nodes.get(id) : undefined;
    return n ? n.hostname : id ? shortId(id) : '';
  }

  private recompute(timesOnly = false): void {
    const rows = new Map<string, SwarmRow>();
    const children = new Map<string, string[]>();
    const parents = new Map<string, string>();
    const add = (parent: string, row: SwarmRow) => {
      rows.set(row.key, row);
      parents.set(row.key, parent);
      children.set(parent, [...(children.get(parent) ?? []), row.key]);
    };
    const tasksBy = new Map<string, TaskRecord[]>();
    for (const t of this.watcher.tasks.all()) tasksBy.set(t.serviceId, [...(tasksBy.get(t.serviceId) ?? []), t]);
    const addService = (parent: string, s: ServiceRecord) => {
      const key = `service:${s.id}`;
      add(parent, { kind: 'service', key, service: s });
      children.set(key, []);
      for (const t of visibleTasks(tasksBy.get(s.id) ?? [])) {
        const tkey = `task:${t.id}`;
        add(key, { kind: 'task', key: tkey, task: t, service: s });
        children.set(tkey, []);
        const local = t.nodeId === this.watcher.info?.nodeId;
        const hostIp = local ? '127.0.0.1' : (this.watcher.nodes.all().find((n) => n.id === t.nodeId)?.addr ?? '127.0.0.1');
        t.ports.forEach((p, i) =>
          add(tkey, { kind: 'taskPort', key: `taskport:${t.id}:${i}`, task: t, port: p, image: s.image, published: { containerPort: p.targetPort, protocol: p.protocol, hostPort: p.publishedPort, hostIp } }),
        );
      }
    };
    children.set('', []);
    if (this.watcher.mode === 'manager') {
      for (const g of groupByStack(this.watcher.services.all())) {
        if (!g.stack) {
          for (const s of g.services) addService('', s);
          continue;
        }
        const key = `stack:${g.stack}`;
        add('', { kind: 'stack', key, stack: g.stack, services: g.services });
        for (const s of g.services) addService(key, s);
      }
      const nodes = this.watcher.nodes.all().sort((a, b) => a.hostname.localeCompare(b.hostname) || a.role.localeCompare(b.role) || a.id.localeCompare(b.id));
      add('', { kind: 'nodes', key: NODES_KEY, nodes });
      for (const n of nodes) add(NODES_KEY, { kind: 'node', key: `node:${n.id}`, node: n });
    }
    const now = Date.now();
    const signatures = new Map<string, string>();
    for (const [key, row] of rows) {
      const item = this.treeItemOf(row, now);
      // The spoken label too: a stack row's says how many tasks run, which its text does not show.
      signatures.set(key, JSON.stringify([item.label, item.description, item.contextValue, (item.iconPath as vscode.ThemeIcon)?.id, item.collapsibleState, item.accessibilityInformation?.label]));
    }
    const fire: string[] = [];
    const sameList = (a: string[] | undefined, b: string[] | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
    const rootChanged = !sameList(this.children.get(''), children.get(''));
    for (const [key, sig] of signatures) {
      if (this.signatures.get(key) !== sig || !sameList(this.children.get(key), children.get(key))) {
        if (!this.rows.has(key)) continue;
        // A task row whose ports came or went has a new id (see treeItemOf): its parent redraws it.
        const row = rows.get(key);
        const before = this.rows.get(key);
        if (row?.kind === 'task' && before?.kind === 'task' && !row.task.ports.length !== !before.task.ports.length) fire.push(parents.get(key) ?? key);
        else fire.push(key);
      }
    }
    this.rows = rows;
    this.children = children;
    this.parents = parents;
    this.signatures = signatures;
    if (rootChanged) this.changed.fire(undefined);
    else if (fire.length) this.changed.fire(fire);
    else if (timesOnly) return;
  }

  getChildren(key?: string): string[] {
    return this.children.get(key ?? '') ?? [];
  }

  getParent(key: string): string | undefined {
    return this.parents.get(key) || undefined;
  }

  getTreeItem(key: string): vscode.TreeItem {
    const row = this.rows.get(key);
    if (!row) return new vscode.TreeItem(key);
    return this.treeItemOf(row, Date.now());
  }

  private treeItemOf(row: SwarmRow, now: number): vscode.TreeItem {
    const collapsible = (open: boolean) => (this.children.get(row.key)?.length || row.kind === 'service' || row.kind === 'stack' || row.kind === 'nodes' ? (open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
    switch (row.kind) {
      case 'stack': {
        const item = new vscode.TreeItem(row.stack, vscode.TreeItemCollapsibleState.Expanded);
        item.id = row.key;
        item.description = plural(row.services.length, vscode.l10n.t('{0} service', row.services.length), vscode.l10n.t('{0} services', row.services.length));
        item.iconPath = new vscode.ThemeIcon('layers');
        item.contextValue = 'stack';
        item.tooltip = vscode.l10n.t('Stack {0}', row.stack);
        // Spoken: what the row shows, and how many of its tasks run (a stack row has no count of its own).
        const tasks = this.watcher.tasks.all();
        const counts = row.services.map((s) => countReplicas(s, tasks));
        const running = counts.reduce((n, c) => n + c.running, 0);
        const desired = counts.reduce((n, c) => n + c.desired, 0);
        item.accessibilityInformation = { label: vscode.l10n.t('Stack {0}, {1}, {2}', row.stack, item.description, vscode.l10n.t('{0}/{1} running', running, desired)) };
        return item;
      }
      case 'service': {
        const s = row.service;
        const item = new vscode.TreeItem(s.name, collapsible(false));
        item.id = row.key;
        const count = countReplicas(s, this.watcher.tasks.all());
        const mode = s.mode === 'global' ? vscode.l10n.t('global') : vscode.l10n.t('replicated');
        const ports = s.ports.map((p) => `${formatServicePort(p)} (${publishModeText(p.mode)})`);
        const state = vscode.l10n.t('{0}/{1} running', count.running, count.desired);
        const update = s.updateState && s.updateState !== 'completed' ? [updateStateText(s.updateState)] : [];
        item.description = [state, ...update, mode, s.image, ...ports].join(' · ');
        // Short of its replicas: converging while Berth follows it, else stuck (a failed task with no restart, a Pending port).
        const healthy = count.running === count.desired;
        const converging = this.watcher.converging.includes(s.id);
        item.iconPath = healthy
          ? new vscode.ThemeIcon('server-process', new vscode.ThemeColor('charts.green'))
          : converging
            ? new vscode.ThemeIcon('sync', new vscode.ThemeColor('charts.yellow'))
            : new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.red'));
        item.contextValue = `service:${s.mode}${s.canRollback ? ':rollback' : ''}`;
        item.accessibilityInformation = { label: vscode.l10n.t('Service {0}, {1}', s.name, item.description) };
        const md = new vscode.MarkdownString();
        md.appendText(vscode.l10n.t('Service {0}', s.name));
        md.appendMarkdown('\n\n');
        md.appendText(`${state} · ${mode}\n${s.image}\n${ports.join(', ')}${s.updateMessage ? `\n${s.updateMessage}` : ''}`);
        item.tooltip = md;
        return item;
      }
      case 'task': {
        const t = row.task;
        const name = row.service ? (t.slot ? `${row.service.name}.${t.slot}` : `${row.service.name}.${this.nodeName(t.nodeId)}`) : shortId(t.id);
        const item = new vscode.TreeItem(name, t.ports.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        // VS Code keeps a row's first collapsible state for its id: a task first drawn while starting
        // (no port yet) would stay closed once its port arrives. With ports it is another id, so it opens.
        item.id = t.ports.length ? `${row.key}:ports` : row.key;
        const text = taskStateText(t, now, vscode.env.language, taskPhrases(), durationPhrases());
        item.description = [this.nodeName(t.nodeId), text, t.error].filter(Boolean).join(' · ');
        const tone = taskTone(t);
        const icon: Record<typeof tone, [string, string]> = {
          running: ['pass-filled', 'charts.green'],
          starting: ['loading~spin', 'charts.blue'],
          pending: ['watch', 'charts.yellow'],
          failed: ['error', 'charts.red'],
          stopped: ['circle-outline', 'disabledForeground'],
        };
        item.iconPath = new vscode.ThemeIcon(icon[tone][0], new vscode.ThemeColor(icon[tone][1]));
        const local = t.containerId && t.nodeId === this.watcher.info?.nodeId;
        item.contextValue = `task:${tone}${local ? ':local' : ''}`;
        item.accessibilityInformation = { label: vscode.l10n.t('Task {0}, {1}', name, item.description) };
        item.tooltip = [vscode.l10n.t('Task {0}', t.id), t.message, t.error, t.containerId ? vscode.l10n.t('Container {0}', shortId(t.containerId)) : undefined].filter(Boolean).join('\n');
        return item;
      }
      case 'taskPort': {
        const p = row.port;
        const item = new vscode.TreeItem(`${p.publishedPort ?? '*'} → ${p.targetPort}/${p.protocol}`, vscode.TreeItemCollapsibleState.None);
        item.id = row.key;
        // How to reach it, as on a container's port row ("postgres: 127.0.0.1:5432").
        const url = browserUrl(row.image, row.published);
        const hint = connectionHint(row.image, row.published);
        const reach = url ?? (hint ? vscode.l10n.t('{0}: {1}', hint.service, hint.address) : undefined);
        item.description = [publishModeText(p.mode), reach].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon('plug');
        const kind = portKind(row.image, row.published);
        item.contextValue = kind ? `taskPort:${kind === 'https' ? 'http' : kind}` : 'taskPort';
        item.accessibilityInformation = { label: vscode.l10n.t('Published port {0}', `${item.label}${reach ? `, ${reach}` : ''}`) };
        return item;
      }
      case 'nodes': {
        const item = new vscode.TreeItem(vscode.l10n.t('Nodes'), vscode.TreeItemCollapsibleState.Expanded);
        item.id = row.key;
        item.description = String(row.nodes.length);
        item.iconPath = new vscode.ThemeIcon('server-environment');
        item.contextValue = 'nodes';
        return item;
      }
      case 'node': {
        const n = row.node;
        const item = new vscode.TreeItem(n.hostname, vscode.TreeItemCollapsibleState.None);
        item.id = row.key;
        const role = n.role === 'manager' ? (n.leader ? vscode.l10n.t('manager (leader)') : vscode.l10n.t('manager')) : vscode.l10n.t('worker');
        const parts = [role, availabilityName(n.availability), nodeStateName(n.state), n.engineVersion ? vscode.l10n.t('Engine {0}', n.engineVersion) : '', n.reachability ? reachabilityName(n.reachability) : '', n.addr];
        item.description = parts.filter(Boolean).join(' · ');
        const ok = n.state === 'ready' && n.availability === 'active';
        item.iconPath = new vscode.ThemeIcon('server', new vscode.ThemeColor(ok ? 'charts.green' : n.state === 'ready' ? 'charts.yellow' : 'charts.red'));
        item.contextValue = `node:${n.availability}${n.id === this.watcher.info?.nodeId ? ':self' : ''}`;
        item.accessibilityInformation = { label: vscode.l10n.t('Node {0}, {1}', n.hostname, item.description) };
        item.tooltip = vscode.l10n.t('Node {0} ({1})', n.hostname, n.id);
        return item;
      }
    }
  }

  dispose(): void {
    this.setVisible(false);
    for (const d of this.disposables) d.dispose();
  }
}

function updateStateText(state: string): string {
  switch (state) {
    case 'updating':
      return vscode.l10n.t('updating');
    case 'paused':
      return vscode.l10n.t('update paused');
    case 'rollback_started':
      return vscode.l10n.t('rolling back');
    case 'rollback_paused':
      return vscode.l10n.t('rollback paused');
    case 'rollback_completed':
      return vscode.l10n.t('rolled back');
    default:
      return state;
  }
}
