// A run as the user sees it (a draft, every field text as typed or prefilled) and its conversion
// to the engine's request. vscode-free: the UI hands in what only it can check (host ports, mount
// sources in a trusted workspace) and puts problems in words.
import * as path from 'path';
import type { RunRequest } from '../contract/client';
import type { PortBinding } from './ports';
import { checkName, isProblem, parseCommand, parseEnv, parseMount, parseRestart, portsForNetwork, suggestName, type MountSpec, type RunProblem } from './runSpec';

/** Every step of the run flow, as a command argument (scripts and tests). */
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

export interface RunDraft extends Required<Omit<RunOptions, 'envFile' | 'labels'>> {
  labels?: Record<string, string>;
}

/** What a draft remembers for the image's next run; the name only for Run Again (the flow suggests one). */
export type RememberedRun = Omit<RunDraft, 'name'> & { name?: string };

/** A new draft: a free name from the image's repository, last run's settings, the planned ports. */
export function newDraft(repository: string, taken: ReadonlySet<string>, ports: string, remembered?: Partial<RememberedRun>): RunDraft {
  const { name: _lastName, ...last } = remembered ?? {};
  void _lastName;
  return {
    name: suggestName(path.basename(repository), taken),
    env: [],
    volumes: [],
    network: 'bridge',
    restart: 'no',
    command: '',
    mode: 'detached',
    autoRemove: false,
    ...last,
    ports,
  };
}

/** A script's options over a draft; `envFromFile` is the env file's lines, already read. */
export function applyOptions(draft: RunDraft, options: RunOptions, envFromFile: string[]): RunDraft {
  const { envFile, ...rest } = options;
  const env = options.env || envFile ? [...(options.env ?? []), ...envFromFile] : draft.env;
  return {
    ...draft,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    env,
  } as RunDraft;
}

export interface RequestChecks {
  taken: ReadonlySet<string>;
  /** Folder relative bind mounts start from. */
  base: string;
  /**
   * The port text as bindings, each with its address (bindAddress), explicit host ports checked
   * free; throws the problem in words. With host networking only the syntax is checked.
   */
  bindings(text: string, hostNetwork: boolean): Promise<PortBinding[]>;
  /** Why the UI refuses a mount (missing bind source, untrusted workspace), in words. */
  mountRefusal(text: string, mount: MountSpec): string | undefined;
  problemText(p: RunProblem): string;
}

/** Turns a draft into an engine request, or throws the first problem in words. */
export async function draftToRequest(image: string, d: RunDraft, checks: RequestChecks): Promise<{ req: RunRequest; ignoredPorts: PortBinding[] }> {
  const fail = (p: RunProblem): never => {
    throw new Error(checks.problemText(p));
  };
  const nameProblem = checkName(d.name, checks.taken);
  if (nameProblem) fail(nameProblem);
  const { ports, ignored } = portsForNetwork(d.network, await checks.bindings(d.ports, d.network === 'host'));
  const env = parseEnv(d.env.join('\n'));
  if (isProblem(env)) return fail(env);
  const mounts: MountSpec[] = [];
  for (const v of d.volumes) {
    const m = parseMount(v, checks.base);
    if (isProblem(m)) return fail(m);
    const refused = checks.mountRefusal(v, m);
    if (refused) throw new Error(refused);
    mounts.push(m);
  }
  const restart = parseRestart(d.restart);
  if (isProblem(restart)) return fail(restart);
  const command = parseCommand(d.command);
  if (isProblem(command)) return fail(command);
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
