import { strict as assert } from 'assert';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { EngineSession } from '../../src/session/engineSession';
import { planImageRemoval } from '../../src/model/usage';
import { useEngineClient, useTestEngine } from '../support/engineHooks';
import { BASE_IMAGE, buildImage, TEST_LABEL, uniqueName } from '../support/testEngine';
import { timeUntil as waitFor } from '../support/wait';

const socket = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';
const labels = { [TEST_LABEL]: '1' };

describe('volumes, networks, image removal and prunes', () => {
  const t = useTestEngine();
  const berth = useEngineClient();
  let session: EngineSession;

  before(async () => {
    session = new EngineSession({ resolve: () => resolveEndpoint({ setting: `unix://${socket}`, env: {} }), createClient: createEngineClient });
    session.setLive(true);
    await session.connect();
  });
  after(() => session.dispose());

  it('lists volumes and networks, and which containers use them, the same from list and inspect', async () => {
    const volume = uniqueName('berth-test-vol');
    const network = await t.docker.createNetwork({ Name: uniqueName('berth-test-net'), Labels: labels });
    await t.docker.createVolume({ Name: volume, Labels: labels });
    const c = await t.docker.createContainer({
      name: uniqueName('berth-test-user'),
      Image: BASE_IMAGE,
      Cmd: ['sleep', '3600'],
      Labels: labels,
      HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }], NetworkMode: network.id },
    });
    await c.start();
    const v = (await berth.client.listVolumes()).find((x) => x.id === volume);
    assert.equal(v?.driver, 'local');
    assert.ok(v?.created && Math.abs(v.created - Date.now() / 1000) < 60, 'created is parsed');
    const n = (await berth.client.listNetworks()).find((x) => x.id === network.id);
    assert.equal(n?.driver, 'bridge');
    const listed = (await berth.client.listContainers()).find((x) => x.id === c.id);
    assert.deepEqual(listed?.volumes, [volume]);
    assert.deepEqual(listed?.networks, [network.id]);
    // A list tells times only within its text's bucket (timeError); inspect tells them exactly.
    const inspected = await berth.client.container(c.id);
    const untimed = (r: object | undefined) => r && { ...r, startedAt: undefined, finishedAt: undefined, timeError: undefined, status: undefined };
    assert.deepEqual(untimed(inspected), untimed(listed), 'inspect gives the same record as the list, times aside');
    assert.ok(inspected?.startedAt !== undefined && listed?.startedAt !== undefined && Math.abs(inspected.startedAt - listed.startedAt) <= (listed.timeError ?? 0) + 1000, 'the listed start is within its stated error (plus the clock between the two requests)');
    assert.ok((await berth.client.listNetworks()).some((x) => x.name === 'bridge'), 'built-in networks are listed');
  });

  it('follows volume and network events, and a connect updates the container', async () => {
    const volume = uniqueName('berth-test-vol');
    await t.docker.createVolume({ Name: volume, Labels: labels });
    await waitFor('volume created', () => !!session.volumes.get(volume));
    const network = await t.docker.createNetwork({ Name: uniqueName('berth-test-net'), Labels: labels });
    await waitFor('network created', () => session.networks.get(network.id)?.labels[TEST_LABEL] === '1');
    const c = await t.docker.createContainer({ name: uniqueName('berth-test-idle'), Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: labels });
    await c.start();
    await network.connect({ Container: c.id });
    await waitFor('container connected', () => !!session.containers.get(c.id)?.networks.includes(network.id));
    await network.disconnect({ Container: c.id, Force: true });
    await waitFor('container disconnected', () => !session.containers.get(c.id)?.networks.includes(network.id));
    await network.remove();
    await t.docker.getVolume(volume).remove();
    await waitFor('both gone', () => !session.networks.get(network.id) && !session.volumes.get(volume));
  });

  it('refuses to remove an image a container uses, and says which container', async () => {
    const tag = `berth-test/inuse:${uniqueName('t')}`;
    const id = await buildImage(t.docker, `FROM ${BASE_IMAGE}\nRUN echo in-use > /a\n`, tag);
    const name = uniqueName('berth-test-holder');
    const c = await t.docker.createContainer({ name, Image: tag, Cmd: ['true'], Labels: labels });
    await waitFor('container and image in the store', () => !!session.containers.get(c.id) && !!session.images.get(id));
    const image = session.images.get(id);
    assert.ok(image);
    const plan = planImageRemoval(image, tag, session.containers.all());
    assert.deepEqual(
      plan.stopped.map((x) => x.name),
      [name],
    );
    // The engine itself refuses, so Berth's check is not the only guard.
    await assert.rejects(berth.client.removeImage(id), /conflict|being used|is using/i);
    // Removing the stopped holder first, as Berth offers, lets the image go.
    await berth.client.removeContainer(c.id, false);
    await berth.client.removeImage(plan.ref);
    await waitFor('image gone', () => !session.images.get(id));
  });

  it('prunes only labelled dangling images, unused volumes and networks, and reports what went', async () => {
    const dangling = await buildImage(t.docker, `FROM ${BASE_IMAGE}\nRUN echo ${uniqueName('x')} > /a\n`, undefined);
    const unused = uniqueName('berth-test-vol');
    const used = uniqueName('berth-test-vol');
    await t.docker.createVolume({ Name: unused, Labels: labels });
    await t.docker.createVolume({ Name: used, Labels: labels });
    await t.docker.createContainer({ name: uniqueName('berth-test-vuser'), Image: BASE_IMAGE, Cmd: ['true'], Labels: labels, HostConfig: { Mounts: [{ Type: 'volume', Source: used, Target: '/d' }] } });
    const net = await t.docker.createNetwork({ Name: uniqueName('berth-test-net'), Labels: labels });

    const images = await berth.client.pruneImages({ label: TEST_LABEL });
    assert.ok(images.removed.includes(dangling), `pruned ${images.removed.join(', ')}`);
    assert.ok(images.spaceReclaimed > 0, 'reports the space reclaimed');
    assert.ok(await berth.client.image(BASE_IMAGE), 'tagged images stay');

    const volumes = await berth.client.pruneVolumes({ label: TEST_LABEL });
    assert.ok(volumes.removed.includes(unused), 'the unused named volume went');
    assert.ok(!volumes.removed.includes(used), 'the used one stayed');

    const networks = await berth.client.pruneNetworks({ label: TEST_LABEL });
    assert.ok(networks.removed.includes(net.id) || networks.removed.some((n) => n.startsWith('berth-test-net')), `pruned ${networks.removed.join(', ')}`);
  });
});
