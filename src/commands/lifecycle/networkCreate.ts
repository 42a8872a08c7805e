// Create Network…: name, driver, subnet, gateway and IP range checked as typed (overlaps name the
// other network), internal, IPv6, attachable (overlay, on a Swarm manager), labels. A script passes
// every field as options and gets no question.
import * as vscode from 'vscode';
import type { LifecycleClient, NetworkAddressing, NetworkCreateRequest } from '../../contract/lifecycle';
import { gatewayProblem, ipRangeProblem, subnetProblem, type AddressProblem } from '../../model/lifecycle/addresses';
import { networkNameProblem, parsePairs } from '../../model/lifecycle/names';
import type { EngineSession } from '../../session/engineSession';
import { inputStep, pickStep } from '../../ui/multiStep';
import { runMaybeSteps, togglesStep } from './steps';
import { addressText, nameText } from './text';

export function lifecycleOf(session: EngineSession): LifecycleClient {
  const l = session.requireClient().lifecycle;
  if (!l) throw new Error(vscode.l10n.t('This engine connection cannot create networks or volumes.'));
  return l;
}

interface Draft {
  name: string;
  driver: string;
  subnet: string;
  gateway: string;
  ipRange: string;
  ipv6Subnet: string;
  flags: Set<'internal' | 'ipv6' | 'attachable'>;
  labels: string;
}

/** Every problem of a draft, the first of each field: what the wizard shows as typed and a script gets thrown. */
export function draftProblems(d: Draft, taken: string[], others: NetworkAddressing[], drivers: string[]): string[] {
  const out: string[] = [];
  const name = networkNameProblem(d.name, taken);
  if (name) out.push(nameText(name, 'network', d.name));
  if (!drivers.includes(d.driver)) out.push(vscode.l10n.t('The engine offers no network driver {0}; it offers {1}.', d.driver, drivers.join(', ')));
  const add = (p: AddressProblem | undefined) => p && out.push(addressText(p));
  if (d.subnet) add(subnetProblem(d.subnet, others, 4));
  add(gatewayProblem(d.gateway, d.subnet));
  add(ipRangeProblem(d.ipRange, d.subnet));
  if (d.flags.has('ipv6') && d.ipv6Subnet) add(subnetProblem(d.ipv6Subnet, others, 6));
  if (d.flags.has('attachable') && d.driver !== 'overlay') out.push(vscode.l10n.t('Only an overlay network can be attachable.'));
  const labels = parsePairs(d.labels);
  if ('bad' in labels) out.push(vscode.l10n.t('{0} is not a label: write key=value.', labels.bad));
  return out;
}

function request(d: Draft): NetworkCreateRequest {
  const labels = parsePairs(d.labels);
  return {
    name: d.name,
    driver: d.driver,
    subnets: [
      ...(d.subnet ? [{ subnet: d.subnet, gateway: d.gateway || undefined, ipRange: d.ipRange || undefined }] : []),
      ...(d.flags.has('ipv6') && d.ipv6Subnet ? [{ subnet: d.ipv6Subnet }] : []),
    ],
    internal: d.flags.has('internal'),
    ipv6: d.flags.has('ipv6'),
    attachable: d.flags.has('attachable'),
    labels: 'pairs' in labels ? labels.pairs : {},
  };
}

function fromOptions(o: Record<string, unknown>): Draft {
  const text = (k: string) => (typeof o[k] === 'string' ? (o[k] as string).trim() : '');
  const labels = o.labels && typeof o.labels === 'object' ? Object.entries(o.labels as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(' ') : text('labels');
  const flags = new Set<'internal' | 'ipv6' | 'attachable'>((['internal', 'ipv6', 'attachable'] as const).filter((k) => o[k] === true));
  return { name: text('name'), driver: text('driver') || 'bridge', subnet: text('subnet'), gateway: text('gateway'), ipRange: text('ipRange'), ipv6Subnet: text('ipv6Subnet'), flags, labels };
}

/** Creates a network; resolves its id (undefined when cancelled). */
export async function createNetwork(session: EngineSession, options: Record<string, unknown> | undefined): Promise<string | undefined> {
  const l = lifecycleOf(session);
  const [drivers, addressing] = await Promise.all([l.drivers(), l.addressing()]);
  const networkDrivers = drivers.swarmManager && !drivers.network.includes('overlay') ? [...drivers.network, 'overlay'] : drivers.network.filter((x) => x !== 'overlay' || drivers.swarmManager);
  const taken = addressing.map((n) => n.name);
  let d: Draft;
  if (options && 'name' in options) {
    d = fromOptions(options);
    const problems = draftProblems(d, taken, addressing, networkDrivers);
    if (problems.length) throw new Error(problems.join(' '));
  } else {
    d = { name: '', driver: 'bridge', subnet: '', gateway: '', ipRange: '', ipv6Subnet: '', flags: new Set(), labels: '' };
    const addr = (p: AddressProblem | undefined) => (p ? addressText(p) : undefined);
    const optional = vscode.l10n.t('Leave empty to let the engine choose.');
    const ok = await runMaybeSteps(vscode.l10n.t('Create Network'), [
      { step: inputStep({ value: () => d.name, prompt: () => vscode.l10n.t('The network’s name'), validate: (v) => { const p = networkNameProblem(v.trim(), taken); return p && nameText(p, 'network', v.trim()); }, accept: (v) => (d.name = v.trim()) }) },
      {
        when: () => networkDrivers.length > 1,
        step: pickStep({
          placeholder: vscode.l10n.t('Driver'),
          items: () => networkDrivers.map((x) => ({ label: x, description: x === 'overlay' ? vscode.l10n.t('spans the Swarm’s nodes') : x === 'bridge' ? vscode.l10n.t('containers of this engine') : undefined, value: x })),
          active: () => d.driver,
          accept: (v) => (d.driver = v),
        }),
      },
      { step: inputStep({ value: () => d.subnet, prompt: () => vscode.l10n.t('IPv4 subnet, such as 172.30.0.0/16. {0}', optional), validate: (v) => (v.trim() ? addr(subnetProblem(v.trim(), addressing, 4)) : undefined), accept: (v) => (d.subnet = v.trim()) }) },
      { when: () => !!d.subnet, step: inputStep({ value: () => d.gateway, prompt: () => vscode.l10n.t('Gateway inside {0}. {1}', d.subnet, optional), validate: (v) => addr(gatewayProblem(v.trim(), d.subnet)), accept: (v) => (d.gateway = v.trim()) }) },
      { when: () => !!d.subnet, step: inputStep({ value: () => d.ipRange, prompt: () => vscode.l10n.t('IP range for containers, a block inside {0}. {1}', d.subnet, optional), validate: (v) => addr(ipRangeProblem(v.trim(), d.subnet)), accept: (v) => (d.ipRange = v.trim()) }) },
      {
        step: togglesStep({
          placeholder: vscode.l10n.t('Options (Enter to go on)'),
          items: () => [
            { key: 'internal' as const, label: vscode.l10n.t('Internal'), detail: vscode.l10n.t('No route out: containers reach each other, not the outside.') },
            { key: 'ipv6' as const, label: vscode.l10n.t('IPv6'), detail: vscode.l10n.t('Give containers IPv6 addresses too.') },
            ...(d.driver === 'overlay' ? [{ key: 'attachable' as const, label: vscode.l10n.t('Attachable'), detail: vscode.l10n.t('Standalone containers may join, not only Swarm services.') }] : []),
          ],
          value: () => d.flags,
          accept: (on) => (d.flags = on),
        }),
      },
      { when: () => d.flags.has('ipv6'), step: inputStep({ value: () => d.ipv6Subnet, prompt: () => vscode.l10n.t('IPv6 subnet, such as fd00:30::/64. {0}', optional), validate: (v) => (v.trim() ? addr(subnetProblem(v.trim(), addressing, 6)) : undefined), accept: (v) => (d.ipv6Subnet = v.trim()) }) },
      { step: inputStep({ value: () => d.labels, prompt: () => vscode.l10n.t('Labels, key=value separated by spaces (optional)'), validate: (v) => { const r = parsePairs(v); return 'bad' in r ? vscode.l10n.t('{0} is not a label: write key=value.', r.bad) : undefined; }, accept: (v) => (d.labels = v.trim()) }) },
    ]);
    if (!ok) return undefined;
  }
  const id = await vscode.window.withProgress({ location: { viewId: 'berth.networks' }, title: vscode.l10n.t('Creating network {0}…', d.name) }, () => l.createNetwork(request(d)));
  void vscode.window.showInformationMessage(vscode.l10n.t('Network {0} created.', d.name));
  return id;
}
