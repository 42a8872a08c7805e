// Swarm on a test engine of its own (never the developer's): services created, scaled, restarted,
// updated and rolled back, tasks killed and replaced, a node drained, service logs, and the view's
// state kept live by the session's SwarmWatcher, all against a real dockerd in Swarm mode.
import { strict as assert } from 'assert';
import Docker from 'dockerode';
import * as http from 'http';
import type { ServiceCreateRequest, SwarmClient, TaskRecord } from '../../src/contract/swarm';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import { isOutOfSequence } from '../../src/engine/swarmUpdate';
import { parseSwarmAddress } from '../../src/model/swarm/address';
import { asEngineAssigned } from '../../src/model/swarm/ports';
import { countReplicas, currentTasks } from '../../src/model/swarm/replicas';
import { EngineSession } from '../../src/session/engineSession';
import { SwarmWatcher } from '../../src/session/swarmWatcher';
import { startEmptyEngine, type EmptyEngine } from '../support/emptyEngine';
import { useSwarmEngine } from '../support/engineHooks';
import { freePort } from '../support/ports';
import { BASE_IMAGE, testLabels, uniqueName } from '../support/testEngine';
import { waitFor } from '../support/wait';

const CONVERGE_MS = 90_000;
const policy = { parallelism: 1, delaySeconds: 0, failureAction: 'pause' as const };

function request(over: Partial<ServiceCreateRequest> = {}): ServiceCreateRequest {
  return {
    name: uniqueName('berth-test-svc'),
    image: BASE_IMAGE,
    replicas: 2,
    command: ['sleep', '3600'],
    env: [],
    ports: [],
    labels: testLabels(),
    update: policy,
    restart: { condition: 'any' },
    ...over,
  };
}

async function running(swarm: SwarmClient, id: string): Promise<TaskRecord[]> {
  return currentTasks(await swarm.listTasks(id)).filter((t) => t.state === 'running');
}

async function converged(swarm: SwarmClient, id: string, replicas: number): Promise<TaskRecord[]> {
  return waitFor(
    `${replicas} running tasks`,
    async () => {
      const [s, tasks] = await Promise.all([swarm.service(id), swarm.listTasks(id)]);
      const live = currentTasks(tasks);
      const up = live.filter((t) => t.state === 'running');
      const settled = up.length === replicas && live.length === replicas && !tasks.some((t) => t.desiredState === 'shutdown' && t.state === 'running');
      return settled && s?.updateState !== 'updating' ? up : undefined;
    },
    CONVERGE_MS,
    200,
  );
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('Swarm services on a Swarm test engine', function () {
  this.timeout(240_000);
  const t = useSwarmEngine({ worker: true });
  let swarm: SwarmClient;
  before(() => {
    swarm = t.client.swarm!;
  });

  it('is a manager with the worker joined over loopback', async function () {
    if (t.swarm.workerProblem) throw new Error(`the worker could not join: ${t.swarm.workerProblem}`);
    const info = await swarm.info();
    assert.equal(info.state, 'active');
    assert.equal(info.manager, true);
    const nodes = await swarm.listNodes();
    assert.deepEqual(nodes.map((n) => n.role).sort(), ['manager', 'worker']);
    assert.ok(nodes.every((n) => n.state === 'ready' && n.addr === '127.0.0.1'));
    assert.equal(nodes.find((n) => n.role === 'manager')?.leader, true);
  });

  it('creates a service, scales it to 5 and back to 2', async () => {
    const id = await swarm.createService(request({ replicas: 2 }));
    await converged(swarm, id, 2);
    await swarm.updateService(id, { kind: 'scale', replicas: 5 });
    const five = await converged(swarm, id, 5);
    assert.equal(new Set(five.map((x) => x.slot)).size, 5, 'five slots');
    assert.equal(new Set(five.map((x) => x.nodeId)).size, 2, 'spread over both nodes');
    await swarm.updateService(id, { kind: 'scale', replicas: 2 });
    await converged(swarm, id, 2);
    const s = await swarm.service(id);
    assert.equal(s?.replicas, 2);
    assert.deepEqual(countReplicas(s!, await swarm.listTasks(id)), { running: 2, desired: 2 });
    await swarm.removeService(id);
    assert.equal(await swarm.service(id), undefined);
  });

  it('refuses a stale version with the words the retry recognises', async () => {
    const id = await swarm.createService(request({ replicas: 1 }));
    const raw = (await swarm.inspect('service', id)) as { Version: { Index: number }; Spec: object };
    await swarm.updateService(id, { kind: 'scale', replicas: 1 });
    // The version read before that change is now stale, as a concurrent change would leave it.
    const stale = await new Promise<unknown>((resolve) => {
      const req = http.request({ socketPath: t.swarm.socket, method: 'POST', path: `/services/${id}/update?version=${raw.Version.Index}`, headers: { 'Content-Type': 'application/json' } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(new Error(body)));
      });
      req.end(JSON.stringify(raw.Spec));
    });
    assert.ok(isOutOfSequence(stale), `the engine said: ${(stale as Error).message}`);
    await swarm.removeService(id);
  });

  it('restarts every task in a rolling restart without dropping below the update minimum', async () => {
    const id = await swarm.createService(request({ replicas: 3, update: { parallelism: 1, delaySeconds: 0, failureAction: 'pause' } }));
    const before = new Set((await converged(swarm, id, 3)).map((x) => x.id));
    await swarm.updateService(id, { kind: 'restart' });
    let lowest = 3;
    const after = await waitFor(
      'every task replaced',
      async () => {
        const up = await running(swarm, id);
        lowest = Math.min(lowest, up.length);
        const s = await swarm.service(id);
        return up.length === 3 && up.every((x) => !before.has(x.id)) && s?.updateState === 'completed' ? up : undefined;
      },
      CONVERGE_MS,
      100,
    );
    assert.equal(after.length, 3);
    // Parallelism 1, stop-first: at most one task is down at any moment.
    assert.ok(lowest >= 2, `running tasks fell to ${lowest} during the restart`);
    await swarm.removeService(id);
  });

  it('rolls back an update to a command that fails', async () => {
    const id = await swarm.createService(request({ replicas: 2 }));
    const before = await converged(swarm, id, 2);
    await swarm.updateService(id, { kind: 'command', command: ['sh', '-c', 'exit 3'], update: { parallelism: 1, delaySeconds: 0, failureAction: 'rollback', monitorSeconds: 3, maxFailureRatio: 0 } });
    const rolled = await waitFor('the rollback', async () => {
      const s = await swarm.service(id);
      return s?.updateState === 'rollback_completed' ? s : undefined;
    }, CONVERGE_MS, 200);
    assert.match(rolled.updateMessage ?? '', /rollback/i);
    const tasks = await swarm.listTasks(id);
    assert.ok(tasks.some((x) => x.state === 'failed' && x.exitCode === 3), 'the failed task is kept, with its exit code');
    const raw = (await swarm.inspect('service', id)) as { Spec: { TaskTemplate: { ContainerSpec: { Command: string[] } } } };
    assert.deepEqual(raw.Spec.TaskTemplate.ContainerSpec.Command, ['sleep', '3600'], 'the old command is back');
    await converged(swarm, id, 2);
    assert.ok(before.length === 2);
    await swarm.removeService(id);
  });

  it('updates the image, then rolls back to the previous spec', async () => {
    // A second tag of the test image on both nodes: nothing can be pulled here.
    for (const d of [t.swarm.docker, t.swarm.workerDocker].filter((x) => !!x)) await d!.getImage(BASE_IMAGE).tag({ repo: 'berth-test/busybox', tag: 'v2' });
    const id = await swarm.createService(request({ replicas: 2 }));
    await converged(swarm, id, 2);
    assert.equal((await swarm.service(id))?.canRollback, false);
    await swarm.updateService(id, { kind: 'image', image: 'berth-test/busybox:v2', update: { parallelism: 2, delaySeconds: 0, failureAction: 'rollback', monitorSeconds: 1, maxFailureRatio: 0 } });
    await waitFor('the update done', async () => ((await swarm.service(id))?.updateState === 'completed' ? true : undefined), CONVERGE_MS, 200);
    const updated = await swarm.service(id);
    assert.equal(updated?.image, 'berth-test/busybox:v2');
    assert.equal(updated?.canRollback, true);
    await swarm.updateService(id, { kind: 'rollback' });
    await waitFor('the rollback done', async () => ((await swarm.service(id))?.updateState === 'rollback_completed' ? true : undefined), CONVERGE_MS, 200);
    assert.equal((await swarm.service(id))?.image, BASE_IMAGE);
    await converged(swarm, id, 2);
    await swarm.removeService(id);
  });

  it('changes only the image (and the parallelism chosen), keeping a start-first, pause-on-failure policy', async () => {
    for (const d of [t.swarm.docker, t.swarm.workerDocker].filter((x) => !!x)) await d!.getImage(BASE_IMAGE).tag({ repo: 'berth-test/busybox', tag: 'v3' });
    const id = await swarm.createService(request({ replicas: 2 }));
    // The policy as `docker service update --update-order start-first --update-failure-action pause --update-monitor 7s` leaves it.
    const raw = (await swarm.inspect('service', id)) as { Version: { Index: number }; Spec: Record<string, unknown> };
    await t.swarm.docker.getService(id).update({ version: raw.Version.Index, ...raw.Spec, UpdateConfig: { Parallelism: 1, Delay: 0, FailureAction: 'pause', Monitor: 7e9, MaxFailureRatio: 0.5, Order: 'start-first' } });
    await converged(swarm, id, 2);
    await swarm.updateService(id, { kind: 'image', image: 'berth-test/busybox:v3', update: { parallelism: 2 } });
    const after = (await swarm.inspect('service', id)) as { Spec: { UpdateConfig: Record<string, unknown>; TaskTemplate: { ContainerSpec: { Image: string } } } };
    assert.equal(after.Spec.TaskTemplate.ContainerSpec.Image.split('@')[0], 'berth-test/busybox:v3');
    assert.deepEqual(after.Spec.UpdateConfig, { Parallelism: 2, FailureAction: 'pause', Monitor: 7e9, MaxFailureRatio: 0.5, Order: 'start-first' });
    await swarm.updateService(id, { kind: 'image', image: BASE_IMAGE });
    const again = (await swarm.inspect('service', id)) as { Spec: { UpdateConfig: Record<string, unknown> } };
    assert.equal(again.Spec.UpdateConfig.Order, 'start-first');
    assert.equal(again.Spec.UpdateConfig.Parallelism, 2);
    await swarm.removeService(id);
  });

  it('scales a fixed host-mode port to an engine-assigned port per task: the engine really drops the fixed number', async () => {
    if (!t.swarm.workerSocket) throw new Error(`no worker: ${t.swarm.workerProblem}`);
    const fixed = await freePort();
    const id = await swarm.createService(
      request({ replicas: 1, command: ['sh', '-c', 'mkdir -p /www && echo berth-swarm > /www/index.html && exec httpd -f -p 80 -h /www'], ports: [{ targetPort: 80, publishedPort: fixed, protocol: 'tcp', mode: 'host' }] }),
    );
    await converged(swarm, id, 1);
    const before = await swarm.service(id);
    await swarm.updateService(id, { kind: 'scale', replicas: 3, ports: asEngineAssigned(before!.ports) });
    const up = await converged(swarm, id, 3);
    const after = await swarm.service(id);
    assert.deepEqual(after?.ports.map((p) => p.publishedPort), [undefined], 'the engine publishes no fixed number');
    const ports = up.map((x) => x.ports[0]?.publishedPort);
    assert.ok(ports.every((p) => typeof p === 'number' && p > 0 && p !== fixed), `each task has a port of its own, none the old ${fixed}: ${ports}`);
    assert.equal(new Set(ports).size, 3);
    for (const p of ports) assert.equal((await waitFor(`port ${p}`, () => get(p!).catch(() => undefined), 15_000, 200)).trim(), 'berth-swarm');
    await swarm.removeService(id);
  });

  it('replaces a killed task, keeping the failed one with its exit code', async () => {
    const id = await swarm.createService(request({ replicas: 1, command: ['sleep', '3600'] }));
    const [first] = await converged(swarm, id, 1);
    const docker = first.nodeId === (await swarm.info()).nodeId ? t.swarm.docker : t.swarm.workerDocker!;
    await docker.getContainer(first.containerId!).kill();
    const replaced = await waitFor('the replacement', async () => (await running(swarm, id)).find((x) => x.id !== first.id), CONVERGE_MS, 100);
    assert.equal(replaced.slot, first.slot);
    const old = (await swarm.listTasks(id)).find((x) => x.id === first.id)!;
    assert.equal(old.state, 'failed');
    assert.equal(old.exitCode, 137);
    assert.equal(old.desiredState, 'shutdown');
    await swarm.removeService(id);
  });

  it('moves tasks off a drained node, and takes them back once active', async () => {
    if (!t.swarm.workerSocket) throw new Error(`no worker: ${t.swarm.workerProblem}`);
    const id = await swarm.createService(request({ replicas: 4 }));
    await converged(swarm, id, 4);
    const worker = (await swarm.listNodes()).find((n) => n.role === 'worker')!;
    await swarm.updateNode(worker.id, 'drain');
    assert.equal((await swarm.node(worker.id))?.availability, 'drain');
    const moved = await waitFor('no task on the drained node', async () => {
      const up = await converged(swarm, id, 4);
      return up.every((x) => x.nodeId !== worker.id) ? up : undefined;
    }, CONVERGE_MS, 200);
    assert.equal(moved.length, 4);
    await swarm.updateNode(worker.id, 'active');
    assert.equal((await swarm.node(worker.id))?.availability, 'active');
    await swarm.removeService(id);
  });

  it('reads a service\'s merged task logs with each task named', async () => {
    const id = await swarm.createService(request({ replicas: 2, command: ['sh', '-c', 'echo hello from $HOSTNAME; exec sleep 3600'] }));
    await converged(swarm, id, 2);
    const text = await waitFor('both lines', async () => {
      const stream = await swarm.serviceLogs(id, { follow: false, timestamps: false });
      const chunks: Buffer[] = [];
      for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
      const s = Buffer.concat(chunks).toString('latin1');
      return (s.match(/hello from/g) ?? []).length >= 2 ? s : undefined;
    }, CONVERGE_MS, 500);
    assert.match(text, /com\.docker\.swarm\.task\.id=\w+/);
    await swarm.removeService(id);
  });

  it('answers on 127.0.0.1 through a host-mode port the engine assigned to each task', async () => {
    // Host mode only: this engine runs with --iptables=false, so the ingress routing mesh does
    // not route and an ingress-published port would not answer here.
    const id = await swarm.createService(
      request({ replicas: 2, command: ['sh', '-c', 'mkdir -p /www && echo berth-swarm > /www/index.html && exec httpd -f -p 80 -h /www'], ports: [{ targetPort: 80, protocol: 'tcp', mode: 'host' }] }),
    );
    const up = await converged(swarm, id, 2);
    const ports = up.map((x) => x.ports[0]?.publishedPort);
    assert.ok(ports.every((p) => typeof p === 'number' && p > 0), `each task has its own port: ${ports}`);
    for (const p of ports) assert.equal((await waitFor(`port ${p}`, () => get(p!).catch(() => undefined), 15_000, 200)).trim(), 'berth-swarm');
    await swarm.removeService(id);
  });

  it('keeps the watcher\'s stores live from events and the bounded convergence follow', async () => {
    const session = new EngineSession({ resolve: () => resolveEndpoint({ setting: `unix://${t.swarm.socket}`, env: {} }), createClient: createEngineClient, pingTimeoutMs: 3000 });
    const watcher = new SwarmWatcher(session);
    try {
      watcher.setVisible(true);
      session.setLive(true);
      await session.connect();
      await waitFor('manager mode', () => watcher.mode === 'manager');
      const id = await swarm.createService(request({ replicas: 1 }));
      const count = () => {
        const s = watcher.services.get(id);
        return s && countReplicas(s, watcher.tasks.all());
      };
      await waitFor('1/1 in the watcher', () => count()?.running === 1, CONVERGE_MS);
      // A scale by someone else (here, the test's own client) arrives as a service event.
      await swarm.updateService(id, { kind: 'scale', replicas: 3 });
      await waitFor('3/3 in the watcher', () => count()?.running === 3 && count()?.desired === 3, CONVERGE_MS);
      await waitFor('the follow ends once converged', () => !watcher.converging.includes(id), CONVERGE_MS);
      await swarm.removeService(id);
      await waitFor('the service leaves the watcher', () => !watcher.services.get(id) && !watcher.tasks.all().some((x) => x.serviceId === id));
    } finally {
      watcher.dispose();
      session.dispose();
    }
  });
});

describe('Initialize Swarm on an engine of its own', function () {
  this.timeout(120_000);
  let engine: EmptyEngine | undefined;
  after(async function () {
    this.timeout(60_000);
    await engine?.stop();
  });

  it('listens on the address and port chosen, as Initialize Swarm passes them on', async () => {
    engine = await startEmptyEngine({ bridgeCidr: `198.18.${200 + Math.floor(Math.random() * 40)}.1/24` });
    const client = createEngineClient(resolveEndpoint({ setting: `unix://${engine.socket}`, env: {} }));
    try {
      const port = await freePort();
      const typed = parseSwarmAddress(`127.0.0.1:${port}`);
      if ('problem' in typed) throw new Error(`refused: ${typed.problem.kind}`);
      await client.swarm!.init(typed.addr, typed.port);
      const info = await client.swarm!.info();
      assert.equal(info.state, 'active');
      assert.equal(info.manager, true);
      assert.equal((await client.swarm!.joinTokens()).managerAddr, `127.0.0.1:${port}`, 'join commands name the port chosen, not 2377');
      const raw = (await new Docker({ socketPath: engine.socket }).info()) as { Swarm: { NodeAddr: string; RemoteManagers: { Addr: string }[] } };
      assert.equal(raw.Swarm.NodeAddr, '127.0.0.1');
      assert.deepEqual(raw.Swarm.RemoteManagers.map((m) => m.Addr), [`127.0.0.1:${port}`]);
    } finally {
      client.dispose();
    }
  });
});
