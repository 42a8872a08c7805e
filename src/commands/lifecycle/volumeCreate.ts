// Create Volume…: name, driver and its options, labels. The local driver's bind options
// (type=none, o=bind, device=<folder>) are offered as a choice of their own and the folder is
// checked: the engine accepts a missing one at create and fails only when a container mounts it.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { objectNameProblem, parsePairs } from '../../model/lifecycle/names';
import type { EngineSession } from '../../session/engineSession';
import { inputStep, pickStep } from '../../ui/multiStep';
import { lifecycleOf } from './networkCreate';
import { runMaybeSteps } from './steps';
import { nameText } from './text';

type Kind = 'plain' | 'bind' | 'options';

interface Draft {
  name: string;
  driver: string;
  kind: Kind;
  device: string;
  options: string;
  labels: string;
}

/** Whether the engine runs on this machine, so a folder can be checked here. */
function engineIsLocal(session: EngineSession): boolean {
  const kind = session.requireClient().endpoint.kind;
  return kind === 'unix' || kind === 'npipe';
}

function deviceProblem(device: string, local: boolean): string | undefined {
  if (!device) return vscode.l10n.t('Give the folder to bind, an absolute path.');
  if (!device.startsWith('/')) return vscode.l10n.t('{0} is not an absolute path.', device);
  if (!local) return undefined;
  try {
    if (!fs.statSync(device).isDirectory()) return vscode.l10n.t('{0} is not a folder.', device);
  } catch {
    return vscode.l10n.t('The folder {0} does not exist: create it first, or the volume fails when a container mounts it.', device);
  }
  return undefined;
}

export function volumeDraftProblems(d: Draft, taken: string[], drivers: string[], local: boolean): string[] {
  const out: string[] = [];
  if (d.name) {
    const p = objectNameProblem(d.name, taken);
    if (p) out.push(nameText(p, 'volume', d.name));
  }
  if (!drivers.includes(d.driver)) out.push(vscode.l10n.t('The engine offers no volume driver {0}; it offers {1}.', d.driver, drivers.join(', ')));
  if (d.kind === 'bind') {
    const p = deviceProblem(d.device, local);
    if (p) out.push(p);
  }
  for (const [text, what] of [[d.options, 'option'], [d.labels, 'label']] as const) {
    const r = parsePairs(text);
    if ('bad' in r) out.push(what === 'option' ? vscode.l10n.t('{0} is not a driver option: write key=value.', r.bad) : vscode.l10n.t('{0} is not a label: write key=value.', r.bad));
  }
  return out;
}

function driverOptions(d: Draft): Record<string, string> {
  if (d.kind === 'bind') return { type: 'none', o: 'bind', device: d.device };
  const r = parsePairs(d.options);
  return 'pairs' in r ? r.pairs : {};
}

/** Creates a volume; resolves its name (undefined when cancelled). */
export async function createVolume(session: EngineSession, options: Record<string, unknown> | undefined): Promise<string | undefined> {
  const l = lifecycleOf(session);
  const drivers = (await l.drivers()).volume;
  const taken = session.volumes.all().map((v) => v.id);
  const local = engineIsLocal(session);
  let d: Draft;
  if (options && ('name' in options || 'device' in options || 'driver' in options)) {
    const text = (k: string) => (typeof options[k] === 'string' ? (options[k] as string).trim() : '');
    const pairs = (k: string) => (options[k] && typeof options[k] === 'object' ? Object.entries(options[k] as Record<string, string>).map(([a, b]) => `${a}=${b}`).join(' ') : text(k));
    d = { name: text('name'), driver: text('driver') || 'local', kind: text('device') ? 'bind' : 'options', device: text('device'), options: pairs('options'), labels: pairs('labels') };
    // The engine answers an existing name with that volume, unchanged: Berth refuses it instead.
    const fresh = (await session.requireClient().listVolumes()).map((v) => v.id);
    const problems = volumeDraftProblems(d, fresh, drivers, local);
    if (problems.length) throw new Error(problems.join(' '));
  } else {
    d = { name: '', driver: 'local', kind: 'plain', device: '', options: '', labels: '' };
    const ok = await runMaybeSteps(vscode.l10n.t('Create Volume'), [
      {
        step: inputStep({
          value: () => d.name,
          prompt: () => vscode.l10n.t('The volume’s name (empty: the engine makes one up)'),
          validate: (v) => { const p = v.trim() ? objectNameProblem(v.trim(), taken) : undefined; return p && nameText(p, 'volume', v.trim()); },
          accept: (v) => (d.name = v.trim()),
        }),
      },
      { when: () => drivers.length > 1, step: pickStep({ placeholder: vscode.l10n.t('Driver'), items: () => drivers.map((x) => ({ label: x, value: x })), active: () => d.driver, accept: (v) => (d.driver = v) }) },
      {
        step: pickStep<Kind>({
          placeholder: vscode.l10n.t('Where the data lives'),
          items: () => [
            ...(d.driver === 'local'
              ? [
                  { label: vscode.l10n.t('In the engine’s own storage'), detail: vscode.l10n.t('A plain volume, no options.'), value: 'plain' as const },
                  { label: vscode.l10n.t('In a folder of the engine’s machine'), detail: vscode.l10n.t('A bind volume: type=none, o=bind, device=<folder>. The folder must exist.'), value: 'bind' as const },
                ]
              : []),
            { label: vscode.l10n.t('Driver options…'), detail: vscode.l10n.t('key=value pairs, as docker volume create --opt (tmpfs, nfs, a plugin’s own).'), value: 'options' as const },
          ],
          active: () => d.kind,
          accept: (v) => (d.kind = v),
        }),
      },
      { when: () => d.kind === 'bind', step: inputStep({ value: () => d.device, prompt: () => vscode.l10n.t('The folder to bind (absolute path on the engine’s machine)'), validate: (v) => deviceProblem(v.trim(), local), accept: (v) => (d.device = v.trim()) }) },
      {
        when: () => d.kind === 'options',
        step: inputStep({
          value: () => d.options,
          prompt: () => vscode.l10n.t('Driver options, key=value separated by spaces (for tmpfs: type=tmpfs device=tmpfs o=size=100m)'),
          validate: (v) => { const r = parsePairs(v); return 'bad' in r ? vscode.l10n.t('{0} is not a driver option: write key=value.', r.bad) : undefined; },
          accept: (v) => (d.options = v.trim()),
        }),
      },
      { step: inputStep({ value: () => d.labels, prompt: () => vscode.l10n.t('Labels, key=value separated by spaces (optional)'), validate: (v) => { const r = parsePairs(v); return 'bad' in r ? vscode.l10n.t('{0} is not a label: write key=value.', r.bad) : undefined; }, accept: (v) => (d.labels = v.trim()) }) },
    ]);
    if (!ok) return undefined;
    // Made meanwhile (another window, a terminal): the engine would hand that one back unchanged.
    const now = (await session.requireClient().listVolumes()).map((v) => v.id);
    if (d.name && now.includes(d.name)) throw new Error(nameText('taken', 'volume', d.name));
  }
  const labels = parsePairs(d.labels);
  const name = await vscode.window.withProgress({ location: { viewId: 'berth.volumes' }, title: vscode.l10n.t('Creating volume…') }, () =>
    l.createVolume({ name: d.name, driver: d.driver, options: driverOptions(d), labels: 'pairs' in labels ? labels.pairs : {} }),
  );
  void vscode.window.showInformationMessage(vscode.l10n.t('Volume {0} created.', name));
  return name;
}
