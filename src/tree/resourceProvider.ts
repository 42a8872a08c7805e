import * as vscode from 'vscode';
import type { EngineSession } from '../session/engineSession';
import type { ContainerRecord } from '../contract/records';
import type { Store } from '../model/store';
import { changedParents, ROOT, type ChildMap } from '../model/treeDiff';
import { compareNames } from '../model/grouping';
import { matchesFilter } from '../model/usage';

export interface ResourceKind<T extends { id: string }> {
  store(session: EngineSession): Store<T>;
  name(record: T): string;
  /** Texts the view's filter searches. */
  searchable(record: T): (string | undefined)[];
  users(record: T, containers: readonly ContainerRecord[]): ContainerRecord[];
  treeItem(record: T, users: readonly ContainerRecord[]): vscode.TreeItem;
  tooltip(record: T, users: readonly ContainerRecord[]): vscode.MarkdownString;
}

/** Rows under a record's row (a volume's Files), from a lazy feature. */
export interface ChildRows {
  /** The rows directly under a record's row. */
  under(id: string): string[];
  /** Whether a key is one of these rows (or below them). */
  owns(key: string): boolean;
  children(key: string): Thenable<string[]>;
  item(key: string): vscode.TreeItem;
}

/**
 * A flat view of volumes or networks, sorted by name. Elements are ids. A change re-renders the
 * list only when rows appear, vanish or are filtered; otherwise just the rows that changed,
 * including those whose users changed.
 */
export class ResourceProvider<T extends { id: string }> implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: { dispose(): void }[];
  private children: ChildMap = new Map();
  private users = new Map<string, ContainerRecord[]>();
  private filterText: string | undefined;
  /** Rows whose tooltip VS Code resolved since they were last rendered. */
  private readonly tooltips = new Set<string>();

  constructor(
    private readonly session: EngineSession,
    private readonly kind: ResourceKind<T>,
    private readonly rows?: ChildRows,
  ) {
    const store = kind.store(session);
    this.subscriptions = [
      store.onDidChange((change) => {
        const before = this.children;
        this.rebuild();
        if (changedParents(before, this.children).length) return this.changed.fire(undefined);
        for (const id of change.updated) this.changed.fire(id);
      }),
      session.containers.onDidChange(() => {
        const before = this.users;
        this.countUsers();
        // The row shows how many use it; its tooltip, once shown, who and in what state. Every
        // container start re-rendered the bridge network's row for a tooltip nobody had opened.
        for (const id of this.children.get(ROOT) ?? []) {
          const a = before.get(id) ?? [];
          const b = this.users.get(id) ?? [];
          if (a.length !== b.length || (this.tooltips.has(id) && a.some((c, i) => c.id !== b[i].id || c.state !== b[i].state))) {
            this.tooltips.delete(id);
            this.changed.fire(id);
          }
        }
      }),
    ];
    this.rebuild();
  }

  get filter(): string | undefined {
    return this.filterText;
  }

  set filter(value: string | undefined) {
    this.filterText = value || undefined;
    this.rebuild();
    this.changed.fire(undefined);
  }

  private countUsers(): void {
    const containers = this.session.containers.all();
    this.users = new Map(this.kind.store(this.session).all().map((r) => [r.id, this.kind.users(r, containers)]));
  }

  private rebuild(): void {
    this.countUsers();
    const rows = this.kind
      .store(this.session)
      .all()
      .filter((r) => matchesFilter(this.filterText, ...this.kind.searchable(r)))
      .sort((a, b) => compareNames(this.kind.name(a), this.kind.name(b)));
    this.children = new Map([[ROOT, rows.map((r) => r.id)]]);
  }

  record(id: string): T | undefined {
    return this.kind.store(this.session).get(id);
  }

  isEmpty(): boolean {
    return !this.children.get(ROOT)?.length;
  }

  usersOf(id: string): ContainerRecord[] {
    return this.users.get(id) ?? [];
  }

  getChildren(element?: undefined): string[];
  getChildren(element: string): string[] | Thenable<string[]>;
  getChildren(element?: string): string[] | Thenable<string[]> {
    if (!element) return [...(this.children.get(ROOT) ?? [])];
    if (this.rows?.owns(element)) return this.rows.children(element);
    return this.rows && this.record(element) ? this.rows.under(element) : [];
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(id: string): vscode.TreeItem {
    if (this.rows?.owns(id)) return this.rows.item(id);
    const r = this.record(id);
    if (!r) return new vscode.TreeItem(id);
    const item = this.kind.treeItem(r, this.usersOf(id));
    if (this.rows?.under(id).length) item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, id: string): vscode.TreeItem {
    if (this.rows?.owns(id)) return item;
    const r = this.record(id);
    if (r) item.tooltip = this.kind.tooltip(r, this.usersOf(id));
    this.tooltips.add(id);
    return item;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
