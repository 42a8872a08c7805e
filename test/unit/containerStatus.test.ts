import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { humanDuration, inspectTimes, listTimes, parseDuration, statusText, type InspectState } from '../../src/engine/containerStatus';
import { formatDuration, formatStatus, keepExactTimes, statusView, type StatusPhrases } from '../../src/model/containerStatus';
import { durationOf, durationRange } from '../../src/model/durations';
import type { ContainerRecord } from '../../src/contract/records';

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

// French phrases read from the bundle the extension ships, as vscode.l10n would give them.
const bundle = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.fr.json'), 'utf8')) as Record<string, string>;
const fr = (key: string, ...args: (string | number)[]) => {
  assert.ok(key in bundle, `no French for "${key}"`);
  return bundle[key].replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
};
const english = (key: string, ...args: (string | number)[]) => key.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
/** The same choices as src/tree/containers/statusText.ts, over a translator. */
const phrasesFor = (t: typeof fr): StatusPhrases => ({
  up: (d) => t('Up {0}', d),
  upPaused: (d) => t('Up {0} (paused)', d),
  upHealth: (d, h) => t('Up {0} ({1})', d, h),
  health: (h) => t(h === 'starting' ? 'health: starting' : h),
  exited: (code, ago) => (code === undefined ? t('Exited') : ago === undefined ? t('Exited ({0})', code) : t('Exited ({0}) {1}', code, ago)),
  restarting: (code, ago) => (code === undefined || ago === undefined ? t('Restarting') : t('Restarting ({0}) {1}', code, ago)),
  created: t('Created'),
  dead: t('Dead'),
  removing: t('Removal in progress'),
  lessThanAMinute: t('less than a minute'),
  aboutAMinute: t('about a minute'),
  aboutAnHour: t('about an hour'),
  lessThanAMinuteAgo: t('less than a minute ago'),
  aboutAMinuteAgo: t('about a minute ago'),
  aboutAnHourAgo: t('about an hour ago'),
});

const T0 = Date.parse('2026-11-28T10:00:00Z');
const record = (over: Partial<ContainerRecord>): ContainerRecord => ({
  id: 'c1', name: 'web', image: 'berth-test/busybox', imageId: 'sha256:1', state: 'running', status: '', created: T0 / 1000 - 60,
  command: 'httpd', ports: [], labels: {}, volumes: [], networks: [], ...over,
});
/** Non-breaking spaces (French thousands, narrow no-break) read as plain spaces in assertions. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('container status from its times', () => {
  it('every duration falls in the range its bucket reads back to', () => {
    for (let ms = 0; ms < 5 * 365 * 86_400_000; ms = Math.ceil(ms * 1.013) + 250) {
      const d = durationOf(ms);
      const [min, max] = durationRange(d);
      assert.ok(min <= ms && ms < max, `${ms} ms is ${JSON.stringify(d)}, range [${min}, ${max})`);
      assert.deepEqual(parseDuration(humanDuration(ms)), d);
      assert.deepEqual(durationOf(min), d, `lower bound of ${JSON.stringify(d)}`);
    }
  });

  it('anchors a listed time in the middle of its bucket, so it reads back the same at list time', () => {
    const listed = T0;
    const up = listTimes('Up 5 minutes (healthy)', listed);
    assert.equal(up.startedAt, listed - 5.5 * 60_000);
    assert.equal(up.timeError, 30_000);
    assert.deepEqual(listTimes('Exited (137) About an hour ago', listed), { startedAt: undefined, finishedAt: listed - 75 * 60_000, exitCode: 137, timeError: 15 * 60_000 });
    assert.deepEqual(listTimes('Restarting (1) Less than a second ago', listed), { startedAt: undefined, finishedAt: listed - 500, exitCode: 1, timeError: 500 });
    assert.deepEqual(listTimes('Created', listed), { startedAt: undefined, finishedAt: undefined, exitCode: undefined, timeError: undefined });
    // Text that is not the engine's go-units words gives no time: the row shows the text as is.
    assert.equal(listTimes('Up 5 minutes ago', listed).startedAt, undefined);
    for (const status of ['Up 3 seconds', 'Up About a minute', 'Up 7 hours (Paused)', 'Up 3 days', 'Up 4 weeks', 'Up 5 months', 'Up 3 years', 'Exited (0) 2 days ago']) {
      const t = listTimes(status, listed);
      const state = status.startsWith('Up') ? 'running' : 'exited';
      const back = statusText({ Status: state, Running: state === 'running', Paused: false, Restarting: false, Dead: false, ExitCode: t.exitCode ?? 0, StartedAt: new Date(t.startedAt ?? 0).toISOString(), FinishedAt: new Date(t.finishedAt ?? 0).toISOString() }, listed);
      assert.equal(back, status.replace(' (Paused)', ''), status);
    }
  });

  it('reads exact times from an inspect', () => {
    assert.deepEqual(inspectTimes({ StartedAt: '2026-11-28T10:00:00.5Z', FinishedAt: '0001-01-01T00:00:00Z', ExitCode: 0 }), { startedAt: T0 + 500, finishedAt: undefined, exitCode: undefined, timeError: 0 });
    assert.deepEqual(inspectTimes({ StartedAt: '2026-11-28T10:00:00Z', FinishedAt: '2026-11-28T10:01:00Z', ExitCode: 137 }), { startedAt: T0, finishedAt: T0 + 60_000, exitCode: 137, timeError: 0 });
  });

  it('keeps an exact time when a list agrees with it, and takes the list when it does not', () => {
    const exact = record({ status: 'Up 4 minutes', startedAt: T0, finishedAt: undefined, exitCode: undefined, timeError: 0 });
    const listed = record({ status: 'Up 5 minutes', ...listTimes('Up 5 minutes', T0 + 5 * 60_000 + 20_000) });
    const kept = keepExactTimes(exact, listed);
    assert.equal(kept.startedAt, T0);
    assert.equal(JSON.stringify(kept), JSON.stringify(exact), 'an unchanged container compares equal');
    const restarted = record({ status: 'Up 2 seconds', ...listTimes('Up 2 seconds', T0 + 10 * 60_000) });
    assert.equal(keepExactTimes(exact, restarted), restarted);
    const stopped = record({ state: 'exited', status: 'Exited (0) 1 second ago', ...listTimes('Exited (0) 1 second ago', T0 + 60_000) });
    assert.equal(keepExactTimes(exact, stopped), stopped);
    // An inspect always wins over a listed approximation.
    assert.equal(keepExactTimes(listed, exact), exact);
  });

  it('ages with the clock: the same record reads later as later', () => {
    const c = record({ startedAt: T0 });
    const en = phrasesFor(english);
    const at = (ms: number) => formatStatus(statusView(c, T0 + ms), 'en', en);
    // Seconds are not counted: the row re-renders at most once a minute.
    assert.equal(at(400), 'Up less than a minute');
    assert.equal(at(42_000), 'Up less than a minute');
    assert.equal(at(61_000), 'Up about a minute');
    assert.equal(at(5 * 60_000 + 59_000), 'Up 5 minutes');
    assert.equal(at(6 * 60_000), 'Up 6 minutes');
    assert.equal(at(65 * 60_000), 'Up about an hour');
    assert.equal(at(3 * 86_400_000), 'Up 3 days');
  });

  it('renders states, health, exit codes and durations in English', () => {
    const en = phrasesFor(english);
    const show = (over: Partial<ContainerRecord>, ms: number, withHealth = true) => formatStatus(statusView(record(over), T0 + ms), 'en', en, withHealth);
    assert.equal(show({ startedAt: T0, health: 'healthy' }, 5 * 60_000), 'Up 5 minutes (healthy)');
    assert.equal(show({ startedAt: T0, health: 'starting' }, 3_000), 'Up less than a minute (health: starting)');
    assert.equal(show({ startedAt: T0, health: 'unhealthy' }, 3_000, false), 'Up less than a minute');
    assert.equal(show({ state: 'paused', startedAt: T0 }, 2 * 3_600_000), 'Up 2 hours (paused)');
    assert.equal(show({ state: 'exited', finishedAt: T0, exitCode: 137 }, 3_000), 'Exited (137) less than a minute ago');
    assert.equal(show({ state: 'exited', finishedAt: T0, exitCode: 2 }, 90_000), 'Exited (2) about a minute ago');
    assert.equal(show({ state: 'restarting', finishedAt: T0, exitCode: 1 }, 200), 'Restarting (1) less than a minute ago');
    assert.equal(show({ state: 'created' }, 0), 'Created');
    assert.equal(show({ state: 'dead' }, 0), 'Dead');
    assert.equal(show({ state: 'removing' }, 0), 'Removal in progress');
    // Times unknown (text the list did not word like the engine): the engine's own text.
    assert.equal(show({ status: 'Up 5 minutes ago' }, 0), 'Up 5 minutes ago');
  });

  it('renders them in French with French plurals and numbers', () => {
    const p = phrasesFor(fr);
    const show = (over: Partial<ContainerRecord>, ms: number) => plain(formatStatus(statusView(record(over), T0 + ms), 'fr', p));
    assert.equal(show({ startedAt: T0 }, 5 * 60_000), 'Actif depuis 5 minutes');
    assert.equal(show({ startedAt: T0 }, 2 * 60_000), 'Actif depuis 2 minutes');
    assert.equal(show({ startedAt: T0 }, 400), "Actif depuis moins d’une minute");
    assert.equal(show({ startedAt: T0 }, 59_000), "Actif depuis moins d’une minute");
    assert.equal(show({ startedAt: T0 }, 70_000), 'Actif depuis environ une minute');
    assert.equal(show({ startedAt: T0 }, 3 * 3_600_000), 'Actif depuis 3 heures');
    assert.equal(show({ startedAt: T0, health: 'unhealthy' }, 3 * 86_400_000), 'Actif depuis 3 jours (défaillant)');
    assert.equal(show({ state: 'paused', startedAt: T0 }, 2 * 7 * 86_400_000), 'Actif depuis 2 semaines (en pause)');
    assert.equal(show({ state: 'exited', finishedAt: T0, exitCode: 137 }, 3_000), "Arrêté (137) il y a moins d’une minute");
    assert.equal(show({ state: 'exited', finishedAt: T0, exitCode: 0 }, 3 * 7 * 86_400_000), 'Arrêté (0) il y a 3 semaines');
    assert.equal(show({ state: 'exited', finishedAt: T0, exitCode: 0 }, 2 * 86_400_000), 'Arrêté (0) il y a 2 jours');
    assert.equal(show({ state: 'exited', finishedAt: T0, exitCode: 0 }, 65 * 60_000), 'Arrêté (0) il y a environ une heure');
    assert.equal(show({ state: 'exited', finishedAt: T0, exitCode: 0 }, 3 * 365 * 86_400_000), 'Arrêté (0) il y a 3 ans');
    assert.equal(show({ state: 'created' }, 0), 'Créé');
    // Numbers grouped the French way.
    assert.equal(plain(formatDuration({ unit: 'year', count: 1234 }, 'fr', p)), '1 234 ans');
    assert.equal(formatDuration({ unit: 'year', count: 1234 }, 'en', phrasesFor(english)), '1,234 years');
  });
});
