// Moving images off and onto the engine: Pull, Tag, Push, Save and Load. A bundle of its own
// (dist/transfer.js), loaded by ui/transferModule.ts on the first of these commands. The engine
// does the transfer; Berth asks, sends the docker CLI's credentials, shows per-layer progress
// (at most 10 renders a second) and cancels by cutting the request.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RegistryAuth, TransferMessage } from '../contract/transfer';
import { checkTag, namesRegistry, normalizeTag, parseReference, registryHost } from '../model/imageReference';
import { credentialsFor } from '../model/registryCredentials';
import { loadImagesFromFile, saveImagesToFile, writeProblem } from '../model/imageArchive';
import { PROGRESS_INTERVAL_MS, Throttle, TransferProgress, transferFailure, type LayerState, type TransferFailure } from '../model/transferProgress';
import type { EngineSession } from '../session/engineSession';
import { TransferTerminal } from '../terminals/transferTerminal';
import { plural, sizeText } from '../ui/locale';
import { tagProblemText, validatePullInput, validateTagInput } from '../ui/tagMessages';

export interface TransferDeps {
  session: EngineSession;
  log: vscode.LogOutputChannel;
  /** The environment credentials are read from ($DOCKER_CONFIG, $HOME). */
  env?: () => NodeJS.ProcessEnv;
}

/** What a transfer command answers (scripts and tests read it; the user sees the messages). */
export interface TransferOutcome {
  ok: boolean;
  cancelled?: boolean;
  /** The message the user was shown for a failure. */
  error?: string;
  failure?: TransferFailure['kind'];
  reference?: string;
  /** Pull: the pulled image's ID; push: the manifest digest. */
  imageId?: string;
  digest?: string;
  /** Load: the tags (or IDs) loaded. */
  loaded?: string[];
  /** Progress messages received and renders made (at most 10 a second). */
  messages?: number;
  renders?: number;
  /** Each layer's last phase (for the tests: 'alreadyPushed', 'mounted'…). */
  layers?: { id: string; phase: string; from?: string }[];
}

export interface PullOptions {
  reference?: string;
  platform?: string;
  allTags?: boolean;
}

const LOG_IN_COMMAND = 'berth.registry.logIn';

function cancelledError(): Error {
  return Object.assign(new Error('cancelled'), { name: 'AbortError' });
}

function layerText(l: LayerState): string {
  const bytes = l.total ? `${sizeText(l.current ?? 0)} / ${sizeText(l.total)}` : l.current ? sizeText(l.current) : '';
  switch (l.phase) {
    case 'waiting':
      return vscode.l10n.t('Waiting');
    case 'downloading':
      return vscode.l10n.t('Downloading {0}', bytes);
    case 'verifying':
      return vscode.l10n.t('Verifying checksum');
    case 'downloaded':
      return vscode.l10n.t('Download complete');
    case 'extracting':
      return vscode.l10n.t('Extracting {0}', bytes);
    case 'pulled':
      return vscode.l10n.t('Pull complete');
    case 'exists':
      return vscode.l10n.t('Already exists');
    case 'preparing':
      return vscode.l10n.t('Preparing');
    case 'pushing':
      return vscode.l10n.t('Pushing {0}', bytes);
    case 'pushed':
      return vscode.l10n.t('Pushed');
    case 'alreadyPushed':
      return vscode.l10n.t('Layer already exists');
    case 'mounted':
      return vscode.l10n.t('Mounted from {0}', l.from ?? '');
    case 'loading':
      return vscode.l10n.t('Loading layer {0}', bytes);
    default:
      return l.status;
  }
}

function summaryText(p: TransferProgress): string {
  const s = p.summary();
  if (!s.layers) return '';
  const layers = plural(s.layers, vscode.l10n.t('{0} of {1} layer', s.done, s.layers), vscode.l10n.t('{0} of {1} layers', s.done, s.layers));
  return s.totalBytes ? vscode.l10n.t('{0}, {1} of {2}', layers, sizeText(s.bytes), sizeText(s.totalBytes)) : layers;
}

function failureText(f: TransferFailure, action: 'pull' | 'push', reference: string): string {
  const host = registryHost(reference);
  switch (f.kind) {
    case 'credentials':
      return action === 'pull'
        ? vscode.l10n.t('The registry {0} refused to let {1} be pulled without credentials, or with the ones given: log in to {0} and pull again. (The registry said: {2})', host, reference, f.said)
        : vscode.l10n.t('The registry {0} refused the push of {1} without credentials, or with the ones given: log in to {0} with an account that may push there, and push again. (The registry said: {2})', host, reference, f.said);
    case 'notFound':
      return vscode.l10n.t('{0} was not found on {1}: check the repository name and the tag. (The registry said: {2})', reference, host, f.said);
    case 'unreachable':
      return vscode.l10n.t('The engine could not reach the registry {0}: is it running, and is the address right? (The engine said: {1})', host, f.said);
    default:
      return vscode.l10n.t('The {0} of {1} failed: {2}', action === 'pull' ? vscode.l10n.t('pull') : vscode.l10n.t('push'), reference, f.said);
  }
}

/** Says a failure with the buttons that act on it: Log In… when credentials are missing. */
async function showFailure(deps: TransferDeps, f: TransferFailure, text: string, reference: string): Promise<void> {
  const showLog = vscode.l10n.t('Show Log');
  const logIn = vscode.l10n.t('Log In…');
  const canLogIn = f.kind === 'credentials' && (await vscode.commands.getCommands(true)).includes(LOG_IN_COMMAND);
  const shown = f.kind === 'credentials' && !canLogIn ? `${text} ${vscode.l10n.t('In a terminal: docker login {0}', registryHost(reference))}` : text;
  void vscode.window.showErrorMessage(shown, ...(canLogIn ? [logIn] : []), showLog).then((choice) => {
    if (choice === logIn) void vscode.commands.executeCommand(LOG_IN_COMMAND, { host: registryHost(reference) });
    else if (choice === showLog) deps.log.show(true);
  });
}

/** The docker CLI's credentials for the registry a reference names, or none (anonymous). */
async function authFor(deps: TransferDeps, reference: string): Promise<RegistryAuth | undefined> {
  return credentialsFor(registryHost(reference), deps.env?.() ?? process.env);
}

/**
 * Runs one transfer with its terminal and a cancellable notification; both show the same
 * progress, throttled. Answers the progress, or throws the engine's error (AbortError on cancel).
 */
async function withTransfer(title: string, terminalName: string, run: (signal: AbortSignal, onMessage: (m: TransferMessage) => void) => Promise<void>): Promise<{ progress: TransferProgress; renders: number }> {
  const abort = new AbortController();
  const progress = new TransferProgress();
  const term = new TransferTerminal(terminalName, () => abort.abort());
  term.terminal.show(true);
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (report, token) => {
      token.onCancellationRequested(() => abort.abort());
      let lastDone = 0;
      const render = () => {
        const last = (n: string) => /^(Digest|Status): |^\S+: digest: /.test(n);
        term.table([...progress.notes.filter((n) => !last(n)), ...[...progress.layers.values()].map((l) => `${l.id}: ${layerText(l)}`), ...progress.notes.filter(last)]);
        const s = progress.summary();
        const increment = s.totalBytes ? ((s.bytes - lastDone) / s.totalBytes) * 100 : undefined;
        lastDone = s.bytes;
        report.report({ message: summaryText(progress), increment: increment && increment > 0 ? increment : undefined });
      };
      const throttle = new Throttle(PROGRESS_INTERVAL_MS, render);
      try {
        await run(abort.signal, (m) => {
          progress.apply(m);
          throttle.poke();
        });
        throttle.flush();
        return { progress, renders: throttle.renders };
      } catch (err) {
        throttle.flush();
        if (abort.signal.aborted) term.line(vscode.l10n.t('Cancelled.'), 'error');
        throw err;
      } finally {
        throttle.dispose();
      }
    });
  } catch (err) {
    // The engine's words, without dockerode's "(HTTP code 500) server error - " prefix.
    if (!abort.signal.aborted) term.line(transferFailure((err as Error)?.message ?? String(err)).said, 'error');
    throw err;
  } finally {
    term.finish();
  }
}

function outcomeOf(progress: TransferProgress, renders: number): Pick<TransferOutcome, 'messages' | 'renders' | 'layers'> {
  return { messages: progress.messages, renders, layers: [...progress.layers.values()].map((l) => ({ id: l.id, phase: l.phase, from: l.from })) };
}

async function askPull(preset: string | undefined): Promise<PullOptions | undefined> {
  const reference = await vscode.window.showInputBox({
    title: vscode.l10n.t('Pull Image'),
    prompt: vscode.l10n.t('Image to pull: name[:tag] or name@sha256:digest. Without a registry host it comes from Docker Hub.'),
    placeHolder: 'busybox:latest',
    value: preset,
    ignoreFocusOut: true,
    validateInput: (v) => validatePullInput(v, false),
  });
  if (reference === undefined) return undefined;
  const ref = reference.trim();
  const repository = parseReference(ref).repository;
  type Choice = vscode.QuickPickItem & { how: 'this' | 'platform' | 'all' };
  const items: Choice[] = [
    { how: 'this', label: vscode.l10n.t('Pull {0}', normalizePull(ref)), description: vscode.l10n.t('for the engine’s own platform') },
    { how: 'platform', label: vscode.l10n.t('Pull {0} for Another Platform…', normalizePull(ref)), description: 'linux/arm64, linux/amd64…' },
  ];
  if (!ref.includes('@')) items.push({ how: 'all', label: vscode.l10n.t('Pull Every Tag of {0}', repository), description: vscode.l10n.t('all tags') });
  const choice = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Pull Image'), ignoreFocusOut: true });
  if (!choice) return undefined;
  if (choice.how === 'all') return { reference: repository, allTags: true };
  if (choice.how === 'this') return { reference: ref };
  const platform = await vscode.window.showInputBox({
    title: vscode.l10n.t('Pull Image'),
    prompt: vscode.l10n.t('Platform: os/architecture[/variant]'),
    placeHolder: 'linux/arm64',
    ignoreFocusOut: true,
    validateInput: (v) => (/^[a-z0-9_]+(\/[a-z0-9_]+){0,2}$/.test(v.trim()) ? undefined : vscode.l10n.t('Write the platform as os/architecture, such as linux/arm64 or linux/arm/v7.')),
  });
  return platform === undefined ? undefined : { reference: ref, platform: platform.trim() };
}

function normalizePull(ref: string): string {
  return ref.includes('@') ? ref : normalizeTag(ref);
}

/** Pull Image…: asks (unless a script gives the reference), pulls with progress, answers the outcome. */
export async function pullImage(deps: TransferDeps, options: PullOptions = {}, preset?: string): Promise<TransferOutcome | undefined> {
  const asked = options.reference ? options : await askPull(preset);
  if (!asked?.reference) return undefined;
  const problem = validatePullInput(asked.reference, !!asked.allTags);
  if (problem) throw new Error(problem);
  const reference = asked.allTags ? asked.reference.trim() : normalizePull(asked.reference.trim());
  const client = deps.session.requireClient();
  const auth = await authFor(deps, reference);
  const title = asked.allTags ? vscode.l10n.t('Pulling every tag of {0}', reference) : asked.platform ? vscode.l10n.t('Pulling {0} ({1})', reference, asked.platform) : vscode.l10n.t('Pulling {0}', reference);
  deps.log.info(`pull ${reference}${asked.platform ? ` --platform ${asked.platform}` : ''}${asked.allTags ? ' --all-tags' : ''}${auth ? ' (with the docker CLI’s credentials)' : ''}`);
  try {
    const { progress, renders } = await withTransfer(title, vscode.l10n.t('Pull {0}', reference), (signal, onMessage) => client.pull({ reference, platform: asked.platform, allTags: asked.allTags, auth, signal }, onMessage));
    const image = asked.allTags ? undefined : await client.image(reference);
    void vscode.window.showInformationMessage(asked.allTags ? vscode.l10n.t('Pulled every tag of {0}.', reference) : vscode.l10n.t('Pulled {0}.', reference));
    return { ok: true, reference, imageId: image?.id, ...outcomeOf(progress, renders) };
  } catch (err) {
    return failed(deps, err, 'pull', reference);
  }
}

async function failed(deps: TransferDeps, err: unknown, action: 'pull' | 'push', reference: string): Promise<TransferOutcome> {
  if ((err as Error)?.name === 'AbortError') {
    deps.log.info(`${action} of ${reference} cancelled`);
    return { ok: false, cancelled: true, reference };
  }
  const f = transferFailure((err as Error)?.message ?? String(err));
  const text = failureText(f, action, reference);
  deps.log.info(`${action} of ${reference} failed: ${f.said}`);
  await showFailure(deps, f, text, reference);
  return { ok: false, error: text, failure: f.kind, reference };
}

/** Tag Image…: one more name for a local image, checked against Docker's grammar as it is typed. */
export async function tagImage(deps: TransferDeps, imageId: string, current: string | undefined, options: { tag?: string } = {}): Promise<string | undefined> {
  const typed =
    options.tag ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Tag Image'),
      prompt: vscode.l10n.t('New tag for {0}: [registry-host[:port]/]name[:tag]', current ?? imageId.replace(/^sha256:/, '').slice(0, 12)),
      value: current,
      ignoreFocusOut: true,
      validateInput: validateTagInput,
    }));
  if (typed === undefined) return undefined;
  const problem = checkTag(typed);
  if (problem) throw new Error(tagProblemText(problem));
  const reference = normalizeTag(typed);
  await deps.session.requireClient().tag(imageId, reference);
  return reference;
}

/**
 * Push…: pushes a tag to the registry it names. A tag naming no registry goes to Docker Hub, which
 * is said and asked first (a private image published by mistake cannot be taken back).
 */
export async function pushImage(deps: TransferDeps, reference: string, options: { confirmDockerHub?: boolean } = {}): Promise<TransferOutcome | undefined> {
  if (!namesRegistry(reference) && !options.confirmDockerHub) {
    const push = vscode.l10n.t('Push to Docker Hub');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} names no registry, so it goes to Docker Hub (docker.io/{1}). Push it there?', reference, parseReference(reference).repository.includes('/') ? reference : `library/${reference}`),
      { modal: true, detail: vscode.l10n.t('To push to another registry, use Tag Image… first with its host, such as registry.example.com:5000/{0}.', reference) },
      push,
    );
    if (answer !== push) return undefined;
  }
  const client = deps.session.requireClient();
  const auth = await authFor(deps, reference);
  deps.log.info(`push ${reference}${auth ? ' (with the docker CLI’s credentials)' : ''}`);
  try {
    const { progress, renders } = await withTransfer(vscode.l10n.t('Pushing {0}', reference), vscode.l10n.t('Push {0}', reference), (signal, onMessage) => client.push({ reference, auth, signal }, onMessage));
    void vscode.window.showInformationMessage(progress.digest ? vscode.l10n.t('Pushed {0} ({1}).', reference, progress.digest) : vscode.l10n.t('Pushed {0}.', reference));
    return { ok: true, reference, digest: progress.digest, ...outcomeOf(progress, renders) };
  } catch (err) {
    return failed(deps, err, 'push', reference);
  }
}

/** Save Images…: the images to one .tar, streamed to disk; on cancel or failure the partial file goes. */
export async function saveImages(deps: TransferDeps, names: string[], options: { file?: string } = {}): Promise<TransferOutcome | undefined> {
  if (!names.length) return undefined;
  let file = options.file;
  if (!file) {
    const suggested = `${names.length === 1 ? parseReference(names[0]).repository.replace(/[/:]/g, '-') : 'images'}.tar`;
    const uri = await vscode.window.showSaveDialog({
      title: plural(names.length, vscode.l10n.t('Save {0} Image', names.length), vscode.l10n.t('Save {0} Images', names.length)),
      defaultUri: vscode.Uri.file(path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir(), suggested)),
      filters: { [vscode.l10n.t('Image archives')]: ['tar'] },
    });
    if (!uri) return undefined;
    file = uri.fsPath;
  }
  const target = file;
  const client = deps.session.requireClient();
  // The engine's total is unknown before the end; the images' sizes bound it (shared layers count once).
  const bound = [...new Map(names.map((n) => [n, deps.session.images.all().find((i) => i.repoTags.includes(n) || i.id === n)])).values()].reduce((s, i) => s + (i?.size ?? 0), 0);
  const abort = new AbortController();
  let written = 0;
  const title = plural(names.length, vscode.l10n.t('Saving {0} image to {1}', names.length, path.basename(target)), vscode.l10n.t('Saving {0} images to {1}', names.length, path.basename(target)));
  deps.log.info(`save ${names.join(' ')} to ${target}`);
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (report, token) => {
      token.onCancellationRequested(() => abort.abort());
      let reported = 0;
      const throttle = new Throttle(PROGRESS_INTERVAL_MS, () => {
        report.report({ message: bound ? vscode.l10n.t('{0} of about {1}', sizeText(written), sizeText(bound)) : sizeText(written), increment: bound ? ((written - reported) / bound) * 100 : undefined });
        reported = written;
      });
      try {
        await saveImagesToFile(client, names, target, abort.signal, (n) => ((written = n), throttle.poke()));
      } finally {
        throttle.dispose();
      }
    });
  } catch (err) {
    if (abort.signal.aborted || (err as Error)?.name === 'AbortError') return { ok: false, cancelled: true };
    const e = err as NodeJS.ErrnoException;
    const problem = writeProblem(err);
    const text =
      problem === 'readOnly'
        ? vscode.l10n.t('Cannot write {0}: the folder is read-only or not yours. Choose another folder.', target)
        : problem === 'noFolder'
          ? vscode.l10n.t('Cannot write {0}: the folder does not exist.', target)
          : problem === 'diskFull'
            ? vscode.l10n.t('The disk is full: {0} was not saved, and the partial file was removed.', target)
            : vscode.l10n.t('The images could not be saved: {0}', e.message);
    deps.log.info(`save failed: ${e.message}`);
    void vscode.window.showErrorMessage(text);
    return { ok: false, error: text };
  }
  void vscode.window.showInformationMessage(plural(names.length, vscode.l10n.t('Saved {0} image to {1} ({2}).', names.length, target, sizeText(written)), vscode.l10n.t('Saved {0} images to {1} ({2}).', names.length, target, sizeText(written))));
  return { ok: true, loaded: names };
}

/** Load Images…: a .tar or .tar.gz into the engine (the engine unpacks gzip), with the tags it loaded. */
export async function loadImages(deps: TransferDeps, options: { file?: string } = {}): Promise<TransferOutcome | undefined> {
  let file = options.file;
  if (!file) {
    const [uri] =
      (await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Load Images'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Image archives')]: ['tar', 'gz', 'tgz'] },
      })) ?? [];
    if (!uri) return undefined;
    file = uri.fsPath;
  }
  const source = file;
  let size: number;
  try {
    size = fs.statSync(source).size;
  } catch {
    throw new Error(vscode.l10n.t('Cannot read {0}: the file does not exist.', source));
  }
  const client = deps.session.requireClient();
  let read = 0;
  deps.log.info(`load ${source}`);
  try {
    const { progress } = await withTransfer(vscode.l10n.t('Loading {0}', path.basename(source)), vscode.l10n.t('Load {0}', path.basename(source)), async (signal, onMessage) => {
      await loadImagesFromFile(client, source, onMessage, signal, (n) => (read = n));
    });
    if (!progress.loaded.length) throw new Error(vscode.l10n.t('{0} holds no image the engine could load.', source));
    void vscode.window.showInformationMessage(plural(progress.loaded.length, vscode.l10n.t('Loaded {0} image from {1}: {2}', progress.loaded.length, path.basename(source), progress.loaded.join(', ')), vscode.l10n.t('Loaded {0} images from {1}: {2}', progress.loaded.length, path.basename(source), progress.loaded.join(', '))));
    return { ok: true, loaded: progress.loaded, messages: progress.messages };
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') return { ok: false, cancelled: true };
    const said = ((err as Error)?.message ?? String(err)).replace(/^\(HTTP code \d+\)[^-]*- /, '');
    const text = /unexpected EOF|invalid tar|archive\/tar|gzip|truncated|manifest\.json/i.test(said)
      ? vscode.l10n.t('{0} is not a complete image archive (read {1} of {2}): the engine said “{3}”. Nothing was loaded from it.', source, sizeText(read), sizeText(size), said.trim())
      : vscode.l10n.t('The images in {0} could not be loaded: {1}', source, said.trim());
    deps.log.info(`load failed: ${said}`);
    void vscode.window.showErrorMessage(text);
    return { ok: false, error: text };
  }
}

/** Run needs an image the engine lacks: asks, then pulls it (true when it is there afterwards). */
export async function pullMissing(deps: TransferDeps, reference: string): Promise<boolean> {
  const pull = vscode.l10n.t('Pull {0}', reference);
  const answer = await vscode.window.showWarningMessage(vscode.l10n.t('The image {0} is not on this engine. Pull it first?', reference), { modal: true }, pull);
  if (answer !== pull) throw cancelledError();
  const outcome = await pullImage(deps, { reference });
  if (!outcome?.ok) throw cancelledError(); // the pull said why
  return true;
}

