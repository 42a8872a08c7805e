import * as vscode from 'vscode';
import type { EngineSession } from '../../model/engineSession';
import { imageRows, sortImageRows } from '../../model/format';
import { imageRowKey, imageTooltip, imageTreeItem, type ImageRow } from './imageNode';

/** Images view: one row per tag, dangling images last. Elements are row keys (id|tag). */
export class ImagesProvider implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  private rows = new Map<string, ImageRow>();

  constructor(private readonly session: EngineSession) {
    this.subscription = session.images.onDidChange((change) => {
      const before = new Set(this.rows.keys());
      this.rebuild();
      const sameKeys = before.size === this.rows.size && [...before].every((k) => this.rows.has(k));
      if (!sameKeys || change.added.length || change.removed.length) return this.changed.fire(undefined);
      for (const [key, row] of this.rows) if (change.updated.includes(row.image.id)) this.changed.fire(key);
    });
    this.rebuild();
  }

  private rebuild(): void {
    this.rows = new Map(sortImageRows(imageRows(this.session.images.all())).map((r) => [imageRowKey(r), r]));
  }

  row(key: string): ImageRow | undefined {
    return this.rows.get(key);
  }

  getChildren(element?: string): string[] {
    return element ? [] : [...this.rows.keys()];
  }

  getTreeItem(key: string): vscode.TreeItem {
    const row = this.rows.get(key);
    return row ? imageTreeItem(row) : new vscode.TreeItem(key);
  }

  resolveTreeItem(item: vscode.TreeItem, key: string): vscode.TreeItem {
    const row = this.rows.get(key);
    if (row) item.tooltip = imageTooltip(row);
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
