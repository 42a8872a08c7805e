import * as vscode from 'vscode';
import type { EngineSession } from '../../model/engineSession';
import { portKey, publishedPorts, sortContainers } from '../../model/format';
import type { ContainerRecord } from '../../model/records';
import { containerTooltip, containerTreeItem, portTreeItem } from './containerNode';

/**
 * Containers view. Elements are container ids, and port keys (`<id>/port/...`) for the published
 * ports under each container; a store change refreshes only the rows it names.
 */
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
    if (!element) return sortContainers(this.session.containers.all()).map((c) => c.id);
    const c = this.session.containers.get(element);
    return c ? publishedPorts(c).map((p) => portKey(c.id, p)) : [];
  }

  getParent(element: string): string | undefined {
    const slash = element.indexOf('/port/');
    return slash > 0 ? element.slice(0, slash) : undefined;
  }

  /** The container and port a port row stands for. */
  port(key: string): { container: ContainerRecord; port: ContainerRecord['ports'][number] } | undefined {
    const id = this.getParent(key);
    const container = id ? this.session.containers.get(id) : undefined;
    const port = container?.ports.find((p) => portKey(container.id, p) === key);
    return container && port ? { container, port } : undefined;
  }

  record(id: string): ContainerRecord | undefined {
    return this.session.containers.get(id);
  }

  getTreeItem(id: string): vscode.TreeItem {
    const port = this.port(id);
    if (port) return portTreeItem(id, port.port);
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
