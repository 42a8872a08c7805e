// activate() only wires. The engine layer (dockerode) loads on first connect, not here.
import * as vscode from 'vscode';
import { registerBuildCommands, tagKey } from './commands/build';
import { ComposePrograms, extraFiles, noProgramText, registerComposeCommands } from './commands/compose';
import { registerContainerCommands } from './commands/containers';
import { registerEngineCommands } from './commands/engine';
import { registerFilterCommands } from './commands/filters';
import { registerImageCommands } from './commands/images';
import { BuildRecords, LayerViewsVisibility, registerLayerCommands } from './commands/layers';
import { registerKubeCommands } from './commands/kube';
import { registerLogCommands } from './commands/logs';
import { registerPublishCommand } from './commands/publish';
import { registerLifecycleCommands } from './commands/lifecycle';
import { registerNetworkCommands } from './commands/networks';
import { registerRunCommands } from './commands/run';
import { applyEngineSettings, registerSwitchEngine, resolveForWorkspace } from './commands/switchEngine';
import { createTargets } from './commands/targets';
import { registerVolumeCommands } from './commands/volumes';
import { createEngineClient } from './engine/index';
import { EngineSession } from './session/engineSession';
import type { GroupBy, SortBy } from './model/grouping';
import { ComposeProvider } from './tree/compose/composeProvider';
import { ComposeTerminals } from './terminals/composeTerminal';
import { ContainersProvider } from './tree/containers/containersProvider';
import type { NetworkRecord, VolumeRecord } from './contract/records';
import { ImagesProvider } from './tree/images/imagesProvider';
import { networkKind } from './tree/networks/networkNode';
import { ResourceProvider } from './tree/resourceProvider';
import { volumeKind } from './tree/volumes/volumeNode';
import { watchEngineState } from './ui/engineStateView';
import { INSPECT_SCHEME, InspectDocuments } from './ui/inspectDocuments';
import { engineStatusBar } from './ui/engineStatusBar';
import { StreamTerminals } from './terminals/streamTerminals';
import { ViewHeader } from './ui/viewHeader';
import { registerServiceCommands } from './commands/services';
import { ServicesView } from './tree/services/servicesView';
import { registerUsageCommands, Usage } from './commands/usage';
import { registerFileCommands } from './commands/files';
import { FILES_SCHEME, isFileKey } from './model/files/fileKeys';
import { LazyFiles } from './ui/filesModule';
import { registerRegistryCommands } from './commands/registries';
import { RegistriesView } from './tree/registries/registriesView';
import { startLanguageWhenNeeded } from './ui/languageModule';

/** Handles for the extension's own tests; not a public API. */
export interface BerthApi {
  session: EngineSession;
  containers: ContainersProvider;
  images: ImagesProvider;
  volumes: ResourceProvider<VolumeRecord>;
  networks: ResourceProvider<NetworkRecord>;
  containersView: vscode.TreeView<string>;
  imagesView: vscode.TreeView<string>;
  volumesView: vscode.TreeView<string>;
  networksView: vscode.TreeView<string>;
  compose: ComposeProvider;
  composeView: vscode.TreeView<string>;
  services: ServicesView;
  servicesView: vscode.TreeView<string>;
  registries: RegistriesView;
  registriesView: vscode.TreeView<string>;
  activationMs: number;
  usage: Usage;
  /** Container files (issue 25): the lazy feature, for tests. */
  files: LazyFiles;
  /** The folder of Berth's log (Berth.log), for tests that read what was logged. */
  logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): BerthApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Berth', { log: true });
  const session = new EngineSession({
    resolve: () => resolveForWorkspace(context.workspaceState),
    createClient: createEngineClient,
    log: (m) => log.info(m),
    notConnected: () => vscode.l10n.t('The Docker engine is not connected.'),
  });
  const inspectDocs = new InspectDocuments(session);
  const config = () => vscode.workspace.getConfiguration('berth.containers');
  // Container files: a provider registered now that loads dist/files.js on its first call.
  const files = new LazyFiles(session);
  const containers = new ContainersProvider(session, {
    groupBy: () => config().get<GroupBy>('groupBy', 'composeProject'),
    sortBy: () => config().get<SortBy>('sortBy', 'created'),
    usage: (id): string | undefined => usage.rowText(id),
    files: { children: async (key) => files.get().tree.children(key), item: (key) => files.get().tree.item(key) },
  });
  const images = new ImagesProvider(session, { showDangling: () => vscode.workspace.getConfiguration('berth.images').get('showDangling', true) });
  // A volume's Files: rows of a helper container (dist/files.js), listed when expanded.
  const volumes = new ResourceProvider(session, volumeKind, {
    under: (name) => [`vfiles:${name}`],
    owns: (key) => key.startsWith('vfiles:') || isFileKey(key),
    children: async (key) => (key.startsWith('vfiles:') ? files.get().volumes.children(key.slice(7)) : files.get().tree.children(key)),
    item: (key) => files.get().tree.item(key),
  });
  const networks = new ResourceProvider(session, networkKind);
  const view = (id: string, treeDataProvider: vscode.TreeDataProvider<string>) => vscode.window.createTreeView(id, { treeDataProvider, canSelectMany: true });
  // Files and folders dropped from the Explorer onto a container folder are uploaded there.
  const containersView = vscode.window.createTreeView('berth.containers', { treeDataProvider: containers, canSelectMany: true, dragAndDropController: files.dropController() });
  // Resource usage loads its bundle on first use; the rows ask it for their text (none till then).
  const usage = new Usage({ session, extensionUri: context.extensionUri, log, containers: () => containers, containersView: () => containersView });
  const imagesView = view('berth.images', images);
  const volumesView = view('berth.volumes', volumes);
  const networksView = view('berth.networks', networks);
  // The Compose view loads its bundle (yaml, ajv, the schema) only when first shown.
  const composeDiagnostics = vscode.languages.createDiagnosticCollection('berth.compose');
  const compose = new ComposeProvider(session, {
    environment: () => process.env,
    diagnostics: composeDiagnostics,
    log: (m) => log.info(m),
    extraFiles: (folder) => extraFiles(context.workspaceState)[folder] ?? [],
    extraFolders: () => Object.keys(extraFiles(context.workspaceState)),
  });
  const composeRunDiagnostics = vscode.languages.createDiagnosticCollection('berth.composeRun');
  const composeView = vscode.window.createTreeView('berth.compose', { treeDataProvider: compose, showCollapseAll: true });
  // The Services view loads dist/swarm.js once an engine is ready, to learn whether it is a Swarm manager.
  const services = new ServicesView(session, (m) => log.info(m), inspectDocs);
  const servicesView = vscode.window.createTreeView('berth.services', { treeDataProvider: services, showCollapseAll: true });
  // The Registries view loads dist/registries.js (the registry client, credentials) when first shown.
  const registryConfig = () => vscode.workspace.getConfiguration('berth.registries');
  const registries = new RegistriesView({
    env: () => process.env,
    certsDir: () => registryConfig().get<string>('certsDirectory') || undefined,
    added: () => context.globalState.get<string[]>('berth.registries.added', []),
    memory: context.globalState,
    log: (m) => log.info(m),
  });
  const registriesView = vscode.window.createTreeView('berth.registries', { treeDataProvider: registries, showCollapseAll: true });
  const composePrograms = new ComposePrograms();
  const views = [containersView, imagesView, volumesView, networksView];
  const headers = views.map((v) => new ViewHeader(v));
  const buildDiagnostics = vscode.languages.createDiagnosticCollection('berth.build');
  const buildRecords = new BuildRecords(context.workspaceState);
  // Image Layers notices an image removed while shown through the engine's events.
  const layerViews = new LayerViewsVisibility();
  // Every command goes through one wrapper, which knows the connection and each view's rows.
  const ctx = { log, engine: session };
  const targets = createTargets(session, { containers, images, volumes, networks, compose });
  const streams = new StreamTerminals(session);

  // The event stream runs only while a Berth view is visible; becoming visible resyncs once.
  const updateLive = () => session.setLive(views.some((v) => v.visible) || composeView.visible || usage.panelsVisible || servicesView.visible || layerViews.visible);
  // Says in the view when no Compose program is found: everything but Up and Down still works.
  const showComposeState = () => {
    if (!composeView.visible) return;
    void compose.start();
    void composePrograms.detect().then((program) => {
      composeView.message = program ? undefined : noProgramText();
      void vscode.commands.executeCommand('setContext', 'berth.composeProgram', program ? 'found' : 'missing');
    });
  };
  const updateAging = () => {
    containers.setVisible(containersView.visible);
    images.setVisible(imagesView.visible);
  };
  context.subscriptions.push(
    ...views.map((v) => v.onDidChangeVisibility(updateLive)),
    containersView.onDidChangeVisibility(updateAging),
    imagesView.onDidChangeVisibility(updateAging),
    composeView.onDidChangeVisibility(updateLive),
    composeView.onDidChangeVisibility(showComposeState),
    servicesView.onDidChangeVisibility(updateLive),
    servicesView.onDidChangeVisibility(() => services.setVisible(servicesView.visible)),
    services,
    servicesView,
    ...registerServiceCommands(ctx, services),
    registries,
    registriesView,
    ...registerRegistryCommands(ctx, registries),
    compose,
    composeView,
    composeDiagnostics,
    composeRunDiagnostics,
    ...registerComposeCommands(ctx, {
      session,
      tree: compose,
      programs: composePrograms,
      storage: context.storageUri ?? context.globalStorageUri,
      terminals: new ComposeTerminals(),
      state: context.workspaceState,
      runDiagnostics: composeRunDiagnostics,
      streams,
    }),
    log,
    session,
    containers,
    images,
    volumes,
    networks,
    ...views,
    watchEngineState(session, headers, containersView),
    inspectDocs,
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, inspectDocs),
    ...registerEngineCommands(ctx, session, inspectDocs, { containers: containersView, images: imagesView, volumes: volumesView, networks: networksView }),
    streams,
    ...registerContainerCommands(ctx, session, containers, targets, streams),
    files,
    vscode.workspace.registerFileSystemProvider(FILES_SCHEME, files.provider(), { isCaseSensitive: true }),
    files.treeChanged.event((key) => containers.refreshRow(key)),
    // A volume's helper container goes when its row or Files row is collapsed.
    volumesView.onDidCollapseElement(({ element }) => {
      if (files.loaded && !isFileKey(element)) void files.get().volumes.release(element.replace(/^vfiles:/, ''));
    }),
    ...registerFileCommands(ctx, files, targets),
    usage,
    usage.onDidChangeVisibility(updateLive),
    layerViews,
    layerViews.onDidChange(updateLive),
    ...registerUsageCommands(ctx, usage, session, { containers, compose }),
    ...registerImageCommands(ctx, session, targets),
    buildDiagnostics,
    ...registerBuildCommands(ctx, { session, images, imagesView, state: context.workspaceState, diagnostics: buildDiagnostics, records: buildRecords }),
    ...registerLayerCommands(ctx, { session, targets, records: buildRecords, visibility: layerViews, lastTag: (uri) => context.workspaceState.get<string>(tagKey(uri)) }),
    ...registerVolumeCommands(ctx, session, volumes, targets),
    ...registerNetworkCommands(ctx, session, networks, targets),
    ...registerLifecycleCommands(ctx, session, networks, targets),
    ...registerRunCommands(ctx, { session, memory: context.globalState, log }, targets),
    registerPublishCommand(ctx, session, targets),
    ...registerLogCommands(ctx, session, targets, streams),
    ...registerKubeCommands(ctx, { session, tree: compose, targets }),
    registerSwitchEngine(ctx, session, context.workspaceState),
    // Help while typing loads dist/language.js when the first Dockerfile or Compose file opens.
    startLanguageWhenNeeded({ session, log: (m) => log.info(m), composeDiagnostics, extraFiles: (folder) => extraFiles(context.workspaceState)[folder] ?? [], composeReady: () => compose.start() }),
    engineStatusBar(session),
    ...registerFilterCommands(ctx, [
      { name: 'containers', tree: containers, header: headers[0], prompt: vscode.l10n.t('Show containers whose name, image or id contains') },
      { name: 'images', tree: images, header: headers[1], prompt: vscode.l10n.t('Show images whose tag or id contains') },
      { name: 'volumes', tree: volumes, header: headers[2], prompt: vscode.l10n.t('Show volumes whose name or driver contains') },
      { name: 'networks', tree: networks, header: headers[3], prompt: vscode.l10n.t('Show networks whose name, driver or id contains') },
    ]),
    vscode.workspace.onDidChangeConfiguration((e) => {
      void applyEngineSettings(e, session, context.workspaceState, (m) => log.info(m));
      if (e.affectsConfiguration('berth.containers')) containers.refresh();
      if (e.affectsConfiguration('berth.images')) images.refresh();
      if (e.affectsConfiguration('berth.registries')) void vscode.commands.executeCommand('berth.registry.refresh');
      if (e.affectsConfiguration('berth.compose')) {
        composePrograms.reset();
        showComposeState();
      }
    }),
  );
  // Connecting is async: activation returns before dockerode is even loaded.
  updateLive();
  updateAging();
  services.setVisible(servicesView.visible);
  showComposeState();
  void session.connect();
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { session, containers, images, volumes, networks, containersView, imagesView, volumesView, networksView, compose, composeView, activationMs, usage, services, servicesView, files, registries, registriesView, logUri: context.logUri };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
