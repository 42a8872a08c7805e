// Volume actions: remove (asking first, refusing one a container still uses), inspect, copy name.
import * as vscode from 'vscode';
import type { VolumeRecord } from '../contract/records';
import type { EngineSession } from '../session/engineSession';
import type { ResourceProvider } from '../tree/resourceProvider';
import { inspectOptions, openInspect } from '../ui/inspectDocuments';
import { plural } from '../ui/locale';
import { confirm, runBatch, throwFailures } from '../ui/progress';
import { registerTargetCommand, type CommandContext } from './register';
import type { Targets } from './targets';

const VIEW = 'berth.volumes';

async function removeVolumes(session: EngineSession, tree: ResourceProvider<VolumeRecord>, volumes: VolumeRecord[]): Promise<void> {
  // The engine refuses to remove a volume any container still references, even a stopped one.
  const refusals = volumes.flatMap((v) => {
    const users = tree.usersOf(v.id);
    if (!users.length) return [];
    const names = users.map((c) => c.name).join(', ');
    return [plural(users.length, vscode.l10n.t('Volume {0} is used by container {1}. Remove it first.', v.id, names), vscode.l10n.t('Volume {0} is used by {1}. Remove those containers first.', v.id, names))];
  });
  if (refusals.length) throw new Error(refusals.join(' '));
  const question = volumes.length === 1 ? vscode.l10n.t('Remove volume {0}?', volumes[0].id) : vscode.l10n.t('Remove {0} volumes ({1})?', volumes.length, volumes.map((v) => v.id).join(', '));
  if (!(await confirm(question, vscode.l10n.t('The data in it is deleted for good.'), vscode.l10n.t('Remove')))) return;
  const client = session.requireClient();
  const n = volumes.length;
  const result = await runBatch(VIEW, plural(n, vscode.l10n.t('Removing {0} volume…', n), vscode.l10n.t('Removing {0} volumes…', n)), volumes, (v) => v.id, (v) => client.removeVolume(v.id));
  throwFailures(result, n, (failed, total, details) =>
    plural(failed, vscode.l10n.t('1 of {1} volumes could not be removed: {2}', failed, total, details), vscode.l10n.t('{0} of {1} volumes could not be removed: {2}', failed, total, details)),
  );
}


export function registerVolumeCommands(ctx: CommandContext, session: EngineSession, tree: ResourceProvider<VolumeRecord>, targets: Targets): vscode.Disposable[] {
  const volumes = targets.volumes;
  return [
    registerTargetCommand(ctx, 'berth.volumes.remove', { kind: volumes, many: true }, (vs) => removeVolumes(session, tree, vs)),
    registerTargetCommand(ctx, 'berth.volumes.inspect', { kind: volumes, many: false }, ([v], { options }) => openInspect('volume', v.id, v.id, inspectOptions(options))),
    registerTargetCommand(ctx, 'berth.volumes.copyName', { kind: volumes, many: false, engine: false }, ([v]) => vscode.env.clipboard.writeText(v.id)),
  ];
}
