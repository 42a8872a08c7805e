// What Berth says before and after running Compose when something is at stake: a file's problems,
// keys the program version refuses, and what Down removes (then removes exactly that). A bundle of
// its own, dist/composeChecks.js (esbuild.js), required on first use by src/ui/composeChecksModule.ts:
// dist/extension.js has no room left under its limit.
import * as path from 'path';
import * as vscode from 'vscode';
import type { EngineClient } from '../contract/client';
import type { DownPlan } from '../model/compose/down';
import type { ComposeProblem } from '../model/compose/problems';
import type { ComposeProgram } from '../model/compose/program';
import type { ProgramRefusal } from '../model/compose/programSupport';
import type { ComposeProject } from '../model/compose/project';
import { composeModule } from '../ui/composeModule';
import { composeProblemText } from '../ui/composeText';
import { plural } from '../ui/locale';

/** "compose.yaml:4: Unknown key …" for each problem that stops Compose, in file order, once each. */
export function blockingProblemTexts(project: ComposeProject): string[] {
  return composeModule()
    .blockingProblems(project)
    .map((p) => {
      const where = p.file ? `${path.basename(p.file)}${p.start ? `:${p.start.line}` : ''}` : undefined;
      // Each a sentence, so that the next one's file name reads as a new start.
      const text = /[.!?]$/.test(composeProblemText(p)) ? composeProblemText(p) : `${composeProblemText(p)}.`;
      return where ? vscode.l10n.t('{0}: {1}', where, text) : text;
    });
}

/** "docker-compose 1.29.2 does not accept the keys name (compose.yaml:1), develop (compose.yaml:6)…", and what to do instead. */
export function programRefusalQuestion(program: ComposeProgram, refusals: readonly ProgramRefusal[]): { message: string; detail: string } {
  const keys = refusals.map((r) => `${r.key} (${path.basename(r.file)}${r.start ? `:${r.start.line}` : ''})`).join(', ');
  const name = `${program.command.join(' ')} ${program.version ?? ''}`.trim();
  const message = plural(
    refusals.length,
    vscode.l10n.t('{0} does not accept the key {1}: Compose would refuse the file.', name, keys),
    vscode.l10n.t('{0} does not accept the keys {1}: Compose would refuse the file.', name, keys),
  );
  const lines: string[] = [];
  if (refusals.some((r) => r.pointer === '/name')) lines.push(vscode.l10n.t("For name: remove it and set COMPOSE_PROJECT_NAME in the project's .env file instead."));
  for (const r of refusals) if (r.since) lines.push(vscode.l10n.t('{0} needs version {1} or later of this program.', r.key, r.since));
  if (refusals.some((r) => !r.since && r.pointer !== '/name'))
    lines.push(vscode.l10n.t('Remove those keys, or install Compose v2 (apt-get install docker-compose-plugin) and set berth.compose.command to ["docker", "compose"].'));
  return { message, detail: lines.join('\n') };
}

const volumeName = (v: { name: string; of?: string }) => (v.of ? vscode.l10n.t('{0} (anonymous, of {1})', v.name.slice(0, 12), v.of) : v.name);

/**
 * Down's question: every volume and image it removes, by name, and what it keeps because other
 * containers use it, in the message itself (the part every dialog shows); the rest in the detail.
 */
export function downQuestion(project: string, plan: DownPlan, volumes: boolean, images: boolean): { message: string; detail: string } {
  const parts = [vscode.l10n.t('Take {0} down?', project)];
  const vols = plan.volumes.map(volumeName).join(', ');
  if (plan.volumes.length)
    parts.push(plural(plan.volumes.length, vscode.l10n.t('The volume {0} is removed: its data is lost.', vols), vscode.l10n.t('The volumes {0} are removed: their data is lost.', vols)));
  const imgs = plan.images.map((i) => i.name).join(', ');
  if (plan.images.length) parts.push(plural(plan.images.length, vscode.l10n.t('The image {0} is removed.', imgs), vscode.l10n.t('The images {0} are removed.', imgs)));
  for (const v of plan.keptVolumes)
    parts.push(plural(v.users.length, vscode.l10n.t('The volume {0} is kept: the container {1} uses it.', v.name, v.users.join(', ')), vscode.l10n.t('The volume {0} is kept: the containers {1} use it.', v.name, v.users.join(', '))));
  for (const i of plan.keptImages)
    parts.push(plural(i.users.length, vscode.l10n.t('The image {0} is kept: the container {1} uses it.', i.name, i.users.join(', ')), vscode.l10n.t('The image {0} is kept: the containers {1} use it.', i.name, i.users.join(', '))));
  const detail = [
    vscode.l10n.t('Its containers and networks are removed.'),
    !volumes ? vscode.l10n.t('Volumes are kept.') : plan.volumes.length + plan.keptVolumes.length ? undefined : vscode.l10n.t('It has no volume on this engine.'),
    !images ? vscode.l10n.t('Images are kept.') : plan.images.length + plan.keptImages.length ? undefined : vscode.l10n.t('No image of its services is on this engine.'),
  ];
  return { message: parts.join(' '), detail: detail.filter(Boolean).join('\n') };
}

/**
 * Down's two questions (volumes and images too? then what exactly goes), the engine asked in
 * between; a script's options instead (volumes, images; confirmed skips the last question).
 * Undefined when cancelled.
 */
export async function askDown(client: EngineClient, project: ComposeProject, options: Record<string, unknown> | undefined): Promise<DownPlan | undefined> {
  let volumes = options?.volumes === true;
  let images = options?.images === true;
  const asking = options?.confirmed !== true;
  // A script that says which may still want the last question (it lists what goes).
  if (asking && options?.volumes === undefined && options?.images === undefined) {
    type Tick = vscode.QuickPickItem & { id: 'volumes' | 'images' };
    const ticks: Tick[] = [
      { id: 'volumes', label: vscode.l10n.t('Also remove the named volumes (their data is lost)') },
      { id: 'images', label: vscode.l10n.t('Also remove the images the services use') },
    ];
    const picked = await vscode.window.showQuickPick(ticks, { canPickMany: true, title: vscode.l10n.t('Down {0}: its containers and networks are removed', project.name), placeHolder: vscode.l10n.t('Volumes and images are kept unless ticked; Enter to go on') });
    if (!picked) return undefined;
    volumes = picked.some((p) => p.id === 'volumes');
    images = picked.some((p) => p.id === 'images');
  }
  // What goes beyond containers and networks, asked of the engine now, not of the views.
  const [containers, allVolumes, allImages] = await Promise.all([client.listContainers(), volumes ? client.listVolumes() : [], images ? client.listImages() : []]);
  const plan = composeModule().planDown({ project: project.name, services: project.services, volumes, images, engine: { containers, volumes: allVolumes, images: allImages } });
  if (asking) {
    const go = vscode.l10n.t('Down');
    const question = downQuestion(project.name, plan, volumes, images);
    if ((await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, go)) !== go) return undefined;
  }
  return plan;
}

/** "image unresolved: API_IMAGE is not set", not the `${API_IMAGE:?…}` text Compose cannot use; the problem and its place. */
export function unresolvedImageText(p: ComposeProblem): { description: string; tooltip: string } {
  const description = p.code === 'variableRequired' ? vscode.l10n.t('image unresolved: {0} is not set', String(p.params.variable)) : vscode.l10n.t('image unresolved: {0}', String(p.params.text));
  return { description, tooltip: `${composeProblemText(p)}${p.file ? ` (${path.basename(p.file)}${p.start ? `:${p.start.line}` : ''})` : ''}` };
}

/** After a Down: removes exactly the volumes and images its question listed, and says so. */
export async function removeListed(client: EngineClient, project: string, plan: DownPlan): Promise<void> {
  const removed: string[] = [];
  const failures: string[] = [];
  for (const v of plan.volumes)
    await client.removeVolume(v.name).then(
      () => removed.push(volumeName(v)),
      (err: Error) => failures.push(`${volumeName(v)}: ${err.message}`),
    );
  for (const i of plan.images)
    await client.removeImage(i.name).then(
      () => removed.push(i.name),
      (err: Error) => failures.push(`${i.name}: ${err.message}`),
    );
  if (failures.length) void vscode.window.showErrorMessage(vscode.l10n.t('Down of {0}: could not remove {1}', project, failures.join('; ')));
  else if (removed.length) void vscode.window.showInformationMessage(vscode.l10n.t('Down of {0} removed {1}.', project, removed.join(', ')));
}
