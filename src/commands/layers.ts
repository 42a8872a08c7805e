// Where the space goes (issue 26): Image Layers on an image row or the palette, Disk Usage, and each
// Dockerfile line's cost after a build from the editor. The views' code loads with dist/layers.js
// on first use; what stays here is registration, the record of the last build, and the CodeLens
// provider, which loads nothing until a Dockerfile with a recorded build is open.
import * as vscode from 'vscode';
import type { BuiltStep } from '../model/buildOutput';
import type { RecordedBuild } from '../model/layers/lineCosts';
import type { EngineSession } from '../session/engineSession';
import { dockerfileModule } from '../ui/dockerfileModule';
import { layersModule } from '../ui/layersModule';
import { registerCommand, registerTargetCommand, type CommandContext } from './register';
import type { Targets } from './targets';

const DOCKERFILES: vscode.DocumentSelector = [
  { language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{Dockerfile,Containerfile,Dockerfile.*,Containerfile.*,*.dockerfile,*.containerfile}' },
];

function buildKey(uri: vscode.Uri): string {
  return `berth.layers.build:${uri.toString()}`;
}

/** Remembers what a build from the editor made, so its Dockerfile's lines can show their cost. */
export class BuildRecords {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  get(uri: vscode.Uri): RecordedBuild | undefined {
    return this.state.get<RecordedBuild>(buildKey(uri));
  }

  async record(uri: vscode.Uri, tag: string, imageId: string, steps: BuiltStep[]): Promise<void> {
    await this.state.update(buildKey(uri), { tag, imageId, steps, finishedAt: Date.now() } satisfies RecordedBuild);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** "RUN … +182 MB" above each instruction that made a layer of the last image built from the file. */
class LineCostLenses implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly session: EngineSession,
    private readonly records: BuildRecords,
    private readonly lastTag: (uri: vscode.Uri) => string | undefined,
  ) {
    this.onDidChangeCodeLenses = records.onDidChange;
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const build = this.records.get(doc.uri);
    const top = new vscode.Range(0, 0, 0, 0);
    if (!build) {
      const tag = this.lastTag(doc.uri);
      // A tag built before Berth recorded builds: only a build says which step made which layer.
      return tag ? [new vscode.CodeLens(top, { title: vscode.l10n.t('Build {0} again to see what each line costs', tag), command: 'berth.images.build', arguments: [doc.uri] })] : [];
    }
    let client;
    try {
      client = this.session.requireClient();
    } catch {
      return [];
    }
    const facts = dockerfileModule().readDockerfile(doc.getText());
    const m = layersModule();
    const costs = await m.costsFor(client, facts, build);
    const open = { command: 'berth.images.showLayers', arguments: [`tag:${build.tag}`] };
    if (typeof costs === 'string') return [new vscode.CodeLens(top, { title: costs, command: 'berth.images.build', arguments: [doc.uri] })];
    return costs.flatMap((c) => {
      const title = m.lensText(c);
      return title ? [new vscode.CodeLens(new vscode.Range(c.line, 0, c.line, 0), { title, ...open, tooltip: vscode.l10n.t('Open the layers of {0}', build.tag) })] : [];
    });
  }
}

/** Whether the Image Layers or Disk Usage view is visible: the engine's events must follow then too. */
export class LayerViewsVisibility {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  visible = false;

  set(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export interface LayersDeps {
  visibility: LayerViewsVisibility;
  session: EngineSession;
  targets: Targets;
  records: BuildRecords;
  lastTag(uri: vscode.Uri): string | undefined;
}

export function registerLayerCommands(ctx: CommandContext, deps: LayersDeps): vscode.Disposable[] {
  const { session, targets } = deps;
  type Feature = { layers: InstanceType<ReturnType<typeof layersModule>['LayersProvider']>; layersView: vscode.TreeView<unknown>; disk: InstanceType<ReturnType<typeof layersModule>['DiskProvider']>; diskView: vscode.TreeView<unknown> };
  let feature: Feature | undefined;
  const disposables: vscode.Disposable[] = [];
  const load = (): Feature => {
    if (feature) return feature;
    const m = layersModule();
    const layers = new m.LayersProvider(() => session.requireClient());
    const disk = new m.DiskProvider();
    const layersView = vscode.window.createTreeView('berth.layers', { treeDataProvider: layers, showCollapseAll: true });
    const diskView = vscode.window.createTreeView('berth.disk', { treeDataProvider: disk, showCollapseAll: true });
    // An image removed while its layers are shown: say so rather than show it as if it were there.
    const watch = session.images.onDidChange(() => {
      if (layers.imageId && !session.images.get(layers.imageId)) layers.markGone();
    });
    const visible = () => deps.visibility.set(layersView.visible || diskView.visible);
    disposables.push(layers, disk, layersView, diskView, watch, layersView.onDidChangeVisibility(visible), diskView.onDidChangeVisibility(visible), { dispose: () => deps.visibility.set(false) });
    visible();
    feature = { layers, layersView: layersView as vscode.TreeView<unknown>, disk, diskView: diskView as vscode.TreeView<unknown> };
    return feature;
  };
  const showLayers = async (ref: string) => {
    const f = load();
    await vscode.commands.executeCommand('setContext', 'berth.layers.open', true);
    await vscode.commands.executeCommand('berth.layers.focus');
    await f.layers.open(ref, f.layersView as never);
  };
  const showDisk = async () => {
    const f = load();
    await vscode.commands.executeCommand('setContext', 'berth.disk.open', true);
    await vscode.commands.executeCommand('berth.disk.focus');
    await vscode.window.withProgress({ location: { viewId: 'berth.disk' } }, () => f.disk.load(session.requireClient()));
  };
  return [
    { dispose: () => disposables.forEach((d) => d.dispose()) },
    deps.records,
    vscode.languages.registerCodeLensProvider(DOCKERFILES, new LineCostLenses(session, deps.records, deps.lastTag)),
    registerTargetCommand(ctx, 'berth.images.showLayers', { kind: targets.images, many: false }, ([row]) => showLayers(row.tag ?? row.image.id)),
    registerCommand(ctx, 'berth.layers.refresh', {}, () => (feature?.layers.ref ? showLayers(feature.layers.ref) : undefined)),
    registerCommand(ctx, 'berth.layers.filter', { engine: false }, async ({ options }) => {
      const f = feature;
      if (!f?.layers.ref) return;
      const text = typeof options?.text === 'string' ? options.text : await vscode.window.showInputBox({ title: vscode.l10n.t('Filter Files'), prompt: vscode.l10n.t('Part of a path; empty shows every file.'), value: f.layers.filter });
      if (text !== undefined) f.layers.setFilter(text);
    }),
    registerCommand(ctx, 'berth.layers.close', { engine: false }, () => vscode.commands.executeCommand('setContext', 'berth.layers.open', false)),
    registerCommand(ctx, 'berth.disk.show', {}, showDisk),
    registerCommand(ctx, 'berth.disk.refresh', {}, showDisk),
    registerCommand(ctx, 'berth.disk.close', { engine: false }, () => vscode.commands.executeCommand('setContext', 'berth.disk.open', false)),
  ];
}
