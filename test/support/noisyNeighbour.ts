// A "noisy neighbour" on the shared engine: another client creating, starting, pausing, stopping
// and removing containers in a loop, as a developer's own work or another test run does. Berth's
// tests must pass beside it, and Berth's stores must stay right through it.
//
// Its containers do NOT carry the test label (berth.test), so no test's cleanup (which removes by
// that label) touches them and no assertion scoped to a test's own objects sees them. They carry
// berth.noise=<run id> instead, and the neighbour removes exactly those when it stops. It is bounded
// in containers and in time, and a crashed run leaves little: most of its containers run a bounded
// `sleep` and half are auto-removed by the engine when they exit.
import type Docker from 'dockerode';
import { buildImage, busyboxPath, TEST_LABEL } from './testEngine';
import { waitFor } from './wait';

export const NOISE_LABEL = 'berth.noise';
/**
 * Not the test base image: containers inherit their image's labels, and the base image carries
 * berth.test, which would put the neighbour's containers in every test's cleanup. This one carries
 * berth.noise only, and stays cached like the base image.
 */
export const NOISE_IMAGE = 'berth-noise/busybox:latest';

async function ensureNoiseImage(docker: Docker): Promise<void> {
  if (await docker.getImage(NOISE_IMAGE).inspect().then(() => true, () => false)) return;
  await buildImage(
    docker,
    'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["sh"]\n',
    NOISE_IMAGE,
    { busybox: busyboxPath() },
    { [NOISE_LABEL]: 'image' },
  );
}

export interface NoiseOptions {
  /** Loops running at once (default 2). */
  workers?: number;
  /** Containers it tries to make in all before it stops by itself (default 400). */
  maxContainers?: number;
  /** Time after which it stops by itself (default 5 minutes). */
  maxMs?: number;
  /** Pause between two containers of one loop (default 50 ms). */
  pauseMs?: number;
}

export interface NoiseReport {
  runId: string;
  /** Containers created (every one of them removed by the time stop() resolves). */
  created: number;
  /** Operations the engine refused (a container auto-removed before our remove, say). */
  refused: number;
  /** The first few refusals, for a report when nothing worked. */
  samples: string[];
  ms: number;
}

export interface NoisyNeighbour {
  readonly runId: string;
  /** Containers created so far. */
  readonly created: number;
  /** Resolves once it has created at least `n` containers (fails if it stopped before). */
  reached(n: number): Promise<void>;
  /** Ends the loops, waits for the containers in hand, removes every container of this run. */
  stop(): Promise<NoiseReport>;
}

/** The filter for this run's containers, and only them. */
export function noiseFilter(runId: string): string {
  return JSON.stringify({ label: [`${NOISE_LABEL}=${runId}`] });
}

/** True for an engine event about a container of this noise run (events carry container labels). */
export function isNoiseEvent(runId: string, e: { type: string; attributes: Record<string, string> }): boolean {
  return e.type === 'container' && e.attributes[NOISE_LABEL] === runId;
}

export function startNoisyNeighbour(docker: Docker, opts: NoiseOptions = {}): NoisyNeighbour {
  const runId = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const workers = opts.workers ?? 2;
  const maxContainers = opts.maxContainers ?? 400;
  const maxMs = opts.maxMs ?? 5 * 60_000;
  const pauseMs = opts.pauseMs ?? 50;
  const started = Date.now();
  let attempts = 0;
  let created = 0;
  let refused = 0;
  const samples: string[] = [];
  let stopping = false;
  let mislabelled = false;
  const waiters: { n: number; resolve(): void; reject(e: Error): void }[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const done = () => stopping || attempts >= maxContainers || Date.now() - started > maxMs;
  // Each step may fail (the engine auto-removed a container, or is busy): noise carries on.
  const step = async (what: string, op: () => Promise<unknown>): Promise<void> => {
    try {
      await op();
    } catch (err) {
      refused++;
      if (samples.length < 5) samples.push(`${what}: ${(err as Error).message}`);
    }
  };

  // Different lifecycles, so the neighbour sends every kind of container event Berth follows.
  const lifecycles: ((c: Docker.Container) => Promise<void>)[] = [
    async (c) => {
      await step('start', () => c.start());
      await step('stop', () => c.stop({ t: 0 }));
    },
    async (c) => {
      await step('start', () => c.start());
      await step('pause', () => c.pause());
      await step('unpause', () => c.unpause());
      await step('kill', () => c.kill());
    },
    async (c) => {
      await step('start', () => c.start());
      await step('restart', () => c.restart({ t: 0 }));
      await step('kill', () => c.kill());
    },
    async () => undefined, // created, never started, removed
  ];

  async function loop(worker: number): Promise<void> {
    while (!done()) {
      const n = attempts++;
      const autoRemove = n % 2 === 1;
      let container: Docker.Container | undefined;
      await step('create', async () => {
        container = await docker.createContainer({
          name: `berth-noise-${runId}-${n}`,
          Image: NOISE_IMAGE,
          // Bounded, so a container left by a crashed run ends by itself.
          Cmd: ['sleep', '120'],
          Labels: { [NOISE_LABEL]: runId },
          StopTimeout: 1,
          HostConfig: { AutoRemove: autoRemove },
        });
        created++;
        // Once per run: its containers must be outside every test's cleanup (see NOISE_IMAGE).
        if (created === 1 && TEST_LABEL in ((await container.inspect()).Config.Labels ?? {})) mislabelled = true;
        for (const w of waiters.filter((x) => created >= x.n)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      });
      if (container) {
        await lifecycles[(n + worker) % lifecycles.length](container);
        await step('remove', () => container!.remove({ force: true }).catch((e: { statusCode?: number }) => (e.statusCode === 404 || e.statusCode === 409 ? undefined : Promise.reject(e))));
      }
      await sleep(pauseMs);
    }
  }

  const loops = ensureNoiseImage(docker)
    .then(() => Promise.all(Array.from({ length: workers }, (_, w) => loop(w))))
    .catch((err: Error) => void samples.push(`noise image: ${(refused++, err.message)}`))
    .then(() => {
      for (const w of waiters.splice(0)) w.reject(new Error(`the noisy neighbour stopped after ${created} containers, before ${w.n}: ${samples.join('; ')}`));
    });
  let report: Promise<NoiseReport> | undefined;

  return {
    runId,
    get created() {
      return created;
    },
    reached: (n) => (created >= n ? Promise.resolve() : new Promise((resolve, reject) => waiters.push({ n, resolve, reject }))),
    stop: () =>
      (report ??= (async () => {
        stopping = true;
        await loops;
        // Exactly this run's containers: by its own label value, never by name or the test label.
        // An auto-removed one can still be on its way out, so look until none is left.
        for (let attempt = 0; attempt < 50; attempt++) {
          const left = await docker.listContainers({ all: true, filters: noiseFilter(runId) });
          if (!left.length) break;
          for (const c of left) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
          await sleep(100);
        }
        if (mislabelled) throw new Error(`the noisy neighbour's containers carry ${TEST_LABEL}: other tests' cleanup would remove them`);
        return { runId, created, refused, samples, ms: Date.now() - started };
      })()),
  };
}

/**
 * Runs `body` while a noisy neighbour works on the engine, then stops it. Fails if the neighbour
 * made no noise (every create refused): a test "under noise" must really have had some.
 */
export async function withNoisyNeighbour<T>(docker: Docker, body: (noise: NoisyNeighbour) => Promise<T>, opts?: NoiseOptions): Promise<T> {
  const noise = startNoisyNeighbour(docker, opts);
  let result: T;
  try {
    // Noise before the test's own work, so the test starts on an engine that is already busy.
    await noise.reached(2);
    result = await body(noise);
  } finally {
    const report = await noise.stop();
    console.log(`      noisy neighbour ${report.runId}: ${report.created} containers in ${(report.ms / 1000).toFixed(1)} s (${report.refused} operations refused)`);
    if (report.created < 2) throw new Error(`the noisy neighbour made no real noise: ${report.samples.join('; ')}`);
  }
  return result;
}

/** Mocha hooks: a noisy neighbour for every test of the suite that calls this. */
export function useNoisyNeighbour(docker: () => Docker, opts?: NoiseOptions): { readonly noise: NoisyNeighbour } {
  const ctx = {} as { noise: NoisyNeighbour };
  before(async function () {
    this.timeout(60_000);
    ctx.noise = startNoisyNeighbour(docker(), opts);
    await ctx.noise.reached(2);
  });
  after(async function () {
    this.timeout(60_000);
    const report = await ctx.noise?.stop();
    if (!report) return;
    console.log(`      noisy neighbour ${report.runId}: ${report.created} containers in ${(report.ms / 1000).toFixed(1)} s (${report.refused} operations refused)`);
    if (report.created < 2) throw new Error(`the noisy neighbour made no real noise: ${report.samples.join('; ')}`);
  });
  return ctx;
}

/**
 * Waits until a store of container records holds none of this noise run's containers, all of which
 * the engine has removed: a row left behind would be a stale row the user sees.
 */
export async function expectNoiseGone(containers: { all(): { id: string; state: string; labels: Record<string, string> }[] }, runId: string): Promise<void> {
  const left = () => containers.all().filter((c) => c.labels[NOISE_LABEL] === runId);
  await waitFor('the noisy neighbour’s containers to leave the store', () => left().length === 0).catch(() => {
    throw new Error(`Berth still lists ${left().length} removed container(s) of the noisy neighbour: ${left().map((c) => `${c.id.slice(0, 12)} (${c.state})`).join(', ')}`);
  });
}
