// Volume and network actions: remove (asking first, saying what uses them), prune, inspect, copy name.
import * as vscode from 'vscode';
import type { EngineClient } from '../contract/client';
import type { EngineSession } from '../session/engineSession';
import { plural, sizeText } from '../ui/locale';
import type { ContainerRecord, NetworkRecord, VolumeRecord } from '../contract/records';
import { isActive, isBuiltInNetwork } from '../model/usage';
import type { ResourceProvider } from '../tree/resourceProvider';
import { inspectOptions, openInspect } from '../ui/inspectDocuments';
import { confirm, runBatch, throwFailures } from '../ui/progress';
import { registerCommand, type CommandContext } from './register';

function names(cs: readonly ContainerRecord[]): string {
  return cs.map((c) => c.name).join(', ');
}

async function pick<T extends { id: string }>(tree: ResourceProvider<T>, clicked: unknown, selected: unknown, label: (r: T) => string, placeHolder: string, empty: string): Promise<T[]> {
  const ids = Array.isArray(selected) && selected.length ? selected.map(String) : typeof clicked === 'string' ? [clicked] : [];
  if (ids.length) return ids.map((id) => tree.record(id)).filter((r): r is T => !!r);
  const all = tree.getChildren().map((id) => tree.record(id)).filter((r): r is T => !!r);
  if (!all.length) {
    void vscode.window.showInformationMessage(empty);
    return [];
  }
  const picked = await vscode.window.showQuickPick(
    all.map((r) => ({ label: label(r), record: r })),
    { canPickMany: true, placeHolder },
  );
  return picked?.map((p) => p.record) ?? [];
}

interface Kind<T extends { id: string }> {
  view: string;
  label(r: T): string;
  remove(client: EngineClient, r: T): Promise<void>;
  /** Why a record cannot be removed at all, if so. */
  refuse(r: T, users: readonly ContainerRecord[]): string | undefined;
  question(rs: readonly T[]): string;
  detail(rs: readonly T[], users: readonly ContainerRecord[]): string;
  failed(failed: number, total: number, details: string): string;
  progress(count: number): string;
}

const volumes: Kind<VolumeRecord> = {
  view: 'berth.volumes',
  label: (v) => v.id,
  remove: (client, v) => client.removeVolume(v.id),
  // The engine refuses to remove a volume any container still references, even a stopped one.
  refuse: (v, users) => (users.length ? vscode.l10n.t('Volume {0} is used by {1}. Remove those containers first.', v.id, names(users)) : undefined),
  question: (rs) => (rs.length === 1 ? vscode.l10n.t('Remove volume {0}?', rs[0].id) : vscode.l10n.t('Remove {0} volumes ({1})?', rs.length, rs.map((v) => v.id).join(', '))),
  detail: () => vscode.l10n.t('The data in it is deleted for good.'),
  failed: (failed, total, details) =>
    plural(failed, vscode.l10n.t('1 of {1} volumes could not be removed: {2}', failed, total, details), vscode.l10n.t('{0} of {1} volumes could not be removed: {2}', failed, total, details)),
  progress: (count) => plural(count, vscode.l10n.t('Removing {0} volume…', count), vscode.l10n.t('Removing {0} volumes…', count)),
};

const networks: Kind<NetworkRecord> = {
  view: 'berth.networks',
  label: (n) => n.name,
  remove: (client, n) => client.removeNetwork(n.id),
  refuse(n, users) {
    if (isBuiltInNetwork(n)) return vscode.l10n.t('{0} is a built-in network of the engine and cannot be removed.', n.name);
    const running = users.filter(isActive);
    return running.length ? vscode.l10n.t('Network {0} is used by running containers: {1}. Stop them or disconnect them first.', n.name, names(running)) : undefined;
  },
  question: (rs) => (rs.length === 1 ? vscode.l10n.t('Remove network {0}?', rs[0].name) : vscode.l10n.t('Remove {0} networks ({1})?', rs.length, rs.map((n) => n.name).join(', '))),
  detail: (_rs, users) =>
    users.length ? vscode.l10n.t('Stopped containers attached to it will not start again until you connect them to another network: {0}.', names(users)) : vscode.l10n.t('No container uses it.'),
  failed: (failed, total, details) =>
    plural(failed, vscode.l10n.t('1 of {1} networks could not be removed: {2}', failed, total, details), vscode.l10n.t('{0} of {1} networks could not be removed: {2}', failed, total, details)),
  progress: (count) => plural(count, vscode.l10n.t('Removing {0} network…', count), vscode.l10n.t('Removing {0} networks…', count)),
};

function registerRemove<T extends { id: string }>(ctx: CommandContext, command: string, session: EngineSession, tree: ResourceProvider<T>, kind: Kind<T>, placeHolder: string, empty: string): vscode.Disposable {
  return registerCommand(ctx, command, async (clicked?: unknown, selected?: unknown) => {
    const records = await pick(tree, clicked, selected, kind.label, placeHolder, empty);
    if (!records.length) return;
    const refusals = records.map((r) => kind.refuse(r, tree.usersOf(r.id))).filter((m): m is string => !!m);
    if (refusals.length) throw new Error(refusals.join(' '));
    const users = records.flatMap((r) => tree.usersOf(r.id));
    if (!(await confirm(kind.question(records), kind.detail(records, users), vscode.l10n.t('Remove')))) return;
    const client = session.requireClient();
    const result = await runBatch(kind.view, kind.progress(records.length), records, kind.label, (r) => kind.remove(client, r));
    throwFailures(result, records.length, kind.failed);
  });
}

export function registerResourceCommands(ctx: CommandContext, session: EngineSession, volumeTree: ResourceProvider<VolumeRecord>, networkTree: ResourceProvider<NetworkRecord>): vscode.Disposable[] {
  const firstVolume = async (clicked: unknown) => (await pick(volumeTree, clicked, undefined, volumes.label, vscode.l10n.t('Choose a volume'), vscode.l10n.t('There are no volumes on this engine.')))[0];
  const firstNetwork = async (clicked: unknown) => (await pick(networkTree, clicked, undefined, networks.label, vscode.l10n.t('Choose a network'), vscode.l10n.t('There are no networks on this engine.')))[0];
  return [
    registerRemove(ctx, 'berth.volumes.remove', session, volumeTree, volumes, vscode.l10n.t('Choose volumes'), vscode.l10n.t('There are no volumes on this engine.')),
    registerRemove(ctx, 'berth.networks.remove', session, networkTree, networks, vscode.l10n.t('Choose networks'), vscode.l10n.t('There are no networks on this engine.')),
    registerCommand(ctx, 'berth.volumes.prune', async () => {
      const unused = session.volumes.all().filter((v) => !volumeTree.usersOf(v.id).length);
      if (!unused.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No volume to prune: every volume is used by a container.'));
        return undefined;
      }
      const answer = await confirm(
        plural(unused.length, vscode.l10n.t('Remove {0} volume that no container uses?', unused.length), vscode.l10n.t('Remove {0} volumes that no container uses?', unused.length)),
        vscode.l10n.t('Their data is deleted for good: {0}.', unused.map((v) => v.id).join(', ')),
        vscode.l10n.t('Prune'),
      );
      if (!answer) return undefined;
      const r = await vscode.window.withProgress({ location: { viewId: volumes.view }, title: vscode.l10n.t('Pruning volumes…') }, () => session.requireClient().pruneVolumes());
      const reclaimed = sizeText(r.spaceReclaimed);
      const message = plural(r.removed.length, vscode.l10n.t('Removed {0} volume; reclaimed {1}.', r.removed.length, reclaimed), vscode.l10n.t('Removed {0} volumes; reclaimed {1}.', r.removed.length, reclaimed));
      void vscode.window.showInformationMessage(message);
      return message;
    }),
    registerCommand(ctx, 'berth.networks.prune', async () => {
      const unused = session.networks.all().filter((n) => !isBuiltInNetwork(n) && !networkTree.usersOf(n.id).length);
      if (!unused.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No network to prune: every network is built in or used by a container.'));
        return undefined;
      }
      const answer = await confirm(
        plural(unused.length, vscode.l10n.t('Remove {0} network that no container uses?', unused.length), vscode.l10n.t('Remove {0} networks that no container uses?', unused.length)),
        unused.map((n) => n.name).join(', '),
        vscode.l10n.t('Prune'),
      );
      if (!answer) return undefined;
      const r = await vscode.window.withProgress({ location: { viewId: networks.view }, title: vscode.l10n.t('Pruning networks…') }, () => session.requireClient().pruneNetworks());
      const removed = r.removed.join(', ') || '—';
      const message = plural(r.removed.length, vscode.l10n.t('Removed {0} network: {1}.', r.removed.length, removed), vscode.l10n.t('Removed {0} networks: {1}.', r.removed.length, removed));
      void vscode.window.showInformationMessage(message);
      return message;
    }),
    registerCommand(ctx, 'berth.volumes.inspect', async (clicked?: unknown, options?: unknown) => {
      const v = await firstVolume(clicked);
      if (v) await openInspect('volume', v.id, v.id, inspectOptions(options));
    }),
    registerCommand(ctx, 'berth.networks.inspect', async (clicked?: unknown, options?: unknown) => {
      const n = await firstNetwork(clicked);
      if (n) await openInspect('network', n.id, n.name, inspectOptions(options));
    }),
    registerCommand(ctx, 'berth.volumes.copyName', async (clicked?: unknown) => {
      const v = await firstVolume(clicked);
      if (v) await vscode.env.clipboard.writeText(v.id);
    }),
    registerCommand(ctx, 'berth.networks.copyName', async (clicked?: unknown) => {
      const n = await firstNetwork(clicked);
      if (n) await vscode.env.clipboard.writeText(n.name);
    }),
  ];
}
