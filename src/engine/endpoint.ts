// Finds the engine the user's docker CLI would talk to. No dockerode here: this runs in activate().
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Endpoint, EndpointProblem, EndpointSource, TlsFiles } from '../contract/endpoint';

export type { Endpoint, EndpointProblem, EndpointSource, TlsFiles } from '../contract/endpoint';

export interface ResolveInput {
  setting?: string;
  env: Record<string, string | undefined>;
  homeDir?: string;
  platform?: NodeJS.Platform;
  exists?: (p: string) => boolean;
  readFile?: (p: string) => string | undefined;
}

/** The English text is for logs; the UI says `problem` in the user's language. */
export class EndpointError extends Error {
  constructor(readonly problem: EndpointProblem) {
    super(englishText(problem));
  }
}

function englishText(p: EndpointProblem): string {
  switch (p.kind) {
    case 'unsupported':
      return `unsupported docker host "${p.value}"`;
    case 'noSocketPath':
      return `"${p.value}" has no socket path`;
    case 'noHost':
      return `"${p.value}" has no host`;
    case 'scheme':
      return `unsupported scheme "${p.scheme}://" in "${p.value}"`;
    case 'contextMissing':
      return `Docker context "${p.name}" is selected but ${p.path} does not exist`;
    case 'contextJson':
      return `${p.path} is not valid JSON`;
    case 'contextNoEndpoint':
      return `Docker context "${p.name}" has no docker endpoint`;
    case 'choiceGone':
      return `the engine chosen for this workspace (${p.id}) is no longer available`;
    case 'choiceUnusable':
      return p.said;
  }
}

const DEFAULT_UNIX = '/var/run/docker.sock';
const DEFAULT_NPIPE = '//./pipe/docker_engine';

function readFileOrUndefined(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** A URL, or the problem in words the UI can translate (not Node's "Invalid URL"). */
function urlOrRefuse(url: string, value: string, source: EndpointSource): URL {
  try {
    return new URL(url);
  } catch {
    throw new EndpointError({ kind: 'unsupported', value, source });
  }
}

/** Parses a docker host URL (unix://, tcp://, npipe://, ssh://, or a bare socket path). */
export function parseHost(value: string, source: EndpointSource, tls?: TlsFiles, contextName?: string): Endpoint {
  const v = value.trim();
  if (v.startsWith('/')) return { kind: 'unix', socketPath: v, source, contextName, url: `unix://${v}` };
  const m = /^([a-z]+):\/\/(.*)$/i.exec(v);
  if (!m) throw new EndpointError({ kind: 'unsupported', value: v, source });
  const scheme = m[1].toLowerCase();
  const rest = m[2];
  switch (scheme) {
    case 'unix':
      if (!rest) throw new EndpointError({ kind: 'noSocketPath', value: v, source });
      return { kind: 'unix', socketPath: rest, source, contextName, url: v };
    case 'npipe':
      return { kind: 'npipe', socketPath: rest.replace(/\//g, '\\') || DEFAULT_NPIPE, source, contextName, url: v };
    case 'tcp':
    case 'http':
    case 'https': {
      const u = urlOrRefuse(`http://${rest}`, v, source);
      if (!u.hostname) throw new EndpointError({ kind: 'noHost', value: v, source });
      const port = u.port ? Number(u.port) : tls || scheme === 'https' ? 2376 : 2375;
      return { kind: 'tcp', host: u.hostname.replace(/^\[|\]$/g, ''), port, tls, source, contextName, url: v };
    }
    case 'ssh': {
      const u = urlOrRefuse(`ssh://${rest}`, v, source);
      if (!u.hostname) throw new EndpointError({ kind: 'noHost', value: v, source });
      return {
        kind: 'ssh',
        host: u.hostname,
        port: u.port ? Number(u.port) : undefined,
        username: u.username || undefined,
        source,
        contextName,
        url: v,
      };
    }
    default:
      throw new EndpointError({ kind: 'scheme', scheme, value: v, source });
  }
}

function tlsFromEnv(env: ResolveInput['env'], home: string): TlsFiles | undefined {
  const verify = !!env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0';
  if (!verify && !env.DOCKER_CERT_PATH) return undefined;
  const dir = env.DOCKER_CERT_PATH || path.join(home, '.docker');
  return { dir, ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem'), verify };
}

interface ContextMeta {
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

/** The context name the CLI would use, or undefined for "default". */
export function currentContextName(input: ResolveInput): string | undefined {
  const home = input.homeDir ?? os.homedir();
  const read = input.readFile ?? readFileOrUndefined;
  const fromEnv = input.env.DOCKER_CONTEXT;
  if (fromEnv) return fromEnv === 'default' ? undefined : fromEnv;
  const configDir = input.env.DOCKER_CONFIG || path.join(home, '.docker');
  const raw = read(path.join(configDir, 'config.json'));
  if (!raw) return undefined;
  try {
    const name = (JSON.parse(raw) as { currentContext?: string }).currentContext;
    return name && name !== 'default' ? name : undefined;
  } catch {
    return undefined;
  }
}

export function endpointFromContext(name: string, input: ResolveInput): Endpoint {
  const home = input.homeDir ?? os.homedir();
  const read = input.readFile ?? readFileOrUndefined;
  const exists = input.exists ?? fs.existsSync;
  const configDir = input.env.DOCKER_CONFIG || path.join(home, '.docker');
  const digest = createHash('sha256').update(name).digest('hex');
  const metaPath = path.join(configDir, 'contexts', 'meta', digest, 'meta.json');
  const raw = read(metaPath);
  if (!raw) {
    throw new EndpointError({ kind: 'contextMissing', name, path: metaPath });
  }
  let meta: ContextMeta;
  try {
    meta = JSON.parse(raw) as ContextMeta;
  } catch {
    throw new EndpointError({ kind: 'contextJson', name, path: metaPath });
  }
  const docker = meta.Endpoints?.docker;
  if (!docker?.Host) {
    throw new EndpointError({ kind: 'contextNoEndpoint', name });
  }
  const tlsDir = path.join(configDir, 'contexts', 'tls', digest, 'docker');
  let tls: TlsFiles | undefined;
  if (exists(tlsDir)) {
    const file = (f: string) => (exists(path.join(tlsDir, f)) ? path.join(tlsDir, f) : undefined);
    tls = { dir: tlsDir, ca: file('ca.pem'), cert: file('cert.pem'), key: file('key.pem'), verify: !docker.SkipTLSVerify };
  }
  return parseHost(docker.Host, 'context', tls, name);
}

/**
 * Resolves the endpoint in the CLI's order: setting, DOCKER_HOST, current context, default socket.
 */
export function resolveEndpoint(input: ResolveInput): Endpoint {
  const home = input.homeDir ?? os.homedir();
  const platform = input.platform ?? process.platform;
  const exists = input.exists ?? fs.existsSync;
  if (input.setting && input.setting.trim()) return parseHost(input.setting, 'setting', tlsFromEnv(input.env, home));
  if (input.env.DOCKER_HOST) return parseHost(input.env.DOCKER_HOST, 'DOCKER_HOST', tlsFromEnv(input.env, home));
  const context = currentContextName(input);
  if (context) return endpointFromContext(context, input);
  if (platform === 'win32') return { kind: 'npipe', socketPath: DEFAULT_NPIPE, source: 'default', url: `npipe://${DEFAULT_NPIPE}` };
  // Docker Desktop and rootless engines put their socket elsewhere when /var/run/docker.sock is absent.
  const candidates = [
    DEFAULT_UNIX,
    path.join(home, '.docker', 'run', 'docker.sock'),
    path.join(home, '.docker', 'desktop', 'docker.sock'),
    input.env.XDG_RUNTIME_DIR ? path.join(input.env.XDG_RUNTIME_DIR, 'docker.sock') : undefined,
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => exists(p)) ?? DEFAULT_UNIX;
  return { kind: 'unix', socketPath: found, source: 'default', url: `unix://${found}` };
}
