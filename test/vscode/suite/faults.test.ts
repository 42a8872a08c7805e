// Issue 14, "Faults", in the workbench: the launcher's second engine killed and started again while
// the Containers view is visible, a log terminal follows a container and a shell is open in it.
// Three cycles, not twenty: each costs a dockerd start plus page reads through the bridge (about
// 10 s), and the 20-cycle run with resource bounds is the engine layer's (test/engine/faults.test.ts).
import { strict as assert } from 'assert';
import Docker from 'dockerode';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { BASE_IMAGE, ensureBaseImage, TEST_LABEL, testLabels, uniqueName } from '../../support/testEngine';
import { emptyEngine, hasWorkbenchBridge, notifications, screenshot, waitForPane } from './bridge';
import { setEngineHost, useBerthInWorkbench, waitFor } from './helpers';
import { terminalText } from './terminals';

const CYCLES = 3;
const NEVER_MS = 60_000;
const TICKS = 'trap "exit 0" TERM; r=$(cut -c1-8 /proc/sys/kernel/random/uuid); i=0; while true; do i=$((i+1)); echo "tick $r $i"; sleep 0.2 & wait; done';
const tick = /tick \S+ \d+$/;

/** The terminal's lines after its last lost-connection marker ('' when there is none yet). */
function afterLastOutage(text: string): string[] {
  const lines = text.split('\n').map((l) => l.trimEnd());
  const last = lines.map((l) => l.includes('— lost the connection to the engine')).lastIndexOf(true);
  return last < 0 ? [] : lines.slice(last + 1);
}

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
    const c = await other.createContainer({ name, Image: BASE_IMAGE, Cmd: ['sh', '-c', TICKS], Labels: testLabels(), HostConfig: { RestartPolicy: { Name: 'always' } } });
    await c.start();
    // A Compose project (by its labels, as Compose makes them): its merged log terminal must come
    // through too, and a member that joins after the restarts must join the terminal.
    const project = `berthfault${uniqueName('p').slice(2)}`;
    const member = (service: string) =>
      other.createContainer({
        name: `${project}-${service}-1`,
        Image: BASE_IMAGE,
        Cmd: ['sh', '-c', `${TICKS.replace('echo "tick', `echo "${service} tick`)}`],
        Labels: { ...testLabels(), 'com.docker.compose.project': project, 'com.docker.compose.service': service },
        HostConfig: { RestartPolicy: { Name: 'always' } },
      });
    const web = await member('web');
    await web.start();
    // A build busy on the engine when it dies: it must end as a lost connection, pinned on nothing.
    const buildDir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, uniqueName('faults-build'));
    fs.mkdirSync(buildDir, { recursive: true });
    const dockerfile = vscode.Uri.file(path.join(buildDir, 'Dockerfile'));
    const marker = uniqueName('slow');
    fs.writeFileSync(dockerfile.fsPath, `FROM ${BASE_IMAGE}\nLABEL ${TEST_LABEL}=1\nRUN echo ${marker} && sleep 600\n`);
    const created: string[] = [c.id, web.id];
    const { session } = berth.api;
    await setEngineHost(empty);
    try {
      await waitFor('connected to the second engine', () => session.status.state === 'ready' && session.status.endpoint?.url === empty && session.streaming, NEVER_MS);
      await waitForPane(/containers/i, (t) => t.includes(name), NEVER_MS);
      const logs = terminalNamed((await vscode.commands.executeCommand('berth.containers.viewLogs', c.id)) as string);
      await waitFor('log lines', async () => ((await terminalText(logs)).includes('tick ') ? true : undefined), NEVER_MS);
      const shell = terminalNamed((await vscode.commands.executeCommand('berth.containers.attachShell', c.id)) as string);
      await waitFor('the prompt', async () => ((await terminalText(shell)).includes('#') ? true : undefined), NEVER_MS);
      await waitFor('the project group', () => session.containers.get(web.id) !== undefined || undefined, NEVER_MS);
      const projectLogs = terminalNamed((await vscode.commands.executeCommand('berth.containers.composeLogs', `group:composeProject:${project}`)) as string);
      await waitFor('web in the project terminal', async () => (/web +\| web tick/.test(await terminalText(projectLogs)) ? true : undefined), NEVER_MS);
      await vscode.commands.executeCommand('notifications.clearAll');
      const build = vscode.commands.executeCommand('berth.images.build', dockerfile, { tag: `berth-test/faults:${uniqueName('t')}`, noCache: true });
      await waitFor('the build step running', async () => ((await other.listContainers()).some((x) => x.Command.includes(marker)) ? true : undefined), NEVER_MS);
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        await emptyEngine('kill');
        if (cycle === 0) {
          await build;
          await vscode.commands.executeCommand('notifications.showList');
          const said = await waitFor('the build failure', async () => (await notifications()).find((m) => m.startsWith('Build failed')), NEVER_MS);
          assert.match(said, /connection to the engine was lost/, `the build says the engine was lost: ${said}`);
          assert.deepEqual(vscode.languages.getDiagnostics(dockerfile), [], 'nothing pinned on the Dockerfile');
          await vscode.commands.executeCommand('notifications.clearAll');
        }
        await waitForPane(/containers/i, (t) => t.includes('Berth cannot reach a Docker engine'), NEVER_MS);
        await emptyEngine('start');
        await waitFor(`cycle ${cycle}: ready again`, () => session.status.state === 'ready' && session.streaming, NEVER_MS);
        await waitForPane(/containers/i, (t) => t.includes(name), NEVER_MS);
      }
      // The log terminal says it lost the engine, never that the container was removed, resumes
      // after the last outage, and shows no line twice.
      const text = await waitFor('log lines after the last outage', async () => {
        const t = await terminalText(logs);
        return afterLastOutage(t).some((l) => tick.test(l)) ? t : undefined;
      }, NEVER_MS);
      const markers = text.split('\n').filter((l) => l.startsWith('— '));
      assert.ok(!markers.some((m) => m.includes('container removed')), `never said removed:\n${markers.join('\n')}`);
      const ticks = text.split('\n').map((l) => l.trimEnd()).filter((l) => tick.test(l));
      assert.ok(markers.filter((m) => m.startsWith('— lost the connection')).length >= 1, `a lost-connection marker:\n${markers.join('\n')}`);
      assert.ok(ticks.length > 0, 'lines were shown before the outage');
      // Each run numbers its lines under its own random id: a repeat is a line shown twice.
      assert.equal(new Set(ticks).size, ticks.length, 'no line twice');
      logs.show();
      await screenshot('faults-log-terminal');
      // The project terminal too, and a service started after the restarts joins it.
      const db = await member('db');
      created.push(db.id);
      await db.start();
      const projectText = await waitFor('web after the last outage and db joining', async () => {
        const t = await terminalText(projectLogs);
        const after = afterLastOutage(t);
        return after.some((l) => /web +\| web tick/.test(l)) && after.some((l) => /db +\| db tick/.test(l)) ? t : undefined;
      }, NEVER_MS);
      assert.ok(!projectText.includes('container removed'), 'the project terminal never said removed');
      const projectTicks = projectText.split('\n').map((l) => l.trimEnd()).filter((l) => tick.test(l));
      assert.equal(new Set(projectTicks).size, projectTicks.length, 'no project line twice');
      projectLogs.show();
      await screenshot('faults-compose-log-terminal');
      const shellText = await terminalText(shell);
      assert.match(shellText, /the shell was closed/, 'the shell says it was closed');
      shell.show();
      await screenshot('faults-shell');
    } finally {
      // The build's RUN container stays on the engine after it died (dockerd does not clean it up).
      const leftovers = (await other.listContainers({ all: true }).catch(() => [])).filter((x) => x.Command.includes(marker)).map((x) => x.Id);
      for (const id of [...created, ...leftovers]) await other.getContainer(id).remove({ force: true }).catch(() => undefined);
      fs.rmSync(buildDir, { recursive: true, force: true });
      await setEngineHost(undefined);
      await waitFor('back on the main engine', () => session.status.state === 'ready' && session.status.endpoint?.source === 'default', NEVER_MS);
    }
  });
});
