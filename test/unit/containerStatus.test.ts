import { strict as assert } from 'assert';
import { humanDuration, statusText, type InspectState } from '../../src/model/containerStatus';

const base: InspectState = { Status: 'running', Running: true, Paused: false, Restarting: false, Dead: false, ExitCode: 0, StartedAt: '2026-11-28T10:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' };
const at = (iso: string) => Date.parse(iso);

describe('container status text', () => {
  it('follows go-units HumanDuration', () => {
    assert.equal(humanDuration(400), 'Less than a second');
    assert.equal(humanDuration(1000), '1 second');
    assert.equal(humanDuration(59_000), '59 seconds');
    assert.equal(humanDuration(90_000), 'About a minute');
    assert.equal(humanDuration(45 * 60_000), '45 minutes');
    assert.equal(humanDuration(80 * 60_000), 'About an hour');
    assert.equal(humanDuration(5 * 3_600_000), '5 hours');
    assert.equal(humanDuration(3 * 86_400_000), '3 days');
    assert.equal(humanDuration(21 * 86_400_000), '3 weeks');
  });

  it('matches the engine for running, paused, healthy, exited and created', () => {
    assert.equal(statusText(base, at('2026-11-28T10:05:00Z')), 'Up 5 minutes');
    assert.equal(statusText({ ...base, Paused: true, Status: 'paused' }, at('2026-11-28T10:00:03Z')), 'Up 3 seconds (Paused)');
    assert.equal(statusText({ ...base, Health: { Status: 'starting' } }, at('2026-11-28T10:00:03Z')), 'Up 3 seconds (health: starting)');
    assert.equal(statusText({ ...base, Health: { Status: 'unhealthy' } }, at('2026-11-28T10:00:03Z')), 'Up 3 seconds (unhealthy)');
    assert.equal(statusText({ ...base, Running: false, Status: 'exited', ExitCode: 137, FinishedAt: '2026-11-28T10:01:00Z' }, at('2026-11-28T10:01:02Z')), 'Exited (137) 2 seconds ago');
    assert.equal(statusText({ ...base, Running: false, Status: 'created', StartedAt: '0001-01-01T00:00:00Z' }, at('2026-11-28T10:01:02Z')), 'Created');
  });
});
