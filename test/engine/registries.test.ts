// The registry client and Log In against real registries (Debian's docker-registry on 127.0.0.1):
// Basic (htpasswd), token auth with the test token server, TLS with and without its CA in a
// certs.d folder, deletion enabled and disabled; and credentials shared with the docker CLI.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { RegistryClient, RegistryError } from '../../src/model/registry/client';
import { tagsSharingManifest } from '../../src/model/registry/deletion';
import { logIn, logOut } from '../../src/model/registry/login';
import { credentialsFor } from '../../src/model/registryCredentials';
import { createTestHelper } from '../support/credentialHelper';
import { startRegistry, type Registry } from '../support/registry';
import { seedImage, seedIndex } from '../support/registrySeed';
import { makeTlsMaterial } from '../support/tlsCerts';
import { startTokenServer, type TokenServer } from '../support/tokenServer';

const run = promisify(execFile);
const USER = 'ann';
const PASSWORD = 'correct horse:battery';

function isKind(kind: RegistryError['kind'], text?: RegExp) {
  return (err: unknown) => err instanceof RegistryError && err.kind === kind && (!text || text.test(err.message)) && !err.message.includes(PASSWORD);
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe('registries (real docker-registry)', function () {
  this.timeout(60_000);

  describe('Basic auth, deletion enabled', () => {
    let registry: Registry;
    let client: RegistryClient;
    before(async () => {
      registry = await startRegistry({ htpasswd: { user: USER, password: PASSWORD }, deleteEnabled: true });
      client = new RegistryClient(registry.host, { credentials: async () => ({ serveraddress: registry.host, username: USER, password: PASSWORD }) });
    });
    after(async () => {
      client.dispose();
      await registry.stop();
    });

    it('lists the catalog page by page through the Link header, and the tags', async () => {
      for (const name of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) await seedImage(client, `team/${name}`, '1');
      await seedImage(client, 'team/alpha', '2', 'second');
      const first = await client.catalog(2);
      assert.deepEqual(first, { items: ['team/alpha', 'team/bravo'], next: 'team/bravo' });
      const second = await client.catalog(2, first.next);
      assert.deepEqual(second, { items: ['team/charlie', 'team/delta'], next: 'team/delta' });
      const third = await client.catalog(2, second.next);
      assert.deepEqual(third.items, ['team/echo']);
      assert.equal(third.next, undefined);
      assert.deepEqual((await client.tags('team/alpha')).items.sort(), ['1', '2']);
    });

    it('gives a tag its digest, size and created time, and an index its platforms', async () => {
      const image = await seedImage(client, 'team/details', 'v1', 'details', 'amd64', '2026-03-04T05:06:07Z');
      const m = await client.manifest('team/details', 'v1');
      assert.equal(m.digest, image.digest);
      assert.equal(m.size, image.size);
      assert.equal(m.created, '2026-03-04T05:06:07Z');
      assert.equal(await client.digest('team/details', 'v1'), image.digest);
      const index = await seedIndex(client, 'team/multi', 'latest');
      const im = await client.manifest('team/multi', 'latest');
      assert.equal(im.digest, index.digest);
      assert.equal(im.mediaType, 'application/vnd.oci.image.index.v1+json');
      assert.deepEqual(
        im.platforms?.map((p) => p.platform),
        index.platforms,
      );
    });

    it('deletes a tag by digest, naming the tags that share its manifest', async () => {
      const a = await seedImage(client, 'team/del', 'keep', 'kept');
      const b = await seedImage(client, 'team/del', 'old', 'shared');
      await seedImage(client, 'team/del', 'old-alias', 'shared');
      assert.notEqual(a.digest, b.digest);
      assert.deepEqual(await tagsSharingManifest(client, 'team/del', 'old', b.digest), ['old-alias']);
      await client.deleteManifest('team/del', b.digest);
      await assert.rejects(client.manifest('team/del', 'old'), isKind('notFound'));
      await assert.rejects(client.manifest('team/del', 'old-alias'), isKind('notFound'));
      assert.equal((await client.manifest('team/del', 'keep')).digest, a.digest);
    });

    it('says an unknown repository or tag is not found', async () => {
      await assert.rejects(client.manifest('team/alpha', 'nope'), isKind('notFound'));
      await assert.rejects(client.tags('team/nobody'), isKind('notFound'));
    });

    it('refuses a wrong password and says credentials are needed without any, never quoting the password', async () => {
      const wrong = new RegistryClient(registry.host, { credentials: async () => ({ serveraddress: registry.host, username: USER, password: 'wrong' }) });
      await assert.rejects(wrong.catalog(), isKind('unauthorized', /refused the credentials/));
      wrong.dispose();
      const none = new RegistryClient(registry.host);
      await assert.rejects(none.catalog(), isKind('unauthorized', /needs credentials/));
      none.dispose();
      const env = { ...process.env, DOCKER_CONFIG: tempDir('berth-dockercfg-') };
      await assert.rejects(logIn(registry.host, USER, 'wrong', env), isKind('unauthorized'));
      assert.equal(fs.existsSync(path.join(env.DOCKER_CONFIG, 'config.json')), false, 'nothing stored after a refused log-in');
    });
  });

  it('says a registry that is down cannot be reached', async () => {
    const r = await startRegistry();
    const host = r.host;
    await r.stop();
    const client = new RegistryClient(host);
    await assert.rejects(client.catalog(), isKind('unreachable', /cannot be reached/));
    client.dispose();
  });

  it('says deletion is disabled on a registry that has it off', async () => {
    const r = await startRegistry();
    const client = new RegistryClient(r.host);
    try {
      const image = await seedImage(client, 'team/kept', '1');
      await assert.rejects(client.deleteManifest('team/kept', image.digest), isKind('deleteDisabled', /deletion disabled/));
      assert.equal((await client.manifest('team/kept', '1')).digest, image.digest);
    } finally {
      client.dispose();
      await r.stop();
    }
  });

  describe('token auth', () => {
    let tokens: TokenServer;
    let registry: Registry;
    before(async () => {
      tokens = await startTokenServer({ users: { [USER]: PASSWORD }, service: 'berth-test-registry', grants: (user, type, name, actions) => (type === 'repository' && name.startsWith('readonly/') && user ? actions.filter((a) => a === 'pull') : actions) });
      registry = await startRegistry({ deleteEnabled: true, token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundleFile: tokens.rootCertBundleFile } });
    });
    after(async () => {
      await registry.stop();
      await tokens.stop();
    });

    it('logs in, lists the catalog and tags with a token per scope, cached', async () => {
      const env = { ...process.env, DOCKER_CONFIG: tempDir('berth-dockercfg-') };
      await logIn(registry.host, USER, PASSWORD, env);
      const creds = await credentialsFor(registry.host, env);
      assert.equal(creds?.username, USER);
      const client = new RegistryClient(registry.host, { credentials: () => credentialsFor(registry.host, env) });
      try {
        const image = await seedImage(client, 'team/tokened', '1.0');
        assert.deepEqual((await client.catalog()).items, ['team/tokened']);
        const before = tokens.requests.length;
        assert.deepEqual((await client.tags('team/tokened')).items, ['1.0']);
        assert.deepEqual((await client.tags('team/tokened')).items, ['1.0']);
        assert.equal((await client.manifest('team/tokened', '1.0')).digest, image.digest);
        const asked = tokens.requests.slice(before);
        assert.deepEqual(
          asked.map((r) => r.scopes.join(' ')),
          ['repository:team/tokened:pull'],
          'one token for the pull scope, reused',
        );
        assert.ok(tokens.requests.every((r) => r.user === USER || r.user === '-'));
      } finally {
        client.dispose();
      }
    });

    it('refuses a wrong password through the token server, and a push without rights is denied', async () => {
      const env = { ...process.env, DOCKER_CONFIG: tempDir('berth-dockercfg-') };
      await assert.rejects(logIn(registry.host, USER, 'nope', env), isKind('unauthorized', /refused the credentials/));
      const client = new RegistryClient(registry.host, { credentials: async () => ({ serveraddress: registry.host, username: USER, password: PASSWORD }) });
      try {
        await assert.rejects(seedImage(client, 'readonly/app', '1'), (err: unknown) => err instanceof RegistryError && (err.kind === 'unauthorized' || err.kind === 'denied'));
      } finally {
        client.dispose();
      }
    });
  });

  it('over TLS: says the certificate is not trusted without its CA, and works with it in certs.d', async () => {
    const tls = makeTlsMaterial();
    const r = await startRegistry({ tls: { certFile: tls.serverCert, keyFile: tls.serverKey } });
    const certsDir = tempDir('berth-certsd-');
    try {
      const without = new RegistryClient(r.host, { certsDir });
      await assert.rejects(without.catalog(), isKind('tls', /certificate of 127\.0\.0\.1:\d+ is not trusted/));
      without.dispose();
      fs.mkdirSync(path.join(certsDir, r.host));
      fs.copyFileSync(tls.ca, path.join(certsDir, r.host, 'ca.crt'));
      const withCa = new RegistryClient(r.host, { certsDir });
      await seedImage(withCa, 'secure/app', '1');
      assert.deepEqual((await withCa.catalog()).items, ['secure/app']);
      withCa.dispose();
    } finally {
      await r.stop();
      fs.rmSync(certsDir, { recursive: true, force: true });
      fs.rmSync(tls.dir, { recursive: true, force: true });
    }
  });

  describe('credentials shared with the docker CLI', () => {
    let registry: Registry;
    let ref: string;
    before(async () => {
      registry = await startRegistry({ htpasswd: { user: USER, password: PASSWORD } });
      const seeder = new RegistryClient(registry.host, { credentials: async () => ({ serveraddress: registry.host, username: USER, password: PASSWORD }) });
      await seedImage(seeder, 'team/shared', 'v1', 'shared with the CLI');
      seeder.dispose();
      ref = `${registry.host}/team/shared:v1`;
    });
    after(async () => {
      await run('docker', ['rmi', '-f', ref]).catch(() => undefined);
      await registry.stop();
    });

    it('a log-in through Berth lets `docker pull` pull, and Log Out makes it refuse', async () => {
      const env = { ...process.env, DOCKER_CONFIG: tempDir('berth-dockercfg-') };
      await logIn(registry.host, USER, PASSWORD, env);
      const stored = fs.readFileSync(path.join(env.DOCKER_CONFIG, 'config.json'), 'utf8');
      assert.equal(fs.statSync(path.join(env.DOCKER_CONFIG, 'config.json')).mode & 0o777, 0o600);
      await run('docker', ['pull', ref], { env });
      const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "berth.test"}}', ref], { env });
      assert.equal(stdout.trim(), 'registry');
      await run('docker', ['rmi', ref], { env });
      assert.equal(await logOut(registry.host, env), true);
      await assert.rejects(run('docker', ['pull', ref], { env }), /no basic auth credentials|unauthorized|authentication required/i);
      assert.ok(stored.includes(registry.host));
    });

    it('a `docker login` in a terminal is used by Berth', async () => {
      const env = { ...process.env, DOCKER_CONFIG: tempDir('berth-dockercfg-') };
      const login = execFile('docker', ['login', '--username', USER, '--password-stdin', registry.host], { env });
      login.stdin?.end(PASSWORD);
      await new Promise<void>((resolve, reject) => login.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker login exited ${code}`)))));
      const client = new RegistryClient(registry.host, { credentials: () => credentialsFor(registry.host, env) });
      assert.deepEqual((await client.catalog()).items, ['team/shared']);
      client.dispose();
    });

    it('with a credential helper, Berth and the CLI both go through it (store, get, erase)', async () => {
      const helper = await createTestHelper();
      const dir = tempDir('berth-dockercfg-');
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ credsStore: 'berthtest' }));
      const env = { ...process.env, DOCKER_CONFIG: dir, PATH: helper.path() };
      try {
        await logIn(registry.host, USER, PASSWORD, env);
        assert.ok(!fs.readFileSync(path.join(dir, 'config.json'), 'utf8').includes(Buffer.from(`${USER}:${PASSWORD}`).toString('base64')));
        await run('docker', ['pull', ref], { env });
        await run('docker', ['rmi', ref], { env });
        await logOut(registry.host, env);
        const actions = await helper.actions();
        assert.equal(actions[0], `store ${registry.host}`);
        assert.ok(actions.includes(`get ${registry.host}`), actions.join(', '));
        assert.equal(actions.at(-1), `erase ${registry.host}`);
        assert.deepEqual(await helper.store(), {});
      } finally {
        await helper.remove();
      }
    });
  });
});
