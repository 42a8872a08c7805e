import { strict as assert } from 'assert';
import { createHash } from 'crypto';
import * as path from 'path';
import { parseHost, resolveEndpoint, EndpointError } from '../../src/engine/endpoint';

const home = '/home/ada';
function files(map: Record<string, string>) {
  return { readFile: (p: string) => map[p], exists: (p: string) => p in map };
}
function metaPath(name: string, configDir = path.join(home, '.docker')) {
  return path.join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'), 'meta.json');
}
const remoteMeta = JSON.stringify({ Name: 'remote', Endpoints: { docker: { Host: 'tcp://build.example:2376', SkipTLSVerify: false } } });

describe('endpoint resolution', () => {
  it('prefers the berth.engine.host setting over everything else', () => {
    const e = resolveEndpoint({ setting: 'unix:///run/user/1000/docker.sock', env: { DOCKER_HOST: 'tcp://x:1', DOCKER_CONTEXT: 'remote' }, homeDir: home, ...files({}) });
    assert.equal(e.kind, 'unix');
    assert.equal(e.source, 'setting');
    assert.equal(e.kind === 'unix' && e.socketPath, '/run/user/1000/docker.sock');
  });

  it('uses DOCKER_HOST before any context', () => {
    const e = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2375', DOCKER_CONTEXT: 'remote' }, homeDir: home, ...files({}) });
    assert.deepEqual([e.kind, e.source, e.kind === 'tcp' && e.host, e.kind === 'tcp' && e.port], ['tcp', 'DOCKER_HOST', '10.0.0.5', 2375]);
  });

  it('adds TLS files from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', () => {
    const e = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, homeDir: home, ...files({}) });
    assert.equal(e.kind, 'tcp');
    if (e.kind !== 'tcp') return;
    assert.deepEqual(e.tls, { dir: '/certs', ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem', verify: true });
  });

  it('defaults the TLS port to 2376 and the plain port to 2375', () => {
    const tls = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1' }, homeDir: home, ...files({}) });
    const plain = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://h' }, homeDir: home, ...files({}) });
    assert.equal(tls.kind === 'tcp' && tls.port, 2376);
    assert.equal(plain.kind === 'tcp' && plain.port, 2375);
  });

  it('reads DOCKER_CONTEXT and finds its meta.json by the sha256 of its name', () => {
    const e = resolveEndpoint({ env: { DOCKER_CONTEXT: 'remote' }, homeDir: home, ...files({ [metaPath('remote')]: remoteMeta }) });
    assert.deepEqual([e.kind, e.source, e.contextName, e.url], ['tcp', 'context', 'remote', 'tcp://build.example:2376']);
  });

  it('reads currentContext from config.json, honouring DOCKER_CONFIG', () => {
    const cfg = '/etc/dockercfg';
    const e = resolveEndpoint({
      env: { DOCKER_CONFIG: cfg },
      homeDir: home,
      ...files({ [path.join(cfg, 'config.json')]: JSON.stringify({ currentContext: 'remote' }), [metaPath('remote', cfg)]: remoteMeta }),
    });
    assert.equal(e.contextName, 'remote');
  });

  it('picks up a context\'s TLS folder', () => {
    const digest = createHash('sha256').update('remote').digest('hex');
    const tlsDir = path.join(home, '.docker', 'contexts', 'tls', digest, 'docker');
    const e = resolveEndpoint({
      env: { DOCKER_CONTEXT: 'remote' },
      homeDir: home,
      ...files({ [metaPath('remote')]: remoteMeta, [tlsDir]: '', [path.join(tlsDir, 'ca.pem')]: 'x', [path.join(tlsDir, 'cert.pem')]: 'x', [path.join(tlsDir, 'key.pem')]: 'x' }),
    });
    assert.equal(e.kind === 'tcp' && e.tls?.ca, path.join(tlsDir, 'ca.pem'));
    assert.equal(e.kind === 'tcp' && e.tls?.verify, true);
  });

  it('treats the "default" context as no context', () => {
    const e = resolveEndpoint({ env: { DOCKER_CONTEXT: 'default' }, homeDir: home, platform: 'linux', ...files({}) });
    assert.equal(e.source, 'default');
  });

  it('explains a selected context that does not exist', () => {
    assert.throws(() => resolveEndpoint({ env: { DOCKER_CONTEXT: 'ghost' }, homeDir: home, ...files({}) }), (err: Error) => err instanceof EndpointError && /ghost/.test(err.message) && /meta\.json/.test(err.message));
  });

  it('falls back to /var/run/docker.sock, or to Docker Desktop\'s socket when only that exists', () => {
    const none = resolveEndpoint({ env: {}, homeDir: home, platform: 'linux', ...files({}) });
    assert.equal(none.kind === 'unix' && none.socketPath, '/var/run/docker.sock');
    const desktop = path.join(home, '.docker', 'run', 'docker.sock');
    const d = resolveEndpoint({ env: {}, homeDir: home, platform: 'darwin', ...files({ [desktop]: '' }) });
    assert.equal(d.kind === 'unix' && d.socketPath, desktop);
  });

  it('uses the named pipe on Windows', () => {
    const e = resolveEndpoint({ env: {}, homeDir: home, platform: 'win32', ...files({}) });
    assert.equal(e.kind, 'npipe');
  });
});

describe('parseHost', () => {
  it('parses ssh URLs with user and port', () => {
    const e = parseHost('ssh://ada@builder:2222', 'setting');
    assert.deepEqual([e.kind, e.kind === 'ssh' && e.username, e.kind === 'ssh' && e.host, e.kind === 'ssh' && e.port], ['ssh', 'ada', 'builder', 2222]);
  });
  it('accepts a bare socket path', () => {
    const e = parseHost('/tmp/d.sock', 'setting');
    assert.equal(e.url, 'unix:///tmp/d.sock');
  });
  it('names an unsupported scheme', () => {
    assert.throws(() => parseHost('ftp://x', 'setting'), /unsupported scheme "ftp:\/\/"/);
    assert.throws(() => parseHost('docker.sock', 'setting'), /unsupported docker host "docker.sock"/);
  });
  it('carries each problem as data, so the UI can say it in the user language', () => {
    const problem = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as EndpointError).problem;
      }
      return undefined;
    };
    assert.deepEqual(problem(() => parseHost('ftp://x', 'setting')), { kind: 'scheme', scheme: 'ftp', value: 'ftp://x', source: 'setting' });
    assert.deepEqual(problem(() => parseHost('docker.sock', 'DOCKER_HOST')), { kind: 'unsupported', value: 'docker.sock', source: 'DOCKER_HOST' });
    assert.deepEqual(problem(() => parseHost('unix://', 'setting')), { kind: 'noSocketPath', value: 'unix://', source: 'setting' });
    // Node's own "Invalid URL" is not shown: a host it cannot parse is an unsupported address.
    assert.deepEqual(problem(() => parseHost('tcp://[oops', 'setting')), { kind: 'unsupported', value: 'tcp://[oops', source: 'setting' });
  });
  it('parses npipe URLs', () => {
    const e = parseHost('npipe:////./pipe/docker_engine', 'DOCKER_HOST');
    assert.equal(e.kind === 'npipe' && e.socketPath, '\\\\.\\pipe\\docker_engine');
  });
});
