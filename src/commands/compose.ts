// Compose: Up and Down (and Scale…, which is an up) run the real Compose program in a terminal
// named after the project; Start, Stop and Restart go through the Engine API by Compose's labels,
// so they work without the program and for projects that have no file in the workspace.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ContainerAction } from '../contract/client';
import type { ComposeAction, ComposeProgram } from '../model/compose/program';
import type { ComposeProject } from '../model/compose/project';
import { COMPOSE_PROJECT_LABEL } from '../model/grouping';
import { COMPOSE_SERVICE_LABEL, parseComposeKey } from '../model/composeTree';
import type { EngineSession } from '../session/engineSession';
import { ComposeTerminals, type ComposeRun } from '../terminals/composeTerminal';
import type { ComposeProvider } from '../tree/compose/composeProvider';
import { composeModule } from '../ui/composeModule';
import { composeProblemText } from '../ui/composeText';
import { defaultIp, hostCheck, publishedBy } from '../ui/portPlanning';
import { confirm } from '../ui/progress';
import { registerTargetCommand, type CommandContext, type TargetKind } from './register';

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
    all: () => tree.allProjects().map((p) => ({ project: p.name })),
    identity: (r) => (r.service ? `${r.project}/${r.service}` : r.project),
    item: (r) => ({ label: r.service ? `${r.project} › ${r.service}` : r.project }),
    placeHolder: () => vscode.l10n.t('Choose a Compose project'),
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
}

function trustCheck(): void {
  if (!vscode.workspace.isTrusted)
    throw new Error(vscode.l10n.t('Compose runs files from this workspace, which is not trusted. Trust the workspace (Manage Workspace Trust) to run Up.'));
}

function fileProject(deps: ComposeDeps, name: string): ComposeProject {
  const project = deps.tree.project(name);
  if (!project) throw new Error(vscode.l10n.t('The Compose project {0} has no file in this workspace.', name));
  if (!fs.existsSync(project.folder)) throw new Error(vscode.l10n.t('The project folder {0} no longer exists.', project.folder));
  // A file Compose cannot read would fail half-way: say which problem, where, first.
  const blocking = project.problems.find((p) => p.code !== 'portSyntax');
  if (blocking) {
    const where = blocking.file ? ` (${path.basename(blocking.file)}${blocking.start ? `:${blocking.start.line}` : ''})` : '';
    throw new Error(vscode.l10n.t('{0} cannot be started: {1}', name, composeProblemText(blocking) + where));
  }
  return project;
}

/** Runs the Compose program on a project in a terminal named after it. */
export async function runCompose(deps: ComposeDeps, project: ComposeProject, action: ComposeAction, opts: { profiles?: readonly string[]; replaceFiles?: ReadonlyMap<string, string> } = {}): Promise<ComposeRun> {
  const compose = composeModule();
  const program = await deps.programs.detect();
  if (!program) throw new Error(noProgramText());
  const endpoint = deps.session.status.endpoint;
  if (!endpoint) throw new Error(vscode.l10n.t('The Docker engine is not connected.'));
  if (endpoint.kind === 'ssh') throw new Error(vscode.l10n.t('Compose on ssh engines is not supported yet: run it from a terminal with DOCKER_HOST set.'));
  const env = compose.composeEnvironment(process.env, { endpoint }, program);
  const target = { name: project.name, folder: project.folder, files: project.files, envFile: project.envFile, profiles: opts.profiles ?? project.activeProfiles };
  const invocation = compose.composeInvocation(program, target, action, env, { replaceFiles: opts.replaceFiles });
  return deps.terminals.run(vscode.l10n.t('Compose: {0}', project.name), invocation);
}

function containersOf(session: EngineSession, r: ComposeRef) {
  return session.containers.all().filter((c) => c.labels[COMPOSE_PROJECT_LABEL] === r.project && (!r.service || c.labels[COMPOSE_SERVICE_LABEL] === r.service));
}

async function engineAction(deps: ComposeDeps, r: ComposeRef, action: ContainerAction): Promise<void> {
  const wanted = action === 'start' ? (s: string) => s !== 'running' : (s: string) => s === 'running' || s === 'restarting' || (action === 'restart' && s !== 'dead');
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

export function registerComposeCommands(ctx: CommandContext, deps: ComposeDeps): vscode.Disposable[] {
  const kind = composeTargetKind(deps.tree);
  const hasFiles = (r: ComposeRef) => !!deps.tree.project(r.project);
  const services = (r: ComposeRef) => (r.service ? [r.service] : undefined);
  return [
    registerTargetCommand(ctx, 'berth.compose.up', { kind, many: false, applies: hasFiles, noneApplies: vscode.l10n.t('No Compose project of this workspace has a file to start from.') }, async ([r], { options }) => {
      trustCheck();
      const project = fileProject(deps, r.project);
      const profiles = Array.isArray(options?.profiles) ? options.profiles.map(String) : undefined;
      const run = await runCompose(deps, project, { verb: 'up', services: services(r) }, { profiles });
      return options?.wait ? run.done : undefined;
    }),
    registerTargetCommand(ctx, 'berth.compose.down', { kind, many: false, applies: (r) => !r.service && hasFiles(r) }, async ([r], { options }) => {
      const project = fileProject(deps, r.project);
      let volumes = options?.volumes === true;
      let images = options?.images === true;
      if (options?.confirmed !== true) {
        type Tick = vscode.QuickPickItem & { id: 'volumes' | 'images' };
        const ticks: Tick[] = [
          { id: 'volumes', label: vscode.l10n.t('Also remove the named volumes (their data is lost)') },
          { id: 'images', label: vscode.l10n.t('Also remove the images the services use') },
        ];
        const picked = await vscode.window.showQuickPick(ticks, { canPickMany: true, title: vscode.l10n.t('Down {0}: its containers and networks are removed', r.project), placeHolder: vscode.l10n.t('Volumes and images are kept unless ticked; Enter to go on') });
        if (!picked) return undefined;
        volumes = picked.some((p) => p.id === 'volumes');
        images = picked.some((p) => p.id === 'images');
        const kept = [volumes ? undefined : vscode.l10n.t('volumes are kept'), images ? undefined : vscode.l10n.t('images are kept')].filter(Boolean).join(', ');
        const go = vscode.l10n.t('Down');
        if ((await confirm(vscode.l10n.t('Take {0} down?', r.project), kept, go)) !== go) return undefined;
      }
      // Every profile, so that down also removes the services only a profile starts.
      const run = await runCompose(deps, project, { verb: 'down', volumes, images: images ? 'all' : undefined }, { profiles: project.profiles });
      return options?.wait ? run.done : undefined;
    }),
    registerTargetCommand(ctx, 'berth.compose.start', { kind, many: false }, ([r]) => engineAction(deps, r, 'start')),
    registerTargetCommand(ctx, 'berth.compose.stop', { kind, many: false }, ([r]) => engineAction(deps, r, 'stop')),
    registerTargetCommand(ctx, 'berth.compose.restart', { kind, many: false }, ([r]) => engineAction(deps, r, 'restart')),
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
      trustCheck();
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
      let replaceFiles: Map<string, string> | undefined;
      if (compose.needsPortPlan(service, replicas)) {
        const own = new Set(containersOf(deps.session, r).map((c) => c.name));
        const plan = await compose.planScalePorts({ service, replicas, publishedBy: publishedBy(deps.session), ownContainers: own, hostFree: hostCheck(deps.session), defaultIp: defaultIp() });
        const ranges = plan.map((p) => `${p.wanted} → ${compose.rangeEntry(p)}`).join(', ');
        const go = vscode.l10n.t('Scale with These Ports');
        if (options?.confirmed !== true) {
          const answer = await confirm(
            vscode.l10n.t('{0} publishes a fixed host port: {1} replicas cannot share it, and plain Compose would fail with "port is already allocated".', service.name, replicas),
            vscode.l10n.t('Berth gives each replica its own host port ({0}) in a copy of the file kept in its storage; your files are not changed.', ranges),
            go,
          );
          if (answer !== go) return undefined;
        }
        replaceFiles = new Map();
        const dir = vscode.Uri.joinPath(deps.storage, 'compose', project.name);
        fs.mkdirSync(dir.fsPath, { recursive: true });
        const lookup = (n: string) => project.variables.get(n);
        for (const [i, file] of project.files.entries()) {
          const rewritten = compose.rewriteFileForScale(fs.readFileSync(file, 'utf8'), service.name, plan, lookup);
          if (rewritten === undefined) continue;
          const copy = path.join(dir.fsPath, `${i}-${path.basename(file)}`);
          fs.writeFileSync(copy, rewritten);
          replaceFiles.set(file, copy);
        }
      }
      const run = await runCompose(deps, project, { verb: 'up', services: [service.name], scale: { [service.name]: replicas } }, { replaceFiles });
      return options?.wait ? run.done : undefined;
    }),
  ];
}

