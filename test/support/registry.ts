// A throwaway image registry for tests: Debian's docker-registry (Docker Distribution 2.8) on
// 127.0.0.1, with its own port, storage folder and config, optionally behind htpasswd Basic auth,
// token auth or TLS. The engine talks plain HTTP to 127.0.0.0/8 registries without configuration.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './ports';

export interface RegistryOptions {
  /** Basic auth with one bcrypt user (`htpasswd -Bbn`, apache2-utils). */
  htpasswd?: { user: string; password: string };
  /** Lets clients delete manifests and blobs (off by default, as in Distribution). */
  deleteEnabled?: boolean;
  /** Serves HTTPS with this certificate and key (PEM files). */
  tls?: { certFile: string; keyFile: string };
  /** Bearer token auth: the token server's realm URL, service and issuer, and the certificate bundle that signs its tokens. */
  token?: { realm: string; service: string; issuer: string; rootCertBundleFile: string };
}

export interface Registry {
  /** `127.0.0.1:PORT`, the registry part of an image reference. */
  host: string;
  /** The folder holding config.yml, htpasswd and the storage. */
  dir: string;
  stop(): Promise<void>;
}

const REGISTRY_BIN = '/usr/bin/docker-registry';

export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  if (!fs.existsSync(REGISTRY_BIN)) throw new Error('docker-registry is not installed (Debian: apt-get install docker-registry)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: path.join(dir, 'data') },
      delete: { enabled: options.deleteEnabled === true },
    },
    http: {
      addr: host,
      secret: 'berth-test-registry',
      ...(options.tls ? { tls: { certificate: options.tls.certFile, key: options.tls.keyFile } } : {}),
    },
  };
  if (options.htpasswd && options.token) throw new Error('a registry has one auth scheme: htpasswd or token');
  if (options.htpasswd) {
    const { user, password } = options.htpasswd;
    const line = execFileSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, 'htpasswd'), line.trim() + '\n');
    config.auth = { htpasswd: { realm: 'berth-test', path: path.join(dir, 'htpasswd') } };
  }
  if (options.token) {
    const t = options.token;
    config.auth = { token: { realm: t.realm, service: t.service, issuer: t.issuer, rootcertbundle: t.rootCertBundleFile } };
  }
  // JSON is YAML: no YAML writer needed.
  const configFile = path.join(dir, 'config.yml');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));

  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (await answers(host, !!options.tls)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start on ${host}: ${log.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { host, dir, stop };
}

/** True once GET /v2/ gets any HTTP answer (401 included: the registry is up, asking for auth). */
function answers(host: string, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const url = `${tls ? 'https' : 'http'}://${host}/v2/`;
    // The fixture only checks that the server is up; it does not judge the test certificate.
    const req = tls ? https.get(url, { rejectUnauthorized: false }) : http.get(url);
    req.on('response', (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
  });
}
