// Compose: Up, Down, Build and Pull (and Scale…, which is an up) run the real Compose program in a
// terminal named after the project; Start, Stop, Restart, Pause, Unpause and Remove go through the
// Engine API by Compose's labels, so they work without the program and for projects that have no
// file in the workspace.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ContainerAction } from '../contract/client';
import type { ComposeAction, ComposeProgram } from '../model/compose/program';
import { browserUrl } from '../model/connectionHint';
import type { ComposeProject, ComposeService } from '../model/compose/project';
import { COMPOSE_PROJECT_LABEL } from '../model/grouping';
import { COMPOSE_SERVICE_LABEL, parseComposeKey } from '../model/composeTree';
import type { EngineSession } from '../session/engineSession';
import { ComposeTerminals, type ComposeRun } from '../terminals/composeTerminal';
import { openProjectLogTerminal } from '../terminals/logTerminal';
import type { StreamTerminals } from '../terminals/streamTerminals';
import type { ComposeProvider } from '../tree/compose/composeProvider';
import { composeChecksModule } from '../ui/composeChecksModule';
import { composeModule } from '../ui/composeModule';
import { composeProblemText } from '../ui/composeText';
import { plural } from '../ui/locale';
import { confirm } from '../ui/progress';
import { checkUpPorts, offerRememberedScales, rememberedScales, scaleService, type ScaleDeps } from './composeScale';
import { registerCommand, registerTargetCommand, type CommandContext, type TargetKind } from './register';

/** A Compose row: a project, or one service of it. */
export interface ComposeRef {
  project: string;
  service?: string;
}

export function composeTargetKind(tree: ComposeProvider): TargetKind<ComposeRef> {
  return {
    rows(key) {
      const parsed = parseComposeKey(key);
      return parsed && tree.row(key) ? [parsed] : [];
    },
    // Projects and their services: each command's `applies` keeps what it acts on (Scale: services).
    all: () => tree.allProjects().flatMap((p) => [{ project: p.name }, ...p.services.map((s) => ({ project: p.name, service: s.name }))]),
    identity: (r) => (r.service ? `${r.project}/${r.service}` : r.project),
    item: (r) => ({ label: r.service ? `${r.project} › ${r.service}` : r.project, description: r.service ? vscode.l10n.t('service') : vscode.l10n.t('project') }),
    placeHolder: () => vscode.l10n.t('Choose a Compose project or service'),
    empty: () => vscode.l10n.t('There is no Compose project in this workspace or on this engine.'),
  };
}

function execProgram(file: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { shell: false, timeout: 15_000 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return reject(err);
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Finds the Compose program once (again when berth.compose.command changes). */
export class ComposePrograms {
  private found?: Promise<ComposeProgram | undefined>;

  detect(): Promise<ComposeProgram | undefined> {
    const configured = vscode.workspace.getConfiguration('berth.compose').get<string[]>('command', []);
    this.found ??= composeModule().detectComposeProgram(execProgram, configured);
    return this.found;
  }

  reset(): void {
    this.found = undefined;
  }
}

export function noProgramText(): string {
  return vscode.l10n.t('No Compose program found (docker compose, docker-compose or podman compose). Install the Docker Compose plugin (apt-get install docker-compose-plugin) or docker-compose, or set berth.compose.command.');
}

export interface ComposeDeps {
  session: EngineSession;
  tree: ComposeProvider;
  programs: ComposePrograms;
  /** Where Berth keeps the rewritten files of a scale (the extension's storage). */
  storage: vscode.Uri;
  terminals: ComposeTerminals;
  /** The workspace's memory: each project's Up choice and the files users added. */
  state: vscode.Memento;
  /** Failures Compose reported at a file position, until the project's next run. */
  runDiagnostics: vscode.DiagnosticCollection;
  streams: StreamTerminals;
  /** The trust gate (vscode.workspace.isTrusted; tests pass their own). */
  trusted?: () => boolean;
}

/** Which services and profiles Up starts for a project, as the user last chose them. */
export interface UpChoice {
  profiles: string[];
  /** Empty: every service the profiles enable. */
  services: string[];
}

const UP_CHOICE_KEY = 'berth.compose.upChoice';
const EXTRA_FILES_KEY = 'berth.compose.extraFiles';

export function rememberedChoice(state: vscode.Memento, project: ComposeProject): UpChoice | undefined {
  const choice = state.get<Record<string, UpChoice>>(UP_CHOICE_KEY, {})[project.folder];
  if (!choice) return undefined;
  // A service or profile removed from the files since is dropped, not passed to Compose.
  return { profiles: choice.profiles.filter((p) => project.profiles.includes(p)), services: choice.services.filter((s) => project.services.some((x) => x.name === s)) };
}

/** Files users added to projects, by project folder (remembered per workspace). */
export function extraFiles(state: vscode.Memento): Record<string, string[]> {
  return state.get<Record<string, string[]>>(EXTRA_FILES_KEY, {});
}

/** Refuses to run the workspace's files (Up, Build, Scale) in an untrusted workspace. */
export function trustCheck(trusted: () => boolean = () => vscode.workspace.isTrusted, verb = vscode.l10n.t('Up')): void {
  if (!trusted())
    throw new Error(vscode.l10n.t('Compose runs files from this workspace, which is not trusted. Trust the workspace (Manage Workspace Trust) to run {0}.', verb));
}

function fileProject(deps: ComposeDeps, name: string): ComposeProject {
  const project = deps.tree.project(name);
  if (!project) throw new Error(vscode.l10n.t('The Compose project {0} has no file in this workspace.', name));
  return checkedProject(project);
}

/** The project, when its folder is still there and Compose can read its files. */
function checkedProject(project: ComposeProject): ComposeProject {
  const name = project.name;
  if (!fs.existsSync(project.folder)) throw new Error(vscode.l10n.t('The project folder {0} no longer exists.', project.folder));
  // A file Compose cannot read would fail half-way: say every problem, where, first.
  const blocking = composeChecksModule().blockingProblemTexts(project);
  if (blocking.length) throw new Error(vscode.l10n.t('{0} cannot be started: {1}', name, blocking.join(' ')));
  return project;
}

/** Runs the Compose program on a project in a terminal named after it. */
export async function runCompose(
  deps: ComposeDeps,
  project: ComposeProject,
  action: ComposeAction,
  opts: { profiles?: readonly string[]; replaceFiles?: ReadonlyMap<string, string>; runAnyway?: boolean } = {},
): Promise<ComposeRun> {
  const compose = composeModule();
  // The one gate every run passes, whichever command (or script) asked for it.
  if (compose.needsTrust(action)) trustCheck(deps.trusted, verbText(action));
  const program = await deps.programs.detect();
  if (!program) throw new Error(noProgramText());
  // A key this program version refuses fails the run with schema jargon: say which, where, first.
  const refusals = compose.programRefusals(program, project.parsedFiles ?? []);
  if (refusals.length && !opts.runAnyway) {
    const anyway = vscode.l10n.t('Run Anyway');
    const question = composeChecksModule().programRefusalQuestion(program, refusals);
    if ((await confirm(question.message, question.detail, anyway)) !== anyway) throw new vscode.CancellationError();
  }
  const endpoint = deps.session.status.endpoint;
  if (!endpoint) throw new Error(vscode.l10n.t('The Docker engine is not connected.'));
  // An ssh engine: the program goes through Berth's forward rather than opening its own ssh.
  const forwardedSocket = endpoint.kind === 'ssh' ? deps.session.requireClient().forwardedSocket?.() : undefined;
  if (endpoint.kind === 'ssh' && !forwardedSocket) throw new Error(vscode.l10n.t('The Docker engine is not connected.'));
  const env = compose.composeEnvironment(process.env, { endpoint, forwardedSocket }, program);
  const target = { name: project.name, folder: project.folder, files: project.files, envFile: project.envFile, profiles: opts.profiles ?? project.activeProfiles };
  const invocation = compose.composeInvocation(program, target, action, env, { replaceFiles: opts.replaceFiles });
  for (const f of project.files) deps.runDiagnostics.delete(vscode.Uri.file(f));
  const run = deps.terminals.run(vscode.l10n.t('Compose: {0}', project.name), invocation);
  void run.done.then((code) => {
    // null: the user stopped it (Ctrl+C, closed the terminal), which needs no message.
    if (code !== null && code !== 0) reportFailure(deps, project, action, run);
  });
  return run;
}

function verbText(action: ComposeAction): string {
  switch (action.verb) {
    case 'up':
      return action.scale ? vscode.l10n.t('Scale') : vscode.l10n.t('Up');
    case 'down':
      return vscode.l10n.t('Down');
    case 'build':
      return vscode.l10n.t('Build');
    case 'pull':
      return vscode.l10n.t('Pull');
    default:
      return action.verb;
  }
}

/** Says which service failed and why; a position Compose reported becomes a diagnostic there. */
function reportFailure(deps: ComposeDeps, project: ComposeProject, action: ComposeAction, run: ComposeRun): void {
  const failure = composeModule().composeFailure(run.output(), { folder: project.folder, project: project.name });
  const reason = failure ? (failure.service ? vscode.l10n.t('{0}: {1}', failure.service, failure.reason) : failure.reason) : vscode.l10n.t('see its terminal');
  const message = vscode.l10n.t('Compose {0} of {1} failed: {2}', verbText(action), project.name, reason);
  if (failure?.position) {
    const at = new vscode.Position(failure.position.line - 1, Math.max(0, failure.position.column - 1));
    const d = new vscode.Diagnostic(new vscode.Range(at, at.translate(0, 1)), message, vscode.DiagnosticSeverity.Error);
    d.source = 'Compose';
    deps.runDiagnostics.set(vscode.Uri.file(failure.position.file), [d]);
  }
  const show = vscode.l10n.t('Show Terminal');
  void vscode.window.showErrorMessage(message, show).then((choice) => {
    if (choice === show) run.terminal.show();
  });
}

function containersOf(session: EngineSession, r: ComposeRef) {
  return session.containers.all().filter((c) => c.labels[COMPOSE_PROJECT_LABEL] === r.project && (!r.service || c.labels[COMPOSE_SERVICE_LABEL] === r.service));
}

/** The states a label action applies to: Start what is not running, Unpause what is paused, … */
function appliesTo(action: ContainerAction): (state: string) => boolean {
  switch (action) {
    case 'start':
      return (s) => s !== 'running' && s !== 'paused';
    case 'pause':
      return (s) => s === 'running';
    case 'unpause':
      return (s) => s === 'paused';
    case 'restart':
      return (s) => s !== 'dead';
    default:
      return (s) => s === 'running' || s === 'restarting' || s === 'paused';
  }
}

/** Whether a label action has a container to act on in this project or service. */
function actionApplies(deps: ComposeDeps, action: ContainerAction): (r: ComposeRef) => boolean {
  const wanted = appliesTo(action);
  return (r) => containersOf(deps.session, r).some((c) => wanted(c.state));
}

/** Why a clicked row has nothing for a label action, saying what would act instead. */
function actionRefused(action: ContainerAction): (r: ComposeRef) => string {
  return (r) => {
    const name = refText(r);
    switch (action) {
      case 'start':
        return vscode.l10n.t('{0} has no stopped container to start. Compose Up creates and starts its containers from the files.', name);
      case 'unpause':
        return vscode.l10n.t('{0} has no paused container to resume.', name);
      case 'pause':
        return vscode.l10n.t('{0} has no running container to pause.', name);
      default:
        return vscode.l10n.t('{0} has no running container.', name);
    }
  };
}

async function engineAction(deps: ComposeDeps, r: ComposeRef, action: ContainerAction): Promise<void> {
  const wanted = appliesTo(action);
  const list = containersOf(deps.session, r).filter((c) => wanted(c.state));
  if (!list.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to do: no container of {0} is in that state.', r.service ? `${r.project} › ${r.service}` : r.project));
    return;
  }
  const client = deps.session.requireClient();
  const failures: string[] = [];
  await Promise.all(list.map((c) => client.containerAction(c.id, action).catch((err: Error) => failures.push(`${c.name}: ${err.message}`))));
  if (failures.length) throw new Error(failures.join('; '));
}

/** Up's choice: profiles to enable and services to start (none ticked: every enabled service). */
async function pickUpChoice(project: ComposeProject, remembered: UpChoice | undefined): Promise<UpChoice | undefined> {
  type Item = vscode.QuickPickItem & { profile?: string; service?: string };
  const was = remembered ?? { profiles: project.activeProfiles, services: [] };
  const items: Item[] = [];
  if (project.profiles.length) {
    items.push({ label: vscode.l10n.t('Profiles'), kind: vscode.QuickPickItemKind.Separator });
    for (const p of project.profiles) items.push({ label: p, profile: p, description: vscode.l10n.t('profile'), picked: was.profiles.includes(p) });
  }
  items.push({ label: vscode.l10n.t('Services (none ticked: all that the profiles enable)'), kind: vscode.QuickPickItemKind.Separator });
  for (const svc of project.services)
    items.push({ label: svc.name, service: svc.name, description: svc.profiles.length ? vscode.l10n.t('profiles: {0}', svc.profiles.join(', ')) : undefined, picked: was.services.includes(svc.name) });
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: vscode.l10n.t('Compose Up {0}: services and profiles', project.name), placeHolder: vscode.l10n.t('Berth remembers this choice for the project') });
  if (!picked) return undefined;
  return { profiles: picked.flatMap((i) => (i.profile ? [i.profile] : [])), services: picked.flatMap((i) => (i.service ? [i.service] : [])) };
}

/** A compose file outside the projects Berth found (docker-compose.prod.yml): run as `-f file` alone. */
async function loadFileProject(file: string): Promise<ComposeProject> {
  if (!fs.existsSync(file)) throw new Error(vscode.l10n.t('The compose file {0} does not exist.', file));
  return composeModule().loadComposeProject({ folder: path.dirname(file), environment: { ...process.env, COMPOSE_FILE: path.basename(file) } });
}

function refText(r: ComposeRef): string {
  return r.service ? `${r.project} › ${r.service}` : r.project;
}

/** Removes a project's (or service's) containers by label, and a whole project's networks; volumes stay. */
/** The networks Compose made for a project (a service has none of its own). */
function projectNetworks(deps: ComposeDeps, r: ComposeRef) {
  return r.service ? [] : deps.session.networks.all().filter((n) => n.labels[COMPOSE_PROJECT_LABEL] === r.project);
}

async function removeByLabel(deps: ComposeDeps, r: ComposeRef, confirmed: boolean): Promise<void> {
  const list = containersOf(deps.session, r);
  const networks = projectNetworks(deps, r);
  if (!list.length && !networks.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to remove: {0} has no container on this engine.', refText(r)));
    return;
  }
  if (!confirmed) {
    const go = vscode.l10n.t('Remove');
    const running = list.filter((c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting').length;
    const detail = [
      plural(list.length, vscode.l10n.t('{0} container', list.length), vscode.l10n.t('{0} containers', list.length)) + (running ? ` (${vscode.l10n.t('the running ones are stopped first')})` : ''),
      ...(networks.length ? [plural(networks.length, vscode.l10n.t('{0} network', networks.length), vscode.l10n.t('{0} networks', networks.length))] : []),
      vscode.l10n.t('Volumes are kept.'),
    ].join(' · ');
    if ((await confirm(vscode.l10n.t('Remove {0}?', refText(r)), detail, go)) !== go) return;
  }
  const client = deps.session.requireClient();
  const failures: string[] = [];
  await Promise.all(list.map((c) => client.removeContainer(c.id, true).catch((err: Error) => failures.push(`${c.name}: ${err.message}`))));
  // After the containers: a network still in use by another project's container stays (and is said).
  for (const n of networks) await client.removeNetwork(n.id).catch((err: Error) => failures.push(`${n.name}: ${err.message}`));
  if (failures.length) throw new Error(failures.join('; '));
}

/** The web addresses of a project's or service's running replicas (a database's port is none). */
function webPorts(deps: ComposeDeps, r: ComposeRef): { url: string; container: string }[] {
  return containersOf(deps.session, r)
    .filter((c) => c.state === 'running')
    .flatMap((c) => c.ports.flatMap((p) => {
      const url = browserUrl(c.image, p);
      return url ? [{ url, container: c.name }] : [];
    }));
}

export function registerComposeCommands(ctx: CommandContext, deps: ComposeDeps): vscode.Disposable[] {
  const kind = composeTargetKind(deps.tree);
  const hasFiles = (r: ComposeRef) => !!deps.tree.project(r.project);
  const services = (r: ComposeRef) => (r.service ? [r.service] : undefined);
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
  const noFiles = vscode.l10n.t('No Compose project of this workspace has a file to start from.');
  const noContainers = vscode.l10n.t('No Compose project or service has a container on this engine.');
  const hasContainers = (r: ComposeRef) => containersOf(deps.session, r).length > 0;
  /** The services a row stands for in the files (a project: all of them). */
  const fileServices = (r: ComposeRef) => deps.tree.project(r.project)?.services.filter((s) => !r.service || s.name === r.service) ?? [];
  /** Start, Stop, Restart, Pause, Resume: offered only where a container is in a state it acts on. */
  const labelAction = (id: string, action: ContainerAction) =>
    registerTargetCommand(ctx, id, { kind, many: false, applies: actionApplies(deps, action), noneApplies: vscode.l10n.t('No Compose project or service has a container in a state this action applies to.'), refused: actionRefused(action) }, ([r]) => engineAction(deps, r, action));
  /**
   * Up with the script's choice, else the project's remembered one, else COMPOSE_PROFILES and every
   * service; ports it needs checked first, and a remembered Scale offered again.
   */
  const up = async (project: ComposeProject, service: string | undefined, options: Record<string, unknown> | undefined, byUser = !options) => {
    const remembered = rememberedChoice(deps.state, project);
    const profiles = strings(options?.profiles) ?? remembered?.profiles ?? project.activeProfiles;
    const chosen = service ? [service] : (strings(options?.services) ?? remembered?.services);
    const compose = composeModule();
    const starting = compose.startedServices(project.services, compose.enabledServices(project, profiles, chosen ?? []), chosen);
    if (!(await checkUpPorts(deps.session, project, starting, options?.confirmed === true))) return undefined;
    const run = await runCompose(deps, project, { verb: 'up', services: chosen?.length ? chosen : undefined }, { profiles, runAnyway: options?.runAnyway === true });
    const scaleAgain = async (rescale: { service: ComposeService; replicas: number }[]) => {
      let code = await run.done;
      for (const r of rescale) {
        if (code !== 0) break;
        code = (await (await scaleService(scaleDeps(project), project, r.service, r.replicas, true))) ?? null;
      }
      return code;
    };
    // A Scale is remembered across Down: a script says whether to run it again, a user is offered it.
    if (byUser)
      void offerRememberedScales(deps.state, project, starting)
        .then((rescale) => (rescale.length ? scaleAgain(rescale) : undefined))
        .catch((err: Error) => void vscode.window.showErrorMessage(err.message));
    const done = options?.scale === 'remembered' ? scaleAgain(rememberedScales(deps.state, project).filter((r) => starting.includes(r.service))) : run.done;
    return options?.wait ? done : undefined;
  };
  const scaleDeps = (project: ComposeProject, runAnyway = false): ScaleDeps => ({ ...deps, run: (action, replaceFiles) => runCompose(deps, project, action, { replaceFiles, runAnyway }) });
  /** Build and Pull: the chosen profiles too, so a profiled service's image is not skipped. */
  const program = (verb: 'build' | 'pull') => async ([r]: ComposeRef[], { options }: { options?: Record<string, unknown> }) => {
    if (verb === 'build') trustCheck(deps.trusted, vscode.l10n.t('Build'));
    const project = fileProject(deps, r.project);
    const profiles = rememberedChoice(deps.state, project)?.profiles ?? project.activeProfiles;
    const run = await runCompose(deps, project, { verb, services: services(r) }, { profiles, runAnyway: options?.runAnyway === true });
    return options?.wait ? run.done : undefined;
  };
  return [
    // Compose's word on a file holds until the file is saved again (or the project's next run).
    vscode.workspace.onDidSaveTextDocument((doc) => deps.runDiagnostics.delete(doc.uri)),
    registerTargetCommand(ctx, 'berth.compose.up', { kind, many: false, applies: hasFiles, noneApplies: noFiles }, async ([r], { options }) => {
      trustCheck(deps.trusted);
      return up(fileProject(deps, r.project), r.service, options);
    }),
    registerTargetCommand(ctx, 'berth.compose.upChoose', { kind, many: false, applies: (r) => !r.service && hasFiles(r), noneApplies: noFiles }, async ([r], { options }) => {
      trustCheck(deps.trusted);
      const project = fileProject(deps, r.project);
      const choice = options?.choice ? (options.choice as UpChoice) : await pickUpChoice(project, rememberedChoice(deps.state, project));
      if (!choice) return undefined;
      await deps.state.update(UP_CHOICE_KEY, { ...deps.state.get<Record<string, UpChoice>>(UP_CHOICE_KEY, {}), [project.folder]: choice });
      return up(project, undefined, { ...options, profiles: choice.profiles, services: choice.services }, !options);
    }),
    // The Explorer's and the editor title's Up on a compose file: its project, or the file alone.
    registerCommand(ctx, 'berth.compose.upFile', {}, async ({ file, options }) => {
      trustCheck(deps.trusted);
      if (!file) throw new Error(vscode.l10n.t('Compose Up runs on a compose file: open one or choose it in the Explorer.'));
      await deps.tree.start();
      const project = deps.tree.projectForFile(file.fsPath) ?? (await loadFileProject(file.fsPath));
      return up(checkedProject(project), undefined, options);
    }),
    registerTargetCommand(ctx, 'berth.compose.build', { kind, many: false, applies: (r) => fileServices(r).some((s) => s.build), noneApplies: vscode.l10n.t('No service of a Compose project in this workspace has a build section.') }, program('build')),
    registerTargetCommand(ctx, 'berth.compose.pull', { kind, many: false, applies: (r) => fileServices(r).some((s) => s.image), noneApplies: noFiles }, program('pull')),
    registerTargetCommand(ctx, 'berth.compose.addFile', { kind, many: false, applies: (r) => !r.service && hasFiles(r), engine: false, noneApplies: noFiles }, async ([r], { options }) => {
      const project = fileProject(deps, r.project);
      const picked =
        typeof options?.file === 'string'
          ? [vscode.Uri.file(options.file)]
          : await vscode.window.showOpenDialog({
              title: vscode.l10n.t('Add a compose file to {0}', project.name),
              defaultUri: vscode.Uri.file(project.folder),
              canSelectMany: true,
              filters: { [vscode.l10n.t('Compose files')]: ['yaml', 'yml'] },
              openLabel: vscode.l10n.t('Add to Project'),
            });
      if (!picked?.length) return undefined;
      const all = extraFiles(deps.state);
      const before = all[project.folder] ?? [];
      // A file Compose already takes (compose.yaml, its override, COMPOSE_FILE) is not added twice.
      const own = project.files.filter((f) => !before.includes(f));
      const added = [...new Set([...before, ...picked.map((u) => u.fsPath)])].filter((f) => !own.includes(f));
      await deps.state.update(EXTRA_FILES_KEY, { ...all, [project.folder]: added });
      await deps.tree.reload(project.folder);
      return deps.tree.projectForFile(picked[0].fsPath)?.files;
    }),
    labelAction('berth.compose.pause', 'pause'),
    labelAction('berth.compose.unpause', 'unpause'),
    registerTargetCommand(ctx, 'berth.compose.remove', { kind, many: false, applies: (r) => hasContainers(r) || (!r.service && projectNetworks(deps, r).length > 0), noneApplies: noContainers }, ([r], { options }) => removeByLabel(deps, r, options?.confirmed === true)),
    registerTargetCommand(ctx, 'berth.compose.viewLogs', { kind, many: false, applies: hasContainers, noneApplies: noContainers }, ([r]) => {
      const members = () => containersOf(deps.session, r).map((c) => ({ id: c.id, service: c.labels[COMPOSE_SERVICE_LABEL] ?? c.name }));
      const settings = vscode.workspace.getConfiguration('berth.logs');
      return deps.streams.track(
        openProjectLogTerminal(deps.session.liveClient(), r.project, members, { tail: settings.get<number>('tail', 1000), timestamps: settings.get<boolean>('timestamps', false) }, r.service),
      );
    }),
    registerTargetCommand(
      ctx,
      'berth.compose.openInBrowser',
      { kind, many: false, applies: (r) => webPorts(deps, r).length > 0, noneApplies: vscode.l10n.t('No running service of a Compose project publishes a TCP port.'), refused: (r) => vscode.l10n.t('No running replica of {0} publishes a TCP port.', r.service ? `${r.project} › ${r.service}` : r.project) },
      async ([r]) => {
        const ports = webPorts(deps, r);
        const chosen =
          ports.length === 1
            ? ports[0]
            : await vscode.window.showQuickPick(
                ports.map((p) => ({ ...p, label: p.url, description: p.container })),
                { placeHolder: vscode.l10n.t('Choose a port to open') },
              );
        if (!chosen) return undefined;
        // asExternalUri maps the address when VS Code runs remotely or in a browser.
        const external = await vscode.env.asExternalUri(vscode.Uri.parse(chosen.url));
        await vscode.env.openExternal(external);
        return external.toString();
      },
    ),
    registerTargetCommand(ctx, 'berth.compose.down', { kind, many: false, applies: (r) => !r.service && hasFiles(r) && (hasContainers(r) || projectNetworks(deps, r).length > 0), noneApplies: vscode.l10n.t('No Compose project of this workspace is up: there is nothing to take down.') }, async ([r], { options }) => {
      const project = fileProject(deps, r.project);
      const client = deps.session.requireClient();
      const plan = await composeChecksModule().askDown(client, project, options);
      if (!plan) return undefined;
      // No --volumes, no --rmi: Compose would remove more than was listed (a shared base image).
      // Every profile, so that down also removes the services only a profile starts.
      const run = await runCompose(deps, project, { verb: 'down' }, { profiles: project.profiles, runAnyway: options?.runAnyway === true });
      const done = run.done.then(async (code) => {
        if (code === 0) await composeChecksModule().removeListed(client, project.name, plan);
        return code;
      });
      done.catch((err: Error) => void vscode.window.showErrorMessage(err.message));
      return options?.wait ? done : undefined;
    }),
    labelAction('berth.compose.start', 'start'),
    labelAction('berth.compose.stop', 'stop'),
    labelAction('berth.compose.restart', 'restart'),
    registerTargetCommand(ctx, 'berth.compose.openFile', { kind, many: false, applies: hasFiles, engine: false }, async ([r]) => {
      const project = fileProject(deps, r.project);
      const svc = r.service ? project.services.find((s) => s.name === r.service) : undefined;
      const file = svc?.location?.file ?? project.files[0];
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
      if (svc?.location) {
        const at = new vscode.Position(svc.location.start.line - 1, svc.location.start.column - 1);
        editor.selection = new vscode.Selection(at, at);
        editor.revealRange(new vscode.Range(at, at));
      }
    }),
    registerTargetCommand(ctx, 'berth.compose.scale', { kind, many: false, applies: (r) => !!r.service && hasFiles(r), noneApplies: vscode.l10n.t('Scale… applies to a service of a project with files.') }, async ([r], { options }) => {
      trustCheck(deps.trusted, vscode.l10n.t('Scale'));
      const compose = composeModule();
      const project = fileProject(deps, r.project);
      const service = project.services.find((s) => s.name === r.service);
      if (!service) throw new Error(vscode.l10n.t('The service {0} is not in the files of {1}.', String(r.service), r.project));
      const current = containersOf(deps.session, r).length || service.replicas;
      const typed =
        options?.replicas !== undefined
          ? String(options.replicas)
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Scale {0}', `${r.project} › ${service.name}`),
              prompt: vscode.l10n.t('Number of replicas (1 to {0})', compose.MAX_REPLICAS),
              value: String(current),
              validateInput: (text) => {
                const n = compose.parseReplicaCount(text);
                return typeof n === 'number' ? undefined : composeProblemText(n);
              },
            });
      if (typed === undefined) return undefined;
      const replicas = compose.parseReplicaCount(typed);
      if (typeof replicas !== 'number') throw new Error(composeProblemText(replicas));
      const done = await scaleService(scaleDeps(project, options?.runAnyway === true), project, service, replicas, options?.confirmed === true);
      return options?.wait ? done : undefined;
    }),
  ];
}

