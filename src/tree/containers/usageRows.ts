// "12% · 85 MB" in running containers' rows (berth.containers.showUsage, off by default): asked
// for only while the setting is on and the Containers view is visible, through the sampler's pool
// every 2 s, and re-rendered at most every 2 s, only the rows whose text changed.
import * as vscode from 'vscode';
import { rowUsageText } from '../../model/resourceUsage/format';
import type { UsageHistory } from '../../model/resourceUsage/history';
import type { EngineSession } from '../../session/engineSession';
import type { UsageSampler } from '../../session/usageSampler';
import type { ContainersProvider } from './containersProvider';

export const ROW_USAGE_EVERY_MS = 2000;

export class RowUsage implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastRefresh = 0;
  private active = false;
  /** Collapsed group rows: their containers' rows are not visible, so they need no figures. */
  private readonly collapsed = new Set<string>();

  constructor(
    private readonly provider: ContainersProvider,
    private readonly view: vscode.TreeView<string>,
    session: EngineSession,
    private readonly sampler: UsageSampler,
    private readonly history: UsageHistory,
  ) {
    this.subscriptions.push(
      view.onDidChangeVisibility(() => this.update()),
      view.onDidCollapseElement((e) => this.setCollapsed(e.element, true)),
      view.onDidExpandElement((e) => this.setCollapsed(e.element, false)),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('berth.containers.showUsage') && this.update()),
      sampler.onDidSample(() => this.active && this.schedule()),
      session.containers.onDidChange(() => this.active && this.demand()),
    );
    this.update();
  }

  private enabled(): boolean {
    return vscode.workspace.getConfiguration('berth.containers').get<boolean>('showUsage', false);
  }

  /** The row's usage text, or undefined when rows show none. */
  text(id: string): string | undefined {
    if (!this.active) return undefined;
    const p = this.history.latest(id);
    return p ? rowUsageText(p, vscode.env.language) : undefined;
  }

  private setCollapsed(key: string, collapsed: boolean): void {
    if (collapsed) this.collapsed.add(key);
    else this.collapsed.delete(key);
    if (this.active) this.demand();
  }

  /** VS Code does not say which rows are scrolled into view; rows in a collapsed group are not. */
  private demand(): void {
    const shown = this.provider.runningRows().filter((id) => {
      const parent = this.provider.getParent(id);
      return parent === undefined || !this.collapsed.has(parent);
    });
    this.sampler.demand(this, shown, ROW_USAGE_EVERY_MS);
  }

  private update(): void {
    const active = this.enabled() && this.view.visible;
    if (active === this.active) return;
    this.active = active;
    if (active) this.demand();
    else this.sampler.release(this);
    // Turned off: the text leaves the rows at once; turned on: it comes with the first figures.
    this.provider.refreshUsage();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.lastRefresh = Date.now();
        if (this.active) this.provider.refreshUsage();
      },
      Math.max(0, this.lastRefresh + ROW_USAGE_EVERY_MS - Date.now()),
    );
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.sampler.release(this);
    for (const s of this.subscriptions) s.dispose();
  }
}
