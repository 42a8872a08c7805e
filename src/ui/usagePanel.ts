// The Resource Usage panel: a webview per scope (all running containers, a Compose project or
// service, a selection) showing dist/usagePanel.js under a strict nonce-based CSP. The history
// lives in the extension host (UsageHistory), so a panel closed and reopened shows the last ten
// minutes again. The page gets at most one message a second: new points since the last one.
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { ContainerRecord } from '../contract/records';
import { COMPOSE_PROJECT_LABEL } from '../model/grouping';
import { COMPOSE_SERVICE_LABEL } from '../model/composeTree';
import type { PlotTrack } from '../model/resourceUsage/aggregate';
import type { UsageHistory } from '../model/resourceUsage/history';
import type { EngineSession } from '../session/engineSession';
import type { UsageSampler } from '../session/usageSampler';
import type { FromWebview, ToWebview, UsageStrings } from '../webview/usagePanel/protocol';

export type UsageScope = { kind: 'all' } | { kind: 'project'; project: string } | { kind: 'service'; project: string; service: string } | { kind: 'containers'; ids: string[] };

export interface UsagePanelDeps {
  extensionUri: vscode.Uri;
  session: EngineSession;
  sampler: UsageSampler;
  history: UsageHistory;
}

const MESSAGE_EVERY_MS = 1000;

function scopeKey(s: UsageScope): string {
  switch (s.kind) {
    case 'all':
      return 'all';
    case 'project':
      return `project:${s.project}`;
    case 'service':
      return `service:${s.project}/${s.service}`;
    case 'containers':
      return `containers:${[...s.ids].sort().join(',')}`;
  }
}

function inScope(s: UsageScope, c: ContainerRecord): boolean {
  switch (s.kind) {
    case 'all':
      return c.state === 'running';
    case 'project':
      return c.labels[COMPOSE_PROJECT_LABEL] === s.project;
    case 'service':
      return c.labels[COMPOSE_PROJECT_LABEL] === s.project && c.labels[COMPOSE_SERVICE_LABEL] === s.service;
    case 'containers':
      return s.ids.includes(c.id);
  }
}

function strings(): UsageStrings {
  return {
    cpu: vscode.l10n.t('CPU'),
    memory: vscode.l10n.t('Memory'),
    network: vscode.l10n.t('Network'),
    block: vscode.l10n.t('Block I/O'),
    pause: vscode.l10n.t('Pause'),
    resume: vscode.l10n.t('Resume'),
    paused: vscode.l10n.t('Paused: the plots are still; figures keep arriving.'),
    name: vscode.l10n.t('Name'),
    received: vscode.l10n.t('Received'),
    sent: vscode.l10n.t('Sent'),
    read: vscode.l10n.t('Read'),
    written: vscode.l10n.t('Written'),
    limit: vscode.l10n.t('limit'),
    stopped: vscode.l10n.t('stopped'),
    removed: vscode.l10n.t('removed'),
    resumed: vscode.l10n.t('resumed'),
    unreachableMarker: vscode.l10n.t('engine unreachable'),
    unreachableSince: vscode.l10n.t('The engine does not answer: no figures since {0}. The plots go on when it answers again.'),
    unreachable: vscode.l10n.t('The engine does not answer: no figures. The plots go on when it answers again.'),
    total: vscode.l10n.t('total'),
    empty: vscode.l10n.t('No running container to show yet.'),
    sortBy: vscode.l10n.t('Sort by {0}'),
    time: vscode.l10n.t('Time'),
  };
}

function title(s: UsageScope, session: EngineSession): string {
  switch (s.kind) {
    case 'all':
      return vscode.l10n.t('Resource Usage');
    case 'project':
      return vscode.l10n.t('Resource Usage: {0}', s.project);
    case 'service':
      return vscode.l10n.t('Resource Usage: {0}', `${s.project}/${s.service}`);
    case 'containers':
      return s.ids.length === 1 ? vscode.l10n.t('Resource Usage: {0}', session.containers.get(s.ids[0])?.name ?? s.ids[0].slice(0, 12)) : vscode.l10n.t('Resource Usage: {0} containers', s.ids.length);
  }
}

export class UsagePanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  /** Content Security Policy violations the page reported (tests prove the policy holds). */
  readonly cspViolations: { directive: string; blocked: string }[] = [];
  /** Ms from opening to the first point drawn, once drawn. */
  firstPointMs: number | undefined;
  /** Ms from opening to the page's first 'ready', and to the first message with points. */
  readyMs: number | undefined;
  firstPointsSentMs: number | undefined;
  /** Messages sent to the page so far. */
  messages = 0;
  paused = false;
  private readonly opened = performance.now();
  /** When the engine stopped answering (seconds), 0 when it went before this panel opened; undefined while it answers. */
  private unreachableSince: number | undefined;
  /** Per container: the last second and the last marker sent. */
  private readonly sent = new Map<string, { t: number; seq: number }>();
  private ready = false;
  /** The page has said it is ready and has not had its first message yet. */
  private initPending = false;
  private lastSend = 0;
  private lastVersion = -1;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;

  constructor(
    readonly scope: UsageScope,
    private readonly deps: UsagePanelDeps,
    onVisibility: () => void,
  ) {
    const dist = vscode.Uri.joinPath(deps.extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel('berth.usage', title(scope, deps.session), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [dist],
      // Nothing kept while hidden: the page asks for everything again when shown (state is here).
      retainContextWhenHidden: false,
    });
    this.panel.webview.html = this.html(dist);
    this.subscriptions.push(
      this.panel.webview.onDidReceiveMessage((m: FromWebview) => this.received(m)),
      this.panel.onDidChangeViewState(() => {
        this.updateDemand();
        onVisibility();
      }),
      this.panel.onDidDispose(() => this.dispose()),
      deps.sampler.onDidSample(() => this.schedule()),
      deps.session.containers.onDidChange(() => {
        this.updateDemand();
        this.schedule();
      }),
      deps.session.onDidChangeStatus((st) => this.engineStatus(st.state)),
    );
    if (deps.session.status.state === 'unreachable') this.unreachableSince = 0;
    this.updateDemand();
  }

  /** Whether the page says the engine does not answer (tests). */
  get engineUnreachable(): boolean {
    return this.unreachableSince !== undefined;
  }

  private engineStatus(state: string): void {
    const before = this.unreachableSince;
    if (state === 'unreachable') this.unreachableSince ??= Math.round(Date.now() / 1000);
    else if (state === 'ready') this.unreachableSince = undefined;
    if (before !== this.unreachableSince && this.ready && this.panel.visible) void this.panel.webview.postMessage({ type: 'engine', unreachableSince: this.unreachableSince } satisfies ToWebview);
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  /** The containers shown: those in scope now, and those already shown that the history keeps. */
  ids(): string[] {
    const ids = new Set(this.deps.session.containers.all().filter((c) => inScope(this.scope, c)).map((c) => c.id));
    for (const id of this.sent.keys()) if (this.deps.history.snapshot(id, Infinity, Infinity)) ids.add(id);
    return [...ids];
  }

  private updateDemand(): void {
    if (this.panel.visible) this.deps.sampler.demand(this, this.ids(), 1000);
    else {
      this.deps.sampler.release(this);
      this.ready = false;
    }
  }

  private html(dist: vscode.Uri): string {
    const w = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const src = (f: string) => w.asWebviewUri(vscode.Uri.joinPath(dist, f)).toString();
    // No inline script or style: the script and uPlot's stylesheet come from dist/, the script by nonce.
    const csp = [`default-src 'none'`, `img-src ${w.cspSource}`, `style-src ${w.cspSource}`, `font-src ${w.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${src('usagePanel.css')}">
<title>${escapeHtml(this.panel.title)}</title>
</head>
<body>
<header><h1>${escapeHtml(this.panel.title)}</h1><span id="paused" class="paused-note" hidden></span><button id="pause" type="button" aria-pressed="false"></button></header>
<p id="engine" class="engine-note" role="status" hidden></p>
<p id="empty" class="empty" hidden></p>
<div id="plots" class="plots"></div>
<table id="table"></table>
<script nonce="${nonce}" src="${src('usagePanel.js')}"></script>
</body>
</html>`;
  }

  private received(m: FromWebview): void {
    switch (m.type) {
      case 'ready':
        this.readyMs ??= performance.now() - this.opened;
        this.ready = true;
        this.sent.clear();
        // The first message waits for the first points (up to a second): sent empty at once, it
        // would hold them back a second under the one-message-a-second rule.
        this.initPending = true;
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        if (this.hasPoints()) this.send(true);
        else
          this.timer = setTimeout(() => {
            this.timer = undefined;
            this.send(true);
          }, MESSAGE_EVERY_MS);
        break;
      case 'drawn':
        this.firstPointMs ??= performance.now() - this.opened;
        break;
      case 'csp':
        this.cspViolations.push({ directive: m.directive, blocked: m.blocked });
        break;
      case 'paused':
        this.paused = m.paused;
        break;
    }
  }

  /** Sends new points now, or at one second after the last message. */
  private hasPoints(): boolean {
    return this.ids().some((id) => this.deps.history.latest(id) !== undefined || (this.deps.history.snapshot(id)?.points.length ?? 0) > 0);
  }

  private schedule(): void {
    if (!this.ready) return;
    if (this.initPending) {
      // Waiting for the first points: they go at once.
      if (!this.hasPoints()) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.send(true);
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.lastSend + MESSAGE_EVERY_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send(false);
    }, wait);
  }

  private send(init: boolean): void {
    if (!this.ready || !this.panel.visible) return;
    const version = this.deps.history.version;
    const ids = this.ids();
    if (!init && version === this.lastVersion && ids.every((id) => this.sent.has(id))) return;
    this.lastVersion = version;
    const tracks: PlotTrack[] = [];
    const dropped: string[] = [];
    for (const id of ids) {
      const since = this.sent.get(id) ?? { t: -Infinity, seq: 0 };
      const snap = this.deps.history.snapshot(id, since.t, since.seq);
      const c = this.deps.session.containers.get(id);
      if (!snap) {
        if (!c) continue;
        // In scope but not sampled (just started, or not running): listed, with no figures yet.
        if (!init && this.sent.has(id)) continue;
        this.sent.set(id, since);
        tracks.push({ meta: { id, name: c.name }, live: false, points: [], markers: [] });
        continue;
      }
      const last = snap.points[snap.points.length - 1];
      const lastMarker = snap.markers[snap.markers.length - 1];
      this.sent.set(id, { t: last?.t ?? since.t, seq: lastMarker?.seq ?? since.seq });
      if (!init && !snap.points.length && !snap.markers.length && since.t !== -Infinity) continue;
      tracks.push(snap);
    }
    for (const id of [...this.sent.keys()]) {
      if (ids.includes(id)) continue;
      this.sent.delete(id);
      dropped.push(id);
    }
    const now = Math.round(Date.now() / 1000);
    this.initPending = false;
    if (tracks.some((t) => t.points.length)) this.firstPointsSentMs ??= performance.now() - this.opened;
    const message: ToWebview = init
      ? { type: 'init', strings: strings(), locale: vscode.env.language, now, tracks, unreachableSince: this.unreachableSince }
      : { type: 'update', now, tracks, dropped };
    this.lastSend = Date.now();
    this.messages++;
    void this.panel.webview.postMessage(message);
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.deps.sampler.release(this);
    for (const s of this.subscriptions) s.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One panel per scope: opening the same scope again reveals it. */
export class UsagePanels implements vscode.Disposable {
  private readonly open = new Map<string, UsagePanel>();
  private readonly visibility = new vscode.EventEmitter<void>();
  readonly onDidChangeVisibility = this.visibility.event;

  constructor(private readonly deps: UsagePanelDeps) {}

  show(scope: UsageScope): UsagePanel {
    const key = scopeKey(scope);
    const known = this.open.get(key);
    if (known) {
      known.reveal();
      return known;
    }
    const panel = new UsagePanel(scope, this.deps, () => this.visibility.fire());
    this.open.set(key, panel);
    panel.onDidDispose(() => {
      this.open.delete(key);
      this.visibility.fire();
    });
    this.visibility.fire();
    return panel;
  }

  /** Whether any panel shows: the engine's events must then be followed. */
  get visible(): boolean {
    return [...this.open.values()].some((p) => p.visible);
  }

  /** Closes every panel (another engine: their containers are not its). */
  closeAll(): number {
    const open = [...this.open.values()];
    for (const p of open) p.dispose();
    return open.length;
  }

  /** Open panels (tests and the benchmark). */
  panels(): UsagePanel[] {
    return [...this.open.values()];
  }

  dispose(): void {
    for (const p of [...this.open.values()]) p.dispose();
    this.visibility.dispose();
  }
}
