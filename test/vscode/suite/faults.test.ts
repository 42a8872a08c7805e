// Issue 14, "Faults", in the workbench: the launcher's second engine killed and started again while
// the Containers view is visible, a log terminal follows a container and a shell is open in it.
// Three cycles, not twenty: each costs a dockerd start plus page reads through the bridge (about
// 10 s), and the 20-cycle run with resource bounds is the engine layer's (test/engine/faults.test.ts).
import { strict as assert } from 'assert';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { BASE_IMAGE, ensureBaseImage, testLabels, uniqueName } from '../../support/testEngine';
import { emptyEngine, hasWorkbenchBridge, screenshot, waitForPane } from './bridge';
import { setEngineHost, useBerthInWorkbench, waitFor } from './helpers';
import { terminalText } from './terminals';

const CYCLES = 3;
const NEVER_MS = 60_000;

function terminalNamed(name: string): vscode.Terminal {
  const t = vscode.window.terminals.find((x) => x.name === name);
  if (!t) throw new Error(`no terminal named ${name}: ${vscode.window.terminals.map((x) => x.name).join(', ')}`);
  return t;
}

describe('Engine faults in a real VS Code', function () {
  const berth = useBerthInWorkbench();

  it(`views, a log terminal and a shell come through ${CYCLES} engine kills and restarts`, async function () {
    this.timeout(CYCLES * 90_000 + 60_000);
    if (!hasWorkbenchBridge) throw new Error('this test reads the page: run it with the web launcher');
    const empty = process.env.BERTH_EMPTY_ENGINE;
    if (!empty) throw new Error('BERTH_EMPTY_ENGINE is not set: the launcher starts a second engine for this test');
    const other = new Docker({ socketPath: empty.replace(/^unix:\/\//, '') });
    await ensureBaseImage(other);
    const name = uniqueName('berth-test-fault');
    const c = await other.createContainer({ name, Image: BASE_IMAGE, Cmd: ['sh', '-c', 'trap "exit 0" TERM; r=$(cut -c1-8 /proc/sys/kernel/random/uuid); i=0; while true; do i=$((i+1)); echo "tick $r $i"; sleep 0.2 & wait; done'], Labels: testLabels(), HostConfig: { RestartPolicy: { Name: 'always' } } });
    await c.start();
    const { session } = berth.api;
    await setEngineHost(empty);
    try {
      await waitFor('connected to the second engine', () => session.status.state === 'ready' && session.status.endpoint?.url === empty && session.streaming, NEVER_MS);
      await waitForPane(/containers/i, (t) => t.includes(name), NEVER_MS);
      const logs = terminalNamed((await vscode.commands.executeCommand('berth.containers.viewLogs', c.id)) as string);
      await waitFor('log lines', async () => ((await terminalText(logs)).includes('tick ') ? true : undefined), NEVER_MS);
      const shell = terminalNamed((await vscode.commands.executeCommand('berth.containers.attachShell', c.id)) as string);
      await waitFor('the prompt', async () => ((await terminalText(shell)).includes('#') ? true : undefined), NEVER_MS);
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        await emptyEngine('kill');
        await waitForPane(/containers/i, (t) => t.includes('Berth cannot reach a Docker engine'), NEVER_MS);
        await emptyEngine('start');
        await waitFor(`cycle ${cycle}: ready again`, () => session.status.state === 'ready' && session.streaming, NEVER_MS);
        await waitForPane(/containers/i, (t) => t.includes(name), NEVER_MS);
      }
      // The log terminal says it lost the engine at each outage, never that the container was
      // removed, resumes after the last outage, and shows no line twice.
      const tick = /^tick \S+ \d+/;
      const text = await waitFor('log lines after the last outage', async () => {
        const t = await terminalText(logs);
        const lines = t.split('\n');
        const last = lines.map((l) => l.startsWith('— lost the connection to the engine')).lastIndexOf(true);
        return last >= 0 && lines.slice(last + 1).some((l) => tick.test(l)) ? t : undefined;
      }, NEVER_MS);
      const markers = text.split('\n').filter((l) => l.startsWith('— '));
      assert.ok(!markers.some((m) => m.includes('container removed')), `never said removed:\n${markers.join('\n')}`);
      const ticks = text.split('\n').filter((l) => tick.test(l));
      assert.ok(markers.filter((m) => m.startsWith('— lost the connection')).length >= 1, `a lost-connection marker:\n${markers.join('\n')}`);
      assert.ok(ticks.length > 0, 'lines were shown before the outage');
      // Each run numbers its lines under its own random id: a repeat is a line shown twice.
      assert.equal(new Set(ticks).size, ticks.length, 'no line twice');
      logs.show();
      await screenshot('faults-log-terminal');
      const shellText = await terminalText(shell);
      assert.match(shellText, /the shell was closed/, 'the shell says it was closed');
      shell.show();
      await screenshot('faults-shell');
    } finally {
      await other.getContainer(c.id).remove({ force: true }).catch(() => undefined);
      await setEngineHost(undefined);
      await waitFor('back on the main engine', () => session.status.state === 'ready' && session.status.endpoint?.source === 'default', NEVER_MS);
    }
  });
});
