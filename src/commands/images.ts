// Image actions: remove (saying which containers hold an image, offering to remove the stopped
// ones), inspect, copy tag or id, show or hide dangling images.
import * as vscode from 'vscode';
import type { EngineSession } from '../session/engineSession';
import { plural, sizeText } from '../ui/locale';
import type { ImageRow } from '../model/imageTree';
import { planImageRemoval, type ImageRemoval } from '../model/usage';
import { inspectOptions, openInspect } from '../ui/inspectDocuments';
import { confirm, runBatch, throwFailures } from '../ui/progress';
import { registerCommand, registerTargetCommand, type CommandContext } from './register';
import { imageRowName, type Targets } from './targets';
import { transferModule } from '../ui/transferModule';
import type { PullOptions, TransferDeps } from './transferFeature';

const VIEW = 'berth.images';

function describeUsers(plan: ImageRemoval): string {
  return [...plan.running.map((c) => vscode.l10n.t('{0} (running)', c.name)), ...plan.stopped.map((c) => vscode.l10n.t('{0} (stopped)', c.name))].join(', ');
}

async function removeImages(session: EngineSession, rows: ImageRow[]): Promise<void> {
  const plans = rows.map((row) => ({ row, plan: planImageRemoval(row.image, row.tag, session.containers.all()) }));
  const held = plans.filter((p) => p.plan.running.length || p.plan.stopped.length);
  const free = plans.filter((p) => !held.includes(p));
  const removeStopped = vscode.l10n.t('Remove Stopped Containers and Image');
  let withContainers: typeof held = [];
  if (held.length) {
    const blocked = held.filter((p) => p.plan.running.length);
    const message =
      held.length === 1
        ? vscode.l10n.t('Image {0} is used by {1}.', imageRowName(held[0].row), describeUsers(held[0].plan))
        : vscode.l10n.t('{0} images are in use: {1}.', held.length, held.map((p) => `${imageRowName(p.row)} (${describeUsers(p.plan)})`).join('; '));
    const stoppable = held.filter((p) => !p.plan.running.length);
    if (!stoppable.length) {
      // Nothing Berth may do without stopping containers the user did not ask to stop.
      throw new Error(`${message} ${vscode.l10n.t('Stop and remove those containers first.')}`);
    }
    const detail = blocked.length
      ? vscode.l10n.t('Images used by running containers are kept: {0}.', blocked.map((p) => imageRowName(p.row)).join(', '))
      : vscode.l10n.t('The stopped containers are removed first; their volumes are kept.');
    const answer = await confirm(message, detail, removeStopped);
    if (answer !== removeStopped) return;
    withContainers = stoppable;
  } else {
    const single = free.length === 1 ? free[0] : undefined;
    const message = single
      ? single.plan.untagOnly
        ? vscode.l10n.t('Remove tag {0}?', imageRowName(single.row))
        : vscode.l10n.t('Remove image {0}?', imageRowName(single.row))
      : vscode.l10n.t('Remove {0} images ({1})?', free.length, free.map((p) => imageRowName(p.row)).join(', '));
    const detail =
      single?.plan.untagOnly
        ? vscode.l10n.t('Other tags still name this image, so only the tag goes.')
        : vscode.l10n.t('Up to {0} is freed. Layers other images share are kept.', sizeText([...new Map(free.map((p) => [p.row.image.id, p.row.image.size])).values()].reduce((a, b) => a + b, 0)));
    if ((await confirm(message, detail, vscode.l10n.t('Remove'))) === undefined) return;
  }
  const todo = [...free, ...withContainers];
  const client = session.requireClient();
  const result = await runBatch(VIEW, plural(todo.length, vscode.l10n.t('Removing {0} image…', todo.length), vscode.l10n.t('Removing {0} images…', todo.length)), todo, (p) => imageRowName(p.row), async ({ plan }) => {
    for (const c of plan.stopped) await client.removeContainer(c.id, false);
    await client.removeImage(plan.ref);
  });
  throwFailures(result, todo.length, (failed, total, details) => plural(failed, vscode.l10n.t('1 of {1} images could not be removed: {2}', failed, total, details), vscode.l10n.t('{0} of {1} images could not be removed: {2}', failed, total, details)));
}


export function registerImageCommands(ctx: CommandContext, session: EngineSession, targets: Targets): vscode.Disposable[] {
  const images = targets.images;
  const deps: TransferDeps = { session, log: ctx.log };
  const tagged = (row: ImageRow) => row.tag !== undefined;
  const setDangling = (show: boolean) => vscode.workspace.getConfiguration('berth.images').update('showDangling', show, vscode.ConfigurationTarget.Global);
  return [
    registerTargetCommand(ctx, 'berth.images.remove', { kind: images, many: true }, (rows) => removeImages(session, rows)),
    registerTargetCommand(ctx, 'berth.images.inspect', { kind: images, many: false }, ([row], { options }) => openInspect('image', row.image.id, imageRowName(row), inspectOptions(options))),
    registerTargetCommand(ctx, 'berth.images.copyTag', { kind: images, many: false, engine: false }, ([row]) => vscode.env.clipboard.writeText(row.tag ?? row.image.id)),
    registerTargetCommand(ctx, 'berth.images.copyId', { kind: images, many: false, engine: false }, ([row]) => vscode.env.clipboard.writeText(row.image.id)),
    registerCommand(ctx, 'berth.images.pull', {}, ({ options }) => transferModule().pullImage(deps, (options ?? {}) as PullOptions)),
    registerTargetCommand(
      ctx,
      'berth.images.pullTag',
      { kind: images, many: false, applies: tagged, noneApplies: vscode.l10n.t('No image has a tag to pull again.'), refused: (row) => vscode.l10n.t('{0} has no tag to pull.', imageRowName(row)) },
      ([row]) => transferModule().pullImage(deps, { reference: row.tag }),
    ),
    registerTargetCommand(ctx, 'berth.images.tag', { kind: images, many: false }, ([row], { options }) => transferModule().tagImage(deps, row.image.id, row.tag, (options ?? {}) as { tag?: string })),
    registerTargetCommand(
      ctx,
      'berth.images.push',
      { kind: images, many: false, applies: tagged, noneApplies: vscode.l10n.t('No image has a tag to push: use Tag Image… first.'), refused: (row) => vscode.l10n.t('{0} has no tag to push: use Tag Image… first.', imageRowName(row)) },
      ([row], { options }) => transferModule().pushImage(deps, row.tag!, (options ?? {}) as { confirmDockerHub?: boolean }),
    ),
    registerTargetCommand(ctx, 'berth.images.save', { kind: images, many: true }, (rows, { options }) =>
      transferModule().saveImages(deps, [...new Set(rows.map((r) => r.tag ?? r.image.id))], (options ?? {}) as { file?: string }),
    ),
    registerCommand(ctx, 'berth.images.load', {}, ({ options, file }) => transferModule().loadImages(deps, { file: file?.fsPath, ...((options ?? {}) as { file?: string }) })),
    registerCommand(ctx, 'berth.images.showDangling', { engine: false }, () => setDangling(true)),
    registerCommand(ctx, 'berth.images.hideDangling', { engine: false }, () => setDangling(false)),
  ];
}
