import { strict as assert } from 'assert';
import type { ServicePort, ServiceRecord, TaskRecord } from '../../src/contract/swarm';
import { changedSpec, droppedFixedPorts, toTaskRecord } from '../../src/engine/swarm';
import { joinAddress, parseSwarmAddress } from '../../src/model/swarm/address';
import { isOutOfSequence, updateWithRetry } from '../../src/engine/swarmUpdate';
import { ConvergenceTracker } from '../../src/model/swarm/convergence';
import { asEngineAssigned, asIngress, hostPortProblem } from '../../src/model/swarm/ports';
import { countReplicas, isConverged, MAX_REPLICAS, parseReplicas } from '../../src/model/swarm/replicas';
import { groupByStack, servicesOfStack, STACK_LABEL } from '../../src/model/swarm/stacks';
import { taskStateText, taskTone, visibleTasks, type TaskPhrases } from '../../src/model/swarm/tasks';
import { parseServiceLogLine, taskPrefix } from '../../src/model/swarm/serviceLogLine';
import type { StatusPhrases } from '../../src/model/containerStatus';

function service(id: string, over: Partial<ServiceRecord> = {}): ServiceRecord {
  return { id, version: 1, name: id, mode: 'replicated', replicas: 3, image: 'app', labels: {}, ports: [], canRollback: false, createdAt: '', updatedAt: '', ...over };
}

function task(id: string, serviceId: string, over: Partial<TaskRecord> = {}): TaskRecord {
  return { id, serviceId, slot: 1, nodeId: 'n1', state: 'running', desiredState: 'running', message: 'started', since: '2026-01-01T00:00:00Z', createdAt: '2026-01-01T00:00:00Z', ports: [], ...over };
}

const phrases: TaskPhrases = {
  state: (s, d) => `${s} ${d}`,
  exitCode: (c) => `exit code ${c}`,
  desired: (d) => `desired: ${d}`,
};
const status = { lessThanAMinute: 'less than a minute', aboutAMinute: 'about a minute', aboutAnHour: 'about an hour' } as StatusPhrases;

describe('Swarm: stacks', () => {
  it('groups services by their stack label, stacks by name, loose services last', () => {
    const groups = groupByStack([
      service('c', { name: 'zeta' }),
      service('a', { name: 'web', labels: { [STACK_LABEL]: 'shop' } }),
      service('b', { name: 'db', labels: { [STACK_LABEL]: 'shop' } }),
      service('d', { name: 'api', labels: { [STACK_LABEL]: 'admin' } }),
      service('e', { name: 'alpha' }),
    ]);
    assert.deepEqual(
      groups.map((g) => [g.stack, g.services.map((s) => s.name)]),
      [
        ['admin', ['api']],
        ['shop', ['db', 'web']],
        [undefined, ['alpha', 'zeta']],
      ],
    );
  });

  it('finds a stack\'s services, and none for a stack that does not exist', () => {
    const all = [service('a', { labels: { [STACK_LABEL]: 'shop' } }), service('b')];
    assert.deepEqual(servicesOfStack(all, 'shop').map((s) => s.id), ['a']);
    assert.deepEqual(servicesOfStack(all, 'nope'), []);
  });
});

describe('Swarm: task state text', () => {
  const now = Date.parse('2026-01-01T00:05:00Z');
  it('says the state and how long', () => {
    assert.equal(taskStateText(task('t', 's'), now, 'en', phrases, status), 'Running 5 minutes');
    assert.equal(taskTone(task('t', 's')), 'running');
  });
  it('gives a failed task its exit code and what it is meant to be', () => {
    const t = task('t', 's', { state: 'failed', desiredState: 'shutdown', exitCode: 137, error: 'task: non-zero exit (137)' });
    assert.equal(taskStateText(t, now, 'en', phrases, status), 'Failed 5 minutes · exit code 137 · desired: shutdown');
    assert.equal(taskTone(t), 'failed');
  });
  it('leaves a pending task\'s desired state out (the error says why it waits)', () => {
    const t = task('t', 's', { state: 'pending', error: 'no suitable node (host-mode port already in use on 1 node)' });
    assert.equal(taskStateText(t, now, 'en', phrases, status), 'Pending 5 minutes');
    assert.equal(taskTone(t), 'pending');
  });
  it('reads the engine\'s task payload: exit code, error, ports once each', () => {
    const t = toTaskRecord({
      ID: 't1',
      ServiceID: 's1',
      Slot: 2,
      NodeID: 'n',
      DesiredState: 'shutdown',
      Status: {
        State: 'failed',
        Err: 'task: non-zero exit (3)',
        Timestamp: '2026-01-01T00:00:00Z',
        ContainerStatus: { ContainerID: 'c1', ExitCode: 3 },
        PortStatus: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 30001, PublishMode: 'host' }, { Protocol: 'tcp', TargetPort: 80, PublishedPort: 30001, PublishMode: 'host' }] },
      },
    });
    assert.equal(t.exitCode, 3);
    assert.equal(t.error, 'task: non-zero exit (3)');
    assert.equal(t.containerId, 'c1');
    assert.deepEqual(t.ports, [{ targetPort: 80, publishedPort: 30001, protocol: 'tcp', mode: 'host' }]);
  });
  it('shows live tasks and the latest few that ended', () => {
    const tasks = [task('a', 's'), ...[1, 2, 3, 4, 5].map((i) => task(`old${i}`, 's', { state: 'failed', desiredState: 'shutdown', since: `2026-01-01T00:0${i}:00Z` }))];
    assert.deepEqual(visibleTasks(tasks).map((t) => t.id).sort(), ['a', 'old3', 'old4', 'old5']);
  });
});

describe('Swarm: replica counting', () => {
  it('counts running tasks meant to run against the replicas asked for', () => {
    const s = service('s', { replicas: 3 });
    const tasks = [task('1', 's'), task('2', 's', { state: 'starting' }), task('3', 's', { state: 'failed', desiredState: 'shutdown' }), task('4', 's'), task('x', 'other')];
    assert.deepEqual(countReplicas(s, tasks), { running: 2, desired: 3 });
    assert.equal(isConverged(s, tasks), false);
    assert.equal(isConverged(s, [...tasks, task('5', 's')]), true);
  });
  it('counts a global service against its tasks meant to run', () => {
    const s = service('g', { mode: 'global', replicas: undefined });
    assert.deepEqual(countReplicas(s, [task('1', 'g'), task('2', 'g', { state: 'preparing' })]), { running: 1, desired: 2 });
  });
  it('is not converged while an update runs or a task told to stop still runs', () => {
    const s = service('s', { replicas: 1 });
    assert.equal(isConverged({ ...s, updateState: 'updating' }, [task('1', 's')]), false);
    assert.equal(isConverged(s, [task('1', 's'), task('2', 's', { desiredState: 'shutdown' })]), false);
    assert.equal(isConverged(s, [task('1', 's'), task('2', 's', { desiredState: 'remove' })]), false, 'a scale-down still stopping');
    assert.equal(isConverged({ ...s, updateState: 'completed' }, [task('1', 's')]), true);
  });
  it('takes whole numbers from 0 to the maximum, and says what is wrong otherwise', () => {
    assert.deepEqual(parseReplicas(' 5 '), { replicas: 5 });
    assert.deepEqual(parseReplicas('0'), { replicas: 0 });
    assert.deepEqual(parseReplicas('abc'), { problem: { kind: 'notANumber', text: 'abc' } });
    assert.deepEqual(parseReplicas('2.5'), { problem: { kind: 'notANumber', text: '2.5' } });
    assert.deepEqual(parseReplicas('-1'), { problem: { kind: 'negative' } });
    assert.deepEqual(parseReplicas('10001'), { problem: { kind: 'tooMany', max: MAX_REPLICAS } });
    assert.deepEqual(parseReplicas('10000'), { replicas: 10000 });
  });
});

describe('Swarm: host-mode port rules', () => {
  const fixedHost: ServicePort = { targetPort: 80, publishedPort: 8080, protocol: 'tcp', mode: 'host' };
  const ingress: ServicePort = { targetPort: 80, publishedPort: 8081, protocol: 'tcp', mode: 'ingress' };
  const anyHost: ServicePort = { targetPort: 80, protocol: 'tcp', mode: 'host' };
  it('refuses more replicas than nodes for a fixed host-mode port', () => {
    assert.deepEqual(hostPortProblem([fixedHost], 2, 1), { ports: [fixedHost], replicas: 2, nodes: 1, fits: 1 });
    assert.equal(hostPortProblem([fixedHost], 2, 2), undefined);
  });
  it('lets ingress, an engine-assigned host port and a global service through', () => {
    assert.equal(hostPortProblem([ingress], 5, 1), undefined);
    assert.equal(hostPortProblem([anyHost], 5, 1), undefined);
    assert.equal(hostPortProblem([fixedHost], undefined, 1), undefined);
  });
  it('offers ingress or a port per task instead', () => {
    assert.deepEqual(asIngress([fixedHost, anyHost]), [{ ...fixedHost, mode: 'ingress' }, anyHost]);
    assert.deepEqual(asEngineAssigned([fixedHost, ingress]), [anyHost, ingress]);
  });
});

describe('Swarm: updates carry the version', () => {
  const outOfSequence = () => Object.assign(new Error('rpc error: code = Unknown desc = update out of sequence'), { statusCode: 500 });
  it('retries once with the fresh version after a concurrent change', async () => {
    let version = 10;
    const sent: number[] = [];
    const result = await updateWithRetry(
      async () => ({ version, spec: {} }),
      async (cur) => {
        sent.push(cur.version);
        if (sent.length === 1) {
          version = 11; // someone else changed it meanwhile
          throw outOfSequence();
        }
        return 'ok';
      },
    );
    assert.equal(result, 'ok');
    assert.deepEqual(sent, [10, 11]);
  });
  it('explains a second conflict instead of retrying forever', async () => {
    let writes = 0;
    await assert.rejects(
      updateWithRetry(async () => ({ version: 1, spec: {} }), async () => {
        writes++;
        throw outOfSequence();
      }),
      (err: Error & { statusCode?: number }) => err.statusCode === 409 && /changed by someone else/.test(err.message),
    );
    assert.equal(writes, 2);
  });
  it('does not retry other errors', async () => {
    let writes = 0;
    await assert.rejects(updateWithRetry(async () => ({ version: 1, spec: {} }), async () => {
      writes++;
      throw new Error('no such service');
    }), /no such service/);
    assert.equal(writes, 1);
    assert.equal(isOutOfSequence(new Error('update out of sequence')), true);
  });
  it('changes only what was asked of the spec', () => {
    const spec = { Name: 's', Mode: { Replicated: { Replicas: 1 } }, TaskTemplate: { ContainerSpec: { Image: 'a' } } };
    assert.equal(changedSpec(spec, { kind: 'scale', replicas: 4 }).spec.Mode.Replicated.Replicas, 4);
    assert.equal(spec.Mode.Replicated.Replicas, 1, 'the current spec is not touched');
    assert.equal(changedSpec(spec, { kind: 'restart' }).spec.TaskTemplate.ForceUpdate, 1);
    assert.equal(changedSpec(spec, { kind: 'rollback' }).rollback, true);
    assert.throws(() => changedSpec({ Mode: { Global: {} } }, { kind: 'scale', replicas: 2 }), /global/);
  });
});

describe('Swarm: convergence follow', () => {
  function fakeClock() {
    let now = 0;
    const timers: { at: number; fn: () => void }[] = [];
    return {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => {
        const t = { at: now + ms, fn };
        timers.push(t);
        return t;
      },
      clearTimeout: (h: unknown) => {
        const i = timers.indexOf(h as (typeof timers)[0]);
        if (i >= 0) timers.splice(i, 1);
      },
      async advance(ms: number) {
        const end = now + ms;
        for (;;) {
          await new Promise((r) => setImmediate(r));
          timers.sort((a, b) => a.at - b.at);
          const next = timers[0];
          if (!next || next.at > end) break;
          timers.shift();
          now = next.at;
          next.fn();
          await new Promise((r) => setImmediate(r));
        }
        now = end;
      },
      pending: () => timers.length,
    };
  }

  it('asks until converged, then stops', async () => {
    const clock = fakeClock();
    let checks = 0;
    const ended: string[] = [];
    const t = new ConvergenceTracker({ clock, check: async () => ++checks >= 3, ended: (_id, how) => ended.push(how) });
    t.follow('s');
    await clock.advance(20_000);
    // Converged at the third check (400 ms), then held for the CLI's 5 s before the follow ends.
    assert.equal(checks, 3 + 5000 / 200);
    assert.deepEqual(ended, ['converged']);
    assert.equal(clock.pending(), 0, 'no timer is left: no steady polling');
  });

  it('keeps following when converged does not hold (a task that starts, then fails)', async () => {
    const clock = fakeClock();
    const answers = [false, true, true, false, false, true];
    let checks = 0;
    const ended: string[] = [];
    const t = new ConvergenceTracker({ clock, check: async () => answers[checks++] ?? true, ended: (_id, how) => ended.push(how) });
    t.follow('s');
    await clock.advance(3_000);
    assert.deepEqual(ended, [], 'the failure after a converged moment restarted the wait');
    await clock.advance(10_000);
    assert.deepEqual(ended, ['converged']);
    // The last false was the 5th check (800 ms); converged from the 6th (1000 ms) held 5 s.
    assert.equal(checks, 6 + 5000 / 200);
  });

  it('gives up after 60 s, and a new trigger extends the follow without a second loop', async () => {
    const clock = fakeClock();
    let checks = 0;
    const ended: string[] = [];
    const t = new ConvergenceTracker({ clock, check: async () => (checks++, false), ended: (_id, how) => ended.push(how) });
    t.follow('s');
    await clock.advance(30_000);
    t.follow('s');
    assert.equal(t.following.length, 1);
    await clock.advance(59_000);
    assert.deepEqual(ended, []);
    await clock.advance(2_000);
    assert.deepEqual(ended, ['timeout']);
    assert.ok(checks > 400 && checks < 460, `about one check per 200 ms for 90 s (${checks})`);
    assert.equal(clock.pending(), 0);
  });

  it('stops at once when the service is gone', async () => {
    const clock = fakeClock();
    const ended: string[] = [];
    const t = new ConvergenceTracker({ clock, check: async () => undefined, ended: (_id, how) => ended.push(how) });
    t.follow('s');
    await clock.advance(1000);
    assert.deepEqual(ended, ['gone']);
  });
});

describe('Swarm: service log lines', () => {
  it('takes the task out of the engine\'s details and names it as the CLI does', () => {
    const l = parseServiceLogLine('com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=abcdefghijklmnopqrstu hello world');
    assert.deepEqual(l, { taskId: 'abcdefghijklmnopqrstu', nodeId: 'n1', text: 'hello world' });
    assert.equal(taskPrefix('web', 2, l.taskId, 'node1'), 'web.2.abcdefghijkl@node1');
  });
  it('leaves a line without details as it is', () => {
    assert.deepEqual(parseServiceLogLine('plain line: a=b c'), { text: 'plain line: a=b c' });
  });
});

describe('the address a new swarm listens on', () => {
  it('takes an address, an address and port, an IPv6 address in brackets, or an interface name', () => {
    assert.deepEqual(parseSwarmAddress('127.0.0.1'), { addr: '127.0.0.1', port: 2377 });
    assert.deepEqual(parseSwarmAddress(' 192.168.1.10:4000 '), { addr: '192.168.1.10', port: 4000 });
    assert.deepEqual(parseSwarmAddress('[fd00::1]:2400'), { addr: 'fd00::1', port: 2400 });
    assert.deepEqual(parseSwarmAddress('fd00::1'), { addr: 'fd00::1', port: 2377 });
    assert.deepEqual(parseSwarmAddress('eth0:2377'), { addr: 'eth0', port: 2377 });
    assert.equal(joinAddress('fd00::1', 2377), '[fd00::1]:2377');
  });
  it('refuses what no engine would listen on, saying which part', () => {
    assert.deepEqual(parseSwarmAddress('  '), { problem: { kind: 'empty' } });
    assert.deepEqual(parseSwarmAddress('300.1.1.1'), { problem: { kind: 'address', text: '300.1.1.1' } });
    assert.deepEqual(parseSwarmAddress('127.0.0.1:0'), { problem: { kind: 'port', text: '0' } });
    assert.deepEqual(parseSwarmAddress('127.0.0.1:70000'), { problem: { kind: 'port', text: '70000' } });
    assert.deepEqual(parseSwarmAddress('127.0.0.1:'), { problem: { kind: 'port', text: '' } });
    assert.deepEqual(parseSwarmAddress('my host'), { problem: { kind: 'address', text: 'my host' } });
  });
});

describe('an update that keeps the service\'s own policy', () => {
  it('changes only the fields given, keeping the order, monitor and failure action', () => {
    const spec = { TaskTemplate: { ContainerSpec: { Image: 'a:1' } }, UpdateConfig: { Parallelism: 1, FailureAction: 'pause', Monitor: 7e9, Order: 'start-first' } };
    const next = changedSpec(spec, { kind: 'image', image: 'a:2', update: { parallelism: 3 } }).spec;
    assert.deepEqual(next.UpdateConfig, { Parallelism: 3, FailureAction: 'pause', Monitor: 7e9, Order: 'start-first' });
    assert.deepEqual(changedSpec(spec, { kind: 'image', image: 'a:2' }).spec.UpdateConfig, spec.UpdateConfig);
  });
  it('finds the fixed host-mode ports a scale leaves to the engine, which must be removed first', () => {
    const spec = [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 28330, PublishMode: 'host' }, { Protocol: 'tcp', TargetPort: 443, PublishedPort: 8443, PublishMode: 'ingress' }];
    assert.deepEqual(droppedFixedPorts(spec, [{ targetPort: 80, protocol: 'tcp', mode: 'host' }, { targetPort: 443, publishedPort: 8443, protocol: 'tcp', mode: 'ingress' }]), [spec[0]]);
    assert.deepEqual(droppedFixedPorts(spec, [{ targetPort: 80, publishedPort: 28330, protocol: 'tcp', mode: 'host' }]), []);
    assert.deepEqual(droppedFixedPorts(spec, [{ targetPort: 80, protocol: 'udp', mode: 'host' }]), []);
  });
});
