// A small token server for a token-auth registry (Docker Distribution's `auth.token`): Node http on
// 127.0.0.1 that checks Basic credentials and answers with a JWT signed RS256 by a test key made
// for the run. Its self-signed certificate is the registry's `rootcertbundle`, and each token's
// header carries it in `x5c`, which is how Distribution finds the signing key. Users get every
// action they ask for on `repository:` scopes (or those `grants` allows) and on the catalog.
import { execFileSync } from 'child_process';
import { createPrivateKey, randomUUID, sign } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './ports';

export interface TokenServerOptions {
  users: Record<string, string>;
  service: string;
  issuer?: string;
  /** Which actions a user gets on a repository (default: all asked). */
  grants?: (user: string | undefined, type: string, name: string, actions: string[]) => string[];
  /** Whether an anonymous request gets a token (with what `grants` allows it); default false. */
  anonymous?: boolean;
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** The certificate file to give the registry as `rootcertbundle`. */
  rootCertBundleFile: string;
  /** The requests received: user (or '-') and scopes, never a password. */
  requests: { user: string; scopes: string[]; method: string }[];
  stop(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-token-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=berth-test-token-signer'], { stdio: 'pipe' });
  const key = createPrivateKey(fs.readFileSync(keyFile));
  const der = Buffer.from(
    fs
      .readFileSync(certFile, 'utf8')
      .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
      .replace(/\s+/g, ''),
    'base64',
  );
  const issuer = options.issuer ?? 'berth-test-issuer';
  const requests: TokenServer['requests'] = [];

  const jwt = (sub: string, access: { type: string; name: string; actions: string[] }[]) => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der.toString('base64')] }));
    const claims = b64url(JSON.stringify({ iss: issuer, sub, aud: options.service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access }));
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), key);
    return `${header}.${claims}.${b64url(signature)}`;
  };

  const user = (req: http.IncomingMessage): string | undefined | null => {
    const auth = req.headers.authorization;
    if (!auth) return undefined;
    const m = /^Basic (.+)$/i.exec(auth);
    if (!m) return null;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const name = decoded.slice(0, colon);
    return colon > 0 && options.users[name] !== undefined && options.users[name] === decoded.slice(colon + 1) ? name : null;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const who = user(req);
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    requests.push({ user: who ?? '-', scopes, method: req.method ?? 'GET' });
    if (who === null || (who === undefined && !options.anonymous)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="berth-test-token"' });
      res.end(JSON.stringify({ details: 'incorrect username or password' }));
      return;
    }
    if (url.searchParams.get('service') !== options.service) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ details: 'unknown service' }));
      return;
    }
    const access = scopes.map((s) => {
      // type:name:actions; a name can hold ':' only with a port, which repositories never have.
      const [type, name, actionList] = [s.slice(0, s.indexOf(':')), s.slice(s.indexOf(':') + 1, s.lastIndexOf(':')), s.slice(s.lastIndexOf(':') + 1)];
      const asked = actionList.split(',').filter(Boolean);
      const actions = options.grants ? options.grants(who, type, name, asked) : asked;
      return { type, name, actions };
    });
    const token = jwt(who ?? '', access);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service: options.service,
    issuer,
    rootCertBundleFile: certFile,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
