import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { hostPortFree } from '../../../src/model/hostPorts';
import { freePort } from '../../support/ports';
import { BASE_IMAGE, buildImage, testLabels, uniqueName } from '../../support/testEngine';
import { click, evalInPage, hasWorkbenchBridge, keys, paste, notifications, screenshot, waitForPane } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';
import { terminalText } from './terminals';
import { isFileKey } from '../../../src/model/files/fileKeys';

// This run's labels: a concurrent test run's cleanup leaves these containers alone.
const labels = testLabels();
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

  // A failed flow must not leave its wizard over the next suites' views.
  afterEach(async () => {
    for (let i = 0; i < 12 && (await quickInputText()); i++) await keys('', 'Escape');
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
    // The note described the prefilled mapping, which is gone from the text now: so is the note.
    assert.ok(!(await quickInputText()).includes(`using ${port + 1}`), await quickInputText());
    // Spaces around ":" belong to the mapping.
    const free = await freePort();
    await keys('', 'Control+A');
    await keys(` ${free} : ${port} `);
    await waitFor('the spaced mapping accepted', async () => {
      const t = await quickInputText();
      return !t.includes('already used') && !t.includes('not valid') && t.includes('Published ports') ? true : undefined;
    });
    await screenshot('run-port-spaces');
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
    // Its Files node (issue 25) follows the port rows.
    await waitFor('the port node', () => berth.api.containers.getChildren(id).filter((k) => !isFileKey(k)).length === 1 || undefined);
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
    // An image the engine lacks: Berth asks to pull it first (this workbench shows the question as a notification, unanswered: nothing runs).
    const missing = await errorFrom('berth.images.run', 'berth-test/gone:nope', { labels: mine });
    assert.ok(missing.includes('The image berth-test/gone:nope is not on this engine. Pull it first?'), missing);
    // A host port something on this machine listens on.
    const listener = net.createServer();
    const taken = await freePort();
    await new Promise<void>((r) => listener.listen(taken, '127.0.0.1', r));
    const takenMessage = await errorFrom('berth.images.run', BASE_IMAGE, { ports: `${taken}:80`, labels: mine }).finally(() => listener.close());
    assert.ok(takenMessage.includes(String(taken)), takenMessage);
    assert.deepEqual(await created(), [], 'no container was created');
    // Expected refusals are information in Berth's log, without a stack; none is an error.
    const logFile = path.join(berth.api.logUri.fsPath, 'Berth.log');
    const log = await waitFor('the refusals in the log', () => {
      const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      return text.includes(takenMessage) ? text : undefined;
    });
    const lines = log.split('\n');
    for (const said of ['“bad name” is not a valid container name', '70000 is not a port', takenMessage]) {
      const at = lines.findIndex((l) => l.includes(`[info] berth.images.run refused: `) && l.includes(said));
      assert.ok(at >= 0, `"${said}" logged as information:\n${log}`);
      assert.ok(!/^\s+at /.test(lines[at + 1] ?? ''), `no stack after "${said}":\n${log}`);
      assert.ok(!lines.some((l) => l.includes('[error]') && l.includes(said)), `"${said}" not logged as an error:\n${log}`);
    }
  });

  it('runs interactively in a terminal attached to the container', async () => {
    const name = uniqueName('berth-test-tty');
    const id = (await vscode.commands.executeCommand('berth.images.run', BASE_IMAGE, { name, command: 'sh', mode: 'interactive', autoRemove: false, labels })) as string;
    assert.match(id ?? '', /^[0-9a-f]{64}$/);
    const term = await waitFor('the attached terminal', () => vscode.window.terminals.find((t) => t.name === name));
    term.sendText('echo attached-$((2+3))');
    await waitFor('the output', async () => ((await terminalText(term)).includes('attached-5') ? true : undefined));
    term.sendText('exit');
    await waitFor('the exit notice', async () => ((await terminalText(term)).includes('— exited with code 0 —') ? true : undefined));
    assert.equal((await docker.getContainer(id).inspect()).State.Running, false);
    term.dispose();
  });

  it('keeps a short command’s output in its terminal, with the exit code, kept or removed', async () => {
    const kept = uniqueName('berth-test-echo');
    const id = (await vscode.commands.executeCommand('berth.images.run', BASE_IMAGE, { name: kept, command: 'echo hi kept', mode: 'interactive', autoRemove: false, labels })) as string;
    const term = await waitFor('the kept run’s terminal', () => vscode.window.terminals.find((t) => t.name === kept));
    const text = await waitFor('the output and the exit notice', async () => {
      const t = await terminalText(term);
      return t.includes('— exited with code 0 —') ? t : undefined;
    });
    assert.ok(text.indexOf('hi kept') >= 0 && text.indexOf('hi kept') < text.indexOf('— exited with code 0 —'), text);
    await screenshot('run-interactive-kept');
    assert.equal((await docker.getContainer(id).inspect()).State.ExitCode, 0);
    // Still readable: the terminal stays open until a key is pressed.
    assert.ok(vscode.window.terminals.includes(term));
    term.dispose();

    const removed = uniqueName('berth-test-rm');
    const rmId = (await vscode.commands.executeCommand('berth.images.run', BASE_IMAGE, { name: removed, command: `sh -c 'echo bye-from-rm; exit 3'`, mode: 'interactive', autoRemove: true, labels })) as string;
    const rmTerm = await waitFor('the --rm run’s terminal', () => vscode.window.terminals.find((t) => t.name === removed));
    const rmText = await waitFor('the output and the exit code of a removed container', async () => {
      const t = await terminalText(rmTerm);
      return t.includes('— exited with code 3 —') ? t : undefined;
    });
    assert.ok(rmText.includes('bye-from-rm'), rmText);
    assert.ok(!/no such container|404/i.test(rmText), rmText);
    await screenshot('run-interactive-rm');
    await assert.rejects(docker.getContainer(rmId).inspect(), /no such container/i, 'removed on exit');
    rmTerm.dispose();
  });

  it('warns that published ports are ignored with --network host, and sends none', async () => {
    const port = await freePort();
    await vscode.commands.executeCommand('notifications.clearAll');
    const id = (await vscode.commands.executeCommand('berth.images.run', BASE_IMAGE, { name: uniqueName('berth-test-hostnet'), network: 'host', ports: `${port}:80`, command: 'sleep 3600', labels })) as string;
    const info = await docker.getContainer(id).inspect();
    assert.equal(info.HostConfig.NetworkMode, 'host');
    assert.deepEqual(info.HostConfig.PortBindings ?? {}, {}, 'no ports sent');
    await vscode.commands.executeCommand('notifications.showList');
    const message = await waitFor('the warning', async () => (await notifications()).find((m) => m.includes('--network host')));
    assert.ok(message.startsWith(`Ports are ignored with --network host (the container uses the host’s own ports), so ${port}:80 was not published.`), message);
    await screenshot('run-host-network');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it('runs again from the palette: the last image first, every mapping kept, a taken one moved with the reason', async () => {
    // Three host ports in a row free now (P, P+1), and one for udp.
    let p = 0;
    for (let i = 0; i < 20 && !p; i++) {
      const candidate = await freePort();
      if (candidate < 65000 && (await hostPortFree(candidate + 1, 'tcp', '127.0.0.1')) && (await hostPortFree(candidate + 2, 'tcp', '127.0.0.1'))) p = candidate;
    }
    assert.ok(p, 'three free ports in a row');
    const udp = await freePort();
    const image = `berth-test/again:${uniqueName('t')}`;
    await buildImage(docker, `FROM ${BASE_IMAGE}\nCMD ["sleep", "3600"]\n`, image);
    const ports = `127.0.0.1:${p}:80, 127.0.0.1:${p + 1}:81, 127.0.0.1:${udp}:9000/udp`;
    const first = (await vscode.commands.executeCommand('berth.images.run', image, { name: uniqueName('berth-test-first'), ports, labels })) as string;
    await docker.getContainer(first).remove({ force: true });

    // Something else takes P meanwhile.
    const holder = await docker.createContainer({
      name: uniqueName('berth-test-holder'),
      Image: BASE_IMAGE,
      Cmd: ['sleep', '3600'],
      Labels: labels,
      StopTimeout: 1,
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(p) }] } },
      ExposedPorts: { '80/tcp': {} },
    });
    await holder.start();
    const holderName = (await holder.inspect()).Name.slice(1);
    await waitFor('the holder in the store', () => berth.api.containers.record(holder.id)?.ports.some((x) => x.hostPort === p) && !berth.api.containers.record(first));

    await vscode.commands.executeCommand('notifications.clearAll');
    const flow = vscode.commands.executeCommand('berth.images.runAgain');
    const active = await waitFor('the image pick', async () => {
      const t = await evalInPage<string>("(() => { const r = document.querySelector('.quick-input-widget .monaco-list-row.focused'); return r ? r.innerText : ''; })()");
      return t || undefined;
    });
    assert.ok(active.includes(image) && active.includes('last run'), `the active row: ${active}`);
    await screenshot('run-again-pick');
    await keys('', 'Enter');
    const id = (await flow) as string;
    assert.match(id ?? '', /^[0-9a-f]{64}$/);

    const bindings = (await docker.getContainer(id).inspect()).HostConfig.PortBindings as Record<string, { HostIp: string; HostPort: string }[]>;
    const moved = Number(bindings['80/tcp']?.[0]?.HostPort);
    assert.ok(moved !== p && moved !== p + 1 && moved > p, `80/tcp moved off ${p} without taking ${p + 1}: ${JSON.stringify(bindings)}`);
    assert.deepEqual(bindings, {
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(moved) }],
      '81/tcp': [{ HostIp: '127.0.0.1', HostPort: String(p + 1) }],
      '9000/udp': [{ HostIp: '127.0.0.1', HostPort: String(udp) }],
    });
    await vscode.commands.executeCommand('notifications.showList');
    const message = await waitFor('the run notice', async () => (await notifications()).find((m) => m.includes(`using ${moved}`)));
    assert.ok(message.startsWith(`${p} is used by container ${holderName}; using ${moved}.`), `the reason comes first: ${message}`);
    await click('.notifications-center .notification-list-item .codicon-notifications-expand').catch(() => undefined);
    await screenshot('run-again-moved');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  });
  it('runs again under the last name; when it is taken, says so and offers the next free one', async () => {
    const image = `berth-test/again-name:${uniqueName('t')}`;
    await buildImage(docker, `FROM ${BASE_IMAGE}\nCMD ["sleep", "3600"]\n`, image);
    await waitFor('the image in the store', () => berth.api.images.row(`tag:${image}`));
    const name = uniqueName('berth-test-qa');
    const first = (await vscode.commands.executeCommand('berth.images.run', image, { name, labels })) as string;
    await waitFor('the first in the store', () => berth.api.containers.record(first));
    const flow = vscode.commands.executeCommand('berth.images.runAgain', `tag:${image}`);
    const text = await waitFor('the name question', async () => {
      const t = await quickInputText();
      return t.includes('already exists') ? t : undefined;
    });
    assert.ok(text.includes(`A container named ${name} (the last run’s name) already exists. Run this one as:`), text);
    assert.equal(await evalInPage<string>("document.querySelector('.quick-input-widget input').value"), `${name}-2`);
    await screenshot('run-again-name-taken');
    await keys('', 'Enter');
    const id = (await flow) as string;
    assert.equal((await docker.getContainer(id).inspect()).Name, `/${name}-2`);
    // The name it ran under is remembered; free again, Run Again asks nothing and uses it.
    await docker.getContainer(id).remove({ force: true });
    await waitFor('it gone from the store', () => !berth.api.containers.record(id));
    const again = (await vscode.commands.executeCommand('berth.images.runAgain', `tag:${image}`)) as string;
    assert.equal((await docker.getContainer(again).inspect()).Name, `/${name}-2`);
  });
  it('keeps the run flow and every value when an env file is refused, with its problem on the step', async () => {
    const image = `berth-test/envfile:${uniqueName('t')}`;
    // The image's labels pass to the container the flow creates, so cleanup finds it.
    await buildImage(docker, `FROM ${BASE_IMAGE}\nCMD ["sleep", "3600"]\n`, image);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-envfile-'));
    const file = path.join(dir, 'bad.env');
    fs.writeFileSync(file, 'A=1\nB=2\nexport BAD=1\n');
    const name = uniqueName('berth-test-env');
    await waitFor('the image in the store', () => berth.api.images.row(`tag:${image}`));
    const flow = vscode.commands.executeCommand('berth.images.run', `tag:${image}`);
    await waitFor('the name step', async () => ((await quickInputText()).includes('Container name') ? true : undefined));
    await keys('', 'Control+A');
    await keys(name, 'Enter');
    await waitFor('the port step', async () => ((await quickInputText()).includes('Published ports') ? true : undefined));
    await keys('', 'Enter');
    await waitFor('the environment step', async () => ((await quickInputText()).includes('Load an env file') ? true : undefined));
    await keys('Add a variable', 'Enter');
    await waitFor('the variable box', async () => ((await quickInputText()).includes('NAME=value') ? true : undefined));
    await keys('TYPED=kept', 'Enter');
    await waitFor('the variable listed', async () => ((await quickInputText()).includes('TYPED=kept') ? true : undefined));
    await keys('Load an env', 'Enter');
    // VS Code's own file picker (the web workbench's is a quick input over a path).
    await waitFor('the file picker', async () => ((await quickInputText()).includes('Load') && !(await quickInputText()).includes('TYPED=kept') ? true : undefined));
    // VS Code's dialog navigates as a folder path is typed and rewrites the box when it gets there:
    // the folder is pasted and reached first, then the file name typed, as a user would.
    const boxValue = () => evalInPage<string>("document.querySelector('.quick-input-widget input')?.value ?? ''");
    const reach = (what: string, value: string) =>
      waitFor(what, async () => ((await boxValue()) === value ? true : undefined)).catch(async (err: Error) => {
        throw new Error(`${err.message}: the box holds ${JSON.stringify(await boxValue())}`);
      });
    // The dialog fills its box with the folder it starts in, and lists it, once that folder is read:
    // only then is the box the user's (a path typed before is overwritten).
    const listed = () => evalInPage<string[]>("[...document.querySelectorAll('.quick-input-list .monaco-list-row')].map((r) => r.getAttribute('aria-label') ?? '')");
    let last = '';
    await waitFor('the dialog’s own folder read', async () => {
      const v = await boxValue();
      const settled = v.endsWith('/') && v === last && (await listed()).length > 0;
      last = v;
      return settled ? true : undefined;
    }, 15_000, 300);
    await keys('', 'Control+A');
    await paste(`${dir}/`);
    await reach('the folder reached', `${dir}/`);
    await waitFor('the folder listed', async () => ((await listed()).some((l) => l.includes(path.basename(file))) ? true : undefined));
    await keys(path.basename(file));
    await reach('the file name typed', file);
    await keys('', 'Enter');
    const problem = await waitFor('the problem on the step', async () => {
      const t = await quickInputText();
      return t.includes('contains whitespaces') ? t : undefined;
    }).catch(async (err: Error) => {
      await screenshot('run-envfile-refused-missing');
      throw new Error(`${err.message}; the quick input shows: ${JSON.stringify(await quickInputText())}, its value ${JSON.stringify(await evalInPage<string>("document.querySelector('.quick-input-widget input')?.value ?? ''"))}`);
    });
    assert.ok(problem.includes(`${file}: `) && /line 3/.test(problem), problem);
    assert.ok(problem.includes('3/9'), `still the environment step: ${problem}`);
    await screenshot('run-envfile-refused');
    // Fixed, Enter loads it; the list has the typed variable and the file's.
    fs.writeFileSync(file, 'A=1\nB=2\n');
    await keys('', 'Enter');
    await waitFor('the variables listed', async () => {
      const t = await quickInputText();
      return t.includes('TYPED=kept') && t.includes('A=1') && t.includes('B=2') ? true : undefined;
    });
    await screenshot('run-envfile-loaded');
    // Continue through the other steps with their defaults.
    for (let step = 3; step <= 9; step++) {
      await waitFor(`step ${step}`, async () => ((await quickInputText()).includes(`${step}/9`) ? true : undefined));
      await keys('', 'Enter');
    }
    const id = (await flow) as string;
    const info = await docker.getContainer(id).inspect();
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(info.Name, `/${name}`, 'the typed name kept');
    for (const v of ['TYPED=kept', 'A=1', 'B=2']) assert.ok(info.Config.Env.includes(v), `${v} in ${info.Config.Env.join(' ')}`);
  });

});
