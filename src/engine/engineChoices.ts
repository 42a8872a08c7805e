// Every engine the user could mean: Docker contexts, DOCKER_HOST, the sockets of the usual engines
// found on this machine, and the berth.engines setting. No dockerode here: it runs in the picker.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { endpointFromContext, parseHost, type Endpoint, type EndpointProblem, type ResolveInput, type TlsFiles } from './endpoint';

/** An entry of the berth.engines setting. */
export interface ConfiguredEngine {
  name: string;
  url: string;
  tls?: { ca?: string; cert?: string; key?: string; verify?: boolean };
  /** Extra arguments for ssh:// engines (an identity file, -o options). */
  sshArgs?: string[];
}

export interface EngineChoice {
  /** Stable key, remembered per workspace. */
  id: string;
  name: string;
  kind: 'context' | 'DOCKER_HOST' | 'socket' | 'configured';
  endpoint?: Endpoint;
  /** Why the entry cannot be used (a broken context, a bad URL): English for logs, and as data. */
  problem?: string;
  endpointProblem?: EndpointProblem;
}

function tlsOf(c: ConfiguredEngine['tls']): TlsFiles | undefined {
  if (!c) return undefined;
  const files = [c.ca, c.cert, c.key].filter(Boolean) as string[];
  return { dir: files.length ? path.dirname(files[0]) : '', ca: c.ca, cert: c.cert, key: c.key, verify: c.verify ?? !!c.ca };
}

function attempt(id: string, name: string, kind: EngineChoice['kind'], make: () => Endpoint): EngineChoice {
  try {
    return { id, name, kind, endpoint: make() };
  } catch (err) {
    return { id, name, kind, problem: (err as Error).message, endpointProblem: (err as { problem?: EndpointProblem }).problem };
  }
}

/** Known engine sockets and what they are called. */
export function knownSockets(home: string, env: ResolveInput['env']): { name: string; path: string }[] {
  const runtime = env.XDG_RUNTIME_DIR;
  return [
    { name: 'Docker Engine', path: '/var/run/docker.sock' },
    { name: 'Docker Desktop', path: path.join(home, '.docker', 'run', 'docker.sock') },
    { name: 'Docker Desktop', path: path.join(home, '.docker', 'desktop', 'docker.sock') },
    ...(runtime ? [{ name: 'Docker Engine (rootless)', path: path.join(runtime, 'docker.sock') }] : []),
    { name: 'Colima', path: path.join(home, '.colima', 'default', 'docker.sock') },
    { name: 'Colima', path: path.join(home, '.colima', 'docker.sock') },
    { name: 'Rancher Desktop', path: path.join(home, '.rd', 'docker.sock') },
    { name: 'OrbStack', path: path.join(home, '.orbstack', 'run', 'docker.sock') },
    ...(runtime ? [{ name: 'Podman (rootless)', path: path.join(runtime, 'podman', 'podman.sock') }] : []),
    { name: 'Podman', path: '/run/podman/podman.sock' },
  ];
}

export function listEngineChoices(input: ResolveInput & { configured?: readonly ConfiguredEngine[] }): EngineChoice[] {
  const home = input.homeDir ?? os.homedir();
  const exists = input.exists ?? fs.existsSync;
  const configDir = input.env.DOCKER_CONFIG || path.join(home, '.docker');
  const out: EngineChoice[] = [];
  const metaDir = path.join(configDir, 'contexts', 'meta');
  let metas: string[] = [];
  try {
    metas = fs.readdirSync(metaDir);
  } catch {
    metas = [];
  }
  for (const digest of metas) {
    let name: string | undefined;
    try {
      name = (JSON.parse(fs.readFileSync(path.join(metaDir, digest, 'meta.json'), 'utf8')) as { Name?: string }).Name;
    } catch {
      name = undefined;
    }
    if (name) out.push(attempt(`context:${name}`, name, 'context', () => endpointFromContext(name as string, input)));
  }
  const host = input.env.DOCKER_HOST;
  if (host) out.push(attempt(`DOCKER_HOST:${host}`, 'DOCKER_HOST', 'DOCKER_HOST', () => parseHost(host, 'DOCKER_HOST')));
  const seen = new Set<string>();
  for (const s of knownSockets(home, input.env)) {
    const real = (() => {
      try {
        return fs.realpathSync(s.path);
      } catch {
        return s.path;
      }
    })();
    if (!exists(s.path) || seen.has(real)) continue;
    seen.add(real);
    out.push({ id: `unix://${s.path}`, name: s.name, kind: 'socket', endpoint: parseHost(`unix://${s.path}`, 'default') });
  }
  for (const c of input.configured ?? [])
    out.push(
      attempt(`configured:${c.name}`, c.name, 'configured', () => {
        const e = parseHost(c.url, 'setting', tlsOf(c.tls));
        return e.kind === 'ssh' && c.sshArgs ? { ...e, sshArgs: c.sshArgs } : e;
      }),
    );
  return out;
}
