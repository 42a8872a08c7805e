// Bad inputs against the real engine (docs/bad-inputs.md): each one fails with words a user can act
// on, and leaves nothing half-created. "Nothing" is checked on the engine's lists before and after:
// this test's own labelled objects, and a lookup by the name the input asked for.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type Docker from 'dockerode';
import { runBuild } from '../../src/model/build';
import { readDockerfile } from '../../src/model/dockerfile';
import { useEngineClient, useTestEngine } from '../support/engineHooks';
import { freePort } from '../support/ports';
import { BASE_IMAGE, buildImage, createIdleContainer, TEST_RUN, TEST_RUN_LABEL, testLabels, uniqueName } from '../support/testEngine';

const labels = testLabels();
const mine = JSON.stringify({ label: [`${TEST_RUN_LABEL}=${TEST_RUN}`] });

/** This run's labelled containers, volumes, networks and images, as sorted id lists. */
async function ownObjects(docker: Docker): Promise<Record<string, string[]>> {
  return {
    containers: (await docker.listContainers({ all: true, filters: mine })).map((c) => c.Id).sort(),
    volumes: ((await docker.listVolumes({ filters: mine })).Volumes ?? []).map((v) => v.Name).sort(),
    networks: (await docker.listNetworks({ filters: mine })).map((n) => n.Id).sort(),
    images: (await docker.listImages({ all: true, filters: mine })).map((i) => i.Id).sort(),
  };
}

async function containersNamed(docker: Docker, name: string): Promise<string[]> {
  // The name filter matches substrings: keep the exact name only.
  return (await docker.listContainers({ all: true, filters: JSON.stringify({ name: [name] }) })).filter((c) => c.Names.includes(`/${name}`)).map((c) => c.Id);
}

describe('bad inputs on the engine: a clear error and nothing half-created', function () {
  this.timeout(60_000);
  const t = useTestEngine();
  const berth = useEngineClient();
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bad-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a container name already taken is refused by name, and creates nothing', async () => {
    const name = uniqueName('berth-test-taken');
    const first = await createIdleContainer(t.docker, name, false);
    const before = await ownObjects(t.docker);
    await assert.rejects(berth.client.run({ image: BASE_IMAGE, name, command: ['true'], ports: [], env: [], mounts: [{ type: 'volume', source: '', target: '/data', readOnly: false }], labels }), (e: Error) => {
      assert.match(e.message, new RegExp(`"/${name}" is already in use`));
      return true;
    });
    assert.deepEqual(await ownObjects(t.docker), before, 'no container, no anonymous volume');
    assert.deepEqual(await containersNamed(t.docker, name), [first.id]);
  });

  it('a bind mount whose source is missing is refused at create, and no folder appears on the host', async () => {
    const missing = path.join(dir, 'not-there');
    const name = uniqueName('berth-test-nobind');
    const before = await ownObjects(t.docker);
    await assert.rejects(berth.client.run({ image: BASE_IMAGE, name, command: ['true'], ports: [], env: [], mounts: [{ type: 'bind', source: missing, target: '/data', readOnly: false }], labels }), (e: Error) => {
      assert.match(e.message, /bind source path does not exist/);
      assert.ok(e.message.includes(missing), e.message);
      return true;
    });
    assert.equal(fs.existsSync(missing), false, 'the engine made no folder (docker run -v would have)');
    assert.deepEqual(await ownObjects(t.docker), before);
    assert.deepEqual(await containersNamed(t.docker, name), []);
  });

  it('a host port taken at start leaves neither the container nor its anonymous volume', async () => {
    const port = await freePort();
    const holder = await t.docker.createContainer({
      name: uniqueName('berth-test-holder'),
      Image: BASE_IMAGE,
      Cmd: ['sleep', '3600'],
      Labels: labels,
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
      ExposedPorts: { '80/tcp': {} },
    });
    await holder.start();
    const name = uniqueName('berth-test-clash');
    const before = await ownObjects(t.docker);
    await assert.rejects(
      berth.client.run({ image: BASE_IMAGE, name, command: ['sleep', '60'], ports: [{ containerPort: 80, protocol: 'tcp', hostPort: port, hostIp: '127.0.0.1' }], env: [], mounts: [{ type: 'volume', source: '', target: '/data', readOnly: false }], labels }),
      /already allocated|address already in use/i,
    );
    assert.deepEqual(await ownObjects(t.docker), before, 'the anonymous volume made for the failed container went with it');
    assert.deepEqual(await containersNamed(t.docker, name), []);
  });

  it('removing a running container without force is refused, and it keeps running', async () => {
    const c = await createIdleContainer(t.docker);
    await assert.rejects(berth.client.removeContainer(c.id, false), /cannot remove a running container.*stop the container/i);
    assert.equal((await t.docker.getContainer(c.id).inspect()).State.Running, true);
  });

  it('removing an image a container uses is refused, naming the container, and the image stays', async () => {
    const tag = `berth-test/inuse:${uniqueName('t')}`;
    const id = await buildImage(t.docker, `FROM ${BASE_IMAGE}\nLABEL berth.test.kind=inuse\n`, tag);
    const c = await t.docker.createContainer({ name: uniqueName('berth-test-user'), Image: tag, Cmd: ['true'], Labels: labels });
    const before = await ownObjects(t.docker);
    await assert.rejects(berth.client.removeImage(tag), (e: Error) => {
      assert.match(e.message, /conflict: unable to remove repository reference/i);
      assert.ok(e.message.includes(c.id.slice(0, 12)), `names the container: ${e.message}`);
      return true;
    });
    assert.equal((await t.docker.getImage(tag).inspect()).Id, id);
    assert.deepEqual(await ownObjects(t.docker), before);
  });

  it('a Dockerfile with CRLF line endings and a BOM: a failing step lands on its line', async () => {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `\ufeffFROM ${BASE_IMAGE}\r\n\r\n# a comment\r\nRUN true\r\nCOPY missing.txt /x\r\n`);
    const tag = `berth-test/crlf:${uniqueName('t')}`;
    const before = await ownObjects(t.docker);
    const dockerfileFacts = readDockerfile(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
    const r = await runBuild(berth.client, { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), dockerfileFacts, tag, labels, noCache: true });
    assert.ok(r.failure, 'the build fails');
    assert.match(r.failure.message, /missing\.txt/);
    assert.equal(r.failure.line, 4, 'COPY is on the fifth line (0-based 4)');
    assert.deepEqual((await ownObjects(t.docker)).containers, before.containers, 'no build container left');
    await assert.rejects(t.docker.getImage(tag).inspect(), /no such image/i);
  });

  it('a Dockerfile with CRLF line endings and a BOM: a syntax error lands on its line', async () => {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `\ufeffFROM ${BASE_IMAGE}\r\nRUN true\r\n\r\nFOO bar\r\n`);
    const tag = `berth-test/crlfsyntax:${uniqueName('t')}`;
    const r = await runBuild(berth.client, { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), tag, labels });
    assert.ok(r.failure, 'a syntax error is a failure');
    assert.match(r.failure.message, /unknown instruction/i);
    assert.equal(r.failure.line, 3);
    await assert.rejects(t.docker.getImage(tag).inspect(), /no such image/i);
  });

  it('a context with a symlink loop is sent as links, as docker build does, and builds', async () => {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\nCOPY . /ctx\nRUN readlink /ctx/loop && readlink /ctx/a && readlink /ctx/b\n`);
    fs.symlinkSync('.', path.join(dir, 'loop'));
    fs.symlinkSync('b', path.join(dir, 'a'));
    fs.symlinkSync('a', path.join(dir, 'b'));
    const tag = `berth-test/loop:${uniqueName('t')}`;
    const r = await runBuild(berth.client, { contextDir: dir, dockerfile: path.join(dir, 'Dockerfile'), tag, labels, noCache: true });
    assert.equal(r.failure, undefined, r.failure?.message);
    assert.deepEqual([...r.plan.entries].sort(), ['Dockerfile', 'a', 'b', 'loop']);
  });
});
