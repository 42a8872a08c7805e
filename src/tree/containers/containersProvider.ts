import * as vscode from 'vscode';
import type { EngineSession } from '../../session/engineSession';
import { portKey, publishedPorts } from '../../model/format';
import { arrangeContainers, groupKey, groupValue, type ContainerGroup, type GroupBy, type SortBy } from '../../model/grouping';
import type { ContainerRecord } from '../../contract/records';
import { matchesFilter } from '../../model/usage';
import { changedRows, systemClock, Ticker, type Clock } from '../../model/rowTicker';
import { PendingActions } from '../../model/pendingActions';
import type { StoreChange } from '../../model/store';
import { containerTooltip, containerTreeItem, groupTreeItem, itemSignature, portTreeItem, rowSignature } from './containerNode';

const HOLD_MS = 250;
/** Status text counts minutes, so rows age once a minute (while the view is visible). */
const TICK_MS = 60_000;

export interface ContainersViewOptions {
  groupBy(): GroupBy;
  sortBy(): SortBy;
  clock?: Clock;
}

/**
 * Containers view. Elements are group keys (`group:...`), container ids, and port keys
 * (`<id>/port/...`). A store change refreshes only the rows it names, unless rows move.
 */
export class ContainersProvider implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  private groups = new Map<string, ContainerGroup>();
  /** The group each container was shown under at the last render. */
  private shownIn = new Map<string, string | undefined>();
  private filterText: string | undefined;
  /** What each row showed when last rendered, to skip updates that change nothing visible. */
  private readonly shownAs = new Map<string, string>();
  private readonly held = new Map<string, NodeJS.Timeout>();
  private readonly clock: Clock;
  private readonly ticker: Ticker;
  /** Berth's own stop and restart in flight, shown on their rows until the engine reports back. */
  readonly pending: PendingActions;

  constructor(
    private readonly session: EngineSession,
    private readonly options: ContainersViewOptions = { groupBy: () => 'composeProject', sortBy: () => 'created' },
  ) {
    this.subscription = session.containers.onDidChange((change) => this.apply(change));
    this.pending = new PendingActions(session.containers);
    this.pending.onDidChange((id) => {
      if (this.shownIn.has(id)) this.changed.fire(id);
    });
    this.clock = options.clock ?? systemClock;
    this.ticker = new Ticker(TICK_MS, () => this.age(), this.clock);
  }

  /** The Containers view shows or hides: rows age only while it is visible. */
  setVisible(visible: boolean): void {
    this.ticker.setActive(visible);
  }

  /** For tests only: how often rows age (production: a minute). */
  setTickInterval(ms: number): void {
    this.ticker.setInterval(ms);
  }

  /** Re-renders the shown rows whose text time has changed ("Up 5 minutes" → "Up 6 minutes"); no engine request. */
  private age(): void {
    const now = this.clock.now();
    const store = this.session.containers;
    for (const id of changedRows(this.shownAs, (id) => {
      const c = this.shownIn.has(id) ? store.get(id) : undefined;
      return c && rowSignature(c, now, this.pending.get(id));
    }))
      this.changed.fire(id);
  }

  private apply(change: StoreChange): void {
    const store = this.session.containers;
    // `docker run` creates then starts within a few ms. Two renders inside VS Code's 200 ms tree
    // debounce make the second (running) one wait the debounce out, so a fresh `created` row is
    // held back until its start, or HOLD_MS.
    const fresh = change.added.filter((id) => store.get(id)?.state === 'created');
    const released = [...change.updated, ...change.removed].filter((id) => this.held.has(id) && store.get(id)?.state !== 'created');
    for (const id of released) this.release(id);
    for (const id of fresh) this.held.set(id, setTimeout(() => this.release(id, true), HOLD_MS));
    const added = change.added.filter((id) => !this.held.has(id));
    const updated = change.updated.filter((id) => !this.held.has(id));
    const groupBy = this.options.groupBy();
    const moved = updated.some((id) => {
      const c = store.get(id);
      return c && (this.shownIn.get(id) !== this.parentKey(c, groupBy) || this.shownIn.has(id) !== this.visible(c));
    });
    // Rows that appear, vanish or change group re-render their parents; otherwise only the rows
    // whose visible text changed (a network connect changes nothing shown).
    if (moved || released.length || added.length || change.removed.length) return this.changed.fire(undefined);
    for (const id of updated) {
      const c = store.get(id);
      if (c && this.shownAs.get(id) === rowSignature(c, this.clock.now(), this.pending.get(id))) continue;
      this.changed.fire(id);
      const parent = this.shownIn.get(id);
      if (parent) this.changed.fire(parent); // its running count
    }
  }

  private release(id: string, fire = false): void {
    clearTimeout(this.held.get(id));
    this.held.delete(id);
    if (fire) this.changed.fire(undefined);
  }

  get filter(): string | undefined {
    return this.filterText;
  }

  set filter(value: string | undefined) {
    this.filterText = value || undefined;
    this.refresh();
  }

  isEmpty(): boolean {
    return !this.session.containers.all().some((c) => this.visible(c));
  }

  private visible(c: ContainerRecord): boolean {
    return matchesFilter(this.filterText, c.name, c.image, c.id.slice(0, 12));
  }

  /** Re-renders everything, after the grouping or sorting setting changed. */
  refresh(): void {
    this.changed.fire(undefined);
  }

  private parentKey(c: ContainerRecord, groupBy: GroupBy): string | undefined {
    const value = groupValue(c, groupBy);
    return value === undefined ? undefined : groupKey(groupBy, value);
  }

  getChildren(element?: string): string[] {
    if (!element) {
      const { groups, loose } = arrangeContainers(this.session.containers.all().filter((c) => this.visible(c)), this.options.groupBy(), this.options.sortBy());
      this.groups = new Map(groups.map((g) => [g.key, g]));
      this.shownIn = new Map();
      for (const g of groups) for (const c of g.containers) this.shownIn.set(c.id, g.key);
      for (const c of loose) this.shownIn.set(c.id, undefined);
      return [...groups.map((g) => g.key), ...loose.map((c) => c.id)];
    }
    const group = this.groups.get(element);
    if (group) return group.containers.map((c) => c.id);
    const c = this.session.containers.get(element);
    return c ? publishedPorts(c).map((p) => portKey(c.id, p)) : [];
  }

  getParent(element: string): string | undefined {
    const slash = element.indexOf('/port/');
    if (slash > 0) return element.slice(0, slash);
    if (element.startsWith('group:')) return undefined;
    const c = this.session.containers.get(element);
    return c && this.parentKey(c, this.options.groupBy());
  }

  record(id: string): ContainerRecord | undefined {
    return this.session.containers.get(id);
  }

  group(key: string): ContainerGroup | undefined {
    return this.groups.get(key);
  }

  /** The container and port a port row stands for. */
  port(key: string): { container: ContainerRecord; port: ContainerRecord['ports'][number] } | undefined {
    const slash = key.indexOf('/port/');
    const container = slash > 0 ? this.session.containers.get(key.slice(0, slash)) : undefined;
    const port = container?.ports.find((p) => portKey(container.id, p) === key);
    return container && port ? { container, port } : undefined;
  }

  getTreeItem(element: string): vscode.TreeItem {
    const group = this.groups.get(element);
    if (group) {
      // Counts come from the store, so a state change shows without regrouping.
      const members = group.containers.map((c) => this.session.containers.get(c.id) ?? c);
      return groupTreeItem(group.key, group.label, this.options.groupBy(), members);
    }
    const port = this.port(element);
    if (port) return portTreeItem(element, port.port);
    const c = this.session.containers.get(element);
    if (!c) return new vscode.TreeItem(element);
    const item = containerTreeItem(c, this.clock.now(), this.pending.get(c.id));
    this.shownAs.set(c.id, itemSignature(item));
    return item;
  }

  /** The tooltip needs the environment, which only inspect gives: fetched on hover, never before. */
  async resolveTreeItem(item: vscode.TreeItem, id: string): Promise<vscode.TreeItem> {
    const c = this.session.containers.get(id);
    if (!c) return item;
    let env: string[] | undefined;
    try {
      env = ((await this.session.requireClient().inspect('container', id)) as { Config?: { Env?: string[] | null } }).Config?.Env ?? [];
    } catch {
      env = undefined; // gone or unreachable: the tooltip shows what the list knows
    }
    item.tooltip = containerTooltip(c, env, this.clock.now());
    return item;
  }

  dispose(): void {
    for (const t of this.held.values()) clearTimeout(t);
    this.ticker.dispose();
    this.subscription.dispose();
    this.pending.dispose();
    this.changed.dispose();
  }
}
