// Issue 28 against the real engine: each action read back from the engine, and the bad inputs
// refused with nothing created or changed. Only this test's labelled objects are looked at.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import * as tar from 'tar-stream';
import type { LifecycleClient } from '../../src/contract/lifecycle';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { staticIpProblem, subnetProblem } from '../../src/model/lifecycle/addresses';
import { changeProblem } from '../../src/model/lifecycle/commitChanges';
import { limitsChange, memoryProblem, memoryRefusal } from '../../src/model/lifecycle/limits';
import { prunePlan, totalBytes } from '../../src/model/lifecycle/prunePlan';
import { objectNameProblem } from '../../src/model/lifecycle/names';
import { EngineSession } from '../../src/session/engineSession';
import { useEngineClient, useTestEngine } from '../support/engineHooks';
import { BASE_IMAGE, buildImage, createIdleContainer, TEST_RUN, TEST_RUN_LABEL, testLabels, uniqueName } from '../support/testEngine';
import { timeUntil as waitFor } from '../support/wait';

const socket = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';

describe('lifecycle: create networks and volumes, connect, rename (issue 28)', () => {
  const t = useTestEngine();
  const berth = useEngineClient();
  let life: LifecycleClient;
  let session: EngineSession;
  let subnet: string;

  before(async () => {
    life = berth.client.lifecycle!;
    session = new EngineSession({ resolve: () => resolveEndpoint({ setting: `unix://${socket}`, env: {} }), createClient: createEngineClient });
    session.setLive(true);
    await session.connect();
  });
  // Each test gets a /24 no network of this engine uses (other runs share it).
  beforeEach(async () => {
    const existing = await life.addressing();
    subnet = '';
    for (let i = 0; !subnet; i++) {
      const candidate = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}.0/24`;
      if (!subnetProblem(candidate, existing)) subnet = candidate;
      assert.ok(i < 100, 'no free /24 found');
    }
  });
  after(() => session.dispose());

  const base = () => subnet.replace(/\.0\/24$/, '');

  /** A running container holding 40 MB in /dev/shm, memory the kernel cannot reclaim. */
  async function fillMemory() {
    const c = await t.docker.createContainer({ name: uniqueName('berth-test-upd'), Image: BASE_IMAGE, Cmd: ['sh', '-c', 'dd if=/dev/zero of=/dev/shm/x bs=1M count=40 && touch /ready && sleep 3600'], Labels: testLabels(), StopTimeout: 1 });
    await c.start();
    for (;;) {
      const e = await c.exec({ Cmd: ['test', '-f', '/ready'] });
      await new Promise<void>((resolve, reject) => e.start({}, (err, stream) => (err ? reject(err) : (stream!.resume(), stream!.on('end', () => resolve())))));
      if ((await e.inspect()).ExitCode === 0) return c;
    }
  }

  it('creates a network with its IPAM, internal flag and labels, and names it when a subnet overlaps it', async () => {
    const name = uniqueName('berth-test-net');
    const id = await life.createNetwork({ name, driver: 'bridge', subnets: [{ subnet, gateway: `${base()}.1`, ipRange: `${base()}.128/25` }], internal: true, ipv6: false, attachable: false, labels: testLabels() });
    const n = await t.docker.getNetwork(id).inspect();
    assert.equal(n.Name, name);
    assert.deepEqual(n.IPAM?.Config, [{ Subnet: subnet, Gateway: `${base()}.1`, IPRange: `${base()}.128/25` }]);
    assert.equal(n.Internal, true);
    assert.equal(n.Labels?.['berth.test'], '1');
    await waitFor('the session to list the new network', () => session.networks.get(id)?.name === name);
    const overlap = subnetProblem(`${base()}.64/26`, await life.addressing());
    assert.deepEqual(overlap, { kind: 'overlap', value: `${base()}.64/26`, network: name, subnet });
  });

  it('refuses a duplicate network name on the engine and creates nothing more', async () => {
    const name = uniqueName('berth-test-net');
    await life.createNetwork({ name, driver: 'bridge', subnets: [], internal: false, ipv6: false, attachable: false, labels: testLabels() });
    await assert.rejects(life.createNetwork({ name, driver: 'bridge', subnets: [], internal: false, ipv6: false, attachable: false, labels: testLabels() }), /already exists/);
    assert.equal((await t.docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name).length, 1);
  });

  it('creates a local bind volume whose options the engine keeps, and a plain one', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-test-bind-'));
    try {
      const name = uniqueName('berth-test-vol');
      assert.equal(await life.createVolume({ name, driver: 'local', options: { type: 'none', o: 'bind', device: folder }, labels: testLabels() }), name);
      const v = await t.docker.getVolume(name).inspect();
      assert.deepEqual(v.Options, { type: 'none', o: 'bind', device: folder });
      assert.equal(v.Labels['berth.test'], '1');
      // The bind works: a file a container writes is in the folder.
      const c = await t.docker.createContainer({ Image: BASE_IMAGE, Cmd: ['sh', '-c', 'echo hi > /data/f'], Labels: testLabels(), HostConfig: { Mounts: [{ Type: 'volume', Source: name, Target: '/data' }] } });
      await c.start();
      await c.wait();
      assert.equal(fs.readFileSync(path.join(folder, 'f'), 'utf8'), 'hi\n');
      await c.remove();
      // A second create with the same name: the engine hands the first one back, unchanged; Berth's check refuses it first.
      assert.equal(objectNameProblem(name, (await berth.client.listVolumes()).map((x) => x.id)), 'taken');
      const plain = await life.createVolume({ name: uniqueName('berth-test-vol'), driver: 'local', options: {}, labels: testLabels() });
      assert.deepEqual((await t.docker.getVolume(plain).inspect()).Options ?? {}, {});
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('connects a stopped and a running container with an alias and a static IP, refuses a taken one, and disconnects', async () => {
    const netName = uniqueName('berth-test-net');
    const net = await life.createNetwork({ name: netName, driver: 'bridge', subnets: [{ subnet }], internal: false, ipv6: false, attachable: false, labels: testLabels() });
    const stopped = await createIdleContainer(t.docker, uniqueName('berth-test-off'), false);
    const running = await createIdleContainer(t.docker, uniqueName('berth-test-on'));
    await life.connect(net, stopped.id, { aliases: ['db-alias'], ipv4: `${base()}.20` });
    await life.connect(net, running.id, { aliases: ['web-alias'], ipv4: `${base()}.21` });
    // A stopped container's endpoint has no NetworkID until it starts: it is keyed by the network's name.
    const off = (await stopped.inspect()).NetworkSettings.Networks[netName];
    assert.ok(off.Aliases?.includes('db-alias'));
    assert.equal(off.IPAMConfig?.IPv4Address, `${base()}.20`);
    const on = Object.values((await running.inspect()).NetworkSettings.Networks).find((x) => x.NetworkID === net)!;
    assert.equal(on.IPAddress, `${base()}.21`);
    assert.ok(on.Aliases?.includes('web-alias'));
    // A never-started container's endpoint has no network id yet: the record names the network instead.
    // And the engine sends no event for a stopped container's connect: the command reads it again.
    await session.recheckContainer(stopped.id);
    await waitFor('the session to see both connected', () => !!session.containers.get(stopped.id)?.networks.includes(netName) && !!session.containers.get(running.id)?.networks.includes(net));
    // The running one's address is taken: Berth's check names it, and the engine refuses it too, connecting nothing.
    const addressing = (await life.addressing()).find((n) => n.id === net)!;
    const runningName = (await running.inspect()).Name.slice(1);
    assert.deepEqual(staticIpProblem(`${base()}.21`, addressing), { kind: 'taken', value: `${base()}.21`, by: runningName });
    assert.equal(staticIpProblem('10.1.2.3', addressing)?.kind, 'outside');
    const third = await createIdleContainer(t.docker, uniqueName('berth-test-third'));
    await assert.rejects(life.connect(net, third.id, { aliases: [], ipv4: `${base()}.21` }));
    assert.ok(!Object.values((await third.inspect()).NetworkSettings.Networks).some((x) => x.NetworkID === net), 'the refused connect left nothing behind');
    await life.disconnect(net, running.id);
    assert.ok(!Object.values((await running.inspect()).NetworkSettings.Networks).some((x) => x.NetworkID === net));
    await waitFor('the session to see it disconnected', () => !session.containers.get(running.id)?.networks.includes(net));
  });

  it('renames a container, keeping its id, and refuses a name in use', async () => {
    const c = await createIdleContainer(t.docker, uniqueName('berth-test-old'));
    const other = await createIdleContainer(t.docker, uniqueName('berth-test-other'));
    const otherName = (await other.inspect()).Name.slice(1);
    const to = uniqueName('berth-test-new');
    await life.rename(c.id, to);
    assert.equal((await c.inspect()).Name, `/${to}`);
    await waitFor('the session to see the new name under the same id', () => session.containers.get(c.id)?.name === to);
    assert.equal(objectNameProblem(otherName, session.containers.all().filter((x) => x.id !== c.id).map((x) => x.name)), 'taken');
    await assert.rejects(life.rename(c.id, otherName), /already in use/);
    assert.equal((await c.inspect()).Name, `/${to}`, 'unchanged by the refused rename');
  });

  it('updates a running container’s restart policy, memory and CPUs in place, and refuses a memory limit below its usage', async () => {
    const c = await fillMemory();
    const before = await life.limits(c.id);
    assert.ok(before.running && (before.memoryUsage ?? 0) >= 40 * 1024 ** 2, `usage ${before.memoryUsage}`);
    assert.equal(memoryProblem('20m', before.memoryUsage)?.kind, 'memoryBelowUsage', 'Berth refuses it before the engine is asked');
    const change = limitsChange(before, { restart: 'unless-stopped', memory: '256m', cpus: '0.5' });
    await life.update(c.id, change);
    const h = (await c.inspect()).HostConfig;
    assert.deepEqual(h.RestartPolicy, { Name: 'unless-stopped', MaximumRetryCount: 0 });
    assert.equal(h.Memory, 256 * 1024 ** 2);
    assert.equal(h.MemorySwap, 512 * 1024 ** 2);
    assert.equal(h.NanoCpus, 5e8);
    assert.equal((await c.inspect()).State.Running, true, 'updated in place, still running');
    // What the engine itself says when asked anyway: Berth reads its figures to say it in words.
    const other = await fillMemory();
    const refusal = await life.update(other.id, { memory: 20 * 1024 ** 2, memorySwap: 40 * 1024 ** 2 }).then(() => undefined, (err: Error) => err);
    assert.ok(refusal, 'the engine refused a limit below the usage');
    assert.equal(memoryRefusal(refusal.message)?.limit, 20 * 1024 ** 2, refusal.message);
    assert.equal((await other.inspect()).HostConfig.Memory, 0, 'the engine kept no limit');
  });

  it('commits a container with author, message and changes: the image’s config and history say so; a bad change line makes no image', async () => {
    const c = await t.docker.createContainer({ name: uniqueName('berth-test-commit'), Image: BASE_IMAGE, Cmd: ['sh', '-c', 'echo made-here > /made && sleep 3600'], Labels: testLabels(), StopTimeout: 1 });
    await c.start();
    const repo = `berth-test/commit-${uniqueName('r').slice(2)}`;
    const changes = ['ENV STAGE=committed', 'EXPOSE 8080/tcp', 'CMD ["cat", "/made"]', `LABEL berth.test=1 ${TEST_RUN_LABEL}=${TEST_RUN}`];
    assert.deepEqual(changes.map(changeProblem), [undefined, undefined, undefined, undefined]);
    const id = await life.commit(c.id, { repo, tag: 'v1', author: 'Berth Test <test@example.com>', message: 'a snapshot', changes, pause: true });
    const image = await t.docker.getImage(`${repo}:v1`).inspect();
    assert.equal(image.Id, id);
    assert.equal(image.Author, 'Berth Test <test@example.com>');
    assert.equal(image.Comment, 'a snapshot');
    assert.ok(image.Config.Env?.includes('STAGE=committed'));
    assert.deepEqual(Object.keys(image.Config.ExposedPorts ?? {}), ['8080/tcp']);
    assert.deepEqual(image.Config.Cmd, ['cat', '/made']);
    const [top] = await t.docker.getImage(id).history();
    assert.equal(top.Comment, 'a snapshot');
    assert.equal((await c.inspect()).State.Status, 'running', 'paused while committing, running after');
    // The committed file is in the image.
    const run = await t.docker.createContainer({ Image: `${repo}:v1`, Labels: testLabels() });
    await run.start();
    await run.wait();
    const out = (await run.logs({ stdout: true })).toString();
    assert.match(out, /made-here/);
    // A change line the commit cannot take: Berth names it; the engine refuses it too, making no image.
    assert.equal(changeProblem('RUN echo no')?.kind, 'instruction');
    await assert.rejects(life.commit(c.id, { repo, tag: 'bad', changes: ['RUN echo no'], pause: true }));
    await assert.rejects(t.docker.getImage(`${repo}:bad`).inspect());
  });

  it('exports a container’s filesystem as a tar and imports it as an image whose files match', async () => {
    const c = await t.docker.createContainer({ name: uniqueName('berth-test-export'), Image: BASE_IMAGE, Cmd: ['sh', '-c', 'mkdir -p /srv && echo exported > /srv/f && sleep 3600'], Labels: testLabels(), StopTimeout: 1 });
    await c.start();
    for (;;) {
      const e = await c.exec({ Cmd: ['test', '-f', '/srv/f'] });
      await new Promise<void>((resolve, reject) => e.start({}, (err, stream) => (err ? reject(err) : (stream!.resume(), stream!.on('end', () => resolve())))));
      if ((await e.inspect()).ExitCode === 0) break;
    }
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-test-export-'));
    try {
      const file = path.join(folder, 'fs.tar');
      await pipeline(await life.exportFilesystem(c.id), fs.createWriteStream(file));
      const first = await tarEntries(fs.createReadStream(file));
      assert.equal(first.get('srv/f'), 'exported\n');
      const repo = `berth-test/import-${uniqueName('r').slice(2)}`;
      const id = await life.importFilesystem(fs.createReadStream(file), repo, 'v1');
      assert.equal((await t.docker.getImage(`${repo}:v1`).inspect()).Id, id);
      // Labelled for cleanup through a commit-free route: a container of it carries the label, the image goes by its tag below.
      const again = await t.docker.createContainer({ Image: `${repo}:v1`, Cmd: ['true'], Labels: testLabels() });
      const second = await tarEntries((await again.export()) as unknown as NodeJS.ReadableStream);
      // The same files with the same contents (the engine adds its own /.dockerenv and mount points each time).
      const files = (m: Map<string, string | undefined>) => [...m.entries()].filter(([p]) => !/^(\.dockerenv|etc\/(hosts|hostname|resolv\.conf)|dev\/|proc\/|sys\/)/.test(p)).sort(([a], [b]) => a.localeCompare(b));
      assert.deepEqual(files(second), files(first));
      await again.remove();
      await t.docker.getImage(`${repo}:v1`).remove();
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('prune previews against what the engine removes (issue 28 item 8)', () => {
  const t = useTestEngine();
  const berth = useEngineClient();

  it('lists exactly this test’s stopped container, unused networks, dangling image and unused volume with their sizes, then removes exactly those', async () => {
    const life = berth.client.lifecycle!;
    const token = uniqueName('prune');
    const labels = { ...testLabels(), 'berth.prune.test': token };
    const label = `berth.prune.test=${token}`;
    const volume = uniqueName('berth-test-prunevol');
    await t.docker.createVolume({ Name: volume, Labels: labels });
    const held = await t.docker.createNetwork({ Name: uniqueName('berth-test-held'), Labels: labels });
    const unused = await t.docker.createNetwork({ Name: uniqueName('berth-test-unused'), Labels: labels });
    // A stopped container that wrote 1 MiB to its own layer and 512 KiB to the volume, on the held network.
    const c = await t.docker.createContainer({ name: uniqueName('berth-test-stopped'), Image: BASE_IMAGE, Cmd: ['sh', '-c', 'dd if=/dev/zero of=/big bs=1024 count=1024 && dd if=/dev/zero of=/data/v bs=1024 count=512'], Labels: labels, HostConfig: { NetworkMode: held.id, Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] } });
    await c.start();
    await c.wait();
    // A dangling image: a tag moved to a second build; its own layer is 256 KiB.
    const tag = `berth-test/prune-${token}:1`;
    const dangling = await buildImage(t.docker, `FROM ${BASE_IMAGE}\nRUN dd if=/dev/zero of=/layer bs=1024 count=256\nLABEL berth.prune.test=${token}\n`, tag, {}, labels);
    await buildImage(t.docker, `FROM ${BASE_IMAGE}\nRUN echo other > /layer\nLABEL berth.prune.test=${token}\n`, tag, {}, labels);
    const kept = await t.docker.createNetwork({ Name: uniqueName('berth-test-kept'), Labels: testLabels() }); // not labelled for this prune

    const df = await life.diskUsage();
    const plan = prunePlan(df, await berth.client.listNetworks(), { kinds: ['container', 'network', 'image', 'volume', 'buildCache'], allImages: false, label });
    const byKind = (k: string) => plan.filter((i) => i.kind === k).map((i) => i.id).sort();
    assert.deepEqual(byKind('container'), [c.id]);
    assert.deepEqual(byKind('network'), [held.id, unused.id].sort(), 'the held network is free once its only container goes');
    assert.deepEqual(byKind('image'), [dangling]);
    assert.deepEqual(byKind('volume'), [volume]);
    assert.deepEqual(byKind('buildCache'), [], 'a labelled prune leaves unlabelled build cache alone');
    assert.ok(!plan.some((i) => i.id === kept.id));
    const bytes = (id: string) => plan.find((i) => i.id === id)!.bytes;
    assert.ok(bytes(c.id) >= 1024 * 1024 && bytes(c.id) < 1.1 * 1024 * 1024, `container layer ${bytes(c.id)}`);
    assert.equal(bytes(volume), 512 * 1024);
    assert.ok(bytes(dangling) >= 256 * 1024 && bytes(dangling) < 300 * 1024, `image's own layer ${bytes(dangling)}`);

    let freed = 0;
    for (const kind of ['container', 'network', 'image', 'volume'] as const)
      for (const item of plan.filter((i) => i.kind === kind)) {
        await life.removeForPrune(kind, item.id);
        freed += item.bytes;
      }
    assert.equal(freed, totalBytes(plan));
    // What the engine says now: every one gone, and nothing else of this label was there to go.
    const after = await life.diskUsage();
    assert.ok(!after.containers.some((x) => x.id === c.id));
    assert.ok(!after.images.some((x) => x.id === dangling));
    assert.ok(!after.volumes.some((x) => x.name === volume));
    const nets = (await berth.client.listNetworks()).map((n) => n.id);
    assert.ok(!nets.includes(held.id) && !nets.includes(unused.id) && nets.includes(kept.id));
    // Left of the label: only the tagged image, which "all unused images" would take and a dangling-only prune does not.
    assert.deepEqual(prunePlan(after, await berth.client.listNetworks(), { kinds: ['container', 'network', 'image', 'volume'], allImages: false, label }), []);
    assert.deepEqual(prunePlan(after, await berth.client.listNetworks(), { kinds: ['image'], allImages: true, label }).map((i) => i.name), [tag]);
  });
});

/** Path -> contents (for small regular files) of a tar stream. */
function tarEntries(stream: NodeJS.ReadableStream): Promise<Map<string, string | undefined>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, string | undefined>();
    const extract = tar.extract();
    extract.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (b: Buffer) => chunks.push(b));
      body.on('end', () => {
        out.set(header.name.replace(/^\.?\//, '').replace(/\/$/, ''), header.type === 'file' && (header.size ?? 0) < 4096 ? Buffer.concat(chunks).toString() : (header.type ?? undefined));
        next();
      });
    });
    extract.on('finish', () => resolve(out));
    extract.on('error', reject);
    stream.pipe(extract);
  });
}
