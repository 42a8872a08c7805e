// Network actions: remove (asking first, saying what uses it; never a built-in one),
// inspect, copy name.
import * as vscode from 'vscode';
import type { ContainerRecord, NetworkRecord } from '../contract/records';
import { isActive, isBuiltInNetwork } from '../model/usage';
import type { EngineSession } from '../session/engineSession';
import type { ResourceProvider } from '../tree/resourceProvider';
import { inspectOptions, openInspect } from '../ui/inspectDocuments';
import { plural } from '../ui/locale';
import { confirm, runBatch, throwFailures } from '../ui/progress';
import { registerTargetCommand, type CommandContext } from './register';
import type { Targets } from './targets';

const VIEW = 'berth.networks';

function names(cs: readonly ContainerRecord[]): string {
  return cs.map((c) => c.name).join(', ');
}

/** Why a network cannot be removed at all, if so. */
function refusal(n: NetworkRecord, users: readonly ContainerRecord[]): string | undefined {
  if (isBuiltInNetwork(n)) return vscode.l10n.t('{0} is a built-in network of the engine and cannot be removed.', n.name);
  const running = users.filter(isActive);
  return running.length ? vscode.l10n.t('Network {0} is used by running containers: {1}. Stop them or disconnect them first.', n.name, names(running)) : undefined;
}

async function removeNetworks(session: EngineSession, tree: ResourceProvider<NetworkRecord>, networks: NetworkRecord[]): Promise<void> {
  const refusals = networks.map((n) => refusal(n, tree.usersOf(n.id))).filter((m): m is string => !!m);
  if (refusals.length) throw new Error(refusals.join(' '));
  const users = networks.flatMap((n) => tree.usersOf(n.id));
  const question = networks.length === 1 ? vscode.l10n.t('Remove network {0}?', networks[0].name) : vscode.l10n.t('Remove {0} networks ({1})?', networks.length, networks.map((n) => n.name).join(', '));
  const detail = users.length
    ? vscode.l10n.t('Stopped containers attached to it will not start again until you connect them to another network: {0}.', names(users))
    : vscode.l10n.t('No container uses it.');
  if (!(await confirm(question, detail, vscode.l10n.t('Remove')))) return;
  const client = session.requireClient();
  const n = networks.length;
  const result = await runBatch(VIEW, plural(n, vscode.l10n.t('Removing {0} network…', n), vscode.l10n.t('Removing {0} networks…', n)), networks, (x) => x.name, (x) => client.removeNetwork(x.id));
  throwFailures(result, n, (failed, total, details) =>
    plural(failed, vscode.l10n.t('1 of {1} networks could not be removed: {2}', failed, total, details), vscode.l10n.t('{0} of {1} networks could not be removed: {2}', failed, total, details)),
  );
}


export function registerNetworkCommands(ctx: CommandContext, session: EngineSession, tree: ResourceProvider<NetworkRecord>, targets: Targets): vscode.Disposable[] {
  const networks = targets.networks;
  return [
    registerTargetCommand(ctx, 'berth.networks.remove', { kind: networks, many: true }, (ns) => removeNetworks(session, tree, ns)),
    registerTargetCommand(ctx, 'berth.networks.inspect', { kind: networks, many: false }, ([n], { options }) => openInspect('network', n.id, n.name, inspectOptions(options))),
    registerTargetCommand(ctx, 'berth.networks.copyName', { kind: networks, many: false, engine: false }, ([n]) => vscode.env.clipboard.writeText(n.name)),
  ];
}
