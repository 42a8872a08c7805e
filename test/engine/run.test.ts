import { strict as assert } from 'assert';
import * as path from 'path';
import { hostPortFree, portHolderProcess } from '../../src/model/hostPorts';
import { planPorts } from '../../src/model/ports';
import { useEngineClient, useTestEngine } from '../support/engineHooks';
import { freePort, listen } from '../support/ports';
import { BASE_IMAGE, buildImage, startWebContainer, TEST_LABEL, testLabels, uniqueName } from '../support/testEngine';

// This run's labels: a concurrent test run's cleanup leaves these containers alone.
const labels = testLabels();
const HTTPD = ['sh', '-c', 'mkdir -p /www && echo berth-run > /www/index.html && exec httpd -f -p 80 -h /www'];

describe('running containers with published ports', function () {
  this.timeout(60_000);
  const t = useTestEngine();
  const berth = useEngineClient();


  it('sees a port held by a real listening socket, and frees it when the socket closes', async () => {
    const server = await listen();
    assert.equal(await hostPortFree(server.port, 'tcp', '127.0.0.1'), false);
    await new Promise((r) => server.close(r));
    assert.equal(await hostPortFree(server.port, 'tcp', '127.0.0.1'), true);
  });

  it('names the process of this machine that listens on a port, and nobody once it closed', async () => {
    const server = await listen();
    const holder = await portHolderProcess(server.port, 'tcp');
    assert.equal(holder?.pid, process.pid);
    assert.equal(holder?.command, path.basename(process.execPath));
    await new Promise((r) => server.close(r));
    assert.equal(await portHolderProcess(server.port, 'tcp'), undefined);
  });

  it('moves off a host port a real container publishes, and names that container', async () => {
    const web = await startWebContainer(t.docker);
    const info = await web.inspect();
    const taken = Number(info.NetworkSettings.Ports['80/tcp']![0].HostPort);
    const publishedBy = new Map((await berth.client.listContainers()).flatMap((c) => c.ports.filter((p) => p.hostPort).map((p) => [`${p.hostPort}/${p.protocol}`, c.name] as [string, string])));
    const plan = await planPorts({ wanted: [{ containerPort: taken, protocol: 'tcp' }], publishedBy, hostFree: hostPortFree, defaultIp: '127.0.0.1' });
    assert.ok(Array.isArray(plan));
    assert.notEqual(plan[0].hostPort, taken);
    assert.deepEqual(plan[0].moved, { wanted: taken, reason: { kind: 'container', name: info.Name.slice(1) } });
    // And the engine agrees the port is taken: binding it on this machine fails too.
    assert.equal(await hostPortFree(taken, 'tcp', '127.0.0.1'), false);
  });

  it('runs with a port on 127.0.0.1 that answers, and leaves nothing behind when the start fails', async () => {
    const free = await freePort();
    const name = uniqueName('berth-test-run');
    const id = await berth.client.run({ image: BASE_IMAGE, name, command: HTTPD, ports: [{ containerPort: 80, protocol: 'tcp', hostPort: free, hostIp: '127.0.0.1' }], env: ['A=1'], mounts: [], labels });
    const inspect = await t.docker.getContainer(id).inspect();
    assert.deepEqual(inspect.HostConfig.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(free) }] });
    let body = '';
    // Up to 15 s: on a loaded machine httpd can take seconds to answer; a wrong port never does.
    for (let i = 0; i < 150 && !body; i++) {
      body = await fetch(`http://127.0.0.1:${free}/`).then((r) => r.text()).catch(() => '');
      if (!body) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(body.trim(), 'berth-run');

    // The same host port again: the engine refuses to start it, and Berth removes what it created.
    const second = uniqueName('berth-test-clash');
    await assert.rejects(
      berth.client.run({ image: BASE_IMAGE, name: second, command: HTTPD, ports: [{ containerPort: 80, protocol: 'tcp', hostPort: free, hostIp: '127.0.0.1' }], env: [], mounts: [], labels }),
      /already allocated|address already in use/i,
    );
    const left = await t.docker.listContainers({ all: true, filters: JSON.stringify({ name: [second] }) });
    assert.deepEqual(left, [], 'no half-created container');
  });

  it('refuses an image that does not exist, creating nothing', async () => {
    const image = 'berth-test/does-not-exist:nope';
    // The run flow asks for the image's config first, and gets nothing for a missing image.
    assert.equal(await berth.client.imageConfig(image), undefined);
    // Run itself: the engine refuses the create, and nothing with that name is left.
    const name = uniqueName('berth-test-noimage');
    await assert.rejects(berth.client.run({ image, name, command: [], ports: [], env: [], mounts: [], labels }), /no such image|not found|does not exist/i);
    const left = await t.docker.listContainers({ all: true, filters: JSON.stringify({ name: [name] }) });
    assert.deepEqual(left, [], 'no half-created container');
  });

  describe('interactive runs (create, attach, wait, then start)', () => {
    /** Everything the stream carries until it ends. */
    const readAll = (stream: NodeJS.ReadableStream) =>
      new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        stream.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        stream.on('error', reject);
      });

    it('keeps a short command’s output and its exit code when the container is kept', async () => {
      const name = uniqueName('berth-test-echo');
      const run = await berth.client.runAttached({ image: BASE_IMAGE, name, command: ['echo', 'hi', 'kept'], ports: [], env: [], mounts: [], labels });
      // Nobody reads the stream until the container has ended: what it printed must still be there.
      assert.equal(await run.exitCode, 0);
      assert.match(await readAll(run.stream), /hi kept/);
      const info = await t.docker.getContainer(run.id).inspect();
      assert.equal(info.State.Running, false);
      assert.equal(info.Config.Tty, true);
    });

    it('knows the exit code with --rm, after the container is gone', async () => {
      const name = uniqueName('berth-test-rm');
      const run = await berth.client.runAttached({ image: BASE_IMAGE, name, command: ['sh', '-c', 'echo bye now; exit 3'], ports: [], env: [], mounts: [], autoRemove: true, labels });
      assert.equal(await run.exitCode, 3);
      assert.match(await readAll(run.stream), /bye now/);
      await assert.rejects(t.docker.getContainer(run.id).inspect(), /no such container/i, 'removed by the engine');
    });

    it('reads what is typed, and leaves nothing behind when the start fails', async () => {
      const run = await berth.client.runAttached({ image: BASE_IMAGE, name: uniqueName('berth-test-cat'), command: ['sh', '-c', 'read line; echo got-$line; exit 7'], ports: [], env: [], mounts: [], labels });
      const out = readAll(run.stream);
      run.stream.write('typed\r');
      assert.equal(await run.exitCode, 7);
      assert.match(await out, /got-typed/);

      const busy = await listen();
      const clash = uniqueName('berth-test-clash-tty');
      try {
        await assert.rejects(
          berth.client.runAttached({ image: BASE_IMAGE, name: clash, command: ['true'], ports: [{ containerPort: 80, protocol: 'tcp', hostPort: busy.port, hostIp: '127.0.0.1' }], env: [], mounts: [], labels }),
          /already allocated|address already in use/i,
        );
      } finally {
        await new Promise((r) => busy.close(r));
      }
      assert.deepEqual(await t.docker.listContainers({ all: true, filters: JSON.stringify({ name: [clash] }) }), [], 'no half-created container');
    });
  });

  it('makes an anonymous volume for a container path alone (-v /data), labelled like its run', async () => {
    const id = await berth.client.run({ image: BASE_IMAGE, name: uniqueName('berth-test-anon'), command: ['sh', '-c', 'echo x > /data/f && cat /data/f'], ports: [], env: [], mounts: [{ type: 'volume', source: '', target: '/data', readOnly: false }], labels });
    const mount = (await t.docker.getContainer(id).inspect()).Mounts.find((m) => m.Destination === '/data');
    assert.equal(mount?.Type, 'volume');
    assert.match(mount?.Name ?? '', /^[0-9a-f]{64}$/, 'a generated name');
    assert.equal((await t.docker.getVolume(mount!.Name!).inspect()).Labels?.[TEST_LABEL], '1', 'found and cleaned up by the test label');
  });

  describe('publishing a port on an existing container', () => {
    // Writes a stamp into a named and an anonymous volume once, prints both at every start, and serves /.
    const STAMPS = ['sh', '-c', 'for f in /data/f /anon/g; do test -f $f || date +%s%N > $f; done; cat /data/f /anon/g; exec httpd -f -p 80 -h /'];
    const stamps = async (id: string) => {
      for (let i = 0; i < 150; i++) {
        const lines = (await t.docker.getContainer(id).logs({ stdout: true, stderr: true })).toString().split(/\r?\n/).filter(Boolean);
        if (lines.length >= 2) return lines.slice(0, 2);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the container printed no stamps');
    };

    it('recreates it with the port added, its volumes and their data kept, and the port answers', async () => {
      const image = `berth-test/anonvol:${uniqueName('t')}`;
      await buildImage(t.docker, `FROM ${BASE_IMAGE}\nVOLUME /anon\n`, image);
      const volume = uniqueName('berth-test-data');
      await t.docker.createVolume({ Name: volume, Labels: labels });
      const name = uniqueName('berth-test-pub');
      const c = await t.docker.createContainer({ name, Image: image, Cmd: STAMPS, Tty: true, StopTimeout: 1, Labels: labels, HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] } });
      await c.start();
      // The image's anonymous volume is re-attached by name, so removing the container no longer
      // removes it: this test removes it itself.
      const anonymous = (await c.inspect()).Mounts.find((m) => m.Destination === '/anon')?.Name;
      assert.ok(anonymous);
      try {
        await publishAndCheck(c, name);
      } finally {
        for (const x of await t.docker.listContainers({ all: true, filters: JSON.stringify({ name: [name] }) })) await t.docker.getContainer(x.Id).remove({ force: true });
        await t.docker.getVolume(anonymous).remove().catch(() => undefined);
      }
    });

    async function publishAndCheck(c: Awaited<ReturnType<typeof t.docker.createContainer>>, name: string): Promise<void> {
      const before = await stamps(c.id);
      assert.deepEqual((await berth.client.recreateCheck(c.id)).blockers, []);
      const port = await freePort();
      const newId = await berth.client.publishPorts(c.id, [{ containerPort: 80, protocol: 'tcp', hostPort: port, hostIp: '127.0.0.1' }]);
      assert.notEqual(newId, c.id);
      const fresh = await t.docker.getContainer(newId).inspect();
      assert.equal(fresh.Name, `/${name}`);
      assert.equal(fresh.State.Running, true);
      assert.equal(fresh.Config.Labels?.[TEST_LABEL], '1');
      assert.deepEqual(await stamps(newId), before, 'both volumes kept their files');
      let body = '';
      for (let i = 0; i < 150 && !body; i++) {
        body = await fetch(`http://127.0.0.1:${port}/data/f`).then((r) => r.text()).catch(() => '');
        if (!body) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(body.trim(), before[0], 'the new port answers');
      await assert.rejects(c.inspect(), /no such container/i, 'the old container is gone');
    }

    it('restores the original when the recreate fails half-way', async () => {
      const name = uniqueName('berth-test-keep');
      const c = await t.docker.createContainer({ name, Image: BASE_IMAGE, Cmd: ['sleep', '3600'], StopTimeout: 1, Labels: labels });
      await c.start();
      const busy = await listen();
      try {
        await assert.rejects(berth.client.publishPorts(c.id, [{ containerPort: 80, protocol: 'tcp', hostPort: busy.port, hostIp: '127.0.0.1' }]), /restored as it was/);
      } finally {
        await new Promise((r) => busy.close(r));
      }
      const after = await c.inspect();
      assert.equal(after.Name, `/${name}`, 'the original name is back');
      assert.equal(after.State.Running, true, 'and it runs again');
      const all = await t.docker.listContainers({ all: true, filters: JSON.stringify({ name: [name] }) });
      assert.deepEqual(
        all.map((x) => x.Id),
        [c.id],
        'no copy left behind',
      );
    });

    it('refuses what it cannot carry over, changing nothing', async () => {
      const c = await t.docker.createContainer({ name: uniqueName('berth-test-hostnet'), Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: labels, HostConfig: { NetworkMode: 'host' } });
      const check = await berth.client.recreateCheck(c.id);
      assert.deepEqual(check.blockers, [{ kind: 'network', mode: 'host' }]);
      await assert.rejects(berth.client.publishPorts(c.id, [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1' }]), /cannot recreate/);
      assert.ok(await c.inspect(), 'still there');
    });
  });
});
