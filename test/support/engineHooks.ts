// Registers mocha hooks that give a suite the real engine, the base image, and labelled cleanup.
import type Docker from 'dockerode';
import { createEngineClient, resolveEndpoint } from '../../src/engine/index';
import type { EngineClient } from '../../src/contract/client';
import { startNoisyNeighbour, type NoisyNeighbour } from './noisyNeighbour';
import { cleanupTestResources, ensureBaseImage, requireEngine, testDocker } from './testEngine';
import { startSwarmEngine, type SwarmEngine } from './swarmEngine';

/**
 * The real engine with the base image, and labelled cleanup. BERTH_TEST_NOISE=1 runs every suite
 * that uses it beside a noisy neighbour (see noisyNeighbour.ts), to check a layer on a busy engine.
 */
export function useTestEngine(): { docker: Docker } {
  const ctx = { docker: testDocker() };
  let noise: NoisyNeighbour | undefined;
  before(async function () {
    this.timeout(120_000);
    await requireEngine(ctx.docker);
    await ensureBaseImage(ctx.docker);
    if (process.env.BERTH_TEST_NOISE) {
      noise = startNoisyNeighbour(ctx.docker);
      await noise.reached(2);
    }
  });
  after(async function () {
    this.timeout(60_000);
    const report = await noise?.stop();
    if (report) console.log(`      noisy neighbour ${report.runId}: ${report.created} containers in ${(report.ms / 1000).toFixed(1)} s`);
    await cleanupTestResources(ctx.docker);
  });
  return ctx;
}

/** Berth's own engine client on the test engine, pinged before the suite runs. */
export function useEngineClient(): { client: EngineClient } {
  const ctx = {} as { client: EngineClient };
  before(async () => {
    ctx.client = createEngineClient(resolveEndpoint({ setting: `unix://${process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock'}`, env: {} }));
    await ctx.client.ping(3000);
  });
  after(() => ctx.client?.dispose());
  return ctx;
}

/**
 * A Swarm test engine for a suite (see swarmEngine.ts): a second dockerd in Swarm mode, with a
 * worker joined over loopback where that works; the developer's engine never enters Swarm mode.
 */
export function useSwarmEngine(opts: { worker?: boolean } = {}): { swarm: SwarmEngine; client: EngineClient } {
  const ctx = {} as { swarm: SwarmEngine; client: EngineClient };
  before(async function () {
    this.timeout(180_000);
    ctx.swarm = await startSwarmEngine(opts);
    ctx.client = createEngineClient(resolveEndpoint({ setting: `unix://${ctx.swarm.socket}`, env: {} }));
    await ctx.client.ping(3000);
  });
  after(async function () {
    this.timeout(60_000);
    ctx.client?.dispose();
    await ctx.swarm?.stop();
  });
  return ctx;
}
