// Registry credentials shared with the docker CLI: read and written where `docker login` reads and
// writes them ($DOCKER_CONFIG/config.json or ~/.docker/config.json): a credential helper named by
// `credHelpers` (per registry) or `credsStore` (all), else base64 `auths`. Helpers run as
// `docker-credential-<name> get|store|erase` with the server on stdin, never through a shell.
// Nothing here ever puts a secret in an error's text.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RegistryCredentials {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

/** Docker Hub's key in config.json and for helpers, as the CLI writes it. */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** Helpers answer a `get` for an unknown server with this text (docker-credential-helpers' ErrCredentialsNotFound). */
const NOT_FOUND = 'credentials not found in native keychain';

/** What a credential helper failed at, with the helper's name; the helper's output is never included (it may echo a secret). */
export class CredentialHelperError extends Error {
  constructor(
    readonly helper: string,
    readonly action: 'get' | 'store' | 'erase' | 'list',
    readonly reason: 'missing' | 'failed',
  ) {
    super(reason === 'missing' ? `docker-credential-${helper} was not found on PATH` : `docker-credential-${helper} ${action} failed`);
    this.name = 'CredentialHelperError';
  }
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  [other: string]: unknown;
}

interface ConfigFile {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [other: string]: unknown;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'config.json');
}

/** `https://index.docker.io/v1/` for Docker Hub's names, else the host[:port] as given (the CLI's key). */
export function serverAddress(registryHost: string): string {
  const host = hostOf(registryHost);
  return DOCKER_HUB_HOSTS.has(host) ? DOCKER_HUB_SERVER : host;
}

/** A config key or address down to host[:port], as the CLI's ConvertToHostname does. */
export function hostOf(address: string): string {
  let a = address.trim();
  a = a.replace(/^https?:\/\//, '');
  return a.split('/')[0].toLowerCase();
}

async function readConfig(env: NodeJS.ProcessEnv): Promise<ConfigFile> {
  let text: string;
  try {
    text = await fs.readFile(configPath(env), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as ConfigFile;
  } catch {
    // The file's text is not quoted back: it holds credentials.
    throw new Error(`${configPath(env)} is not valid JSON`);
  }
}

/** Writes the config in place of the old one, readable by its owner only, as the CLI does. */
async function writeConfig(config: ConfigFile, env: NodeJS.ProcessEnv): Promise<void> {
  const file = configPath(env);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.berth-${process.pid}-${Date.now()}`;
  try {
    await fs.writeFile(temp, JSON.stringify(config, null, '\t') + '\n', { mode: 0o600 });
    await fs.chmod(temp, 0o600);
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/** The helper the CLI would use for this server: credHelpers[host], else credsStore, else none. */
function helperFor(config: ConfigFile, server: string): string | undefined {
  return registryHelper(config, server) ?? (config.credsStore || undefined);
}

function registryHelper(config: ConfigFile, server: string): string | undefined {
  const host = hostOf(server);
  for (const [key, name] of Object.entries(config.credHelpers ?? {})) if (key === server || hostOf(key) === host) return name || undefined;
  return undefined;
}

function authKey(config: ConfigFile, server: string): string | undefined {
  const auths = config.auths ?? {};
  if (server in auths) return server;
  const host = hostOf(server);
  return Object.keys(auths).find((k) => (server === DOCKER_HUB_SERVER ? DOCKER_HUB_HOSTS.has(hostOf(k)) : hostOf(k) === host));
}

/** Runs `docker-credential-<name> <action>` with `input` on stdin; resolves its stdout. */
function runHelper(name: string, action: 'get' | 'store' | 'erase' | 'list', input: string, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    // Looked up on PATH only, as the CLI does: a name with a path in it would run a file elsewhere.
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return reject(new CredentialHelperError(name, action, 'missing'));
    const child = execFile(`docker-credential-${name}`, [action], { env, timeout: 30_000, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') reject(new CredentialHelperError(name, action, 'missing'));
      else resolve({ ok: !err, out: String(stdout) });
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

function fromAuthEntry(entry: AuthEntry, server: string): RegistryCredentials | undefined {
  let { username, password } = entry;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  const identitytoken = entry.identitytoken || undefined;
  if (!username && !password && !identitytoken) return undefined;
  return { serveraddress: server, username: username || undefined, password: password || undefined, identitytoken };
}

/** The credentials the docker CLI would send to `registryHost` (host[:port], or Docker Hub's names), or undefined. */
export async function credentialsFor(registryHost: string, env: NodeJS.ProcessEnv = process.env): Promise<RegistryCredentials | undefined> {
  const server = serverAddress(registryHost);
  const config = await readConfig(env);
  const helper = helperFor(config, server);
  if (helper) {
    const { ok, out } = await runHelper(helper, 'get', server, env);
    if (!ok) {
      if (out.includes(NOT_FOUND)) return undefined;
      throw new CredentialHelperError(helper, 'get', 'failed');
    }
    let answer: { Username?: string; Secret?: string };
    try {
      answer = JSON.parse(out) as { Username?: string; Secret?: string };
    } catch {
      throw new CredentialHelperError(helper, 'get', 'failed');
    }
    if (!answer.Secret) return undefined;
    // The CLI stores an identity token under the user name "<token>".
    if (answer.Username === '<token>') return { serveraddress: server, identitytoken: answer.Secret };
    return { serveraddress: server, username: answer.Username, password: answer.Secret };
  }
  const key = authKey(config, server);
  return key ? fromAuthEntry(config.auths![key], server) : undefined;
}

/** Where credentials for this registry live: a helper's name, or the config file itself. */
export async function credentialStoreFor(registryHost: string, env: NodeJS.ProcessEnv = process.env): Promise<{ helper?: string; file: string }> {
  const config = await readConfig(env);
  return { helper: helperFor(config, serverAddress(registryHost)), file: configPath(env) };
}

/** Stores credentials where `docker login` would: the helper if one is configured, else base64 in `auths` (the rest of the file kept). */
export async function storeCredentials(creds: RegistryCredentials, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const server = serverAddress(creds.serveraddress);
  const config = await readConfig(env);
  const helper = helperFor(config, server);
  const auths = { ...(config.auths ?? {}) };
  const old = authKey(config, server);
  if (old && old !== server) delete auths[old];
  if (helper) {
    const body = creds.identitytoken ? { ServerURL: server, Username: '<token>', Secret: creds.identitytoken } : { ServerURL: server, Username: creds.username ?? '', Secret: creds.password ?? '' };
    const { ok } = await runHelper(helper, 'store', JSON.stringify(body), env);
    if (!ok) throw new CredentialHelperError(helper, 'store', 'failed');
    // As the CLI does with a credsStore, `auths` keeps an empty entry naming the server (no secret).
    if (!registryHelper(config, server)) auths[server] = {};
    else delete auths[server];
  } else {
    const entry: AuthEntry = {};
    if (creds.username || creds.password) entry.auth = Buffer.from(`${creds.username ?? ''}:${creds.password ?? ''}`, 'utf8').toString('base64');
    if (creds.identitytoken) entry.identitytoken = creds.identitytoken;
    auths[server] = entry;
  }
  await writeConfig({ ...config, auths }, env);
}

/** Removes the credentials as `docker logout` does; resolves whether there were any. */
export async function eraseCredentials(registryHost: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const server = serverAddress(registryHost);
  const config = await readConfig(env);
  const helper = helperFor(config, server);
  let had = false;
  if (helper) {
    const { ok, out } = await runHelper(helper, 'erase', server, env);
    if (!ok && !out.includes(NOT_FOUND)) throw new CredentialHelperError(helper, 'erase', 'failed');
    had = ok;
  }
  const key = authKey(config, server);
  if (key) {
    had = had || fromAuthEntry(config.auths![key], server) !== undefined || helper !== undefined;
    const auths = { ...config.auths };
    delete auths[key];
    await writeConfig({ ...config, auths }, env);
  }
  return had;
}

/** The registries the config knows (auths keys and credHelpers keys), as host[:port]; Docker Hub as docker.io. */
export async function configuredRegistries(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const config = await readConfig(env);
  const keys = [...Object.keys(config.auths ?? {}), ...Object.keys(config.credHelpers ?? {})];
  const hosts = keys.map((k) => (DOCKER_HUB_HOSTS.has(hostOf(k)) ? 'docker.io' : hostOf(k))).filter(Boolean);
  return [...new Set(hosts)];
}
