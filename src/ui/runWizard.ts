// The run flow's questions: nine steps where Back works, each prefilled and checked as typed
// (name, ports, environment or an env file, volumes, network, restart policy, command, detached
// or interactive, remove on exit), and the checks only VS Code can make (workspace trust).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { NetworkRecord } from '../contract/records';
import { formatPortBinding, notesFor, type PortBinding } from '../model/ports';
import type { RunDraft } from '../model/runDraft';
import { checkName, isProblem, parseCommand, parseEnv, parseEnvFile, parseMount, type MountSpec } from '../model/runSpec';
import { looksSecret, MASK } from '../model/secrets';
import { inputStep, listStep, pickStep, runSteps, showProblem } from './multiStep';
import { defaultIp, type PortPrefill } from './portPlanning';
import { runProblemText } from './runMessages';
import { networkPickDescription } from './networkText';

/** Re-planning ports binds host sockets: wait for a pause in typing. */
const PORT_CHECK_DEBOUNCE_MS = 300;

export function workspaceBase(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
}

/** Why a mount is refused beyond its syntax: a missing bind source, or a file of an untrusted workspace. */
export function mountRefusal(mount: MountSpec): string | undefined {
  if (mount.type === 'bind' && !fs.existsSync(mount.source)) return vscode.l10n.t('The bind-mount source {0} does not exist.', mount.source);
  if (mount.type === 'bind' && !vscode.workspace.isTrusted && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(mount.source)))
    return vscode.l10n.t('This workspace is not trusted, so its files cannot be mounted into a container.');
  return undefined;
}

function validateMount(text: string, base: string): string | undefined {
  const m = parseMount(text, base);
  return isProblem(m) ? runProblemText(m) : mountRefusal(m);
}

export function hostNetworkWarning(ports: PortBinding[]): string {
  return vscode.l10n.t('Ports are ignored with --network host (the container uses the host’s own ports), so {0} was not published.', ports.map(formatPortBinding).join(', '));
}

export function readEnvFile(file: string): string[] {
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

export interface WizardInput {
  image: string;
  draft: RunDraft;
  taken: ReadonlySet<string>;
  networks: NetworkRecord[];
  prefill: PortPrefill;
  /** The image's own command, shown as the command step's placeholder. */
  defaultCommand: string;
  /** Checks the port text (host ports free on both sides); a message when wrong. */
  checkPorts(text: string): Promise<string | undefined>;
}

/** Asks every step, editing the draft in place; resolves false when cancelled. */
export function runWizard(input: WizardInput): Promise<boolean> {
  return runSteps(vscode.l10n.t('Run {0}', input.image), steps(input));
}

function steps({ draft: d, taken, networks: all, prefill, defaultCommand, checkPorts }: WizardInput) {
  const networks = [...all].sort((a, b) => (a.name === 'bridge' ? -1 : b.name === 'bridge' ? 1 : a.name.localeCompare(b.name)));
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
      validate: checkPorts,
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
          run: async (ctx) => {
            const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Load') });
            if (!picked?.[0]) return;
            // A bad file keeps the wizard and every value: its problem is shown on this step.
            const load = (file: string): string | undefined => {
              try {
                d.env.push(...readEnvFile(file));
                return undefined;
              } catch (err) {
                return (err as Error).message;
              }
            };
            const problem = load(picked[0].fsPath);
            if (problem)
              await showProblem(ctx, {
                value: picked[0].fsPath,
                prompt: vscode.l10n.t('Env file to load: fix it (or the path) and press Enter to load it again, or go back to the variables.'),
                problem,
                retry: load,
              });
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
          description: networkPickDescription(n),
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

