import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import { startRegistry } from '../support/registry';
import { makeTlsMaterial } from '../support/tlsCerts';

/** GET /v2/ on the registry: status and WWW-Authenticate. */
function v2(url: string, opts: https.RequestOptions = {}): Promise<{ status: number; challenge?: string }> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https') ? https : http).get(url, opts, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'] });
    });
    req.on('error', reject);
  });
}

describe('registry fixture (Debian docker-registry on 127.0.0.1)', function () {
  this.timeout(30_000);

  it('serves /v2/ openly, and its storage goes away on stop', async () => {
    const r = await startRegistry();
    assert.match(r.host, /^127\.0\.0\.1:\d+$/);
    assert.equal((await v2(`http://${r.host}/v2/`)).status, 200);
    await r.stop();
    assert.equal(fs.existsSync(r.dir), false);
    await assert.rejects(v2(`http://${r.host}/v2/`), /ECONNREFUSED/);
  });

  it('asks for Basic auth with htpasswd, and accepts the user', async () => {
    const r = await startRegistry({ htpasswd: { user: 'ann', password: 's3cret pass' }, deleteEnabled: true });
    try {
      const anon = await v2(`http://${r.host}/v2/`);
      assert.equal(anon.status, 401);
      assert.match(anon.challenge ?? '', /^Basic realm=/);
      assert.equal((await v2(`http://${r.host}/v2/`, { auth: 'ann:wrong' })).status, 401);
      assert.equal((await v2(`http://${r.host}/v2/`, { auth: 'ann:s3cret pass' })).status, 200);
    } finally {
      await r.stop();
    }
  });

  it('serves HTTPS with the given certificate', async () => {
    const tls = makeTlsMaterial();
    const r = await startRegistry({ tls: { certFile: tls.serverCert, keyFile: tls.serverKey } });
    try {
      assert.equal((await v2(`https://${r.host}/v2/`, { ca: fs.readFileSync(tls.ca) })).status, 200);
      await assert.rejects(v2(`https://${r.host}/v2/`, { ca: fs.readFileSync(tls.wrongCa) }), /certificate/);
    } finally {
      await r.stop();
      fs.rmSync(tls.dir, { recursive: true, force: true });
    }
  });

  it('points clients to the token server with token auth', async () => {
    const tls = makeTlsMaterial();
    const r = await startRegistry({ token: { realm: 'http://127.0.0.1:1/token', service: 'berth-test', issuer: 'berth-test-issuer', rootCertBundleFile: tls.ca } });
    try {
      const anon = await v2(`http://${r.host}/v2/`);
      assert.equal(anon.status, 401);
      assert.equal(anon.challenge, 'Bearer realm="http://127.0.0.1:1/token",service="berth-test"');
    } finally {
      await r.stop();
      fs.rmSync(tls.dir, { recursive: true, force: true });
    }
  });
});
