// Registers mocha hooks that give a suite the real engine, the base image, and labelled cleanup.
import type Docker from 'dockerode';
import { createEngineClient, resolveEndpoint, type EngineClient } from '../../src/engine/index';
import { cleanupTestResources, ensureBaseImage, requireEngine, testDocker } from './testEngine';

export function useTestEngine(): { docker: Docker } {
  const ctx = { docker: testDocker() };
  before(async function () {
    this.timeout(120_000);
    await requireEngine(ctx.docker);
    await ensureBaseImage(ctx.docker);
  });
  after(async function () {
    this.timeout(60_000);
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
