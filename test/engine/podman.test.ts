import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { EngineSession } from '../../src/model/engineSession';
import { startPodman, type PodmanService } from '../support/podman';
import { TEST_LABEL } from '../support/testEngine';
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
    const session = new EngineSession({ resolve: () => resolveEndpoint({ setting: `unix://${service.socket}`, env: {} }), createClient: createEngineClient });
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
      await waitFor('the event stream', () => session.streaming || undefined, 3000);
      service.podman('volume', 'create', '--label', `${TEST_LABEL}=1`, 'berth-test-podman-vol');
      await waitFor('the volume from its event', () => session.volumes.get('berth-test-podman-vol') || undefined, 5000);
    } finally {
      session.dispose();
    }
  });
});
