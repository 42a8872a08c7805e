// Resource Usage: the panel from container rows, Compose project and service rows, a selection
// (berth.containers.viewUsage) or the palette for every running container (berth.usage.show),
// and the usage text in the Containers view's rows. One history and one sampler serve both.
import * as vscode from 'vscode';
import type { ContainerRecord } from '../contract/records';
import { parseComposeKey } from '../model/composeTree';
import { containerGroupKey } from '../model/treeKeys';
import type { EngineSession } from '../session/engineSession';
import type { ComposeProvider } from '../tree/compose/composeProvider';
import type { ContainersProvider } from '../tree/containers/containersProvider';
import type { UsageScope } from '../ui/usagePanel';
import { registerCommand, registerTargetCommand, type CommandContext, type TargetKind } from './register';

export type UsageFeatureModule = typeof import('./usageFeature');
type UsageFeature = import('./usageFeature').UsageFeature;

/**
 * The light side, in dist/extension.js: loads dist/usage.js (esbuild leaves './usage.js'
 * external) on the first panel, or when the rows' usage is on and the Containers view shows.
 */
export class Usage implements vscode.Disposable {
  private loaded: UsageFeature | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly visibility = new vscode.EventEmitter<void>();
  /** A panel showed or hid: the engine's events must be followed while one shows. */
  readonly onDidChangeVisibility = this.visibility.event;

  constructor(private readonly deps: { session: EngineSession; extensionUri: vscode.Uri; log: vscode.LogOutputChannel; containers: () => ContainersProvider; containersView: () => vscode.TreeView<string> }) {
    const maybeRows = () => {
      if (this.loaded || !vscode.workspace.getConfiguration('berth.containers').get<boolean>('showUsage', false)) return;
      if (deps.containersView().visible) this.feature();
    };
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('berth.containers.showUsage') && maybeRows()),
      deps.containersView().onDidChangeVisibility(maybeRows),
    );
    maybeRows();
  }

  feature(): UsageFeature {
    if (!this.loaded) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { UsageFeature } = require('./usage.js') as UsageFeatureModule;
      this.loaded = new UsageFeature(this.deps.session, this.deps.extensionUri, this.deps.log, this.deps.containers(), this.deps.containersView());
      this.subscriptions.push(this.loaded, this.loaded.panels.onDidChangeVisibility(() => this.visibility.fire()));
    }
    return this.loaded;
  }

  /** Whether the feature's bundle has been loaded (tests ask). */
  get isLoaded(): boolean {
    return !!this.loaded;
  }

  get panelsVisible(): boolean {
    return this.loaded?.panels.visible ?? false;
  }

  rowText(id: string): string | undefined {
    return this.loaded?.rows.text(id);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.visibility.dispose();
  }
}

function scopeLabel(s: UsageScope, session: EngineSession): string {
  switch (s.kind) {
    case 'all':
      return vscode.l10n.t('All running containers');
    case 'project':
      return s.project;
    case 'service':
      return `${s.project}/${s.service}`;
    case 'containers':
      return s.ids.map((id) => session.containers.get(id)?.name ?? id.slice(0, 12)).join(', ');
  }
}

export function registerUsageCommands(ctx: CommandContext, usage: Usage, session: EngineSession, trees: { containers: ContainersProvider; compose: ComposeProvider }): vscode.Disposable[] {
  // A row stands for a scope: a container, a Containers view group (a Compose project), or a
  // Compose view project or service row.
  const scopes: TargetKind<UsageScope> = {
    rows(key) {
      const c = session.containers.get(key);
      if (c) return [{ kind: 'containers', ids: [c.id] }];
      const group = trees.containers.group(key);
      // A Compose project's group follows the project (a new container joins); others, their members.
      if (group && key === containerGroupKey('composeProject', group.label)) return [{ kind: 'project', project: group.label }];
      if (group) return [{ kind: 'containers', ids: group.containers.map((m: ContainerRecord) => m.id) }];
      const compose = trees.compose.row(key) ? parseComposeKey(key) : undefined;
      if (compose?.service) return [{ kind: 'service', project: compose.project, service: compose.service }];
      if (compose) return [{ kind: 'project', project: compose.project }];
      return [];
    },
    all: () => [{ kind: 'all' }],
    identity: (s) => JSON.stringify(s),
    item: (s) => ({ label: scopeLabel(s, session) }),
    placeHolder: () => vscode.l10n.t('Choose what to show'),
    empty: () => vscode.l10n.t('No container runs on this engine.'),
  };
  return [
    registerTargetCommand(ctx, 'berth.containers.viewUsage', { kind: scopes, many: true }, (chosen) => {
      // A selection of container rows is one panel for them all.
      const ids = chosen.flatMap((s) => (s.kind === 'containers' ? s.ids : []));
      const others = chosen.filter((s) => s.kind !== 'containers');
      if (ids.length) usage.feature().panels.show({ kind: 'containers', ids: [...new Set(ids)] });
      for (const s of others) usage.feature().panels.show(s);
    }),
    registerCommand(ctx, 'berth.usage.show', {}, () => {
      usage.feature().panels.show({ kind: 'all' });
    }),
  ];
}
