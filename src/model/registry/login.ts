// Log In and Log Out as `docker login` / `docker logout` do them: the password is checked against
// the registry first (its /v2/ challenge, Basic or a token from the realm), then stored where the
// CLI would store it (registryCredentials.ts).
import { eraseCredentials, serverAddress, storeCredentials } from '../registryCredentials';
import { apiHost, RegistryClient, type RegistryClientOptions } from './client';

export async function logIn(host: string, username: string, password: string, env: NodeJS.ProcessEnv = process.env, options: Omit<RegistryClientOptions, 'credentials'> = {}): Promise<void> {
  const creds = { serveraddress: serverAddress(host), username, password };
  const client = new RegistryClient(apiHost(host), { ...options, credentials: async () => creds });
  try {
    await client.verify();
  } finally {
    client.dispose();
  }
  await storeCredentials(creds, env);
}

/** Resolves whether credentials were stored for `host`. */
export function logOut(host: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return eraseCredentials(host, env);
}
