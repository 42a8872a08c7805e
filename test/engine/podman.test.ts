import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { EngineSession } from '../../src/session/engineSession';
import { startPodman, type PodmanService } from '../support/podman';
import { testDocker, TEST_LABEL } from '../support/testEngine';
import { waitFor } from '../support/wait';

describe('Podman through its Docker-compatible API', function () {
  this.timeout(90_000);
  let service: PodmanService;

  before(async () => {
    service = await startPodman();
    // An image made without running anything (running containers fails under Podman in this VM).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-podman-img-'));
    fs.copyFileSync(fs.existsSync('/bin/busybox') ? '/bin/busybox' : '/usr/bin/busybox', path.join(dir, 'busybox'));
    execFileSync('tar', ['-C', dir, '-cf', path.join(dir, 'rootfs.tar'), 'busybox']);
    service.podman('import', '--change', `LABEL ${TEST_LABEL}=1`, path.join(dir, 'rootfs.tar'), 'berth-test/podman:1');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  after(async () => service?.stop());

  it('is detected as Podman, lists its images and volumes, and follows its events', async () => {
    // Podman's service answers its first requests slowly on a loaded machine: a generous ping.
    const session = new EngineSession({ resolve: () => resolveEndpoint({ setting: `unix://${service.socket}`, env: {} }), createClient: createEngineClient, pingTimeoutMs: 15_000 });
    session.setLive(true);
    try {
      await session.connect();
      assert.equal(session.status.state, 'ready', session.status.error?.message);
      assert.equal(session.status.version?.product, 'Podman Engine');
      assert.ok(
        session.images.all().some((i) => i.repoTags.includes('localhost/berth-test/podman:1')),
        'the imported image is listed',
      );
      const image = await session.requireClient().inspect('image', 'localhost/berth-test/podman:1');
      assert.equal((image as { Config?: { Labels?: Record<string, string> } }).Config?.Labels?.[TEST_LABEL], '1');
      await waitFor('the event stream', () => session.streaming || undefined);
      service.podman('volume', 'create', '--label', `${TEST_LABEL}=1`, 'berth-test-podman-vol');
      await waitFor('the volume from its event', () => session.volumes.get('berth-test-podman-vol') || undefined);
    } finally {
      session.dispose();
    }
  });

  it('lists and inspects a Podman container, reads its logs, and reports a failed run clearly, leaving nothing', async () => {
    const podman = testDocker(service.socket);
    const created = await podman.createContainer({ name: 'berth-test-podman-c', Image: 'localhost/berth-test/podman:1', Cmd: ['/busybox', 'true'], Labels: { [TEST_LABEL]: '1' } });
    const client = createEngineClient(resolveEndpoint({ setting: `unix://${service.socket}`, env: {} }));
    try {
      await client.ping(15_000);
      const listed = (await client.listContainers()).find((c) => c.id === created.id);
      assert.equal(listed?.name, 'berth-test-podman-c');
      // Times aside: inspect knows them exactly (timeError 0), a list only from its status text.
      const times = { startedAt: 0, finishedAt: 0, timeError: 0 };
      assert.deepEqual({ ...(await client.container(created.id)), ...times }, { ...listed, ...times }, 'inspect agrees with the list');
      const state = await client.containerState(created.id);
      assert.equal(state?.running, false);
      const logs = await client.logs(created.id, { follow: false, timestamps: false });
      const bytes = await new Promise<number>((resolve, reject) => {
        let n = 0;
        logs.on('data', (d: Buffer) => (n += d.length));
        logs.on('end', () => resolve(n));
        logs.on('error', reject);
      });
      assert.equal(bytes, 0, 'a container that never ran has empty logs, read without error');
      // Starting containers fails under Podman in this VM: Berth must pass the reason on and clean up.
      // Only this test's run is looked for: whatever else the service holds is not its business.
      const leftovers = async () => podman.listContainers({ all: true, filters: JSON.stringify({ name: ['berth-test-podman-run'] }) });
      assert.deepEqual(await leftovers(), []);
      await client
        .run({ image: 'localhost/berth-test/podman:1', name: 'berth-test-podman-run', command: ['/busybox', 'true'], ports: [], env: [], mounts: [], labels: { [TEST_LABEL]: '1' } })
        .then(
          (id) => (console.log('      the run started under Podman here'), podman.getContainer(id).remove({ force: true })),
          (err: Error) => {
            console.log(`      Podman refused the run: ${err.message.slice(0, 120)}`);
            assert.match(err.message, /\w+ \w+/, 'the engine’s words');
          },
        );
      assert.deepEqual(await leftovers(), [], 'nothing left behind');
    } finally {
      client.dispose();
      await created.remove({ force: true }).catch(() => undefined);
    }
  });
});
