// Run a container from an image: a multi-step flow (Back works, every step prefilled) or, with a
// RunOptions argument, no questions at all. Ports are planned free on both sides and bound to
// 127.0.0.1 unless the user chooses otherwise. Nothing is left half-created.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { EngineClient, RunRequest } from '../contract/client';
import type { EngineSession } from '../session/engineSession';
import { formatPortSpec, notesFor, parsePorts, repositoryOf, type PortSpec } from '../model/ports';
import { checkName, isProblem, parseCommand, parseEnv, parseEnvFile, parseMount, parseRestart, portsForNetwork, suggestName, type MountSpec } from '../model/runSpec';
import { looksSecret, MASK } from '../model/secrets';
import { openAttachTerminal } from '../terminals/ttyTerminal';
import type { ImagesProvider } from '../tree/images/imagesProvider';
import { inputStep, listStep, pickStep, runSteps } from '../ui/multiStep';
import { checkPorts, defaultIp, prefillPorts, reusePorts, type PortPrefill } from '../ui/portPlanning';
import { portProblemText, runProblemText } from '../ui/runMessages';
import { registerCommand, type CommandContext } from './register';

/** Every step of the flow, as a command argument (scripts and tests). */
export interface RunOptions {
  name?: string;
  /** `-p` values, comma or space separated. */
  ports?: string;
  env?: string[];
  envFile?: string;
  volumes?: string[];
  network?: string;
  restart?: string;
  command?: string;
  mode?: 'detached' | 'interactive';
  autoRemove?: boolean;
  labels?: Record<string, string>;
}

interface Draft extends Required<Omit<RunOptions, 'envFile' | 'labels'>> {
  labels?: Record<string, string>;
}

export interface RunDeps {
  session: EngineSession;
  images: ImagesProvider;
  memory: vscode.Memento;
}

const memoryKey = (image: string) => `berth.run.last:${image}`;
/** The image last run from Berth, which Run Again offers first. */
const LAST_IMAGE_KEY = 'berth.run.lastImage';
/** Re-planning ports binds host sockets: wait for a pause in typing. */
const PORT_CHECK_DEBOUNCE_MS = 300;

function validateMount(text: string, base: string): string | undefined {
  const m = parseMount(text, base);
  if (isProblem(m)) return runProblemText(m);
  if (m.type === 'bind' && !fs.existsSync(m.source)) return vscode.l10n.t('The bind-mount source {0} does not exist.', m.source);
  if (m.type === 'bind' && !vscode.workspace.isTrusted && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(m.source)))
    return vscode.l10n.t('This workspace is not trusted, so its files cannot be mounted into a container.');
  return undefined;
}

function workspaceBase(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
}

/** Turns a draft into an engine request, or throws the first problem in words. */
async function toRequest(session: EngineSession, image: string, d: Draft): Promise<{ req: RunRequest; ignoredPorts: PortSpec[] }> {
  const taken = new Set(session.containers.all().map((c) => c.name));
  const nameProblem = checkName(d.name, taken);
  if (nameProblem) throw new Error(runProblemText(nameProblem));
  let specs: PortSpec[];
  if (d.network === 'host') {
    // Nothing will be published, so only the syntax matters: no host port is checked or bound.
    const parsed = parsePorts(d.ports);
    if (!Array.isArray(parsed)) throw new Error(portProblemText(parsed));
    specs = parsed;
  } else {
    const ports = await checkPorts(session, d.ports);
    if ('message' in ports) throw new Error(ports.message);
    specs = ports.specs;
  }
  const { ports, ignored } = portsForNetwork(d.network, specs);
  const env = parseEnv(d.env.join('\n'));
  if (isProblem(env)) throw new Error(runProblemText(env));
  const mounts: MountSpec[] = [];
  for (const v of d.volumes) {
    const problem = validateMount(v, workspaceBase());
    if (problem) throw new Error(problem);
    mounts.push(parseMount(v, workspaceBase()) as MountSpec);
  }
  const restart = parseRestart(d.restart);
  if (isProblem(restart)) throw new Error(runProblemText(restart));
  const command = parseCommand(d.command);
  if (isProblem(command)) throw new Error(runProblemText(command));
  return {
    req: {
      image,
      name: d.name.trim() || undefined,
      ports,
      env,
      mounts,
      network: d.network || undefined,
      restart,
      command,
      interactive: d.mode === 'interactive',
      autoRemove: d.autoRemove,
      labels: d.labels,
    },
    ignoredPorts: ignored,
  };
}

function hostNetworkWarning(ports: PortSpec[]): string {
  return vscode.l10n.t('Ports are ignored with --network host (the container uses the host’s own ports), so {0} was not published.', ports.map(formatPortSpec).join(', '));
}

function readEnvFile(file: string): string[] {
  if (!vscode.workspace.isTrusted && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file)))
    throw new Error(vscode.l10n.t('This workspace is not trusted, so Berth does not read its env files.'));
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.resolve(workspaceBase(), file));
  } catch (err) {
    throw new Error(vscode.l10n.t('Cannot read the env file {0}: {1}', file, (err as Error).message));
  }
  // As docker run --env-file: a NAME line without = takes the value this process has, if any.
  const env = parseEnvFile(bytes, (name) => process.env[name]);
  if (isProblem(env)) throw new Error(`${file}: ${runProblemText(env)}`);
  return env;
}

function steps(session: EngineSession, d: Draft, prefill: PortPrefill, defaultCommand: string) {
  const taken = new Set(session.containers.all().map((c) => c.name));
  const networks = session.networks.all().sort((a, b) => (a.name === 'bridge' ? -1 : b.name === 'bridge' ? 1 : a.name.localeCompare(b.name)));
  const warnAll = defaultIp() === '0.0.0.0' ? ` ${vscode.l10n.t('berth.run.publishAllInterfaces is on: these ports are reachable from the network.')}` : '';
  return [
    inputStep({
      value: () => d.name,
      prompt: () => vscode.l10n.t('Container name (empty: the engine picks one)'),
      validate: (v) => {
        const p = checkName(v, taken);
        return p && runProblemText(p);
      },
      accept: (v) => (d.name = v.trim()),
    }),
    inputStep({
      value: () => d.ports,
      // Only the notes about mappings still in the text: "8080 is in use; using 8081" goes with 8081.
      prompt: (v) => `${vscode.l10n.t('Published ports, as docker run -p (host:container), comma separated.')} ${notesFor(v, prefill.moves).join(' ')}${warnAll}`.trim(),
      placeholder: vscode.l10n.t('For example 127.0.0.1:8080:80, :443, 5353:53/udp'),
      debounceMs: PORT_CHECK_DEBOUNCE_MS,
      validate: async (v) => {
        const r = await checkPorts(session, v);
        return 'message' in r ? r.message : undefined;
      },
      accept: (v) => (d.ports = v),
    }),
    listStep({
      placeholder: vscode.l10n.t('Environment variables'),
      entries: () => d.env,
      display: (e) => {
        const name = e.slice(0, e.indexOf('='));
        return looksSecret(name) ? `${name}=${MASK}` : e;
      },
      addLabel: vscode.l10n.t('Add a variable…'),
      addPrompt: vscode.l10n.t('NAME=value'),
      validate: (v) => {
        const p = parseEnv(v);
        return isProblem(p) ? runProblemText(p) : undefined;
      },
      add: (v) => d.env.push(...(parseEnv(v) as string[])),
      remove: (e) => (d.env = d.env.filter((x) => x !== e)),
      extra: [
        {
          label: `$(file) ${vscode.l10n.t('Load an env file…')}`,
          run: async () => {
            const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Load') });
            if (picked?.[0]) d.env.push(...readEnvFile(picked[0].fsPath));
          },
        },
      ],
    }),
    listStep({
      placeholder: vscode.l10n.t('Volumes and bind mounts'),
      entries: () => d.volumes,
      addLabel: vscode.l10n.t('Add a volume or bind mount…'),
      addPrompt: vscode.l10n.t('volume:/path/in/container, /host/path:/path or ./relative:/path, optionally :ro; /path alone for an anonymous volume'),
      validate: (v) => validateMount(v, workspaceBase()),
      add: (v) => d.volumes.push(v),
      remove: (e) => (d.volumes = d.volumes.filter((x) => x !== e)),
    }),
    pickStep<string>({
      placeholder: vscode.l10n.t('Network'),
      items: () =>
        networks.map((n) => ({
          label: n.name,
          description: n.driver,
          // Said before choosing, not only after: host networking publishes nothing.
          detail: n.name === 'host' && d.ports.trim() ? `$(warning) ${vscode.l10n.t('Published ports are ignored with --network host: {0}', d.ports.trim())}` : undefined,
          value: n.name,
        })),
      active: () => d.network,
      accept: (v) => (d.network = v),
    }),
    pickStep<string>({
      placeholder: vscode.l10n.t('Restart policy'),
      items: () => [
        { label: 'no', description: vscode.l10n.t('never restart'), value: 'no' },
        { label: 'unless-stopped', description: vscode.l10n.t('restart unless you stop it'), value: 'unless-stopped' },
        { label: 'always', description: vscode.l10n.t('restart always, also when the engine starts'), value: 'always' },
        { label: 'on-failure', description: vscode.l10n.t('restart when it exits with an error'), value: 'on-failure' },
      ],
      active: () => d.restart,
      accept: (v) => (d.restart = v),
    }),
    inputStep({
      value: () => d.command,
      prompt: () => vscode.l10n.t('Command override (empty: the image’s own command)'),
      placeholder: defaultCommand,
      validate: (v) => {
        const p = parseCommand(v);
        return isProblem(p) ? runProblemText(p) : undefined;
      },
      accept: (v) => (d.command = v),
    }),
    pickStep<'detached' | 'interactive'>({
      placeholder: vscode.l10n.t('How to run it'),
      items: () => [
        { label: vscode.l10n.t('Detached'), description: vscode.l10n.t('runs in the background'), value: 'detached' },
        { label: vscode.l10n.t('Interactive'), description: vscode.l10n.t('opens a terminal attached to it'), value: 'interactive' },
      ],
      active: () => d.mode,
      accept: (v) => (d.mode = v),
    }),
    pickStep<boolean>({
      placeholder: vscode.l10n.t('When it exits'),
      items: () => [
        { label: vscode.l10n.t('Keep the container'), value: false },
        { label: vscode.l10n.t('Remove the container'), description: '--rm', value: true },
      ],
      active: () => d.autoRemove,
      accept: (v) => (d.autoRemove = v),
    }),
  ];
}

async function start(deps: RunDeps, client: EngineClient, image: string, d: Draft, portNotes: string[] = []): Promise<string> {
  const { req, ignoredPorts } = await toRequest(deps.session, image, d);
  const warnings = ignoredPorts.length ? [hostNetworkWarning(ignoredPorts)] : [];
  const name = d.name || undefined;
  let id: string;
  if (d.mode === 'interactive') {
    const run = await client.runAttached(req);
    id = run.id;
    openAttachTerminal(client, run, name ?? id.slice(0, 12)).terminal.show();
    if (portNotes.length || warnings.length) void vscode.window.showWarningMessage([...portNotes, ...warnings].join(' '));
  } else {
    id = await client.run(req);
    const shown = name ?? id.slice(0, 12);
    const published = req.ports.map((p) => formatPortSpec(p as PortSpec)).join(', ');
    const started = published ? vscode.l10n.t('Started {0} from {1}, publishing {2}.', shown, image, published) : vscode.l10n.t('Started {0} from {1}.', shown, image);
    // What differs from what was asked comes first: a notification shows its first line only.
    const text = [...portNotes, ...warnings, started].join(' ');
    void (warnings.length || portNotes.length ? vscode.window.showWarningMessage(text) : vscode.window.showInformationMessage(text));
  }
  const { name: _name, ...remembered } = d;
  void _name;
  await deps.memory.update(memoryKey(image), remembered);
  await deps.memory.update(LAST_IMAGE_KEY, image);
  return id;
}

/** A pick of every tag, with the image last run from Berth active (Enter runs it again). */
async function pickImage(refs: string[], preferred: string | undefined): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  pick.placeholder = vscode.l10n.t('Choose an image to run');
  pick.items = refs.map((r) => ({ label: r, description: r === preferred ? vscode.l10n.t('last run') : undefined }));
  const active = pick.items.find((i) => i.label === preferred);
  if (active) pick.activeItems = [active];
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve((pick.selectedItems[0] ?? pick.activeItems[0])?.label);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

async function resolveImage(deps: RunDeps, target: unknown): Promise<string | undefined> {
  if (typeof target === 'string') {
    const row = deps.images.row(target);
    if (row) return row.tag ?? row.image.id;
    if (!target.startsWith('tag:') && !target.startsWith('dangling:')) return target;
  }
  const refs = deps.session.images.all().flatMap((i) => i.repoTags);
  if (!refs.length) throw new Error(vscode.l10n.t('There are no tagged images on this engine to run.'));
  return pickImage(refs.sort(), deps.memory.get<string>(LAST_IMAGE_KEY));
}

export async function runImage(deps: RunDeps, target: unknown, options?: RunOptions, again = false): Promise<string | undefined> {
  const image = await resolveImage(deps, target);
  if (!image) return undefined;
  const client = deps.session.requireClient();
  const config = await client.imageConfig(image);
  if (!config) throw new Error(vscode.l10n.t('The image {0} no longer exists on this engine.', image));
  const taken = new Set(deps.session.containers.all().map((c) => c.name));
  const last = deps.memory.get<Omit<Draft, 'name'>>(memoryKey(image));
  const base = path.basename(repositoryOf(image));
  if (again && !last) throw new Error(vscode.l10n.t('{0} has not been run from Berth yet: use Run… first.', image));
  // Last time's mappings, each kept or moved off a port taken since (never dropped); else the image's defaults.
  const prefill = (last && (await reusePorts(deps.session, last.ports ?? ''))) || (await prefillPorts(deps.session, image, config.exposedPorts));
  const draft: Draft = {
    name: suggestName(base, taken),
    env: [],
    volumes: [],
    network: 'bridge',
    restart: 'no',
    command: '',
    mode: 'detached',
    autoRemove: false,
    ...last,
    ports: prefill.text,
  };
  if (again) return start(deps, client, image, draft, prefill.notes);
  if (options) {
    const env = [...(options.env ?? []), ...(options.envFile ? readEnvFile(options.envFile) : [])];
    return start(
      deps,
      client,
      image,
      {
        ...draft,
        ...options,
        name: options.name ?? draft.name,
        ports: options.ports ?? draft.ports,
        env: options.env || options.envFile ? env : draft.env,
        volumes: options.volumes ?? draft.volumes,
      } as Draft,
      options.ports === undefined ? prefill.notes : [],
    );
  }
  const defaultCommand = [...config.entrypoint, ...config.cmd].join(' ');
  const ok = await runSteps(vscode.l10n.t('Run {0}', image), steps(deps.session, draft, prefill, defaultCommand));
  return ok ? start(deps, client, image, draft) : undefined;
}

export function registerRunCommands(ctx: CommandContext, deps: RunDeps): vscode.Disposable[] {
  return [
    registerCommand(ctx, 'berth.images.run', (target?: unknown, options?: unknown) =>
      runImage(deps, target, options && typeof options === 'object' && !Array.isArray(options) ? (options as RunOptions) : undefined),
    ),
    registerCommand(ctx, 'berth.images.runAgain', (target?: unknown) => runImage(deps, target, undefined, true)),
  ];
}
