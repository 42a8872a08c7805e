// Export to Kubernetes…: a container, or a Compose project or service (from its files when Berth
// has them, else from what runs), as manifests in an untitled YAML document. Nothing is applied or
// sent anywhere. The conversion lives in dist/kube.js (src/model/kube), loaded on first use.
import * as vscode from 'vscode';
import type { ContainerRecord } from '../contract/records';
import { COMPOSE_PROJECT_LABEL } from '../model/grouping';
import { COMPOSE_SERVICE_LABEL } from '../model/composeTree';
import type { ContainerInspect, KubeDocument, ServiceInspect } from '../model/kube/index';
import type { ExportInput, ExportOptions, ServiceType } from '../model/kube/workload';
import type { EngineSession } from '../session/engineSession';
import type { ComposeProvider } from '../tree/compose/composeProvider';
import { kubeModule } from '../ui/kubeModule';
import { kubeDocumentTexts, kubeExportErrorText } from '../ui/kubeText';
import { composeTargetKind } from './compose';
import { registerTargetCommand, type CommandContext, type TargetKind } from './register';
import type { Targets } from './targets';

/** What a row of the Containers or Compose view stands for. */
export type ExportTarget = { kind: 'container'; container: ContainerRecord } | { kind: 'compose'; project: string; service?: string };

function exportKind(targets: Targets, tree: ComposeProvider): TargetKind<ExportTarget> {
  const compose = composeTargetKind(tree);
  const asCompose = (r: { project: string; service?: string }): ExportTarget => ({ kind: 'compose', ...r });
  return {
    rows(key) {
      const containers = targets.containers.rows(key);
      if (containers.length) return containers.map((container) => ({ kind: 'container', container }));
      return compose.rows(key).map(asCompose);
    },
    all: () => [...compose.all().map(asCompose), ...targets.containers.all().map((container): ExportTarget => ({ kind: 'container', container }))],
    identity: (t) => (t.kind === 'container' ? t.container.id : `compose:${compose.identity(t)}`),
    item: (t) =>
      t.kind === 'container'
        ? { label: t.container.name, description: vscode.l10n.t('container · {0}', t.container.image) }
        : { label: compose.item(t).label, description: t.service ? vscode.l10n.t('Compose service') : vscode.l10n.t('Compose project') },
    placeHolder: () => vscode.l10n.t('Choose a Compose project or a container to export'),
    empty: () => vscode.l10n.t('There is no Compose project or container to export.'),
  };
}

function composeTitle(project: string, service?: string): string {
  return service ? vscode.l10n.t('Compose service {0}', `${project} › ${service}`) : vscode.l10n.t('Compose project {0}', project);
}

async function exportInput(session: EngineSession, tree: ComposeProvider, t: ExportTarget): Promise<ExportInput> {
  const kube = kubeModule();
  const client = session.requireClient();
  if (t.kind === 'container') {
    const inspect = (await client.inspect('container', t.container.id)) as ContainerInspect;
    return kube.containerInput(vscode.l10n.t('container {0}', t.container.name), inspect, await kube.inspectImageDefaults(client, t.container.imageId || t.container.image));
  }
  const containers = session.containers.all().filter((c) => c.labels[COMPOSE_PROJECT_LABEL] === t.project && (!t.service || c.labels[COMPOSE_SERVICE_LABEL] === t.service));
  const title = composeTitle(t.project, t.service);
  const project = tree.project(t.project);
  if (project && (!t.service || project.services.some((s) => s.name === t.service))) {
    const running: Record<string, number> = {};
    for (const c of containers) if (c.state === 'running') running[c.labels[COMPOSE_SERVICE_LABEL]] = (running[c.labels[COMPOSE_SERVICE_LABEL]] ?? 0) + 1;
    return kube.composeFilesInput(title, project, running, t.service);
  }
  if (!containers.length) throw new Error(vscode.l10n.t('Nothing of {0} runs on this engine, and Berth has no Compose file for it.', t.service ? `${t.project} › ${t.service}` : t.project));
  return kube.composeRunningInput(title, t.project, await kube.runningComposeServices(client, containers));
}

const SERVICE_TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer'];

/** The Service type and claim size: from a script's options, else asked, and only when they matter. */
async function exportOptions(input: ExportInput, given: Record<string, unknown> | undefined): Promise<ExportOptions | undefined> {
  const kube = kubeModule();
  let serviceType: ServiceType = 'ClusterIP';
  let volumeSize = kube.DEFAULT_VOLUME_SIZE;
  const published = input.workloads.some((w) => w.ports.some((p) => p.published));
  const claims = input.workloads.some((w) => w.mounts.some((m) => m.type === 'volume'));
  if (typeof given?.serviceType === 'string') {
    if (!SERVICE_TYPES.includes(given.serviceType as ServiceType)) throw new Error(vscode.l10n.t('The Service type must be ClusterIP, NodePort or LoadBalancer.'));
    serviceType = given.serviceType as ServiceType;
  } else if (published) {
    type Item = vscode.QuickPickItem & { type: ServiceType };
    const items: Item[] = [
      { type: 'ClusterIP', label: 'ClusterIP', description: vscode.l10n.t('reachable inside the cluster only (default)') },
      { type: 'NodePort', label: 'NodePort', description: vscode.l10n.t('also on a port of every node (30000-32767)') },
      { type: 'LoadBalancer', label: 'LoadBalancer', description: vscode.l10n.t("also on an external address from the cloud's load balancer") },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export to Kubernetes: how should published ports be reached?'), placeHolder: vscode.l10n.t('Service type for the published ports') });
    if (!picked) return undefined;
    serviceType = picked.type;
  }
  if (typeof given?.volumeSize === 'string') {
    if (!kube.isStorageSize(given.volumeSize)) throw new Error(vscode.l10n.t('{0} is not a storage size Kubernetes reads, such as 1Gi or 500Mi.', given.volumeSize));
    volumeSize = given.volumeSize.trim();
  } else if (claims) {
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Export to Kubernetes: size of each volume claim'),
      prompt: vscode.l10n.t('Each named volume becomes a PersistentVolumeClaim of this size, such as 1Gi or 500Mi'),
      value: kube.DEFAULT_VOLUME_SIZE,
      validateInput: (text) => (kube.isStorageSize(text) ? undefined : vscode.l10n.t('{0} is not a storage size Kubernetes reads, such as 1Gi or 500Mi.', text)),
    });
    if (typed === undefined) return undefined;
    volumeSize = typed.trim();
  }
  return { serviceType, volumeSize };
}

/** Runs one step of the export, saying in the user's words why nothing can be exported. */
function saying<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if ((err as Error).name === 'KubeExportError') throw new Error(kubeExportErrorText(err as { code: string; params: string[] }));
    throw err;
  }
}

/** Builds the document, or says why it cannot be built. */
export function exportDocument(input: ExportInput, options: ExportOptions): KubeDocument {
  return saying(() => kubeModule().exportToKube(input, options, kubeDocumentTexts));
}

async function openDocument(doc: KubeDocument): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: doc.text });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/**
 * Exports Swarm services (one, or a stack's) from their inspect answers: for the Services view's
 * menu (issue 17), which knows the services and their networks.
 */
export async function exportSwarmServices(title: string, services: readonly ServiceInspect[], networkName?: (id: string) => string | undefined, given?: Record<string, unknown>): Promise<vscode.TextDocument | undefined> {
  const input = kubeModule().swarmInput(title, services, networkName);
  saying(() => kubeModule().checkExportable(input));
  const options = await exportOptions(input, given);
  return options ? openDocument(exportDocument(input, options)) : undefined;
}

export function registerKubeCommands(ctx: CommandContext, deps: { session: EngineSession; tree: ComposeProvider; targets: Targets }): vscode.Disposable[] {
  const kind = exportKind(deps.targets, deps.tree);
  return [
    registerTargetCommand(ctx, 'berth.containers.exportKube', { kind, many: false }, async ([t], { options }) => {
      const input = await exportInput(deps.session, deps.tree, t);
      // A build-only service is refused before anything is asked.
      saying(() => kubeModule().checkExportable(input));
      const chosen = await exportOptions(input, options);
      if (!chosen) return undefined;
      const document = await openDocument(exportDocument(input, chosen));
      return document.uri.toString();
    }),
  ];
}
