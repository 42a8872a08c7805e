import { strict as assert } from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listEngineChoices } from '../../src/engine/engineChoices';

describe('engine choices', () => {
  it('lists contexts, DOCKER_HOST, the sockets present and the configured engines', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-home-'));
    const meta = (name: string, host: string) => {
      const dir = path.join(home, '.docker', 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: host } } }));
    };
    meta('colima', `unix://${home}/.colima/default/docker.sock`);
    meta('remote', 'tcp://10.0.0.5:2376');
    const present = new Set([`${home}/.colima/default/docker.sock`, '/run/user/1000/podman/podman.sock']);
    const choices = listEngineChoices({
      env: { DOCKER_HOST: 'tcp://127.0.0.1:2375', XDG_RUNTIME_DIR: '/run/user/1000' },
      homeDir: home,
      exists: (p) => present.has(p),
      configured: [
        { name: 'Build box', url: 'ssh://me@build' },
        { name: 'Broken', url: 'ftp://nope' },
      ],
    });
    const byId = new Map(choices.map((c) => [c.id, c]));
    assert.equal(byId.get('context:colima')?.endpoint?.url, `unix://${home}/.colima/default/docker.sock`);
    assert.equal(byId.get('context:remote')?.endpoint?.url, 'tcp://10.0.0.5:2376');
    assert.equal(byId.get('DOCKER_HOST:tcp://127.0.0.1:2375')?.kind, 'DOCKER_HOST');
    assert.equal(byId.get(`unix://${home}/.colima/default/docker.sock`)?.name, 'Colima');
    assert.equal(byId.get('unix:///run/user/1000/podman/podman.sock')?.name, 'Podman (rootless)');
    assert.ok(!byId.has('unix:///var/run/docker.sock'), 'absent sockets are not offered');
    assert.equal(byId.get('configured:Build box')?.endpoint?.kind, 'ssh');
    assert.match(byId.get('configured:Broken')?.problem ?? '', /ftp/);
    fs.rmSync(home, { recursive: true, force: true });
  });
});

describe('ssh forwarding', () => {
  it('passes the target as arguments after --, never through a shell', async () => {
    const { sshArgs } = await import('../../src/engine/sshTunnel');
    const args = sshArgs({ host: 'build; rm -rf /', port: 2222, username: 'ada', args: ['-i', '/k'] }, '/tmp/x.sock');
    assert.deepEqual(args.slice(-2), ['--', 'ada@build; rm -rf /'], 'a hostile host stays one argument');
    assert.ok(args.includes('BatchMode=yes'), 'no prompt can hang it');
    assert.deepEqual(args.slice(args.indexOf('-L'), args.indexOf('-L') + 2), ['-L', '/tmp/x.sock:/var/run/docker.sock']);
  });

  it('turns what ssh says into what to do', async () => {
    const { sshFailure } = await import('../../src/engine/sshTunnel');
    assert.match(sshFailure('me@h', 'Host key verification failed.\n').message, /run "ssh me@h" once in a terminal/);
    assert.equal(sshFailure('me@h', 'me@h: Permission denied (publickey).').code, 'ssh');
    assert.equal(sshFailure('me@h', 'ssh: Could not resolve hostname h: Name or service not known').code, 'not-found');
  });
});
