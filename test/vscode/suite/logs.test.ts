import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { BASE_IMAGE, buildImage, TEST_LABEL, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, notifications, screenshot } from './bridge';
import { terminalText } from './terminals';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

const labels = { [TEST_LABEL]: '1' };

function terminalNamed(name: string): vscode.Terminal {
  const t = vscode.window.terminals.find((x) => x.name === name);
  if (!t) throw new Error(`no terminal named ${name}: ${vscode.window.terminals.map((x) => x.name).join(', ')}`);
  return t;
}

describe('Logs and shells in a real VS Code', function () {
  const berth = useBerthInWorkbench();

  before(async function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (npm run test:vscode)');
    // The DOM renderer puts colours in class names the test can read.
    await vscode.workspace.getConfiguration('terminal.integrated').update('gpuAcceleration', 'off', vscode.ConfigurationTarget.Global);
  });

  it('follows a container’s logs with stderr in red, and marks a restart', async () => {
    const script = 'echo "hello from stdout"; echo "trouble on stderr" >&2; echo "started at $(date +%s%N)"; exec sleep 3600';
    const c = await docker.createContainer({ name: uniqueName('berth-test-logs'), Image: BASE_IMAGE, Cmd: ['sh', '-c', script], Labels: labels, StopTimeout: 1 });
    await c.start();
    const name = (await c.inspect()).Name.slice(1);
    await waitFor('the row', () => berth.api.containers.record(c.id)?.state === 'running' || undefined);
    const termName = (await vscode.commands.executeCommand('berth.containers.viewLogs', c.id)) as string;
    assert.equal(termName, `Logs: ${name}`);
    const term = terminalNamed(termName);
    await waitFor('both lines', async () => ((await terminalText(term)).includes('trouble on stderr') ? true : undefined));
    // The DOM renderer draws colours as styles: stderr's is red, stdout's is not.
    const colours = (text: string) =>
      evalInPage<string[]>(
        `[...document.querySelectorAll('.xterm-rows span')].filter((s) => s.textContent.includes(${JSON.stringify(text)})).map((s) => getComputedStyle(s).color)`,
      );
    const reddish = (c: string) => {
      const [r, g, b] = (c.match(/\d+/g) ?? []).map(Number);
      return r > 1.5 * g && r > 1.5 * b;
    };
    await waitFor('stderr drawn in red', async () => ((await colours('trouble on stderr')).some(reddish) ? true : undefined));
    assert.ok(!(await colours('hello from stdout')).some(reddish), 'stdout is not red');
    await c.kill();
    await waitFor('the exit marker', async () => (/— container exited \(code 137\) at \d\d:\d\d:\d\d —/.test(await terminalText(term)) ? true : undefined));
    await c.start();
    const text = await waitFor('the second run', async () => {
      const t = await terminalText(term);
      return (t.match(/hello from stdout/g) ?? []).length === 2 ? t : undefined;
    }, 10_000);
    const lines = text.split(/\r?\n/).map((l) => l.trimEnd()).filter(Boolean);
    const marker = lines.findIndex((l) => l.startsWith('— container exited'));
    // The engine copies stdout and stderr separately, so their order relative to each other may vary.
    const run = (part: string[]) => part.filter((l) => !l.startsWith('started at')).sort();
    assert.deepEqual(run(lines.slice(0, marker)), ['hello from stdout', 'trouble on stderr'], 'the first run once');
    assert.deepEqual(run(lines.slice(marker + 1)), ['hello from stdout', 'trouble on stderr'], 'the second run once, after the marker');
    await screenshot('logs-restart-marker');
    await c.remove({ force: true });
    await waitFor('the removal note', async () => ((await terminalText(term)).includes('— container removed —') ? true : undefined));
    term.dispose();
  });

  it('opens a shell in a running container and runs a command', async () => {
    const c = await docker.createContainer({ name: uniqueName('berth-test-sh'), Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: labels, StopTimeout: 1 });
    await c.start();
    const name = (await c.inspect()).Name.slice(1);
    await waitFor('the row', () => berth.api.containers.record(c.id)?.state === 'running' || undefined);
    const termName = (await vscode.commands.executeCommand('berth.containers.attachShell', c.id)) as string;
    assert.equal(termName, `Shell: ${name}`);
    const term = terminalNamed(termName);
    await waitFor('the prompt', async () => ((await terminalText(term)).includes('#') ? true : undefined));
    term.sendText('echo hello-$((6*7))');
    await waitFor('the output', async () => ((await terminalText(term)).includes('hello-42') ? true : undefined));
    await screenshot('shell-echo');
    term.sendText('exit 3');
    await waitFor('the exit status', async () => ((await terminalText(term)).includes('shell exited with status 3') ? true : undefined));
    term.dispose();
  });

  it('saves a container’s logs to a file as plain text', async () => {
    const c = await docker.createContainer({ name: uniqueName('berth-test-save'), Image: BASE_IMAGE, Cmd: ['sh', '-c', 'echo one; echo two >&2; echo drei → vier'], Labels: labels });
    await c.start();
    await c.wait();
    await waitFor('the row', () => berth.api.containers.record(c.id)?.state === 'exited' || undefined);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-logs-')), 'saved.log');
    assert.equal(await vscode.commands.executeCommand('berth.containers.saveLogs', c.id, { since: 'all', file }), file);
    const text = fs.readFileSync(file, 'utf8');
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    assert.deepEqual(text.split('\n').sort(), ['', 'drei → vier', 'one', 'two'], 'demultiplexed, no frame headers');
  });

  it('merges a Compose project’s logs with each service’s name', async () => {
    const project = `berthtest${uniqueName('p').slice(2)}`;
    const make = (service: string) =>
      docker.createContainer({
        name: `${project}-${service}-1`,
        Image: BASE_IMAGE,
        Cmd: ['sh', '-c', `echo hello from ${service}; exec sleep 3600`],
        Labels: { ...labels, 'com.docker.compose.project': project, 'com.docker.compose.service': service },
        StopTimeout: 1,
      });
    const web = await make('web');
    await web.start();
    const key = `group:composeProject:${project}`;
    await waitFor('the group', () => berth.api.containers.getChildren().includes(key) || undefined);
    const termName = (await vscode.commands.executeCommand('berth.containers.composeLogs', key)) as string;
    const term = terminalNamed(termName);
    await waitFor('web', async () => (/web +\| hello from web/.test(await terminalText(term)) ? true : undefined));
    // A service started later joins the same terminal.
    const db = await make('db');
    await db.start();
    await waitFor('db joins', async () => (/db +\| hello from db/.test(await terminalText(term)) ? true : undefined));
    await screenshot('compose-logs');
    term.dispose();
  });

  it('says clearly when a container has no shell', async () => {
    const image = `berth-test/noshell:${uniqueName('t')}`;
    await buildImage(docker, 'FROM scratch\nCOPY busybox /busybox\n', image, { busybox: '/bin/busybox' });
    const c = await docker.createContainer({ name: uniqueName('berth-test-noshell'), Image: image, Cmd: ['/busybox', 'sleep', '3600'], Labels: labels, StopTimeout: 1 });
    await c.start();
    const name = (await c.inspect()).Name.slice(1);
    await waitFor('the row', () => berth.api.containers.record(c.id)?.state === 'running' || undefined);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('berth.containers.attachShell', c.id);
    await vscode.commands.executeCommand('notifications.showList');
    const message = await waitFor('the message', async () => (await notifications()).find((m) => m.includes('no shell')));
    assert.equal(message, `${name} has no shell (neither bash nor sh). Set berth.shell to a program the container has.`);
    assert.ok(!vscode.window.terminals.some((t) => t.name === `Shell: ${name}`), 'no hung terminal');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  });
});
