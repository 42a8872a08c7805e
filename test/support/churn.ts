// Issue 14, "load without drift": a second client that churns the engine at a bounded rate on
// objects of its own (labelled berth.test and this run's label, so cleanup finds them): create,
// start, stop, kill, pause, unpause, rename, remove, network connect and disconnect, and a
// periodic build whose RUN steps make intermediate containers. pause() stops issuing, waits for
// what is in flight, then for a quiet second, so a checkpoint compares a settled engine.
import Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BASE_IMAGE, TEST_LABEL, TEST_RUN, TEST_RUN_LABEL, testLabels } from './testEngine';

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
/** The Compose projects churned containers are spread over (about half get one). */
const PROJECTS = ['berth-drift-a', 'berth-drift-b', 'berth-drift-c'];
const OPS = ['create', 'start', 'stop', 'kill', 'pause', 'unpause', 'rename', 'remove', 'connect', 'disconnect'] as const;
export type ChurnOp = (typeof OPS)[number] | 'build';

export interface ChurnOptions {
  opsPerSecond: number;
  /** At most this many requests in flight: a slow engine lowers the rate rather than piling up. */
  maxInFlight?: number;
  buildEveryMs?: number;
  /** Prefix of every churned name. */
  prefix: string;
  log?: (m: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(list: readonly T[]): T | undefined => (list.length ? list[Math.floor(Math.random() * list.length)] : undefined);

/** Removes and returns a random element. */
const take = <T>(list: T[]): T | undefined => (list.length ? list.splice(Math.floor(Math.random() * list.length), 1)[0] : undefined);

/** Runs `jobs` with at most `limit` at once; the first failure is thrown after all settle. */
export async function inParallel<T>(items: readonly T[], limit: number, job: (item: T, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await job(items[i], i).catch((e: unknown) => errors.push(e));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length) throw errors[0];
}

/** The label filter for this run's objects only (the base image's berth.test=1 is inherited by every container). */
export function runFilter(): string {
  return JSON.stringify({ label: [`${TEST_RUN_LABEL}=${TEST_RUN}`] });
}

export class Churn {
  /** Containers this driver made and has not seen removed. */
  readonly ids: string[] = [];
  readonly networks: string[] = [];
  readonly volumes: string[] = [];
  readonly counts: Record<string, number> = {};
  /** Refusals the engine gives for a state that changed under us (stop a stopped one): expected. */
  readonly refused: Record<string, number> = {};
  readonly failures: string[] = [];
  /** Targets for unpause and disconnect: picked at random among 1,000 they would nearly always be refused. */
  private readonly paused: string[] = [];
  private readonly connected: { id: string; network: string }[] = [];
  private inFlight = new Set<Promise<unknown>>();
  private running = false;
  private loop: Promise<void> | undefined;
  private serial = 0;
  private nextBuild = 0;
  private readonly maxInFlight: number;

  constructor(
    private readonly docker: Docker,
    private readonly opts: ChurnOptions,
  ) {
    this.maxInFlight = opts.maxInFlight ?? 16;
  }

  get issued(): number {
    // Skipped ticks (too many requests in flight) were never sent.
    return Object.entries(this.counts).reduce((a, [op, n]) => (op === 'skipped' ? a : a + n), 0);
  }

  /** Networks and volumes to use, then `count` containers created in bounded parallel, about half started. */
  async setup(count: number, parallel = 8): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const n = await this.docker.createNetwork({ Name: `${this.opts.prefix}-net-${i}`, Labels: testLabels() });
      this.networks.push(n.id);
      const v = await this.docker.createVolume({ Name: `${this.opts.prefix}-vol-${i}`, Labels: testLabels() });
      this.volumes.push((v as unknown as { name?: string; Name?: string }).name ?? `${this.opts.prefix}-vol-${i}`);
    }
    await inParallel(
      Array.from({ length: count }, (_, i) => i),
      parallel,
      async (i) => {
        const id = await this.create();
        if (i % 2 === 0) await this.docker.getContainer(id).start();
      },
    );
  }

  private async create(): Promise<string> {
    const n = this.serial++;
    const labels: Record<string, string> = { ...testLabels() };
    // Compose groups: the view groups by this label, so membership is exercised.
    if (n % 2 === 0) labels[COMPOSE_PROJECT_LABEL] = PROJECTS[n % PROJECTS.length];
    const publish = n % 3 === 0;
    const c = await this.docker.createContainer({
      name: `${this.opts.prefix}-${n}`,
      Image: BASE_IMAGE,
      Cmd: ['sleep', '3600'],
      Labels: labels,
      StopTimeout: 1,
      ...(publish ? { ExposedPorts: { '80/tcp': {} } } : {}),
      HostConfig: {
        ...(publish ? { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } } : {}),
        ...(n % 5 === 0 && this.volumes.length ? { Binds: [`${this.volumes[n % this.volumes.length]}:/data`] } : {}),
      },
    });
    this.ids.push(c.id);
    return c.id;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops issuing, waits for what is in flight, then for `quietMs` of quiet. */
  async pause(quietMs = 1000): Promise<void> {
    this.running = false;
    await this.loop;
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    await sleep(quietMs);
  }

  private async run(): Promise<void> {
    const every = 1000 / this.opts.opsPerSecond;
    let due = Date.now();
    if (!this.nextBuild) this.nextBuild = Date.now() + (this.opts.buildEveryMs ?? 10_000) / 2;
    while (this.running) {
      due += every;
      if (this.opts.buildEveryMs && Date.now() >= this.nextBuild) {
        this.nextBuild = Date.now() + this.opts.buildEveryMs;
        this.track('build', this.build());
      }
      // Bounded: a slow engine lowers the rate instead of piling requests up.
      if (this.inFlight.size < this.maxInFlight) {
        const op = pick(OPS)!;
        this.track(op, this.operate(op));
      } else this.counts.skipped = (this.counts.skipped ?? 0) + 1;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      else due = Date.now();
    }
  }

  private track(op: string, p: Promise<unknown>): void {
    this.counts[op] = (this.counts[op] ?? 0) + 1;
    const tracked = p.catch((err: unknown) => {
      const status = (err as { statusCode?: number }).statusCode;
      // 304 already in that state, 403 already on that network, 404 gone, 409 conflicting state,
      // and the 500s dockerd gives for a state that changed under the request ("is not paused",
      // "cannot pause a stopped container", "OCI runtime resume failed" when a kill races it, "not
      // connected"): the churn picks its targets at random and races itself on purpose. Any other
      // status, and any failed build, fails the test.
      if (op !== 'build' && [304, 403, 404, 409, 500].includes(status ?? 0))
        this.refused[op] = (this.refused[op] ?? 0) + 1;
      else this.failures.push(`${op}: ${(err as Error).message}`);
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async operate(op: (typeof OPS)[number]): Promise<void> {
    if (op === 'create') {
      await this.create();
      return;
    }
    const id = pick(this.ids);
    if (!id) return;
    const c = this.docker.getContainer(id);
    switch (op) {
      case 'start':
        return c.start();
      case 'stop':
        return c.stop({ t: 0 });
      case 'kill':
        return c.kill();
      case 'pause':
        await c.pause();
        this.paused.push(id);
        return;
      case 'unpause':
        return this.docker.getContainer(take(this.paused) ?? id).unpause();
      case 'rename':
        return c.rename({ name: `${this.opts.prefix}-${this.serial++}` });
      case 'remove':
        // Only churned-in containers go, so the set does not drain over a long run.
        if (this.ids.length < 10) return;
        this.ids.splice(this.ids.indexOf(id), 1);
        return c.remove({ force: true, v: false });
      case 'connect': {
        const network = pick(this.networks)!;
        await this.docker.getNetwork(network).connect({ Container: id });
        this.connected.push({ id, network });
        return;
      }
      case 'disconnect': {
        const pair = take(this.connected) ?? { id, network: pick(this.networks)! };
        return this.docker.getNetwork(pair.network).disconnect({ Container: pair.id, Force: true });
      }
    }
  }

  /** A classic-builder build (dockerode's default) with RUN steps: each makes an intermediate container. */
  private async build(): Promise<void> {
    const n = this.serial++;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-churn-build-'));
    try {
      // The run label before the RUN steps: the intermediate containers carry it too.
      const lines = [`FROM ${BASE_IMAGE}`, `LABEL ${TEST_LABEL}=1 ${TEST_RUN_LABEL}=${TEST_RUN}`, `RUN echo ${n} > /a && sleep 0.2`, `RUN echo ${n} > /b && sleep 0.2`, `RUN cat /a /b`];
      fs.writeFileSync(path.join(dir, 'Dockerfile'), lines.join('\n') + '\n');
      // Alternating between two tags leaves the older image dangling: the Images view's dangling group churns too.
      const stream = await this.docker.buildImage({ context: dir, src: ['Dockerfile'] }, { t: `berth-test/drift-${this.opts.prefix}:${n % 2}`, labels: testLabels(), rm: true, forcerm: true, nocache: true });
      const out: { error?: string }[] = await new Promise((resolve, reject) => this.docker.modem.followProgress(stream, (err: Error | null, res: { error?: string }[]) => (err ? reject(err) : resolve(res))));
      const failed = out.find((o) => o.error);
      if (failed) throw new Error(`build: ${failed.error}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Removes this run's containers (bounded parallel), networks, volumes and churn images. */
  async cleanup(parallel = 8): Promise<void> {
    const filters = runFilter();
    const containers = await this.docker.listContainers({ all: true, filters });
    await inParallel(containers, parallel, (c) => this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined));
    for (const n of await this.docker.listNetworks({ filters })) await this.docker.getNetwork(n.Id).remove().catch(() => undefined);
    for (const v of (await this.docker.listVolumes({ filters })).Volumes ?? []) await this.docker.getVolume(v.Name).remove().catch(() => undefined);
    for (const img of await this.docker.listImages({ filters })) await this.docker.getImage(img.Id).remove({ force: true }).catch(() => undefined);
  }
}
