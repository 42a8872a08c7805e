import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { freePort } from '../../support/ports';
import { BASE_IMAGE, buildImage, TEST_LABEL, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, keys, notifications, screenshot, waitForPane } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';
import { terminalText } from './terminals';

const labels = { [TEST_LABEL]: '1' };
const HTTPD = `sh -c 'mkdir -p /www && echo berth-run > /www/index.html && exec httpd -f -p 80 -h /www'`;

async function quickInputText(): Promise<string> {
  return evalInPage<string>("(() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? w.innerText : ''; })()");
}

async function errorFrom(command: string, ...args: unknown[]): Promise<string> {
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand(command, ...args);
  await vscode.commands.executeCommand('notifications.showList');
  const [first] = await waitFor('a message', async () => {
    const all = await notifications();
    return all.length ? all : undefined;
  });
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand('notifications.hideList');
  return first;
}

describe('Running containers in a real VS Code', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (npm run test:vscode)');
  });

  it('shows a port conflict in the run flow’s port step, with the port it uses instead', async () => {
    const port = await freePort();
    const holder = await docker.createContainer({
      name: uniqueName('berth-test-holder'),
      Image: BASE_IMAGE,
      Cmd: ['sleep', '3600'],
      Labels: labels,
      StopTimeout: 1,
      HostConfig: { PortBindings: { [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
      ExposedPorts: { [`${port}/tcp`]: {} },
    });
    await holder.start();
    const holderName = (await holder.inspect()).Name.slice(1);
    const image = `berth-test/exposer:${uniqueName('t')}`;
    await buildImage(docker, `FROM ${BASE_IMAGE}\nEXPOSE ${port}\n`, image);
    await waitFor('both in the stores', () => berth.api.images.row(`tag:${image}`) && berth.api.containers.record(holder.id)?.ports.some((p) => p.hostPort === port));

    const flow = vscode.commands.executeCommand('berth.images.run', `tag:${image}`);
    await waitFor('the name step', async () => ((await quickInputText()).includes('Container name') ? true : undefined));
    await keys('', 'Enter');
    const text = await waitFor('the port step', async () => {
      const t = await quickInputText();
      return t.includes('Published ports') ? t : undefined;
    });
    assert.ok(text.includes(`${port} is used by container ${holderName}; using ${port + 1}.`), text);
    const value = await evalInPage<string>("document.querySelector('.quick-input-widget input').value");
    assert.equal(value, `127.0.0.1:${port + 1}:${port}`);
    await screenshot('run-port-conflict');
    // Typing the taken port by hand is refused as typed, naming the holder.
    await keys('', 'Control+A');
    await keys(`${port}:${port}`);
    await waitFor('the validation message', async () => ((await quickInputText()).includes(`Host port ${port} is already used by container ${holderName}.`) ? true : undefined));
    await screenshot('run-port-taken');
    await keys('', 'Escape');
    assert.equal(await flow, undefined, 'cancelled, nothing run');
  });

  it('runs from command arguments with a port on 127.0.0.1, shown as a port node that answers', async () => {
    const port = await freePort();
    const name = uniqueName('berth-test-run');
    const id = (await vscode.commands.executeCommand('berth.images.run', BASE_IMAGE, { name, ports: String(`${port}:80`), command: HTTPD, labels })) as string;
    assert.match(id ?? '', /^[0-9a-f]{64}$/);
    const info = await docker.getContainer(id).inspect();
    assert.deepEqual(info.HostConfig.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] }, 'bound to 127.0.0.1 by default');
    await waitFor('the port node', () => berth.api.containers.getChildren(id).length === 1 || undefined);
    const [portKey] = berth.api.containers.getChildren(id);
    assert.equal(berth.api.containers.getTreeItem(portKey).label, `127.0.0.1:${port} → 80/tcp`);
    await vscode.commands.executeCommand('berth.containers.focus');
    await berth.api.containersView.reveal(portKey, { select: true, focus: false, expand: true });
    await waitForPane(/containers/i, (t) => t.includes(`127.0.0.1:${port} → 80/tcp`));
    await screenshot('run-port-nodes');
    let body = '';
    for (let i = 0; i < 150 && !body; i++) {
      body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()).catch(() => '');
      if (!body) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(body.trim(), 'berth-run');
  });

  it('refuses bad inputs with words the user can act on, creating nothing', async () => {
    // Its own label value: other clients create containers on this engine meanwhile, so "nothing
    // created" is checked among the containers carrying this test's labels only.
    const mine = { ...labels, 'berth.test.case': uniqueName('refused') };
    const created = () => docker.listContainers({ all: true, filters: JSON.stringify({ label: [`berth.test.case=${mine['berth.test.case']}`] }) });
    assert.equal(
      await errorFrom('berth.images.run', BASE_IMAGE, { name: 'bad name', labels: mine }),
      '“bad name” is not a valid container name: use at least 2 letters, digits, _ . or -, starting with a letter or digit.',
    );
    assert.equal(await errorFrom('berth.images.run', BASE_IMAGE, { ports: '70000:80', labels: mine }), '70000 is not a port (1–65535).');
    assert.equal(await errorFrom('berth.images.run', BASE_IMAGE, { ports: '8080:80, 8080:81', labels: mine }), 'Host port 8080 is listed twice.');
    assert.equal(await errorFrom('berth.images.run', BASE_IMAGE, { env: ['GOOD=1', 'BROKEN'], labels: mine }), 'Environment line 2 has no “=”: write NAME=value (“BROKEN”).');
    assert.equal(await errorFrom('berth.images.run', BASE_IMAGE, { volumes: ['/no/such/dir:/data'], labels: mine }), 'The bind-mount source /no/such/dir does not exist.');
    assert.equal(await errorFrom('berth.images.run', 'berth-test/gone:nope', { labels }), 'The image berth-test/gone:nope no longer exists on this engine.');
    assert.deepEqual(await created(), [], 'no container was created');
  });

  it('runs interactively in a terminal attached to the container', async () => {
    const name = uniqueName('berth-test-tty');
    const id = (await vscode.commands.executeCommand('berth.images.run', BASE_IMAGE, { name, command: 'sh', mode: 'interactive', autoRemove: false, labels })) as string;
    assert.match(id ?? '', /^[0-9a-f]{64}$/);
    const term = await waitFor('the attached terminal', () => vscode.window.terminals.find((t) => t.name === name));
    term.sendText('echo attached-$((2+3))');
    await waitFor('the output', async () => ((await terminalText(term)).includes('attached-5') ? true : undefined));
    term.sendText('exit');
    await waitFor('the process ended', async () => ((await terminalText(term)).includes('process ended') ? true : undefined));
    assert.equal((await docker.getContainer(id).inspect()).State.Running, false);
    term.dispose();
  });
});
