// What a registry's HTTPS connection trusts, as the engine does: the system's CAs plus the files of
// certs.d/<host:port>/ (every *.crt a CA; a *.cert with its *.key a client certificate).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';

export const DEFAULT_CERTS_DIR = '/etc/docker/certs.d';
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

export interface TrustOptions {
  /** undefined: Node's default roots (cheap, cached by Node); else the roots to use. */
  ca?: string[];
  cert?: string;
  key?: string;
  /** Whether certs.d held anything for this host (said in a TLS error). */
  fromCertsDir: boolean;
}

let systemCas: Promise<string[]> | undefined;

function systemBundle(): Promise<string[]> {
  systemCas ??= (async () => {
    for (const file of SYSTEM_BUNDLES) {
      try {
        return [await fs.readFile(file, 'utf8')];
      } catch {
        // The next usual place.
      }
    }
    return [];
  })();
  return systemCas;
}

/**
 * The trust for `hostPort` (host or host:port, as the certs.d folder is named). `level` 'default'
 * uses Node's own roots when certs.d has no CA for the host: building a TLS context from a list of
 * ~150 CAs costs ~200 ms, which a first expansion should not pay. 'system' adds the system's bundle
 * (a CA installed with update-ca-certificates), tried after a certificate error.
 */
export async function trustFor(hostPort: string, certsDir = DEFAULT_CERTS_DIR, level: 'default' | 'system' = 'default'): Promise<TrustOptions> {
  const dir = path.join(certsDir, hostPort);
  let names: string[] = [];
  try {
    names = (await fs.readdir(dir)).sort();
  } catch {
    // No folder for this host: the usual case.
  }
  const extra: string[] = [];
  const out: TrustOptions = { fromCertsDir: false };
  for (const name of names) {
    if (name.endsWith('.crt')) {
      extra.push(await fs.readFile(path.join(dir, name), 'utf8'));
      out.fromCertsDir = true;
    } else if (name.endsWith('.cert')) {
      const key = path.join(dir, name.replace(/\.cert$/, '.key'));
      try {
        out.key = await fs.readFile(key, 'utf8');
        out.cert = await fs.readFile(path.join(dir, name), 'utf8');
        out.fromCertsDir = true;
      } catch {
        // A client certificate without its key is unusable; the engine refuses it too.
      }
    }
  }
  if (extra.length || level === 'system') out.ca = [...tls.rootCertificates, ...(level === 'system' ? await systemBundle() : []), ...extra];
  return out;
}

/** Whether a host is a loopback address, which the engine reaches over plain HTTP without configuration. */
export function isLoopback(hostPort: string): boolean {
  const host = hostPort.startsWith('[') ? hostPort.slice(1, hostPort.indexOf(']')) : hostPort.replace(/:\d+$/, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
