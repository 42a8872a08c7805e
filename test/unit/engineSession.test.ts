// The session's state machine against a scripted engine that speaks the contract, on a clock the
// test moves by hand: connecting, unreachable, retries with backoff (ssh's own policy), resync
// after a dropped stream, and an engine switch disposing the old connection's scope.
import { strict as assert } from 'assert';
import type { EngineClient, EventSubscription } from '../../src/contract/client';
import type { Endpoint } from '../../src/contract/endpoint';
import type { ContainerRecord, EngineEvent } from '../../src/contract/records';
import { EngineSession, HEARTBEAT_MS, type EngineState } from '../../src/session/engineSession';
import { retryDelayMs, SSH_MAX_RETRIES } from '../../src/session/retryPolicy';
import type { WatchSocket } from '../../src/session/socketWatch';
import type { Timers } from '../../src/session/timers';

class FakeTimers implements Timers {
  private t = 1_700_000_000_000;
  private queue: { at: number; fn: () => void; handle: number }[] = [];
  private next = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const handle = this.next++;
    this.queue.push({ at: this.t + ms, fn, handle });
    return handle;
  };
  clearTimeout = (handle: unknown) => {
    this.queue = this.queue.filter((q) => q.handle !== handle);
  };
  get pending(): number[] {
    return this.queue.map((q) => q.at - this.t);
  }
  /** Moves the clock, firing each timer due on the way and letting its promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const due = this.queue[0];
      if (!due || due.at > end) break;
      this.queue.shift();
      this.t = due.at;
      due.fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

const unix: Endpoint = { kind: 'unix', socketPath: '/scripted.sock', source: 'setting', url: 'unix:///scripted.sock' };
const ssh: Endpoint = { kind: 'ssh', host: 'far.example', source: 'setting', url: 'ssh://far.example' };
const refused = () => Object.assign(new Error('connect ECONNREFUSED /scripted.sock'), { code: 'refused' });

function container(id: string): ContainerRecord {
  return { id, name: id, image: 'img', imageId: 'sha256:img', state: 'running', status: 'Up', created: 1, command: '', ports: [], labels: {}, volumes: [], networks: [] };
}

/** An engine per endpoint url: answers or refuses, lists what it holds, streams what the test emits. */
class ScriptedEngines {
  up = new Set<string>();
  holds: Record<string, ContainerRecord[]> = {};
  clients: { url: string; disposed: boolean }[] = [];
  pings: string[] = [];
  lists: string[] = [];
  streams: { url: string; since: number | undefined; emit: (e: EngineEvent) => void; end: (err?: Error) => void; closed: boolean }[] = [];
  /** When set, pings of this url wait for the test. */
  holdPing: { url: string; release?: () => void } | undefined;

  factory = (endpoint: Endpoint): EngineClient => {
    const url = endpoint.url;
    const record = { url, disposed: false };
    this.clients.push(record);
    const none = async () => [];
    return {
      endpoint,
      ping: async () => {
        this.pings.push(url);
        if (this.holdPing?.url === url) await new Promise<void>((r) => (this.holdPing!.release = r));
        if (!this.up.has(url)) throw refused();
        return { version: '1', apiVersion: '1.41', os: 'linux', arch: 'amd64', product: 'Docker Engine' };
      },
      listContainers: async () => {
        this.lists.push(url);
        return this.holds[url] ?? [];
      },
      listImages: none,
      listVolumes: none,
      listNetworks: none,
      container: async (id: string) => (this.holds[url] ?? []).find((c) => c.id === id),
      events: async (since: number | undefined, onEvent: (e: EngineEvent) => void): Promise<EventSubscription> => {
        let end: (err?: Error) => void = () => undefined;
        const s = { url, since, emit: onEvent, end: (err?: Error) => end(err), closed: false };
        this.streams.push(s);
        return { ended: new Promise((r) => (end = r)), close: () => (s.closed = true) };
      },
      dispose: () => (record.disposed = true),
    } as unknown as EngineClient;
  };
}

/** Stands in for fs.watch on the socket's folder: the test says when the socket is back. */
class FakeSocketWatch {
  watching: { path: string; fire: () => void; closed: boolean }[] = [];
  watch: WatchSocket = (path, onSocket) => {
    const w = { path, fire: onSocket, closed: false };
    this.watching.push(w);
    return { close: () => (w.closed = true) };
  };
  get open() {
    return this.watching.filter((w) => !w.closed);
  }
  /** The socket file is back. */
  appear(): void {
    for (const w of this.open) w.fire();
  }
}

function session(engines: ScriptedEngines, timers: FakeTimers, endpoint: () => Endpoint = () => unix, sockets = new FakeSocketWatch()) {
  const s = new EngineSession({ resolve: endpoint, createClient: engines.factory, timers, watchSocket: sockets.watch });
  const states: EngineState[] = [];
  s.onDidChangeStatus((st) => states.push(st.state));
  return { s, states };
}

describe('session retry policy', () => {
  it('retries a local engine quickly and for as long as a view is visible', () => {
    assert.deepEqual([0, 1, 2, 3, 50].map((n) => retryDelayMs('unix', n)), [250, 500, 1000, 1000, 1000]);
    assert.equal(retryDelayMs('tcp', 1000), 1000);
  });

  it('backs off further for ssh, each try being a new ssh process, and stops after a few', () => {
    const delays = Array.from({ length: SSH_MAX_RETRIES + 2 }, (_, n) => retryDelayMs('ssh', n));
    assert.deepEqual(delays, [2000, 4000, 8000, 16000, 30000, undefined, undefined]);
  });
});

describe('engine session state machine', () => {
  it('connects: connecting, then ready with the stores filled', async () => {
    const engines = new ScriptedEngines();
    engines.up.add(unix.url);
    engines.holds[unix.url] = [container('web')];
    const { s, states } = session(engines, new FakeTimers());
    await s.connect();
    assert.deepEqual(states, ['connecting', 'ready']);
    assert.equal(s.containers.get('web')?.name, 'web');
    s.dispose();
  });

  it('unreachable while no view is visible: says why and does not retry', async () => {
    const engines = new ScriptedEngines();
    const timers = new FakeTimers();
    const { s } = session(engines, timers);
    await s.connect();
    assert.equal(s.status.state, 'unreachable');
    assert.equal(s.status.error?.code, 'refused', "the engine's code is kept as it is");
    await timers.advance(60_000);
    assert.equal(engines.pings.length, 1);
    assert.equal(engines.clients[0].disposed, true, 'the failed client is let go');
    s.dispose();
  });

  it('retries a local engine with backoff while visible, and is ready once it answers', async () => {
    const engines = new ScriptedEngines();
    const timers = new FakeTimers();
    const { s } = session(engines, timers);
    s.setLive(true);
    await s.connect();
    assert.deepEqual(timers.pending, [250]);
    await timers.advance(250);
    assert.deepEqual(timers.pending, [500]);
    await timers.advance(500 + 1000 + 1000);
    assert.equal(engines.pings.length, 5, 'tries at 0, 0.25, 0.75, 1.75 and 2.75 s');
    engines.up.add(unix.url);
    await timers.advance(1000);
    assert.equal(s.status.state, 'ready');
    assert.deepEqual(timers.pending, [HEARTBEAT_MS], 'no retry left behind once ready, only the heartbeat');
    assert.equal(engines.streams.length, 1, 'a visible view gets its stream');
    s.dispose();
  });

  it('stops retrying an ssh engine after a few tries, until the view shows again or the user retries', async () => {
    const engines = new ScriptedEngines();
    const timers = new FakeTimers();
    const { s } = session(engines, timers, () => ssh);
    s.setLive(true);
    await s.connect();
    await timers.advance(3_600_000);
    assert.equal(engines.pings.length, 1 + SSH_MAX_RETRIES, 'one connect and five retries in an hour, not one a second');
    assert.equal(s.retryPending, false);
    assert.equal(s.status.state, 'unreachable');
    // Hidden and shown again: a fresh round.
    s.setLive(false);
    s.setLive(true);
    await flush();
    assert.equal(engines.pings.length, 2 + SSH_MAX_RETRIES);
    assert.deepEqual(timers.pending, [2000], 'the backoff starts over');
    // The user's Retry starts over too.
    await timers.advance(2000);
    await s.connect();
    assert.deepEqual(timers.pending, [2000]);
    s.dispose();
    assert.deepEqual(timers.pending, [], 'dispose clears the retry timer');
  });

  it('hiding every view cancels a pending retry', async () => {
    const engines = new ScriptedEngines();
    const timers = new FakeTimers();
    const { s } = session(engines, timers);
    s.setLive(true);
    await s.connect();
    assert.equal(timers.pending.length, 1);
    s.setLive(false);
    assert.deepEqual(timers.pending, []);
    await timers.advance(10_000);
    assert.equal(engines.pings.length, 1);
    s.dispose();
  });

  it('after a dropped stream: reopens from the last event and resyncs once', async () => {
    const engines = new ScriptedEngines();
    engines.up.add(unix.url);
    const timers = new FakeTimers();
    const { s } = session(engines, timers);
    s.setLive(true);
    await s.connect();
    assert.equal(engines.streams.length, 1);
    const listsBefore = engines.lists.length;
    engines.holds[unix.url] = [container('late')];
    engines.streams[0].emit({ type: 'network', action: 'connect', id: 'n', attributes: {}, timeNano: 42 });
    engines.streams[0].end(new Error('socket hang up'));
    await flush();
    assert.equal(engines.streams.length, 2);
    assert.equal(engines.streams[1].since, 42, 'resumed from the last event seen');
    assert.equal(engines.lists.length, listsBefore + 1, 'one resync');
    assert.equal(s.containers.get('late')?.id, 'late', 'what happened meanwhile is listed');
    assert.equal(s.status.state, 'ready');
    s.dispose();
  });

  it('a dropped stream on an engine that went away becomes unreachable and retries', async () => {
    const engines = new ScriptedEngines();
    engines.up.add(unix.url);
    const timers = new FakeTimers();
    const { s, states } = session(engines, timers);
    s.setLive(true);
    await s.connect();
    engines.up.delete(unix.url);
    engines.streams[0].end(new Error('EOF'));
    await flush();
    assert.deepEqual(states, ['connecting', 'ready', 'unreachable']);
    assert.deepEqual(timers.pending, [250]);
    engines.up.add(unix.url);
    await timers.advance(250);
    assert.equal(s.status.state, 'ready');
    s.dispose();
  });

  it('switching engines disposes the old scope: its slow ping, stream and late events are dropped', async () => {
    const engines = new ScriptedEngines();
    const other: Endpoint = { kind: 'unix', socketPath: '/other.sock', source: 'choice', url: 'unix:///other.sock' };
    engines.up.add(unix.url).add(other.url);
    engines.holds[unix.url] = [container('old')];
    engines.holds[other.url] = [container('new')];
    let target = unix;
    const timers = new FakeTimers();
    const { s } = session(engines, timers, () => target);
    const changed: string[] = [];
    s.onDidChangeEngine((e) => changed.push(e.url));
    s.setLive(true);
    await s.connect();
    const oldStream = engines.streams[0];
    // Reconnect to the same engine, but hold its ping; then switch while it is in flight.
    engines.holdPing = { url: unix.url };
    const slow = s.connect();
    await flush();
    assert.equal(oldStream.closed, true, "the first connection's stream closed with its scope");
    target = other;
    await s.connect();
    engines.holdPing.release!();
    await slow;
    assert.deepEqual(changed, [other.url]);
    assert.equal(s.status.endpoint?.url, other.url);
    assert.equal(s.status.state, 'ready');
    assert.deepEqual(s.containers.all().map((c) => c.id), ['new']);
    assert.deepEqual(engines.clients.filter((c) => c.url === unix.url).map((c) => c.disposed), [true, true], 'both clients of the old engine let go');
    // A late event from the old engine's stream changes nothing.
    oldStream.emit({ type: 'container', action: 'start', id: 'old', attributes: {}, timeNano: 7 });
    await s.settled();
    await flush();
    assert.deepEqual(s.containers.all().map((c) => c.id), ['new']);
    assert.equal(engines.streams.filter((x) => !x.closed).length, 1, 'one open stream, on the new engine');
    s.dispose();
    assert.equal(engines.streams.filter((x) => !x.closed).length, 0);
  });

  it('retries a local engine the moment its socket file is back, not after the backoff', async () => {
    const engines = new ScriptedEngines();
    const timers = new FakeTimers();
    const sockets = new FakeSocketWatch();
    const { s } = session(engines, timers, () => unix, sockets);
    s.setLive(true);
    await s.connect();
    await timers.advance(250 + 500);
    assert.deepEqual(timers.pending, [1000], 'waiting out a 1 s backoff');
    assert.deepEqual(sockets.open.map((w) => w.path), ['/scripted.sock'], 'one watch on the socket while unreachable');
    const pings = engines.pings.length;
    engines.up.add(unix.url);
    sockets.appear();
    await flush();
    assert.equal(engines.pings.length, pings + 1, 'pinged at once, no clock moved');
    assert.equal(s.status.state, 'ready');
    assert.deepEqual(sockets.open, [], 'no watch once it answers');
    assert.deepEqual(timers.pending, [HEARTBEAT_MS]);
    s.dispose();
  });

  it('a socket back while a try is failing retries at once; hiding the views stops the watch', async () => {
    const engines = new ScriptedEngines();
    const timers = new FakeTimers();
    const sockets = new FakeSocketWatch();
    const { s } = session(engines, timers, () => unix, sockets);
    s.setLive(true);
    await s.connect();
    await timers.advance(250 + 500);
    engines.holdPing = { url: unix.url };
    await timers.advance(1000);
    // The try is in flight (its ping held); the socket comes back before it fails.
    sockets.appear();
    engines.holdPing.release!();
    engines.holdPing = undefined;
    await flush();
    assert.deepEqual(timers.pending, [0], 'the failed try is followed at once');
    engines.up.add(unix.url);
    await timers.advance(0);
    assert.equal(s.status.state, 'ready');
    engines.up.delete(unix.url);
    engines.streams[0].end(new Error('EOF'));
    await flush();
    assert.equal(sockets.open.length, 1);
    s.setLive(false);
    assert.deepEqual(sockets.open, [], 'nobody looking: no watch');
    assert.deepEqual(timers.pending, []);
    s.dispose();
  });

  it('an ssh or tcp engine has no socket file to watch', async () => {
    const engines = new ScriptedEngines();
    const sockets = new FakeSocketWatch();
    const { s } = session(engines, new FakeTimers(), () => ssh, sockets);
    s.setLive(true);
    await s.connect();
    assert.equal(s.status.state, 'unreachable');
    assert.deepEqual(sockets.watching, []);
    s.dispose();
  });

  it('a visible engine that stops answering (frozen) is unreachable after the heartbeat and the ping timeout', async () => {
    const engines = new ScriptedEngines();
    engines.up.add(unix.url);
    engines.holds[unix.url] = [container('web')];
    const timers = new FakeTimers();
    const { s, states } = session(engines, timers);
    s.setLive(true);
    await s.connect();
    await timers.advance(HEARTBEAT_MS);
    assert.equal(engines.pings.length, 2, 'one heartbeat ping');
    assert.deepEqual(timers.pending, [HEARTBEAT_MS], 'the next one scheduled only after the answer');
    // Frozen: the stream stays open and silent; the heartbeat's ping times out.
    engines.up.delete(unix.url);
    await timers.advance(HEARTBEAT_MS);
    assert.deepEqual(states, ['connecting', 'ready', 'unreachable']);
    assert.equal(engines.streams[0].closed, true, 'the silent stream is closed');
    assert.equal(s.containers.size, 0);
    assert.deepEqual(timers.pending, [250], 'retried with the backoff; no heartbeat while unreachable');
    engines.up.add(unix.url);
    await timers.advance(250);
    assert.equal(s.status.state, 'ready');
    assert.equal(s.containers.get('web')?.id, 'web');
    // Hidden: no heartbeat, nothing asked of the engine.
    s.setLive(false);
    assert.deepEqual(timers.pending, []);
    s.dispose();
  });
});
