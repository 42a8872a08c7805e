import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { formatPort } from '../../src/model/format';
import { buildImage, BASE_IMAGE, createIdleContainer, startWebContainer, TEST_LABEL, uniqueName } from '../support/testEngine';
import { useTestEngine } from '../support/engineHooks';

const socket = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';

describe('engine layer against a real engine', () => {
  const t = useTestEngine();
  const client = () => createEngineClient(resolveEndpoint({ setting: `unix://${socket}`, env: {} }));

  it('pings and reports the engine version', async () => {
    const v = await client().ping(3000);
    assert.match(v.version, /^\d+\.\d+/);
    assert.match(v.apiVersion, /^1\.\d+$/);
    assert.ok(v.product.length > 0);
  });

  it('lists a running container with its name, image, state and 127.0.0.1 port', async () => {
    const web = await startWebContainer(t.docker);
    const info = await web.inspect();
    const hostPort = Number(info.NetworkSettings.Ports['80/tcp']![0].HostPort);
    const list = await client().listContainers();
    const rec = list.find((c) => c.id === info.Id);
    assert.ok(rec, 'the started container is listed');
    assert.equal(rec.name, info.Name.replace(/^\//, ''));
    assert.equal(rec.image, BASE_IMAGE);
    assert.equal(rec.state, 'running');
    assert.match(rec.status, /^Up /);
    assert.equal(rec.labels[TEST_LABEL], '1');
    assert.deepEqual(rec.ports.map(formatPort), [`127.0.0.1:${hostPort} → 80/tcp`]);
    // The port is a real door: the web server answers through it.
    const body = await (await fetch(`http://127.0.0.1:${hostPort}/`)).text();
    assert.equal(body.trim(), 'berth');
  });

  it('reports exited, paused and created states', async () => {
    const exited = await t.docker.createContainer({ name: uniqueName('berth-test-exit'), Image: BASE_IMAGE, Cmd: ['sh', '-c', 'exit 3'], Labels: { [TEST_LABEL]: '1' } });
    await exited.start();
    await exited.wait();
    const paused = await createIdleContainer(t.docker);
    await paused.pause();
    const created = await createIdleContainer(t.docker, undefined, false);
    const list = await client().listContainers();
    const byId = new Map(list.map((c) => [c.id, c]));
    assert.equal(byId.get(exited.id)?.state, 'exited');
    assert.match(byId.get(exited.id)?.status ?? '', /Exited \(3\)/);
    assert.equal(byId.get(paused.id)?.state, 'paused');
    assert.equal(byId.get(created.id)?.state, 'created');
    await paused.unpause();
  });

  it('gives the same record from inspect (used for events) as from the list', async () => {
    const web = await startWebContainer(t.docker);
    const exited = await t.docker.createContainer({ name: uniqueName('berth-test-exit'), Image: BASE_IMAGE, Cmd: ['sh', '-c', 'exit 4'], Labels: { [TEST_LABEL]: '1' }, ExposedPorts: { '9000/udp': {} } });
    await exited.start();
    await exited.wait();
    const c = client();
    const listed = await c.listContainers();
    for (const id of [web.id, exited.id]) {
      const fromList = listed.find((r) => r.id === id)!;
      const fromInspect = (await c.container(id))!;
      // Times: exact from inspect; read back from the list's status text, within its stated error
      // (plus the second that may pass between the list and the inspect).
      const times = { status: '', startedAt: 0, finishedAt: 0, timeError: 0 };
      assert.deepEqual({ ...fromInspect, ...times }, { ...fromList, ...times });
      assert.equal(fromInspect.timeError, 0);
      assert.ok(fromList.startedAt !== undefined || fromList.finishedAt !== undefined, 'the list tells a time');
      for (const k of ['startedAt', 'finishedAt'] as const) {
        // A list's text tells one of the two times at most; inspect tells both.
        if (fromList[k] !== undefined) assert.ok(Math.abs(fromList[k]! - fromInspect[k]!) <= fromList.timeError! + 1000, `${k}: list ${fromList[k]} ± ${fromList.timeError}, inspect ${fromInspect[k]}`);
      }
      assert.equal(fromInspect.status.replace(/\d+ seconds?|Less than a second/, 'N'), fromList.status.replace(/\d+ seconds?|Less than a second/, 'N'));
    }
    assert.equal(await c.container('0'.repeat(64)), undefined);
  });

  it('lists the test image with its tag and size, and a dangling image with no tag', async () => {
    const tag = `berth-test/dangle:${uniqueName('t')}`;
    const first = await buildImage(t.docker, `FROM ${BASE_IMAGE}\nRUN echo one > /one\n`, tag);
    const second = await buildImage(t.docker, `FROM ${BASE_IMAGE}\nRUN echo two > /two\n`, tag);
    assert.notEqual(first, second);
    const images = await client().listImages();
    const base = images.find((i) => i.repoTags.includes(BASE_IMAGE));
    assert.ok(base, 'base image listed');
    assert.ok(base.size > 500_000, `size ${base.size}`);
    assert.deepEqual(images.find((i) => i.id === first)?.repoTags, [], 'the retagged image is dangling');
    assert.deepEqual(images.find((i) => i.id === second)?.repoTags, [tag]);
  });

  it('reaches the engine through DOCKER_HOST and through a Docker context', async () => {
    const viaEnv = createEngineClient(resolveEndpoint({ env: { DOCKER_HOST: `unix://${socket}` } }));
    assert.equal(viaEnv.endpoint.source, 'DOCKER_HOST');
    await viaEnv.ping(3000);

    const cfg = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ctx-'));
    try {
      const { createHash } = await import('crypto');
      const dir = path.join(cfg, 'contexts', 'meta', createHash('sha256').update('berth-local').digest('hex'));
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ Name: 'berth-local', Endpoints: { docker: { Host: `unix://${socket}` } } }));
      fs.writeFileSync(path.join(cfg, 'config.json'), JSON.stringify({ currentContext: 'berth-local' }));
      const viaContext = createEngineClient(resolveEndpoint({ env: { DOCKER_CONFIG: cfg } }));
      assert.equal(viaContext.endpoint.contextName, 'berth-local');
      const listed = await viaContext.listImages();
      assert.ok(listed.some((i) => i.repoTags.includes(BASE_IMAGE)));
    } finally {
      fs.rmSync(cfg, { recursive: true, force: true });
    }
  });

  it('classifies a missing socket and a socket nobody answers on', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sock-'));
    try {
      const missing = createEngineClient(resolveEndpoint({ setting: `unix://${dir}/none.sock`, env: {} }));
      await assert.rejects(missing.ping(2000), (e: { code: string }) => e.code === 'no-socket');

      // A server that accepts and never answers: the ping must give up, by its own timer, long
      // before the test's. The bound is loose: a loaded machine delays timers, and it is no target.
      const silentPath = path.join(dir, 'silent.sock');
      const held: net.Socket[] = [];
      const silent = net.createServer((s) => held.push(s)).listen(silentPath);
      await new Promise((r) => silent.once('listening', r));
      const started = Date.now();
      const mute = createEngineClient(resolveEndpoint({ setting: `unix://${silentPath}`, env: {} }));
      await assert.rejects(mute.ping(500), (e: { code: string }) => e.code === 'timeout');
      assert.ok(Date.now() - started < 10_000, `gave up after ${Date.now() - started} ms, not when the test timed out`);
      held.forEach((s) => s.destroy());
      silent.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
