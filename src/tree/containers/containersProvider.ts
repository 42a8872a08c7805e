import * as vscode from 'vscode';
import type { EngineSession } from '../../session/engineSession';
import { containerTree, patchTree, refreshTargets, type ContainerTree } from '../../model/containerTree';
import { groupValue, type ContainerGroup, type GroupBy, type SortBy } from '../../model/grouping';
import type { ContainerRecord } from '../../contract/records';
import { matchesFilter } from '../../model/usage';
import { changedRows, systemClock, Ticker, type Clock } from '../../model/rowTicker';
import { PendingActions } from '../../model/pendingActions';
import type { StoreChange } from '../../model/store';
import { ROOT } from '../../model/treeDiff';
import { containerGroupKey, isGroupKey, portKey, portOwner } from '../../model/treeKeys';
import { fileKeyParent, filesKey, isFileKey } from '../../model/files/fileKeys';
import { containerTooltip, containerTreeItem, groupTreeItem, itemSignature, portTreeItem, rowSignature } from './containerNode';

const HOLD_MS = 250;
/** Status text counts minutes, so rows age once a minute (while the view is visible). */
const TICK_MS = 60_000;

export interface ContainersViewOptions {
  groupBy(): GroupBy;
  sortBy(): SortBy;
  clock?: Clock;
  /** A running container's short usage text ("12% · 85 MB"), when berth.containers.showUsage is on. */
  usage?(id: string): string | undefined;
  /** The Files rows under each container (issue 25), from the files bundle once expanded. */
  files?: FileRows;
}

/** What the files bundle answers for the rows under a container's Files node. */
export interface FileRows {
  children(key: string): Thenable<string[]>;
  item(key: string): vscode.TreeItem;
}

/**
 * Containers view. Elements are group keys, container ids and port keys (model/treeKeys). The
 * tree is kept as a child map (model/containerTree), rebuilt on each store change and diffed
 * with the last one, so only the parents whose children changed and the rows whose text changed
 * re-render; the whole tree only when the top level changes.
 */
export class ContainersProvider implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | string[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  private tree: ContainerTree = { children: new Map(), groups: new Map(), parents: new Map(), loose: new Map() };
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
      if (this.tree.parents.has(id)) this.changed.fire(id);
    });
    this.clock = options.clock ?? systemClock;
    this.ticker = new Ticker(TICK_MS, () => this.age(), this.clock);
    this.rebuild();
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
      const c = this.tree.parents.has(id) ? store.get(id) : undefined;
      return c && rowSignature(c, now, this.pending.get(id), this.usageOf(c));
    }))
      this.changed.fire(id);
  }

  /** New usage figures arrived: re-renders only the rows whose text changed. */
  refreshUsage(): void {
    this.age();
  }

  /** The running containers shown as rows, whose usage the rows would show. */
  runningRows(): string[] {
    return [...this.tree.parents.keys()].filter((id) => this.session.containers.get(id)?.state === 'running');
  }

  private usageOf(c: ContainerRecord): string | undefined {
    return c.state === 'running' ? this.options.usage?.(c.id) : undefined;
  }

  private apply(change: StoreChange): void {
    const store = this.session.containers;
    // `docker run` creates then starts within a few ms. Two renders inside VS Code's 200 ms tree
    // debounce make the second (running) one wait the debounce out, so a fresh `created` row is
    // left out of the tree until its start, or HOLD_MS.
    const fresh = change.added.filter((id) => store.get(id)?.state === 'created');
    const released = [...change.updated, ...change.removed].filter((id) => this.held.has(id) && store.get(id)?.state !== 'created');
    for (const id of released) this.release(id);
    for (const id of fresh) this.held.set(id, setTimeout(() => this.release(id, true), HOLD_MS));
    const updated = change.updated.filter((id) => !this.held.has(id));
    // Rows that only changed state keep their places: patch them in rather than re-sort them all.
    const plain = !released.length && !change.removed.length && change.added.every((id) => this.held.has(id));
    const records = updated.map((id) => store.get(id)).filter((c): c is ContainerRecord => !!c && this.visible(c));
    const patched = plain && records.length === updated.length ? patchTree(this.tree, records, this.options.groupBy(), this.options.sortBy()) : undefined;
    this.update(updated, patched);
  }

  /** Rebuilds the child map (unless given it) and fires what differs from the last one. */
  private update(updated: readonly string[], next?: ContainerTree): void {
    const before = this.tree;
    if (next) this.tree = next;
    else this.rebuild();
    // A network connect changes nothing shown: rowSignature skips it.
    const now = this.clock.now();
    const targets = refreshTargets(before, this.tree, updated, (id) => {
      const c = this.session.containers.get(id);
      return !c || this.shownAs.get(id) !== rowSignature(c, now, this.pending.get(id), this.usageOf(c));
    });
    if (!targets) return this.changed.fire(undefined);
    // One event: VS Code debounces its tree refresh (200 ms, leading edge), so a second fire in
    // the same tick would reach the page 200 ms later.
    if (targets.length) this.changed.fire(targets.length === 1 ? targets[0] : targets);
  }

  private rebuild(): void {
    const shown = this.session.containers.all().filter((c) => !this.held.has(c.id) && this.visible(c));
    this.tree = containerTree(shown, this.options.groupBy(), this.options.sortBy());
  }

  private release(id: string, fire = false): void {
    clearTimeout(this.held.get(id));
    this.held.delete(id);
    if (fire) this.update([]);
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
    // Berth's own helper for browsing a volume (issue 25) is not the user's container.
    if (c.labels['berth.volumeHelper'] !== undefined) return false;
    return matchesFilter(this.filterText, c.name, c.image, c.id.slice(0, 12));
  }

  /** Re-renders everything, after the grouping or sorting setting changed. */
  refresh(): void {
    this.rebuild();
    this.changed.fire(undefined);
  }

  /** Files rows are listed from the engine; every other row's children are known at once. */
  getChildren(element: `file${string}`): Thenable<string[]>;
  getChildren(element?: string): string[];
  getChildren(element?: string): string[] | Thenable<string[]> {
    if (element && isFileKey(element)) return this.options.files?.children(element) ?? Promise.resolve([]);
    const children = [...(this.tree.children.get(element ?? ROOT) ?? [])];
    // A container row's Files node comes after its ports.
    if (element && this.options.files && this.tree.parents.has(element)) children.push(filesKey(element));
    return children;
  }

  /** Re-lists a Files node or folder row (after a new file, a rename, an upload). */
  refreshRow(key: string | undefined): void {
    this.changed.fire(key);
  }

  getParent(element: string): string | undefined {
    if (isFileKey(element)) return fileKeyParent(element);
    const owner = portOwner(element);
    if (owner) return owner;
    if (isGroupKey(element)) return undefined;
    const parent = this.tree.parents.get(element);
    if (parent !== undefined) return parent === ROOT ? undefined : parent;
    // Not in the tree yet (held, or filtered out): where it will be.
    const c = this.session.containers.get(element);
    const value = c && groupValue(c, this.options.groupBy());
    return value === undefined ? undefined : containerGroupKey(this.options.groupBy(), value);
  }

  record(id: string): ContainerRecord | undefined {
    return this.session.containers.get(id);
  }

  group(key: string): ContainerGroup | undefined {
    return this.tree.groups.get(key);
  }

  /** The container and port a port row stands for. */
  port(key: string): { container: ContainerRecord; port: ContainerRecord['ports'][number] } | undefined {
    const owner = portOwner(key);
    const container = owner ? this.session.containers.get(owner) : undefined;
    const port = container?.ports.find((p) => portKey(container.id, p) === key);
    return container && port ? { container, port } : undefined;
  }

  getTreeItem(element: string): vscode.TreeItem {
    if (isFileKey(element) && this.options.files) return this.options.files.item(element);
    const group = this.tree.groups.get(element);
    // Rebuilt on every store change, so its members are current.
    if (group) return groupTreeItem(group.key, group.label, this.options.groupBy(), group.containers);
    const port = this.port(element);
    if (port) return portTreeItem(element, port.port, port.container.image);
    const c = this.session.containers.get(element);
    if (!c) return new vscode.TreeItem(element);
    const item = containerTreeItem(c, this.clock.now(), this.pending.get(c.id), this.usageOf(c));
    if (this.options.files) item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    this.shownAs.set(c.id, itemSignature(item));
    return item;
  }

  /** The tooltip needs the environment, which only inspect gives: fetched on hover, never before. */
  async resolveTreeItem(item: vscode.TreeItem, id: string): Promise<vscode.TreeItem> {
    if (isFileKey(id)) return item;
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
