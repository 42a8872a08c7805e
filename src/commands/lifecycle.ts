// Create Network…, Create Volume…, Connect to Network… / Disconnect, Rename… (issue 28): the
// registrations, here in dist/extension.js; the flows are dist/lifecycle.js, required on first use
// (esbuild leaves './lifecycle.js' external, so Node finds it beside dist/extension.js).
import * as vscode from 'vscode';
import type { ContainerRecord, NetworkRecord } from '../contract/records';
import { joinable } from '../model/lifecycle/joinable';
import type { EngineSession } from '../session/engineSession';
import type { ResourceProvider } from '../tree/resourceProvider';
import { registerCommand, registerTargetCommand, type CommandContext } from './register';
import type { Targets } from './targets';

export type LifecycleModule = typeof import('./lifecycle/index');

let loaded: LifecycleModule | undefined;

function flows(): LifecycleModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./lifecycle.js') as LifecycleModule;
  return loaded;
}

export function registerLifecycleCommands(ctx: CommandContext, session: EngineSession, networksTree: ResourceProvider<NetworkRecord>, targets: Targets): vscode.Disposable[] {
  const users = (n: NetworkRecord): ContainerRecord[] => networksTree.usersOf(n.id);
  const canJoinSome = (c: ContainerRecord) => session.networks.all().some((n) => joinable(n, c));
  const someCanJoin = (n: NetworkRecord) => session.containers.all().some((c) => joinable(n, c));
  return [
    registerCommand(ctx, 'berth.networks.create', {}, ({ options }) => flows().createNetwork(session, options)),
    registerCommand(ctx, 'berth.volumes.create', {}, ({ options }) => flows().createVolume(session, options)),
    registerTargetCommand(
      ctx,
      'berth.containers.connectNetwork',
      { kind: targets.containers, many: false, applies: canJoinSome, noneApplies: vscode.l10n.t('Every container is already on every network it can join.') },
      ([c], { options }) => flows().connect(session, { container: c }, options),
    ),
    registerTargetCommand(
      ctx,
      'berth.containers.disconnectNetwork',
      { kind: targets.containers, many: false, applies: (c) => c.networks.length > 0, noneApplies: vscode.l10n.t('No container is on a network.') },
      ([c]) => flows().disconnect(session, { container: c }, users),
    ),
    registerTargetCommand(
      ctx,
      'berth.networks.connectContainer',
      { kind: targets.networks, many: false, applies: someCanJoin, noneApplies: vscode.l10n.t('Every container is already on every network it can join.') },
      ([n], { options }) => flows().connect(session, { network: n }, options),
    ),
    registerTargetCommand(
      ctx,
      'berth.networks.disconnectContainer',
      { kind: targets.networks, many: false, applies: (n) => users(n).length > 0, noneApplies: vscode.l10n.t('No container is on a network.') },
      ([n]) => flows().disconnect(session, { network: n }, users),
    ),
    registerTargetCommand(ctx, 'berth.containers.update', { kind: targets.containers, many: false }, ([c], { options }) => flows().update(session, c, options)),
    registerTargetCommand(ctx, 'berth.containers.commit', { kind: targets.containers, many: false }, ([c], { options }) => flows().commit(session, c, options)),
    registerTargetCommand(ctx, 'berth.containers.exportFilesystem', { kind: targets.containers, many: false }, ([c], { options }) => flows().exportFilesystem(session, c, options)),
    registerCommand(ctx, 'berth.images.importFilesystem', {}, ({ options }) => flows().importFilesystem(session, options)),
    registerCommand(ctx, 'berth.system.prune', {}, ({ options }) => flows().prune(session, 'system', options)),
    registerCommand(ctx, 'berth.containers.prune', {}, ({ options }) => flows().prune(session, 'container', options)),
    // Each kind's prune lists exactly what goes, with the space, and removes exactly that (issue 26).
    registerCommand(ctx, 'berth.images.prune', {}, ({ options }) => flows().prune(session, 'image', options)),
    registerCommand(ctx, 'berth.volumes.prune', {}, ({ options }) => flows().prune(session, 'volume', options)),
    registerCommand(ctx, 'berth.networks.prune', {}, ({ options }) => flows().prune(session, 'network', options)),
    registerTargetCommand(ctx, 'berth.containers.rename', { kind: targets.containers, many: false }, ([c], { options }) => flows().rename(session, c, options)),
  ];
}
