// Build an image from a Dockerfile: exact context, live output in a terminal, cancel, and a
// failing instruction pinned in the Problems panel. The questions are in ui/buildWizard.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { runBuild, type BuildOutcome } from '../model/build';
import { ContextError, type ContextPlan } from '../model/buildContext';
import type { EngineSession } from '../session/engineSession';
import { plural, sizeText } from '../ui/locale';
import { checkTag, normalizeTag, repositoryFromFolder } from '../model/imageReference';
import { BuildTerminal, BuildTerminals } from '../terminals/buildTerminal';
import type { ImagesProvider } from '../tree/images/imagesProvider';
import { askBuild, pickDockerfile, type BuildDraft } from '../ui/buildWizard';
import { dockerfileModule } from '../ui/dockerfileModule';
import { tagProblemText } from '../ui/tagMessages';
import type { BuildRecords } from './layers';
import { isCancellation, registerCommand, type CommandContext } from './register';

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
  reveal?: BuiltReveal;
  /** Where the build's steps are kept for the Dockerfile's line costs. */
  records?: BuildRecords;
}

function defaultContext(dockerfile: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(dockerfile);
  const setting = vscode.workspace.getConfiguration('berth.build', dockerfile).get<string>('context', '').trim();
  if (setting) return path.resolve(folder?.uri.fsPath ?? path.dirname(dockerfile.fsPath), setting);
  return path.dirname(dockerfile.fsPath);
}

export function tagKey(dockerfile: vscode.Uri): string {
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

/** Says that building needs a trusted folder, with a button to the Workspace Trust editor. */
async function explainTrustNeeded(): Promise<undefined> {
  const trust = vscode.l10n.t('Manage Workspace Trust…');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Building sends this folder’s files to the engine and runs its Dockerfile, so it needs a trusted folder. This window is in Restricted Mode: trust the folder to build.'),
    trust,
  );
  if (choice === trust) await vscode.commands.executeCommand('workbench.trust.manage');
  return undefined;
}

export async function build(deps: BuildDeps, dockerfile: vscode.Uri, args: BuildArgs): Promise<BuildOutcome | undefined> {
  if (!vscode.workspace.isTrusted) {
    throw new Error(vscode.l10n.t('Building uses files from this workspace, which is not trusted. Trust the workspace (Manage Workspace Trust) to build.'));
  }
  if (!fs.existsSync(dockerfile.fsPath)) throw new Error(vscode.l10n.t('The Dockerfile {0} does not exist.', dockerfile.fsPath));
  // Read once: its ARGs and stages here, the failing line (if any) by runBuild.
  const dockerfileText = fs.readFileSync(dockerfile.fsPath, 'utf8');
  const facts = dockerfileModule().readDockerfile(dockerfileText);
  const contextDir = args.context ? path.resolve(path.dirname(dockerfile.fsPath), args.context) : defaultContext(dockerfile);
  const remembered = deps.state.get<string>(tagKey(dockerfile));
  const draft: BuildDraft = {
    contextDir,
    dockerfile: dockerfile.fsPath,
    dockerfileText,
    dockerfileFacts: facts,
    tag: args.tag ?? remembered ?? `${repositoryFromFolder(path.basename(contextDir))}:latest`,
    args: facts.args.map((a) => ({ name: a.name, value: args.buildArgs?.[a.name] ?? a.value })),
    stages: facts.stages,
    target: args.target,
    noCache: args.noCache,
    pull: args.pull,
    labels: args.labels,
  };
  if (args.tag === undefined) {
    if (!(await askBuild(dockerfile, draft))) return undefined;
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
    if (f.range) {
      const diagnostic = new vscode.Diagnostic(new vscode.Range(f.range.line, f.range.start, f.range.line, f.range.end), f.message, vscode.DiagnosticSeverity.Error);
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
  if (outcome.imageId) await deps.records?.record(dockerfile, draft.tag, outcome.imageId, outcome.steps);
  term.finish(`${vscode.l10n.t('Built {0}.', draft.tag)} ${sent}`, 'step');
  deps.reveal?.reveal(draft.tag);
  const run = vscode.l10n.t('Run');
  void vscode.window.showInformationMessage(vscode.l10n.t('Built {0}.', draft.tag), run).then(async (choice) => {
    if (choice === run) await vscode.commands.executeCommand('berth.images.run', `tag:${draft.tag}`);
  });
  return outcome;
}

/**
 * Reveals the built image's row once the store has it and the Images view shows it: a build
 * started from the Explorer waits until the view is opened. One pending reveal at a time (the
 * newest build's), dropped with the extension if the view never opens.
 */
class BuiltReveal implements vscode.Disposable {
  private pending: vscode.Disposable[] = [];

  constructor(
    private readonly images: ImagesProvider,
    private readonly view: vscode.TreeView<string>,
  ) {}

  reveal(tag: string): void {
    this.dispose();
    const key = `tag:${tag}`;
    const attempt = () => {
      if (!this.view.visible || !this.images.row(key)) return;
      this.dispose();
      void this.view.reveal(key, { select: true, focus: false, expand: true });
    };
    // The provider's change follows the store's, so its rows are current when it fires.
    this.pending = [this.images.onDidChangeTreeData(attempt), this.view.onDidChangeVisibility(attempt)];
    attempt();
  }

  dispose(): void {
    for (const d of this.pending.splice(0)) d.dispose();
  }
}

export function registerBuildCommands(ctx: CommandContext, deps: BuildDeps): vscode.Disposable[] {
  const terminals = new BuildTerminals();
  const reveal = new BuiltReveal(deps.images, deps.imagesView);
  deps = { ...deps, terminals, reveal };
  return [
    terminals,
    reveal,
    // The Explorer and the editor title give the Dockerfile; the palette and the Images view's title bar ask.
    // Untrusted, it only explains (below): no need to wait for the engine to say so.
    registerCommand(ctx, 'berth.images.build', { get engine() { return vscode.workspace.isTrusted; } }, async ({ file, options }) => {
      // In Restricted Mode the command stays in the palette and says why it cannot build, with the way out.
      if (!vscode.workspace.isTrusted) return explainTrustNeeded();
      const dockerfile = file ?? (await pickDockerfile());
      if (!dockerfile) return undefined;
      return build(deps, dockerfile, (options ?? {}) as BuildArgs);
    }),
  ];
}
