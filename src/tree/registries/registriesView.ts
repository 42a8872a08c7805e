// The Registries view as dist/extension.js holds it: a thin provider that loads dist/registries.js
// when the view is first shown (or a registry command first runs) and forwards the real one's rows.
import * as vscode from 'vscode';
import type { RegistriesFeature } from '../../commands/registries/index';
import type { RegistriesDeps, RegistryRow } from './registriesProvider';
import { registriesModule } from '../../ui/registriesModule';

export class RegistriesView implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | string[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private loaded: RegistriesFeature | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly deps: RegistriesDeps & { memory: vscode.Memento }) {}

  /** The loaded feature (loading it on first call). */
  feature(): RegistriesFeature {
    if (this.loaded) return this.loaded;
    const f = registriesModule().createRegistriesFeature(this.deps);
    this.loaded = f;
    this.disposables.push(
      f.provider.onDidChangeTreeData((e) => this.changed.fire(e)),
      { dispose: () => f.dispose() },
    );
    return f;
  }

  row(key: string): RegistryRow | undefined {
    return this.loaded?.provider.row(key);
  }

  rows(): RegistryRow[] {
    return this.loaded?.provider.allRows() ?? [];
  }

  getChildren(key?: string): Promise<string[]> | string[] {
    return this.feature().provider.getChildren(key);
  }

  getParent(key: string): string | undefined {
    return this.feature().provider.getParent(key);
  }

  getTreeItem(key: string): vscode.TreeItem {
    return this.loaded?.provider.getTreeItem(key) ?? new vscode.TreeItem(key);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
