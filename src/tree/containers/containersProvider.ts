import * as vscode from 'vscode';
import type { EngineSession } from '../../model/engineSession';
import { sortContainers } from '../../model/format';
import type { ContainerRecord } from '../../model/records';
import { containerTooltip, containerTreeItem } from './containerNode';

/** Containers view. Elements are ids; a store change refreshes only the rows it names. */
export class ContainersProvider implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly session: EngineSession) {
    this.subscription = session.containers.onDidChange((change) => {
      // Added or removed rows change the root's list; otherwise only the updated rows re-render.
      if (change.added.length || change.removed.length) this.changed.fire(undefined);
      else for (const id of change.updated) this.changed.fire(id);
    });
  }

  getChildren(element?: string): string[] {
    if (element) return [];
    return sortContainers(this.session.containers.all()).map((c) => c.id);
  }

  record(id: string): ContainerRecord | undefined {
    return this.session.containers.get(id);
  }

  getTreeItem(id: string): vscode.TreeItem {
    const c = this.session.containers.get(id);
    if (!c) return new vscode.TreeItem(id);
    return containerTreeItem(c);
  }

  resolveTreeItem(item: vscode.TreeItem, id: string): vscode.TreeItem {
    const c = this.session.containers.get(id);
    if (c) item.tooltip = containerTooltip(c);
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
