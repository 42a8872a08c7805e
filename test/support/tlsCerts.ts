// Certificates for a TLS engine on 127.0.0.1, made with openssl for each run: a CA, a server
// certificate for IP 127.0.0.1, a client certificate, and an unrelated CA to be rejected.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface TlsMaterial {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  wrongCa: string;
}

export function makeTlsMaterial(): TlsMaterial {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-tls-'));
  const f = (name: string) => path.join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ca = (name: string) => {
    ssl('genrsa', '-out', f(`${name}-key.pem`), '2048');
    ssl('req', '-x509', '-new', '-key', f(`${name}-key.pem`), '-days', '2', '-subj', `/CN=${name}`, '-out', f(`${name}.pem`));
  };
  const signed = (name: string, cn: string, ext: string) => {
    ssl('genrsa', '-out', f(`${name}-key.pem`), '2048');
    ssl('req', '-new', '-key', f(`${name}-key.pem`), '-subj', `/CN=${cn}`, '-out', f(`${name}.csr`));
    fs.writeFileSync(f(`${name}.ext`), ext);
    ssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca-key.pem'), '-CAcreateserial', '-days', '2', '-extfile', f(`${name}.ext`), '-out', f(`${name}.pem`));
  };
  ca('ca');
  ca('wrong-ca');
  signed('server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  signed('client', 'berth-test-client', 'extendedKeyUsage=clientAuth\n');
  return { dir, ca: f('ca.pem'), serverCert: f('server.pem'), serverKey: f('server-key.pem'), clientCert: f('client.pem'), clientKey: f('client-key.pem'), wrongCa: f('wrong-ca.pem') };
}
