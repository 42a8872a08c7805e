// Registers mocha hooks that give a suite the real engine, the base image, and labelled cleanup.
import type Docker from 'dockerode';
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
