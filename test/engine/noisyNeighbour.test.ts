// The helpers that let tests share a busy engine: the noisy neighbour, and cleanup that removes
// this run's labelled resources only. If these were wrong, other tests would pass or fail for the
// wrong reasons, so they are tested too.
import { strict as assert } from 'assert';
import { useTestEngine } from '../support/engineHooks';
import { NOISE_LABEL, noiseFilter, startNoisyNeighbour } from '../support/noisyNeighbour';
import { BASE_IMAGE, cleanupTestResources, createIdleContainer, TEST_LABEL, TEST_RUN_LABEL, uniqueName } from '../support/testEngine';

describe('test helpers for a shared engine', function () {
  this.timeout(120_000);
  const t = useTestEngine();

  it('the noisy neighbour makes unlabelled containers, is outside test cleanup, and removes exactly its own', async () => {
    const mine = await createIdleContainer(t.docker);
    const noise = startNoisyNeighbour(t.docker, { workers: 1 });
    let seen: { Id: string; Labels: Record<string, string> }[] = [];
    try {
      await noise.reached(2);
      // Catch one of its containers alive (each lives a moment).
      for (let i = 0; i < 200 && !seen.length; i++) {
        seen = await t.docker.listContainers({ all: true, filters: noiseFilter(noise.runId) });
        if (!seen.length) await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(seen.length, 'one of its containers was seen on the engine');
      assert.equal(seen[0].Labels[NOISE_LABEL], noise.runId);
      assert.equal(seen[0].Labels[TEST_LABEL], undefined, 'not labelled as a test resource');
      // Another test's cleanup leaves the neighbour alone.
      const before = noise.created;
      await cleanupTestResources(t.docker);
      await noise.reached(before + 2);
    } finally {
      const report = await noise.stop();
      assert.ok(report.created >= 2, `it made containers: ${report.samples.join('; ')}`);
    }
    assert.deepEqual(await t.docker.listContainers({ all: true, filters: noiseFilter(noise.runId) }), [], 'none of its containers left');
    // Its cleanup took only its own: the test's container is still there (this test's cleanup
    // above removed it, so look for a fresh one made after).
    const after = await createIdleContainer(t.docker);
    const stopAgain = startNoisyNeighbour(t.docker, { workers: 1, maxContainers: 2 });
    await stopAgain.stop();
    assert.equal((await after.inspect()).State.Running, true, 'a test container survives the neighbour’s cleanup');
    await assert.rejects(mine.inspect(), /no such container/i, 'cleanup removed this run’s own container');
  });

  it('cleanup leaves the resources of another test run still in progress, and removes those of one that ended', async () => {
    // The parent process stands for a run in progress; a pid no process has, for one that ended.
    const live = await t.docker.createContainer({ name: uniqueName('berth-test-live-run'), Image: BASE_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: '1', [TEST_RUN_LABEL]: `${process.ppid}-other` } });
    const ended = await t.docker.createContainer({ name: uniqueName('berth-test-ended-run'), Image: BASE_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: '1', [TEST_RUN_LABEL]: '4194304-gone' } });
    const legacy = await t.docker.createContainer({ name: uniqueName('berth-test-no-run'), Image: BASE_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: '1' } });
    try {
      await cleanupTestResources(t.docker);
      assert.ok(await live.inspect(), 'another live run’s container stays');
      await assert.rejects(ended.inspect(), /no such container/i, 'an ended run’s container goes');
      await assert.rejects(legacy.inspect(), /no such container/i, 'a container with no run label goes');
    } finally {
      await live.remove({ force: true }).catch(() => undefined);
    }
  });
});
