import { strict as assert } from 'assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configuredRegistries, credentialsFor, CredentialHelperError, DOCKER_HUB_SERVER, eraseCredentials, storeCredentials } from '../../src/model/registryCredentials';
import { createTestHelper, type TestHelper } from '../support/credentialHelper';

describe('registry credentials shared with the docker CLI', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let helper: TestHelper;
  const write = (config: unknown) => fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
  const read = async () => JSON.parse(await fs.readFile(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-dockercfg-'));
    helper = await createTestHelper();
    env = { ...process.env, DOCKER_CONFIG: dir, PATH: helper.path() };
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await helper.remove();
  });

  it('reads base64 auths by host, with or without a scheme in the key, and identity tokens', async () => {
    await write({
      auths: {
        '127.0.0.1:5000': { auth: Buffer.from('alice:s3cr:et').toString('base64') },
        'https://registry.example.com/v1/': { auth: Buffer.from('bob:pw').toString('base64') },
        'token.example.com': { identitytoken: 'refresh-abc' },
      },
      HttpHeaders: { 'User-Agent': 'x' },
    });
    assert.deepEqual(await credentialsFor('127.0.0.1:5000', env), { serveraddress: '127.0.0.1:5000', username: 'alice', password: 's3cr:et', identitytoken: undefined });
    assert.equal((await credentialsFor('registry.example.com', env))?.username, 'bob');
    assert.equal((await credentialsFor('token.example.com', env))?.identitytoken, 'refresh-abc');
    assert.equal(await credentialsFor('other.example.com', env), undefined);
  });

  it('knows Docker Hub by its CLI key whatever name the image uses', async () => {
    await write({ auths: { [DOCKER_HUB_SERVER]: { auth: Buffer.from('hubuser:hubpw').toString('base64') } } });
    for (const name of ['docker.io', 'index.docker.io', 'registry-1.docker.io']) assert.equal((await credentialsFor(name, env))?.username, 'hubuser', name);
    assert.deepEqual(await configuredRegistries(env), ['docker.io']);
  });

  it('answers undefined without a config file, and writes one readable by its owner only', async () => {
    assert.equal(await credentialsFor('127.0.0.1:5000', env), undefined);
    await storeCredentials({ serveraddress: '127.0.0.1:5000', username: 'u', password: 'p' }, env);
    const stat = await fs.stat(path.join(dir, 'config.json'));
    assert.equal(stat.mode & 0o777, 0o600);
    assert.deepEqual(await read(), { auths: { '127.0.0.1:5000': { auth: Buffer.from('u:p').toString('base64') } } });
  });

  it('stores in auths keeping the rest of the file, and erases only that entry', async () => {
    await write({ auths: { 'a.example.com': { auth: 'eDp5' } }, psFormat: 'table {{.ID}}', proxies: { default: { httpProxy: 'http://p' } } });
    await storeCredentials({ serveraddress: 'b.example.com', username: 'bob', password: 'pw' }, env);
    let config = await read();
    assert.equal(config.psFormat, 'table {{.ID}}');
    assert.deepEqual(config.proxies, { default: { httpProxy: 'http://p' } });
    assert.deepEqual(Object.keys(config.auths as object).sort(), ['a.example.com', 'b.example.com']);
    assert.equal(await eraseCredentials('b.example.com', env), true);
    config = await read();
    assert.deepEqual(Object.keys(config.auths as object), ['a.example.com']);
    assert.equal(config.psFormat, 'table {{.ID}}');
    assert.equal(await eraseCredentials('b.example.com', env), false);
  });

  it('uses credsStore for get, store and erase, leaving only an empty auths entry in the file', async () => {
    await write({ credsStore: 'berthtest' });
    await storeCredentials({ serveraddress: '127.0.0.1:5001', username: 'carol', password: 'pa ss' }, env);
    assert.deepEqual(await helper.store(), { '127.0.0.1:5001': { Username: 'carol', Secret: 'pa ss' } });
    const config = await read();
    assert.deepEqual(config.auths, { '127.0.0.1:5001': {} });
    assert.ok(!JSON.stringify(config).includes('pa ss'));
    assert.deepEqual(await credentialsFor('127.0.0.1:5001', env), { serveraddress: '127.0.0.1:5001', username: 'carol', password: 'pa ss' });
    assert.equal(await credentialsFor('127.0.0.1:9', env), undefined, 'not found in the helper is no credentials, not an error');
    assert.equal(await eraseCredentials('127.0.0.1:5001', env), true);
    assert.deepEqual(await helper.store(), {});
    assert.deepEqual((await read()).auths, {});
    assert.deepEqual(await helper.actions(), ['store 127.0.0.1:5001', 'get 127.0.0.1:5001', 'get 127.0.0.1:9', 'erase 127.0.0.1:5001']);
  });

  it('uses a credHelpers entry for its registry only, and base64 auths for the others', async () => {
    await write({ credHelpers: { '127.0.0.1:5002': 'berthtest' } });
    await storeCredentials({ serveraddress: '127.0.0.1:5002', username: 'dan', password: 'x' }, env);
    await storeCredentials({ serveraddress: '127.0.0.1:5003', username: 'eve', password: 'y' }, env);
    assert.deepEqual(Object.keys(await helper.store()), ['127.0.0.1:5002']);
    assert.deepEqual(Object.keys((await read()).auths as object), ['127.0.0.1:5003']);
    assert.equal((await credentialsFor('127.0.0.1:5002', env))?.username, 'dan');
    assert.equal((await credentialsFor('127.0.0.1:5003', env))?.username, 'eve');
    assert.deepEqual((await configuredRegistries(env)).sort(), ['127.0.0.1:5002', '127.0.0.1:5003']);
  });

  it('reads an identity token a helper stores under <token>, and stores one the same way', async () => {
    await write({ credsStore: 'berthtest' });
    await storeCredentials({ serveraddress: 'token.example.com', identitytoken: 'rt-1' }, env);
    assert.deepEqual(await helper.store(), { 'token.example.com': { Username: '<token>', Secret: 'rt-1' } });
    assert.deepEqual(await credentialsFor('token.example.com', env), { serveraddress: 'token.example.com', identitytoken: 'rt-1' });
  });

  it('says which helper is missing, and never quotes a broken file back', async () => {
    await write({ credsStore: 'doesnotexist' });
    await assert.rejects(credentialsFor('127.0.0.1:5000', env), (err: Error) => err instanceof CredentialHelperError && /docker-credential-doesnotexist was not found on PATH/.test(err.message));
    // A helper name is looked up on PATH only: one with a path in it runs nothing.
    await write({ credsStore: '../../tmp/evil' });
    await assert.rejects(credentialsFor('127.0.0.1:5000', env), (err: Error) => err instanceof CredentialHelperError && err.reason === 'missing');
    await fs.writeFile(path.join(dir, 'config.json'), '{"auths": {"h": {"auth": "c2VjcmV0"}');
    await assert.rejects(credentialsFor('h', env), (err: Error) => /is not valid JSON/.test(err.message) && !err.message.includes('c2VjcmV0'));
  });
});
