// Connect to Network… and Disconnect, from a container row (which network) or a network row (which
// container): aliases and a static IP checked against the network's subnets and the addresses in
// use. Works on running and stopped containers; the rows follow through the engine's events.
import * as vscode from 'vscode';
import type { NetworkAddressing } from '../../contract/lifecycle';
import type { ContainerRecord, NetworkRecord } from '../../contract/records';
import { parseAddress, staticIpProblem } from '../../model/lifecycle/addresses';
import { joinable } from '../../model/lifecycle/joinable';
import { onNetwork } from '../../model/usage';
import type { EngineSession } from '../../session/engineSession';
import { confirm } from '../../ui/progress';
import { inputStep } from '../../ui/multiStep';
import { lifecycleOf } from './networkCreate';
import { runMaybeSteps } from './steps';
import { addressText } from './text';

function aliasProblem(text: string): string | undefined {
  const bad = text.split(/\s+/).filter(Boolean).find((a) => !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(a));
  return bad ? vscode.l10n.t('{0} is not a valid alias: letters, digits, _ . or -.', bad) : undefined;
}

function ipProblem(text: string, net: NetworkAddressing): string | undefined {
  if (!text) return undefined;
  if (!net.subnets.length) return vscode.l10n.t('Network {0} has no subnet of its own: a static IP needs a network created with a subnet.', net.name);
  const p = staticIpProblem(text, net);
  return p && addressText(p);
}

async function pick<T>(items: (vscode.QuickPickItem & { value: T })[], placeHolder: string): Promise<T | undefined> {
  if (items.length === 1) return items[0].value;
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.value;
}

/**
 * Connects one container to one network (either may be chosen here). Script options:
 * network (name or id) or container, aliases (array or space-separated), ip.
 */
export async function connect(session: EngineSession, from: { container?: ContainerRecord; network?: NetworkRecord }, options: Record<string, unknown> = {}): Promise<boolean> {
  const l = lifecycleOf(session);
  const networks = session.networks.all();
  const containers = session.containers.all();
  const byNameOrId = <R extends { id: string; name: string }>(rs: R[], v: unknown) => (typeof v === 'string' ? rs.find((r) => r.name === v || r.id === v || r.id.startsWith(v)) : undefined);
  let container = from.container ?? byNameOrId(containers, options.container);
  let network = from.network ?? byNameOrId(networks, options.network);
  if (!container) {
    const n = network!;
    const candidates = containers.filter((c) => joinable(n, c));
    if (!candidates.length) throw new Error(vscode.l10n.t('Every container is already on network {0}.', n.name));
    container = await pick(candidates.map((c) => ({ label: c.name, description: c.state, value: c })), vscode.l10n.t('Choose a container to connect to {0}', n.name));
  } else if (!network) {
    const c = container;
    const candidates = networks.filter((n) => joinable(n, c));
    if (!candidates.length) throw new Error(vscode.l10n.t('{0} is already on every network it can join.', c.name));
    network = await pick(candidates.map((n) => ({ label: n.name, description: n.driver, value: n })), vscode.l10n.t('Choose a network for {0}', c.name));
  }
  if (!container || !network) return false;
  if (!joinable(network, container)) throw new Error(vscode.l10n.t('{0} cannot join network {1}: it is on it already, or the network is the engine’s host or none.', container.name, network.name));
  const net = (await l.addressing()).find((n) => n.id === network!.id);
  if (!net) throw new Error(vscode.l10n.t('The network {0} no longer exists on this engine.', network.name));
  const scripted = 'aliases' in options || 'ip' in options || 'network' in options || 'container' in options;
  let aliases = Array.isArray(options.aliases) ? (options.aliases as string[]).join(' ') : typeof options.aliases === 'string' ? options.aliases : '';
  let ip = typeof options.ip === 'string' ? options.ip.trim() : '';
  if (scripted) {
    const problems = [aliasProblem(aliases), ipProblem(ip, net)].filter((p): p is string => !!p);
    if (problems.length) throw new Error(problems.join(' '));
  } else {
    const title = vscode.l10n.t('Connect {0} to {1}', container.name, network.name);
    const ok = await runMaybeSteps(title, [
      { step: inputStep({ value: () => aliases, prompt: () => vscode.l10n.t('Aliases other containers on {0} can use for it, separated by spaces (optional)', net.name), validate: aliasProblem, accept: (v) => (aliases = v.trim()) }) },
      {
        step: inputStep({
          value: () => ip,
          prompt: () => (net.subnets.length ? vscode.l10n.t('Static IP in {0} (optional: empty lets the engine choose)', net.subnets.join(', ')) : vscode.l10n.t('Static IP: this network has no subnet of its own, leave empty')),
          validate: (v) => ipProblem(v.trim(), net),
          accept: (v) => (ip = v.trim()),
        }),
      },
    ]);
    if (!ok) return false;
  }
  const family = ip ? parseAddress(ip)?.family : undefined;
  const c = container;
  const n = network;
  await vscode.window.withProgress({ location: { viewId: 'berth.containers' }, title: vscode.l10n.t('Connecting {0} to {1}…', c.name, n.name) }, () =>
    l.connect(n.id, c.id, { aliases: aliases.split(/\s+/).filter(Boolean), ipv4: family === 4 ? ip : undefined, ipv6: family === 6 ? ip : undefined }),
  );
  // A stopped container's connect sends no event: its row learns it here.
  await session.recheckContainer(c.id);
  return true;
}

/** Disconnects one container from one network, after asking. */
export async function disconnect(session: EngineSession, from: { container?: ContainerRecord; network?: NetworkRecord }, users: (n: NetworkRecord) => ContainerRecord[]): Promise<boolean> {
  const l = lifecycleOf(session);
  let container = from.container;
  let network = from.network;
  if (!network) {
    const c = container!;
    const candidates = session.networks.all().filter((n) => onNetwork(c, n));
    if (!candidates.length) throw new Error(vscode.l10n.t('{0} is on no network.', c.name));
    network = await pick(candidates.map((n) => ({ label: n.name, description: n.driver, value: n })), vscode.l10n.t('Choose the network to disconnect {0} from', c.name));
  } else if (!container) {
    const candidates = users(network);
    if (!candidates.length) throw new Error(vscode.l10n.t('No container is on network {0}.', network.name));
    container = await pick(candidates.map((c) => ({ label: c.name, description: c.state, value: c })), vscode.l10n.t('Choose the container to disconnect from {0}', network.name));
  }
  if (!container || !network) return false;
  const c = container;
  const n = network;
  const alone = c.networks.length === 1;
  const detail = alone ? vscode.l10n.t('It is its only network: it will have no network until you connect it to another.') : vscode.l10n.t('Its other networks stay.');
  if (!(await confirm(vscode.l10n.t('Disconnect {0} from network {1}?', c.name, n.name), detail, vscode.l10n.t('Disconnect')))) return false;
  await vscode.window.withProgress({ location: { viewId: 'berth.containers' }, title: vscode.l10n.t('Disconnecting {0} from {1}…', c.name, n.name) }, () => l.disconnect(n.id, c.id));
  await session.recheckContainer(c.id);
  return true;
}
