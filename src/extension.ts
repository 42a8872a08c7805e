// activate() only wires. The engine layer (dockerode) loads on first connect, not here.
import * as vscode from 'vscode';
import { registerContainerCommands } from './commands/containers';
import { registerEngineCommands } from './commands/engine';
import { createEngineClient } from './engine/index';
import { resolveEndpoint } from './engine/endpoint';
import { EngineSession } from './model/engineSession';
import type { GroupBy, SortBy } from './model/grouping';
import { ContainersProvider } from './tree/containers/containersProvider';
import { ImagesProvider } from './tree/images/imagesProvider';
import { watchEngineState } from './ui/engineStateView';
import { INSPECT_SCHEME, InspectDocuments } from './ui/inspectDocuments';

/** Handles for the extension's own tests; not a public API. */
export interface BerthApi {
  session: EngineSession;
  containers: ContainersProvider;
  images: ImagesProvider;
  containersView: vscode.TreeView<string>;
  imagesView: vscode.TreeView<string>;
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): BerthApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Berth', { log: true });
  const session = new EngineSession({
    resolve: () =>
      resolveEndpoint({
        setting: vscode.workspace.getConfiguration('berth').get<string>('engine.host'),
        env: process.env,
      }),
    createClient: createEngineClient,
    log: (m) => log.info(m),
  });
  const inspectDocs = new InspectDocuments(session);
  const config = () => vscode.workspace.getConfiguration('berth.containers');
  const containers = new ContainersProvider(session, {
    groupBy: () => config().get<GroupBy>('groupBy', 'composeProject'),
    sortBy: () => config().get<SortBy>('sortBy', 'created'),
  });
  const images = new ImagesProvider(session);
  const containersView = vscode.window.createTreeView('berth.containers', { treeDataProvider: containers, canSelectMany: true });
  const imagesView = vscode.window.createTreeView('berth.images', { treeDataProvider: images, canSelectMany: true });

  // The event stream runs only while a Berth view is visible; becoming visible resyncs once.
  const updateLive = () => session.setLive(containersView.visible || imagesView.visible);
  context.subscriptions.push(
    containersView.onDidChangeVisibility(updateLive),
    imagesView.onDidChangeVisibility(updateLive),
    log,
    session,
    containers,
    images,
    containersView,
    imagesView,
    watchEngineState(session, [containersView, imagesView]),
    inspectDocs,
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, inspectDocs),
    ...registerEngineCommands({ log }, session, inspectDocs),
    ...registerContainerCommands({ log }, session, containers),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('berth.engine.host')) void session.connect();
      if (e.affectsConfiguration('berth.containers')) containers.refresh();
    }),
  );
  // Connecting is async: activation returns before dockerode is even loaded.
  updateLive();
  void session.connect();
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { session, containers, images, containersView, imagesView, activationMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
