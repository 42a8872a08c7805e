// The Services view as dist/extension.js holds it: a thin provider that loads dist/swarm.js once an
// engine is ready, forwards the rows of the real one (tree/services/servicesProvider.ts), and sets
// the context key that shows the view (berth.swarmMode: manager, worker or inactive).
import * as vscode from 'vscode';
import type { ServicesFeature } from '../../commands/swarm/index';
import type { SwarmRow } from './servicesProvider';
import type { EngineSession } from '../../session/engineSession';
import type { InspectDocuments } from '../../ui/inspectDocuments';
import { swarmModule } from '../../ui/swarmModule';

export class ServicesView implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | string[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private loaded: ServicesFeature | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private visible = false;

  constructor(
    private readonly session: EngineSession,
    private readonly log: (m: string) => void,
    private readonly inspectDocs?: InspectDocuments,
  ) {
    // The context key keeps the last mode an engine answered with while it reconnects: a view
    // that vanished and came back on every reconnect or switch would lose its place and its stream.
    const onStatus = () => {
      if (session.status.state === 'ready') this.feature();
    };
    this.disposables.push(session.onDidChangeStatus(onStatus));
    if (session.status.state === 'ready') this.feature();
  }

  /** The loaded feature (loading it on first call). */
  feature(): ServicesFeature {
    if (this.loaded) return this.loaded;
    const f = swarmModule().createServicesFeature(this.session, this.log);
    this.loaded = f;
    this.disposables.push(
      f.provider.onDidChangeTreeData((e) => this.changed.fire(e)),
      f.watcher.onDidChangeMode((mode) => {
        if (mode !== 'unknown') void vscode.commands.executeCommand('setContext', 'berth.swarmMode', mode);
      }),
      { dispose: () => f.dispose() },
    );
    // Services, tasks and nodes open as live read-only documents, like containers.
    if (this.inspectDocs)
      for (const [kind, store] of [['service', f.watcher.services], ['task', f.watcher.tasks], ['node', f.watcher.nodes]] as const)
        this.disposables.push(this.inspectDocs.addSource(kind, { read: (id) => f.actions.readInspect(kind, id), store }));
    f.watcher.setVisible(this.visible);
    f.provider.setVisible(this.visible);
    return f;
  }

  setVisible(on: boolean): void {
    this.visible = on;
    if (!this.loaded) return;
    this.loaded.watcher.setVisible(on);
    this.loaded.provider.setVisible(on);
  }

  row(key: string): SwarmRow | undefined {
    return this.loaded?.provider.row(key);
  }

  rows(): SwarmRow[] {
    return this.loaded?.provider.allRows() ?? [];
  }

  getChildren(key?: string): string[] {
    return this.loaded?.provider.getChildren(key) ?? [];
  }

  getParent(key: string): string | undefined {
    return this.loaded?.provider.getParent(key);
  }

  getTreeItem(key: string): vscode.TreeItem {
    return this.loaded?.provider.getTreeItem(key) ?? new vscode.TreeItem(key);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
