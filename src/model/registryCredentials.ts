// The docker CLI's credentials, read where the CLI keeps them, so a `docker login` in a terminal
// works in Berth. This version reads plain `auths` entries of config.json only; the full one
// (credsStore, credHelpers) keeps this signature.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface RegistryCredentials {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

/** The key the CLI files Docker Hub's credentials under. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

function configFile(env: NodeJS.ProcessEnv): string {
  const dir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
  return path.join(dir, 'config.json');
}

/** The keys an `auths` entry for this host may have been written under (a URL, or the host alone). */
function keysFor(host: string): string[] {
  if (host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io') return [DOCKER_HUB_KEY, 'index.docker.io', 'docker.io'];
  return [host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, `https://${host}/v2/`, `http://${host}/v1/`, `http://${host}/v2/`];
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

export async function credentialsFor(registryHost: string, env: NodeJS.ProcessEnv = process.env): Promise<RegistryCredentials | undefined> {
  let text: string;
  try {
    text = await fs.promises.readFile(configFile(env), 'utf8');
  } catch {
    return undefined; // no config: anonymous, as the CLI is
  }
  let auths: Record<string, AuthEntry> | undefined;
  try {
    auths = (JSON.parse(text) as { auths?: Record<string, AuthEntry> }).auths;
  } catch {
    return undefined;
  }
  if (!auths) return undefined;
  const key = keysFor(registryHost).find((k) => auths[k]);
  const entry = key ? auths[key] : undefined;
  if (!entry) return undefined;
  const serveraddress = registryHost === 'docker.io' ? DOCKER_HUB_KEY : registryHost;
  if (entry.identitytoken) return { serveraddress, identitytoken: entry.identitytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return { serveraddress, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username !== undefined) return { serveraddress, username: entry.username, password: entry.password };
  return undefined;
}
