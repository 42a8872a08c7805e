import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { BASE_IMAGE, TEST_LABEL, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, screenshot } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

const labels = { [TEST_LABEL]: '1' };

/** The terminal's text, read the way a user copies it. */
async function terminalText(term: vscode.Terminal): Promise<string> {
  term.show(false);
  await vscode.commands.executeCommand('workbench.action.terminal.selectAll');
  await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
  await vscode.commands.executeCommand('workbench.action.terminal.clearSelection');
  return vscode.env.clipboard.readText();
}

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
    await waitFor('the row', () => berth.api.containers.record(c.id)?.state === 'running' || undefined, 3000);
    const termName = (await vscode.commands.executeCommand('berth.containers.viewLogs', c.id)) as string;
    assert.equal(termName, `Logs: ${name}`);
    const term = terminalNamed(termName);
    await waitFor('both lines', async () => ((await terminalText(term)).includes('trouble on stderr') ? true : undefined), 5000);
    // Colours come out as inline styles in the DOM renderer: stderr's differs from stdout's and is red.
    const colour = (text: string) =>
      evalInPage<string>(`[...document.querySelectorAll('.terminal-wrapper.active .xterm-rows span')].find((s) => s.textContent.includes(${JSON.stringify(text)}))?.style.color ?? ''`);
    const errColour = await colour('trouble on stderr');
    const outColour = await colour('hello from stdout');
    const [r, g, b] = (errColour.match(/\d+/g) ?? []).map(Number);
    assert.ok(r > 1.5 * g && r > 1.5 * b, `stderr is red: ${errColour}`);
    assert.notEqual(outColour, errColour, 'stdout is not');
    await c.kill();
    await waitFor('the exit marker', async () => (/— container exited \(code 137\) at \d\d:\d\d:\d\d —/.test(await terminalText(term)) ? true : undefined), 5000);
    await c.start();
    const text = await waitFor('the second run', async () => {
      const t = await terminalText(term);
      return (t.match(/hello from stdout/g) ?? []).length === 2 ? t : undefined;
    }, 10_000);
    const lines = text.split(/\r?\n/).map((l) => l.trimEnd()).filter(Boolean);
    const marker = lines.findIndex((l) => l.startsWith('— container exited'));
    assert.deepEqual(
      lines.slice(0, marker).filter((l) => !l.startsWith('started at')),
      ['hello from stdout', 'trouble on stderr'],
      'the first run once',
    );
    assert.deepEqual(
      lines.slice(marker + 1).filter((l) => !l.startsWith('started at')),
      ['hello from stdout', 'trouble on stderr'],
      'the second run once, after the marker',
    );
    await screenshot('logs-restart-marker');
    await c.remove({ force: true });
    await waitFor('the removal note', async () => ((await terminalText(term)).includes('— container removed —') ? true : undefined), 5000);
    term.dispose();
  });

  it('opens a shell in a running container and runs a command', async () => {
    const c = await docker.createContainer({ name: uniqueName('berth-test-sh'), Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: labels, StopTimeout: 1 });
    await c.start();
    const name = (await c.inspect()).Name.slice(1);
    await waitFor('the row', () => berth.api.containers.record(c.id)?.state === 'running' || undefined, 3000);
    const termName = (await vscode.commands.executeCommand('berth.containers.attachShell', c.id)) as string;
    assert.equal(termName, `Shell: ${name}`);
    const term = terminalNamed(termName);
    await waitFor('the prompt', async () => ((await terminalText(term)).includes('#') ? true : undefined), 5000);
    term.sendText('echo hello-$((6*7))');
    await waitFor('the output', async () => ((await terminalText(term)).includes('hello-42') ? true : undefined), 5000);
    await screenshot('shell-echo');
    term.sendText('exit 3');
    await waitFor('the exit status', async () => ((await terminalText(term)).includes('shell exited with status 3') ? true : undefined), 5000);
    term.dispose();
  });
});
