// Build an image from a Dockerfile: exact context, live output in a terminal, cancel, and a
// failing instruction pinned in the Problems panel.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { runBuild, type BuildInput, type BuildOutcome } from '../model/build';
import { ContextError, type ContextPlan } from '../model/buildContext';
import { readDockerfile } from '../model/dockerfile';
import type { EngineSession } from '../session/engineSession';
import { plural, sizeText } from '../ui/locale';
import { checkTag, normalizeTag, repositoryFromFolder } from '../model/imageReference';
import { looksSecret, MASK } from '../model/secrets';
import { BuildTerminal, BuildTerminals } from '../terminals/buildTerminal';
import type { ImagesProvider } from '../tree/images/imagesProvider';
import { tagProblemText, validateTagInput } from '../ui/tagMessages';
import { isCancellation, registerCommand, type CommandContext } from './register';

const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,*.dockerfile,*.Dockerfile,*.containerfile,Dockerfile.*,Containerfile.*}';
const LARGE_CONTEXT = 500 * 1000 * 1000;

/** What a script or test may pass instead of answering the prompts. */
export interface BuildArgs {
  tag?: string;
  context?: string;
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  pull?: boolean;
  labels?: Record<string, string>;
}

export interface BuildDeps {
  session: EngineSession;
  images: ImagesProvider;
  imagesView: vscode.TreeView<string>;
  state: vscode.Memento;
  diagnostics: vscode.DiagnosticCollection;
  /** Finished build terminals, reused by the same tag's next build. */
  terminals?: BuildTerminals;
}

async function pickDockerfile(): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles(DOCKERFILE_GLOB, '**/node_modules/**', 200);
  if (!found.length) throw new Error(vscode.l10n.t('No Dockerfile in this workspace. Open a folder with a Dockerfile, or right-click one in the Explorer.'));
  if (found.length === 1) return found[0];
  found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: vscode.l10n.t('Choose the Dockerfile to build') },
  );
  return picked?.uri;
}

function defaultContext(dockerfile: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(dockerfile);
  const setting = vscode.workspace.getConfiguration('berth.build', dockerfile).get<string>('context', '').trim();
  if (setting) return path.resolve(folder?.uri.fsPath ?? path.dirname(dockerfile.fsPath), setting);
  return path.dirname(dockerfile.fsPath);
}

function tagKey(dockerfile: vscode.Uri): string {
  return `berth.build.lastTag:${dockerfile.toString()}`;
}

function contextErrorText(e: ContextError): string {
  switch (e.code) {
    case 'missing':
      return vscode.l10n.t('The build context {0} does not exist.', e.target);
    case 'notFolder':
      return vscode.l10n.t('The build context {0} is not a folder.', e.target);
    case 'noDockerfile':
      return vscode.l10n.t('The Dockerfile {0} does not exist.', e.target);
    default:
      return vscode.l10n.t('Cannot read {0}: {1}', e.target, e.message);
  }
}

interface Draft extends BuildInput {
  args: { name: string; value?: string }[];
  stages: string[];
}

/** The review list: every input visible, any of them editable, then Build. */
async function review(draft: Draft): Promise<boolean> {
  for (;;) {
    type Item = vscode.QuickPickItem & { run?: () => Promise<void>; build?: boolean };
    const rel = (p: string) => vscode.workspace.asRelativePath(p, false) || p;
    const items: Item[] = [
      { label: `$(play) ${vscode.l10n.t('Build {0}', draft.tag)}`, build: true, alwaysShow: true },
      {
        label: `$(tag) ${vscode.l10n.t('Tag')}`,
        description: draft.tag,
        run: async () => {
          const tag = await vscode.window.showInputBox({ value: draft.tag, prompt: vscode.l10n.t('Image tag (name:tag)'), validateInput: validateTagInput });
          if (tag) draft.tag = normalizeTag(tag);
        },
      },
      {
        label: `$(folder) ${vscode.l10n.t('Context folder')}`,
        description: rel(draft.contextDir),
        run: async () => {
          const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: vscode.Uri.file(draft.contextDir), openLabel: vscode.l10n.t('Use as Context') });
          if (picked?.[0]) draft.contextDir = picked[0].fsPath;
        },
      },
      ...draft.args.map(
        (arg): Item => ({
          label: `$(symbol-variable) ARG ${arg.name}`,
          description: arg.value === undefined ? vscode.l10n.t('(no value)') : looksSecret(arg.name) ? MASK : arg.value,
          run: async () => {
            const value = await vscode.window.showInputBox({ value: arg.value, prompt: vscode.l10n.t('Value of build argument {0}; empty for none', arg.name), password: looksSecret(arg.name) });
            if (value !== undefined) arg.value = value === '' ? undefined : value;
          },
        }),
      ),
    ];
    if (draft.stages.length > 1) {
      items.push({
        label: `$(layers) ${vscode.l10n.t('Target stage')}`,
        description: draft.target ?? vscode.l10n.t('last stage'),
        run: async () => {
          const last = vscode.l10n.t('last stage');
          const stage = await vscode.window.showQuickPick([last, ...draft.stages], { placeHolder: vscode.l10n.t('Stage to build') });
          if (stage) draft.target = stage === last ? undefined : stage;
        },
      });
    }
    items.push(
      { label: `$(${draft.noCache ? 'pass-filled' : 'circle-large-outline'}) ${vscode.l10n.t('Do not use the cache')}`, run: async () => void (draft.noCache = !draft.noCache) },
      { label: `$(${draft.pull ? 'pass-filled' : 'circle-large-outline'}) ${vscode.l10n.t('Pull newer base images')}`, run: async () => void (draft.pull = !draft.pull) },
    );
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Build {0}', path.basename(draft.dockerfile)), placeHolder: vscode.l10n.t('Press Enter to build, or pick a line to change it') });
    if (!picked) return false;
    if (picked.build) return true;
    await picked.run?.();
  }
}

function describePlan(plan: ContextPlan, term: BuildTerminal): void {
  const ignore = plan.ignoreFile ? vscode.l10n.t('after {0}', vscode.workspace.asRelativePath(plan.ignoreFile, false)) : vscode.l10n.t('no .dockerignore');
  const n = plan.entries.length;
  const size = sizeText(plan.bytes);
  term.line(plural(n, vscode.l10n.t('Context {0}: {1} entry, {2} ({3})', plan.root, n, size, ignore), vscode.l10n.t('Context {0}: {1} entries, {2} ({3})', plan.root, n, size, ignore)), 'status');
  if (plan.bytes > LARGE_CONTEXT) {
    const folders = plan.largest.map((f) => `${f.folder} (${sizeText(f.bytes)})`).join(', ');
    term.line(vscode.l10n.t('The context is over 500 MB. Largest folders: {0}. Add those the build does not need to .dockerignore.', folders), 'error');
  }
}

export async function build(deps: BuildDeps, dockerfile: vscode.Uri, args: BuildArgs): Promise<BuildOutcome | undefined> {
  if (!vscode.workspace.isTrusted) {
    throw new Error(vscode.l10n.t('Building uses files from this workspace, which is not trusted. Trust the workspace (Manage Workspace Trust) to build.'));
  }
  if (!fs.existsSync(dockerfile.fsPath)) throw new Error(vscode.l10n.t('The Dockerfile {0} does not exist.', dockerfile.fsPath));
  const facts = readDockerfile(fs.readFileSync(dockerfile.fsPath, 'utf8'));
  const contextDir = args.context ? path.resolve(path.dirname(dockerfile.fsPath), args.context) : defaultContext(dockerfile);
  const remembered = deps.state.get<string>(tagKey(dockerfile));
  const draft: Draft = {
    contextDir,
    dockerfile: dockerfile.fsPath,
    tag: args.tag ?? remembered ?? `${repositoryFromFolder(path.basename(contextDir))}:latest`,
    args: facts.args.map((a) => ({ name: a.name, value: args.buildArgs?.[a.name] ?? a.value })),
    stages: facts.stages,
    target: args.target,
    noCache: args.noCache,
    pull: args.pull,
    labels: args.labels,
  };
  if (args.tag === undefined) {
    const tag = await vscode.window.showInputBox({
      title: vscode.l10n.t('Build {0}', vscode.workspace.asRelativePath(dockerfile, false)),
      value: draft.tag,
      prompt: vscode.l10n.t('Image tag (name:tag)'),
      validateInput: validateTagInput,
    });
    if (!tag) return undefined;
    draft.tag = normalizeTag(tag);
    if (!(await review(draft))) return undefined;
  } else {
    const problem = checkTag(args.tag);
    if (problem) throw new Error(tagProblemText(problem));
    draft.tag = normalizeTag(args.tag);
  }
  const buildArgs = Object.fromEntries([...Object.entries(args.buildArgs ?? {}), ...draft.args.filter((a) => a.value !== undefined).map((a) => [a.name, a.value as string])]);
  const client = deps.session.requireClient();

  const abort = new AbortController();
  const name = vscode.l10n.t('Build {0}', draft.tag);
  const term = deps.terminals ? deps.terminals.open(name, () => abort.abort()) : new BuildTerminal(name, () => abort.abort());
  term.terminal.show(true);
  let outcome: BuildOutcome;
  try {
    outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Building {0}', draft.tag), cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        return runBuild(
          client,
          { ...draft, buildArgs },
          {
            onPlan: (plan) => describePlan(plan, term),
            onSegment: (seg) => {
              term.write(seg);
              if (seg.kind === 'step') progress.report({ message: seg.text.trim() });
            },
          },
          abort.signal,
        );
      },
    );
  } catch (err) {
    if (isCancellation(err) || abort.signal.aborted) {
      term.finish(vscode.l10n.t('Build cancelled.'), 'error');
      throw new vscode.CancellationError();
    }
    const message = err instanceof ContextError ? contextErrorText(err) : (err as Error).message;
    term.finish(message, 'error');
    throw new Error(message);
  }

  const sent = vscode.l10n.t('Sent {0} to the engine.', sizeText(outcome.bytesSent));
  if (outcome.failure) {
    const f = outcome.failure;
    if (f.line !== undefined) {
      const text = fs.readFileSync(dockerfile.fsPath, 'utf8').split(/\r?\n/)[f.line] ?? '';
      const start = text.length - text.trimStart().length;
      const diagnostic = new vscode.Diagnostic(new vscode.Range(f.line, start, f.line, Math.max(text.length, start + 1)), f.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'Berth build';
      deps.diagnostics.set(dockerfile, [diagnostic]);
    }
    term.finish(`${vscode.l10n.t('Build failed.')} ${sent}`, 'error');
    const reason =
      f.kind === 'lost'
        ? vscode.l10n.t('the connection to the engine was lost during the build ({0})', f.message)
        : f.kind === 'noResult'
          ? vscode.l10n.t('the build stream ended before the engine reported a result')
          : f.message;
    throw new Error(
      f.step ? vscode.l10n.t('Build failed at step {0}/{1} ({2}): {3}', f.step.index, f.step.total, f.step.text, reason) : vscode.l10n.t('Build failed: {0}', reason),
    );
  }
  deps.diagnostics.delete(dockerfile);
  await deps.state.update(tagKey(dockerfile), draft.tag);
  term.finish(`${vscode.l10n.t('Built {0}.', draft.tag)} ${sent}`, 'step');
  void revealBuilt(deps, draft.tag);
  const run = vscode.l10n.t('Run');
  void vscode.window.showInformationMessage(vscode.l10n.t('Built {0}.', draft.tag), run).then(async (choice) => {
    if (choice === run) await vscode.commands.executeCommand('berth.images.run', `tag:${draft.tag}`);
  });
  return outcome;
}

/**
 * The image arrives through its tag event; reveal its row once it is there. When the Images view
 * is hidden (a build started from the Explorer), the reveal waits until it is shown again.
 */
async function revealBuilt(deps: BuildDeps, tag: string): Promise<void> {
  const { images, imagesView } = deps;
  if (!imagesView.visible) {
    await new Promise<void>((resolve) => {
      const sub = imagesView.onDidChangeVisibility((e) => {
        if (!e.visible) return;
        sub.dispose();
        resolve();
      });
    });
  }
  const key = `tag:${tag}`;
  for (let i = 0; i < 60 && !images.row(key); i++) await new Promise((r) => setTimeout(r, 50));
  if (images.row(key)) await imagesView.reveal(key, { select: true, focus: false, expand: true });
}

export function registerBuildCommands(ctx: CommandContext, deps: BuildDeps): vscode.Disposable[] {
  const terminals = new BuildTerminals();
  deps = { ...deps, terminals };
  return [
    terminals,
    registerCommand(ctx, 'berth.images.build', async (target?: unknown, argsOrSelection?: unknown) => {
      const args = argsOrSelection && !Array.isArray(argsOrSelection) && typeof argsOrSelection === 'object' ? (argsOrSelection as BuildArgs) : {};
      // From the Images view's title bar VS Code passes the focused row's key ('tag:app:1'), never
      // an absolute path: that asks for a Dockerfile, as the palette does.
      const dockerfile = target instanceof vscode.Uri ? target : typeof target === 'string' && path.isAbsolute(target) ? vscode.Uri.file(target) : await pickDockerfile();
      if (!dockerfile) return undefined;
      return build(deps, dockerfile, args);
    }),
  ];
}
