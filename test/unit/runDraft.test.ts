import { strict as assert } from 'assert';
import { bindAddress, parsePorts, withBindAddress } from '../../src/model/ports';
import { applyOptions, draftToRequest, newDraft, type RequestChecks } from '../../src/model/runDraft';

const checks = (over: Partial<RequestChecks> = {}): RequestChecks => ({
  taken: new Set(['web']),
  base: '/work',
  bindings: async (text) => withBindAddress(parsePorts(text) as never[], bindAddress(false)),
  mountRefusal: () => undefined,
  problemText: (p) => `${p.problem}: ${'part' in p ? p.part : ''}`,
  ...over,
});

describe('run draft to engine request', () => {
  it('binds to loopback unless every interface is asked for, keeping an address the user typed', () => {
    assert.equal(bindAddress(false), '127.0.0.1');
    assert.equal(bindAddress(true), '0.0.0.0');
    assert.deepEqual(withBindAddress([{ containerPort: 80, protocol: 'tcp', hostPort: 8080 }, { containerPort: 53, protocol: 'udp', hostIp: '::1' }], '127.0.0.1'), [
      { containerPort: 80, protocol: 'tcp', hostPort: 8080, hostIp: '127.0.0.1' },
      { containerPort: 53, protocol: 'udp', hostIp: '::1' },
    ]);
  });

  it('makes a request from a draft: free name, ports with their address, env, mounts, restart, command', async () => {
    const d = newDraft('registry:5000/team/web', new Set(['web']), '8080:80', { env: ['A=1'] });
    assert.equal(d.name, 'web-2');
    d.volumes = ['data:/data', './src:/src:ro'];
    d.restart = 'on-failure:3';
    d.command = `sh -c 'echo hi'`;
    const { req, ignoredPorts } = await draftToRequest('registry:5000/team/web:1', d, checks());
    assert.deepEqual(ignoredPorts, []);
    assert.deepEqual(req, {
      image: 'registry:5000/team/web:1',
      name: 'web-2',
      ports: [{ containerPort: 80, protocol: 'tcp', hostPort: 8080, hostIp: '127.0.0.1' }],
      env: ['A=1'],
      mounts: [
        { type: 'volume', source: 'data', target: '/data', readOnly: false },
        { type: 'bind', source: '/work/src', target: '/src', readOnly: true },
      ],
      network: 'bridge',
      restart: { name: 'on-failure', maximumRetryCount: 3 },
      command: ['sh', '-c', 'echo hi'],
      interactive: false,
      autoRemove: false,
      labels: undefined,
    });
  });

  it('sends no ports with host networking and says which were ignored', async () => {
    const d = { ...newDraft('app', new Set(), '8080:80'), network: 'host' };
    const { req, ignoredPorts } = await draftToRequest('app', d, checks());
    assert.deepEqual(req.ports, []);
    assert.deepEqual(ignoredPorts, [{ containerPort: 80, protocol: 'tcp', hostPort: 8080, hostIp: '127.0.0.1' }]);
  });

  it('throws the first problem in words, and a mount the UI refuses', async () => {
    await assert.rejects(draftToRequest('web', { ...newDraft('web', new Set(), ''), name: 'web' }, checks()), /nameTaken: web/);
    await assert.rejects(draftToRequest('web', { ...newDraft('x', new Set(), ''), command: 'a | b' }, checks()), /command: \|/);
    await assert.rejects(
      draftToRequest('web', { ...newDraft('x', new Set(), ''), volumes: ['/nope:/data'] }, checks({ mountRefusal: (_t, m) => `no ${m.source}` })),
      /no \/nope/,
    );
  });

  it("applies a script's options over the draft without blanking what it leaves out", () => {
    const d = newDraft('web', new Set(), '8080:80', { env: ['KEPT=1'], restart: 'always' });
    const out = applyOptions(d, { name: 'x', network: undefined, envFile: 'f.env' }, ['FROM_FILE=1']);
    assert.equal(out.name, 'x');
    assert.equal(out.network, 'bridge');
    assert.equal(out.restart, 'always');
    assert.equal(out.ports, '8080:80');
    assert.deepEqual(out.env, ['FROM_FILE=1'], 'an env file replaces the remembered environment, as before');
    assert.equal('envFile' in out, false);
  });
});
