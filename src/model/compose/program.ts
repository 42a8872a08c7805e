// The Compose program (found by a ladder, or the berth.compose.command setting) and the argument
// arrays Berth runs it with: never a shell string, always -p, the -f list, --env-file and
// --profile, in the project's folder, pointed at the engine Berth talks to.
import type { Endpoint } from '../../contract/endpoint';

export type Exec = (file: string, args: readonly string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

export interface ComposeProgram {
  /** The program and the arguments before Compose's own: ['docker', 'compose']. */
  command: string[];
  kind: 'plugin' | 'standalone' | 'podman' | 'setting';
  /** "2.24.6", "1.29.2"; undefined when the version text was not understood. */
  version?: string;
}

const LADDER: { command: string[]; kind: ComposeProgram['kind'] }[] = [
  { command: ['docker', 'compose'], kind: 'plugin' },
  { command: ['docker-compose'], kind: 'standalone' },
  { command: ['podman', 'compose'], kind: 'podman' },
];

/** "Docker Compose version v2.24.6", "docker-compose version 1.29.2, build unknown". */
export function parseComposeVersion(text: string): string | undefined {
  return /version\s+v?(\d+\.\d+\.\d+)/i.exec(text)?.[1];
}

/**
 * The first program whose `version` succeeds: `docker compose` (the CLI plugin), `docker-compose`
 * (v1 or v2), `podman compose`; the setting's array, when not empty, instead of the ladder.
 * Undefined when none answers.
 */
export async function detectComposeProgram(exec: Exec, configured?: readonly string[]): Promise<ComposeProgram | undefined> {
  const candidates = configured?.length ? [{ command: [...configured], kind: 'setting' as const }] : LADDER;
  for (const c of candidates) {
    let r: Awaited<ReturnType<Exec>>;
    try {
      r = await exec(c.command[0], [...c.command.slice(1), 'version']);
    } catch {
      continue; // not installed (ENOENT)
    }
    if (r.code !== 0) continue;
    return { command: c.command, kind: c.kind, version: parseComposeVersion(`${r.stdout}\n${r.stderr}`) };
  }
  return undefined;
}

export interface ComposeTarget {
  name: string;
  folder: string;
  files: readonly string[];
  envFile?: string;
  profiles: readonly string[];
}

export type ComposeAction =
  | { verb: 'up'; services?: readonly string[]; scale?: Readonly<Record<string, number>>; build?: boolean; noRecreate?: boolean }
  | { verb: 'down'; volumes?: boolean; images?: 'all' | 'local' }
  | { verb: 'build' | 'pull' | 'stop' | 'start' | 'restart'; services?: readonly string[] };

/**
 * Whether an action runs code or images from the workspace's files, which an untrusted workspace
 * must not: up (and scale, an up) starts what the files say, build runs their Dockerfiles. Down,
 * stop, start, restart and pull act on what exists or fetch images named in the files.
 */
export function needsTrust(action: ComposeAction): boolean {
  return action.verb === 'up' || action.verb === 'build';
}

export interface ComposeInvocation {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** What the engine needs to be reached by a child process. ssh: the socket Berth forwards. */
export interface EngineForCompose {
  endpoint: Endpoint;
  /** For ssh engines: the local unix socket Berth's tunnel forwards to the remote engine. */
  forwardedSocket?: string;
}

const ENGINE_VARS = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_TLS', 'DOCKER_CERT_PATH'];

/**
 * The environment that points the program at Berth's engine, whatever the user's shell had:
 * DOCKER_HOST (+ DOCKER_TLS_VERIFY / DOCKER_CERT_PATH) for sockets and tcp; the forwarded socket
 * for ssh (Compose would otherwise open its own ssh connection); DOCKER_CONTEXT for a context,
 * but only for the docker CLI plugin, the one program sure to read docker's contexts.
 */
export function composeEnvironment(base: Readonly<Record<string, string | undefined>>, engine: EngineForCompose, program: ComposeProgram): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !ENGINE_VARS.includes(k)) env[k] = v;
  const e = engine.endpoint;
  if (e.source === 'context' && e.contextName && program.kind === 'plugin') {
    env.DOCKER_CONTEXT = e.contextName;
    return env;
  }
  switch (e.kind) {
    case 'unix':
      env.DOCKER_HOST = `unix://${e.socketPath}`;
      break;
    case 'npipe':
      env.DOCKER_HOST = `npipe://${e.socketPath.replace(/\\/g, '/')}`;
      break;
    case 'tcp':
      env.DOCKER_HOST = `tcp://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
      if (e.tls) {
        // The docker CLI and Compose read ca.pem, cert.pem and key.pem from DOCKER_CERT_PATH.
        env.DOCKER_CERT_PATH = e.tls.dir;
        if (e.tls.verify) env.DOCKER_TLS_VERIFY = '1';
        else env.DOCKER_TLS = '1';
      }
      break;
    case 'ssh':
      if (!engine.forwardedSocket) throw new Error('an ssh engine needs the forwarded socket for Compose');
      env.DOCKER_HOST = `unix://${engine.forwardedSocket}`;
      break;
  }
  return env;
}

/**
 * The invocation for one action. `extraFiles` go after the project's files (Berth's scale
 * override); `replaceFiles` swaps a project file for Berth's rewritten copy (see scale.ts).
 */
export function composeInvocation(
  program: ComposeProgram,
  target: ComposeTarget,
  action: ComposeAction,
  environment: Record<string, string>,
  opts: { extraFiles?: readonly string[]; replaceFiles?: ReadonlyMap<string, string> } = {},
): ComposeInvocation {
  const files = [...target.files.map((f) => opts.replaceFiles?.get(f) ?? f), ...(opts.extraFiles ?? [])];
  const args = [...program.command.slice(1), '-p', target.name];
  // Relative paths in a rewritten copy must resolve as in the original: from the project folder.
  if (opts.replaceFiles?.size) args.push('--project-directory', target.folder);
  for (const f of files) args.push('-f', f);
  if (target.envFile) args.push('--env-file', target.envFile);
  for (const p of target.profiles) args.push('--profile', p);
  switch (action.verb) {
    case 'up':
      args.push('up', '--detach');
      if (action.build) args.push('--build');
      // Berth's scale: the replicas that run stay as they are, on the ports they answer on.
      if (action.noRecreate) args.push('--no-recreate');
      for (const [svc, n] of Object.entries(action.scale ?? {})) args.push('--scale', `${svc}=${n}`);
      args.push(...(action.services ?? []));
      break;
    case 'down':
      args.push('down');
      if (action.volumes) args.push('--volumes');
      if (action.images) args.push('--rmi', action.images);
      break;
    default:
      args.push(action.verb, ...(action.services ?? []));
  }
  return { file: program.command[0], args, cwd: target.folder, env: environment };
}
