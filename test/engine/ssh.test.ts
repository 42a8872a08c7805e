import { strict as assert } from 'assert';
import * as fs from 'fs';
import { listEngineChoices } from '../../src/engine/engineChoices';
import { createEngineClient } from '../../src/engine/index';
import type { Endpoint } from '../../src/contract/endpoint';
import { EngineSession } from '../../src/session/engineSession';
import { useTestEngine } from '../support/engineHooks';
import { startSshd, type Sshd } from '../support/sshd';
import { createIdleContainer } from '../support/testEngine';
import { waitFor } from '../support/wait';

describe('engines over SSH (a local sshd, the system ssh)', function () {
  this.timeout(60_000);
  const t = useTestEngine();
  let sshd: Sshd;

  before(async () => (sshd = await startSshd()));
  after(async () => sshd?.stop());

  const endpoint = (knownHosts: string): Endpoint => {
    const [choice] = listEngineChoices({
      env: {},
      homeDir: '/nonexistent',
      exists: () => false,
      configured: [{ name: 'over ssh', url: `ssh://${sshd.user}@127.0.0.1:${sshd.port}`, sshArgs: ['-i', sshd.keyFile, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${knownHosts}`] }],
    });
    assert.ok(choice.endpoint, choice.problem);
    return choice.endpoint;
  };

  it('reaches the engine through ssh, lists and follows it, and closes the forward on dispose', async () => {
    const session = new EngineSession({ resolve: () => endpoint(sshd.knownHosts), createClient: createEngineClient, pingTimeoutMs: 5000 });
    session.setLive(true);
    let forward: string | undefined;
    try {
      await session.connect();
      assert.equal(session.status.state, 'ready', session.status.error?.message);
      forward = fs.readdirSync('/tmp').find((d) => d.startsWith('berth-ssh-') && fs.existsSync(`/tmp/${d}/docker.sock`));
      assert.ok(forward, 'a local forward socket');
      const c = await createIdleContainer(t.docker);
      await waitFor('the container through the ssh event stream', () => session.containers.get(c.id)?.state === 'running' || undefined);
    } finally {
      session.dispose();
    }
    await waitFor('the forward closed', () => (!fs.existsSync(`/tmp/${forward}`) ? true : undefined));
  });

  it('says clearly, without hanging, when the host key is not known', async () => {
    const client = createEngineClient(endpoint(sshd.emptyKnownHosts));
    const started = Date.now();
    // ssh's own refusal, not the ping's timeout (which would say 'timeout'): BatchMode fails at once.
    await assert.rejects(client.ping(30_000), (e: Error & { code?: string; ssh?: { reason: string } }) => e.code === 'ssh' && e.ssh?.reason === 'unknownHost' && /host key of .* is not known yet/.test(e.message));
    assert.ok(Date.now() - started < 20_000, `no hang: ${Date.now() - started} ms`);
    client.dispose();
  });
});
