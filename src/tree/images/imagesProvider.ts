import * as vscode from 'vscode';
import type { EngineSession } from '../../session/engineSession';
import { parseReference } from '../../model/imageReference';
import { groupImages, imageRowKey, repositoryKey, type ImageRow, type RepositoryGroup } from '../../model/imageTree';
import { formatAge } from '../../model/format';
import { changedRows, systemClock, Ticker, type Clock } from '../../model/rowTicker';
import { changedParents, ROOT, type ChildMap } from '../../model/treeDiff';
import { imageUsers, matchesFilter } from '../../model/usage';
import { DANGLING_GROUP, danglingGroupTreeItem, imageTooltip, imageTreeItem, repositoryTreeItem } from './imageNode';

export interface ImagesViewOptions {
  showDangling(): boolean;
  clock?: Clock;
}

/** Ages under a minute are said in seconds ("10 seconds ago"), so rows age every 10 s while visible. */
const TICK_MS = 10_000;

/**
 * Images view: repositories, their tags, and a "Dangling images" group. Elements are keys
 * (`repo:<name>`, `tag:<ref>`, `dangling:<id>`, `group:dangling`). A change re-renders only the
 * parents whose children changed and the rows whose image changed.
 */
export class ImagesProvider implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: { dispose(): void }[];
  private children: ChildMap = new Map();
  private rows = new Map<string, ImageRow>();
  private repositories = new Map<string, RepositoryGroup>();
  private dangling: ImageRow[] = [];
  /** Containers per image id, so rows say "used by" and update when containers come and go. */
  private users = new Map<string, number>();
  private filterText: string | undefined;
  /** The age each row was rendered with, so a tick re-renders only the rows whose age text changed. */
  private readonly shownAge = new Map<string, string>();
  private readonly clock: Clock;
  private readonly ticker: Ticker;

  constructor(
    private readonly session: EngineSession,
    private readonly options: ImagesViewOptions = { showDangling: () => true },
  ) {
    this.subscriptions = [
      session.images.onDidChange((change) => {
        const before = this.children;
        this.rebuild();
        this.fire(changedParents(before, this.children));
        for (const [key, row] of this.rows) if (change.updated.includes(row.image.id)) this.changed.fire(key);
      }),
      session.containers.onDidChange(() => {
        const before = this.users;
        this.countUsers();
        for (const [key, row] of this.rows) if ((before.get(row.image.id) ?? 0) !== (this.users.get(row.image.id) ?? 0)) this.changed.fire(key);
      }),
    ];
    this.countUsers();
    this.rebuild();
    this.clock = options.clock ?? systemClock;
    this.ticker = new Ticker(TICK_MS, () => this.age(), this.clock);
  }

  /** The Images view shows or hides: rows age only while it is visible. */
  setVisible(visible: boolean): void {
    this.ticker.setActive(visible);
  }

  /** For tests only: how often rows age. */
  setTickInterval(ms: number): void {
    this.ticker.setInterval(ms);
  }

  private ageText(key: string, now: number): string | undefined {
    const row = this.rows.get(key);
    return row && formatAge(row.image.created, now, vscode.env.language);
  }

  /** Re-renders the shown rows whose age text has changed; no engine request. */
  private age(): void {
    const now = this.clock.now();
    for (const key of changedRows(this.shownAge, (key) => this.ageText(key, now))) this.changed.fire(key);
  }

  get filter(): string | undefined {
    return this.filterText;
  }

  set filter(value: string | undefined) {
    this.filterText = value || undefined;
    this.refresh();
  }

  /** Re-renders everything (setting or filter changed). */
  refresh(): void {
    this.rebuild();
    this.changed.fire(undefined);
  }

  private fire(parents: string[]): void {
    if (parents.includes(ROOT)) return this.changed.fire(undefined);
    for (const p of parents) this.changed.fire(p);
  }

  private countUsers(): void {
    const users = new Map<string, number>();
    for (const c of this.session.containers.all()) users.set(c.imageId, (users.get(c.imageId) ?? 0) + 1);
    this.users = users;
  }

  private rebuild(): void {
    const filter = this.filterText;
    const { repositories, dangling } = groupImages(this.session.images.all(), (row) => matchesFilter(filter, row.tag, row.image.id.replace(/^sha256:/, '')));
    this.repositories = new Map(repositories.map((r) => [repositoryKey(r.repository), r]));
    this.dangling = this.options.showDangling() ? dangling : [];
    this.rows = new Map();
    const children: ChildMap = new Map();
    const root: string[] = [];
    for (const [key, repo] of this.repositories) {
      root.push(key);
      children.set(key, repo.rows.map((r) => this.addRow(r)));
    }
    if (this.dangling.length) {
      root.push(DANGLING_GROUP);
      children.set(DANGLING_GROUP, this.dangling.map((r) => this.addRow(r)));
    }
    children.set(ROOT, root);
    this.children = children;
  }

  private addRow(row: ImageRow): string {
    const key = imageRowKey(row);
    this.rows.set(key, row);
    return key;
  }

  isEmpty(): boolean {
    return !this.children.get(ROOT)?.length;
  }

  row(key: string): ImageRow | undefined {
    return this.rows.get(key);
  }

  /** Rows under a repository or the dangling group, or the row itself. */
  rowsUnder(key: string): ImageRow[] {
    const row = this.rows.get(key);
    if (row) return [row];
    return (this.children.get(key) ?? []).map((k) => this.rows.get(k)).filter((r): r is ImageRow => !!r);
  }

  getChildren(element?: string): string[] {
    return [...(this.children.get(element ?? ROOT) ?? [])];
  }

  getParent(element: string): string | undefined {
    const row = this.rows.get(element);
    if (!row) return undefined;
    return row.tag ? repositoryKey(parseReference(row.tag).repository) : DANGLING_GROUP;
  }

  getTreeItem(key: string): vscode.TreeItem {
    const repo = this.repositories.get(key);
    if (repo) return repositoryTreeItem(repo);
    if (key === DANGLING_GROUP) return danglingGroupTreeItem(this.dangling);
    const row = this.rows.get(key);
    if (!row) return new vscode.TreeItem(key);
    const now = this.clock.now();
    this.shownAge.set(key, this.ageText(key, now) ?? '');
    return imageTreeItem(row, this.users.get(row.image.id) ?? 0, now);
  }

  resolveTreeItem(item: vscode.TreeItem, key: string): vscode.TreeItem {
    const row = this.rows.get(key);
    if (row) item.tooltip = imageTooltip(row, imageUsers(row.image.id, this.session.containers.all()).map((c) => c.name));
    return item;
  }

  dispose(): void {
    this.ticker.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
