// The Compose view in a real workbench, with the real docker-compose: a 3-service project with a
// profile, read from a folder of the workspace; a schema error pinned at its line; Up from the
// view's context menu with its terminal, after a check naming who holds a host port it needs; a
// service with a fixed host port scaled to 3 replicas, the first keeping the file's port and each
// added one on its own 127.0.0.1 port with its connection hint, offered again after Down and Up; Up from the Explorer's menu on the
// compose file; a killed replica of a restart: always service restarting and recovering in the
// tree; a deleted project folder and bad replica counts refused, starting nothing.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import { projectKey, serviceKey } from '../../../src/model/composeTree';
import { BASE_IMAGE, buildImage, createIdleContainer, testLabels, uniqueName } from '../../support/testEngine';
import { click, evalInPage, hasWorkbenchBridge, keys, notifications, screenshot, waitForPane } from './bridge';
import { terminalText } from './terminals';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function run(file: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { cwd }, (err, stdout, stderr) => (err ? reject(new Error(`${file} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout))),
  );
}

const labels = () =>
  Object.entries(testLabels())
    .map(([k, v]) => `      ${k}: "${v}"`)
    .join('\n');

function composeYaml(port: number): string {
  const service = (command: string, extra = '') => `    image: ${BASE_IMAGE}\n    command: ${command}\n    labels:\n${labels()}\n${extra}`;
  // No top-level name: docker-compose 1.29 refuses it; the folder names the project, as Berth reads it.
  return [
    'services:',
    '  web:',
    service(`["sh", "-c", "mkdir -p /www && echo berth > /www/index.html && exec httpd -f -p 80 -h /www"]`, `    ports:\n      - "127.0.0.1:${port}:80"\n`),
    '  worker:',
    service('["sleep", "3600"]', '    restart: always\n'),
    '  debug:',
    service('["sleep", "3600"]', '    profiles: ["debug"]\n'),
  ].join('\n');
}

/** Collapses or expands a pane of the Berth side bar by its title, as a click on its header does. */
async function setPaneExpanded(title: string, expanded: boolean): Promise<void> {
  const now = await evalInPage<boolean | null>(`(() => { const h = [...document.querySelectorAll('.pane-header')].find((e) => e.innerText.trim().startsWith(${JSON.stringify(title)})); return h ? h.getAttribute('aria-expanded') === 'true' : null; })()`);
  if (now === null) throw new Error(`no pane titled ${title}`);
  if (now !== expanded) await click('.pane-header', { text: title });
}

async function projectContainers(name: string, service?: string) {
  const label = [`com.docker.compose.project=${name}`, ...(service ? [`com.docker.compose.service=${service}`] : [])];
  return docker.listContainers({ all: true, filters: { label } });
}

describe('Compose view in a real VS Code', function () {
  const berth = useBerthInWorkbench();
  const name = uniqueName('berth-test-compose');
  let folder: string;
  let port: number;

  before(async function () {
    if (!hasWorkbenchBridge) throw new Error('these checks drive the page: run them with the web launcher (npm run test:vscode)');
    port = await freePort();
    folder = path.join(root(), name);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'compose.yaml'), composeYaml(port));
  });

  after(async function () {
    this.timeout(120_000);
    if (folder && fs.existsSync(folder)) {
      await run('docker-compose', ['-p', name, '-f', path.join(folder, 'compose.yaml'), '--profile', 'debug', 'down', '-v'], folder).catch((err) => console.log(String(err)));
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('lists the project from its files, with each service, its profile and port, before it runs', async () => {
    const { api } = berth;
    await vscode.commands.executeCommand('berth.compose.focus');
    await waitFor('the project in the Compose view', async () => {
      await api.compose.settled();
      return api.compose.getChildren().toString().includes(projectKey(name)) || undefined;
    });
    const services = (await api.compose.getChildren(projectKey(name))) as string[];
    assert.deepEqual(services, ['web', 'worker', 'debug'].map((s) => serviceKey(name, s)));
    const text = (key: string) => String(api.compose.getTreeItem(key).description);
    assert.equal(text(serviceKey(name, 'web')), `0 of 1 running · ${BASE_IMAGE} · 127.0.0.1:${port}:80`);
    assert.equal(text(serviceKey(name, 'debug')), `0 of 1 running · ${BASE_IMAGE} · profiles: debug`);
    assert.match(text(projectKey(name)), /^not running · /);
    await waitForPane(/compose/i, (t) => t.includes(name) && t.includes('profiles: debug'));
    await screenshot('compose-view');
  });

  it('pins a schema error at its line and column in the Problems panel', async () => {
    const bad = path.join(root(), `${name}-bad`);
    fs.mkdirSync(bad, { recursive: true });
    const file = path.join(bad, 'compose.yaml');
    try {
      fs.writeFileSync(file, `services:\n  app:\n    image: ${BASE_IMAGE}\n    portz: ["80:80"]\n`);
      const uri = vscode.Uri.file(file);
      const d = await waitFor('the diagnostic', () => vscode.languages.getDiagnostics(uri)[0], 20_000);
      assert.equal(d.message, 'Unknown key portz (not in the Compose Specification).');
      assert.deepEqual([d.range.start.line, d.range.start.character], [3, 4]);
      await vscode.window.showTextDocument(uri);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await waitFor('the problem in the panel', async () => (await evalInPage<string>("document.querySelector('.markers-panel')?.innerText ?? ''")).includes('portz') || undefined);
      await screenshot('compose-schema-error');
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    await waitFor('the diagnostic gone with its file', () => vscode.languages.getDiagnostics(vscode.Uri.file(file)).length === 0 || undefined, 20_000);
  });

  it('looks at the host ports before Up: names the process holding web’s port, and starts nothing unanswered', async function () {
    this.timeout(60_000);
    // Another program on this machine listens on the port the file gives web.
    const holder = net.createServer();
    await new Promise<void>((resolve, reject) => holder.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
    try {
      await vscode.commands.executeCommand('notifications.clearAll');
      // No options: a user's Up, which asks; the test workbench answers no question (Cancel).
      assert.equal(await vscode.commands.executeCommand('berth.compose.up', projectKey(name)), undefined);
      await vscode.commands.executeCommand('notifications.showList');
      const asked = await waitFor('the port question', async () => (await notifications()).find((m) => m.includes(`Host port ${port} that web publishes is taken`)));
      // The holder is this very process (the extension host runs the test and its listener).
      const comm = path.basename(process.execPath);
      assert.ok(asked.endsWith(`Host port ${port} that web publishes is taken, in use on this machine by ${comm} (pid ${process.pid}): Up would fail to start web.`), asked);
      await screenshot('compose-up-port-taken');
      assert.deepEqual(await projectContainers(name), [], 'nothing started');
      assert.ok(!vscode.window.terminals.some((t) => t.name === `Compose: ${name}`), 'the program did not run');
    } finally {
      holder.close();
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    }
  });

  it('brings the project up from the view, in a terminal named after it, leaving the profiled service off', async function () {
    this.timeout(180_000);
    const { api } = berth;
    await vscode.commands.executeCommand('berth.compose.focus');
    await click('.monaco-list-row', { text: name, button: 'right' });
    await click('.monaco-menu .action-item', { text: 'Compose Up' });
    if (await evalInPage<boolean>("!!document.querySelector('.context-view .monaco-menu')")) await keys('', 'Enter');
    const terminal = await waitFor('the Compose terminal', () => vscode.window.terminals.find((t) => t.name === `Compose: ${name}`), 20_000);
    await waitFor('web and worker running', async () => {
      const list = await projectContainers(name);
      return (list.filter((c) => c.State === 'running').length === 2 && list.length === 2) || undefined;
    }, 60_000);
    // Services, not containers; debug, only in the inactive profile 'debug', is off rather than down.
    await waitFor('the tree showing them', () => /^2 of 2 services running/.test(String(api.compose.getTreeItem(projectKey(name)).description)) || undefined, 20_000);
    assert.match(String(api.compose.getTreeItem(serviceKey(name, 'debug')).description), /^0 of 1 running/);
    const output = await waitFor('the end of the output', async () => {
      const t = await terminalText(terminal);
      return /— (done|stopped|exited with code \d+) —/.test(t) ? t : undefined;
    }, 60_000);
    assert.match(output, /— done —/);
    assert.match(output, /docker-compose -p berth-test-compose-\w+ -f \S+compose\.yaml up --detach/);
    await waitForPane(/compose/i, (t) => t.includes('2 of 2 services running'));
    await screenshot('compose-up');
  });

  it('scales the service with a fixed host port to 3 replicas: the first keeps the file’s port, each added one its own free 127.0.0.1 port', async function () {
    this.timeout(180_000);
    const { api } = berth;
    const [first] = await projectContainers(name, 'web');
    // Another program holds the ports after the file's: the added replicas go around them, one by one.
    const held = await Promise.all(
      [port + 1, port + 2].map(
        (p) =>
          new Promise<net.Server>((resolve) => {
            const server = net.createServer();
            server.once('error', () => resolve(server)).listen(p, '127.0.0.1', () => resolve(server));
          }),
      ),
    );
    try {
      // Asked first (the test workbench answers no question): the ports each replica gets, nothing started.
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('berth.compose.scale', serviceKey(name, 'web'), { replicas: 3, wait: true });
      await vscode.commands.executeCommand('notifications.showList');
      const asked = await waitFor('the scale question', async () => (await notifications()).find((m) => m.includes('publishes a fixed host port')));
      const said = new RegExp(`web publishes a fixed host port, which 3 replicas cannot share: the first replica keeps the file’s port \\(127\\.0\\.0\\.1:${port}\\), and each replica Berth adds gets its own: replica 2 → 127\\.0\\.0\\.1:(\\d+); replica 3 → 127\\.0\\.0\\.1:(\\d+)\\.$`);
      const offered = said.exec(asked);
      assert.ok(offered, asked);
      for (const p of offered.slice(1).map(Number)) assert.ok(p > port + 2, `${p}: past the file's port and the held ones`);
      await screenshot('compose-scale-question');
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
      assert.deepEqual((await projectContainers(name, 'web')).map((c) => c.Id), [first.Id], 'nothing started unanswered');

      const code = await vscode.commands.executeCommand('berth.compose.scale', serviceKey(name, 'web'), { replicas: 3, confirmed: true, wait: true });
      assert.equal(code, 0);
    } finally {
      for (const server of held) server.close();
    }
    const web = await waitFor('3 web replicas running', async () => {
      const list = await projectContainers(name, 'web');
      return (list.length === 3 && list.every((c) => c.State === 'running') && list) || undefined;
    }, 60_000);
    const ports = web.map((c) => c.Ports.find((p) => p.PrivatePort === 80)?.PublicPort).sort();
    assert.equal(new Set(ports).size, 3, `host ports ${ports}`);
    // The replica that answered before still does, on the file's port, not recreated.
    const kept = web.find((c) => c.Id === first.Id);
    assert.ok(kept, 'the first replica was not recreated');
    assert.equal(kept.Ports.find((p) => p.PrivatePort === 80)?.PublicPort, port);
    for (const p of ports) assert.ok(p !== port + 1 && p !== port + 2, `${p} is not a held port`);
    for (const p of ports) {
      const body = await new Promise<string>((resolve, reject) => {
        const s = net.connect(p!, '127.0.0.1', () => s.end('GET / HTTP/1.0\r\n\r\n'));
        let data = '';
        s.on('data', (d) => (data += d));
        s.on('end', () => resolve(data));
        s.on('error', reject);
      });
      assert.match(body, /berth/);
    }
    // The user's file is untouched: the ranges are in Berth's copy.
    assert.match(fs.readFileSync(path.join(folder, 'compose.yaml'), 'utf8'), new RegExp(`"127\\.0\\.0\\.1:${port}:80"`));
    const replicas = await waitFor('3 replicas under web in the tree', async () => {
      const ids = (await api.compose.getChildren(serviceKey(name, 'web'))) as string[];
      return ids.length === 3 ? ids : undefined;
    }, 20_000);
    const portRows = (await Promise.all(replicas.map((id) => api.compose.getChildren(id)))).flat() as string[];
    const shown = portRows.map((k) => String(api.compose.getTreeItem(k).label)).sort();
    assert.deepEqual(shown, ports.map((p) => `127.0.0.1:${p} → 80/tcp`).sort());
    // Each replica's row says how to reach it: port 80 is a web port.
    const hints = portRows.map((k) => String(api.compose.getTreeItem(k).description)).sort();
    assert.deepEqual(hints, ports.map((p) => `http://127.0.0.1:${p}/`).sort());
    await waitForPane(/compose/i, (t) => ports.every((p) => t.includes(`127.0.0.1:${p}`)));
    // The service row shows what its replicas publish, not the file's fixed entry.
    const serviceDescription = () => String(api.compose.getTreeItem(serviceKey(name, 'web')).description);
    const [low, , high] = ports.map(Number).sort((x, y) => x - y);
    const range = high - low === 2 ? `127.0.0.1:${low}-${high} → 80/tcp` : undefined;
    await waitFor('the replicas\' ports on the service row', () => (range ? serviceDescription().includes(range) : ports.every((p) => serviceDescription().includes(String(p)))) || undefined, 20_000).catch((err: Error) =>
      assert.fail(`${err.message}: ${serviceDescription()}`),
    );
    assert.ok(!serviceDescription().includes(`127.0.0.1:${port}:80`), 'not the file entry the scale replaced');
    // The scale ran in the project's terminal, after the Up's output, and says what Berth did in
    // place of Compose's "will clash": each replica's port.
    const terminals = vscode.window.terminals.filter((t) => t.name === `Compose: ${name}`);
    assert.equal(terminals.length, 1);
    const said = await waitFor('Berth’s word in the terminal', async () => {
      const t = await terminalText(terminals[0]);
      return t.includes('Berth gave each replica of web its own host port') ? t : undefined;
    }, 20_000);
    const note = said.slice(said.lastIndexOf('Berth gave each replica of web'));
    for (const c of web) assert.ok(note.includes(`${c.Names[0].slice(1)}: 127.0.0.1:${c.Ports.find((p) => p.PrivatePort === 80)?.PublicPort} → 80/tcp`), note);
    assert.match(said, /--no-recreate --scale web=2 web/);
    assert.match(said, /--no-recreate --scale web=3 web/);
    terminals[0].show();
    await screenshot('compose-scale-terminal');
    // Each replica's port row on screen, with its hint: the other panes folded for the picture.
    await setPaneExpanded('Containers', false);
    await setPaneExpanded('Images', false);
    try {
      for (const k of portRows) await api.composeView.reveal(k, { select: false, focus: false });
      await waitForPane(/compose/i, (t) => ports.every((p) => t.includes(`http://127.0.0.1:${p}/`)));
      await screenshot('compose-scaled');
    } finally {
      await setPaneExpanded('Containers', true);
      await setPaneExpanded('Images', true);
    }
  });

  it('stops, starts and restarts the project through the Engine API by label', async function () {
    this.timeout(120_000);
    const { api } = berth;
    const states = async () => (await projectContainers(name)).map((c) => c.State);
    await vscode.commands.executeCommand('berth.compose.stop', projectKey(name));
    assert.deepEqual([...new Set(await states())], ['exited']);
    await waitFor('the tree saying none runs', () => /^0 of 2 services running/.test(String(api.compose.getTreeItem(projectKey(name)).description)) || undefined, 20_000);
    await vscode.commands.executeCommand('berth.compose.start', serviceKey(name, 'worker'));
    assert.deepEqual((await projectContainers(name, 'worker')).map((c) => c.State), ['running']);
    assert.deepEqual([...new Set((await projectContainers(name, 'web')).map((c) => c.State))], ['exited']);
    await vscode.commands.executeCommand('berth.compose.start', projectKey(name));
    const before = new Map((await projectContainers(name)).map((c) => [c.Id, c]));
    assert.deepEqual([...new Set(await states())], ['running']);
    await vscode.commands.executeCommand('berth.compose.restart', projectKey(name));
    // A real restart, not down+up: the same containers, started again.
    const after = await projectContainers(name);
    assert.deepEqual(after.map((c) => c.Id).sort(), [...before.keys()].sort());
    for (const c of after) assert.equal(c.State, 'running', c.Names[0]);
    await waitFor('the tree saying all run', () => /^2 of 2 services running/.test(String(api.compose.getTreeItem(projectKey(name)).description)) || undefined, 20_000);
  });

  it('takes the project down with Compose, keeping nothing running', async function () {
    this.timeout(120_000);
    const code = await vscode.commands.executeCommand('berth.compose.down', projectKey(name), { confirmed: true, wait: true });
    assert.equal(code, 0);
    assert.deepEqual(await projectContainers(name), []);
    await waitFor('the tree saying it is not running', () => /^not running/.test(String(berth.api.compose.getTreeItem(projectKey(name)).description)) || undefined, 20_000);
  });

  it('brings the project up from the Explorer context menu on its compose file, in its terminal', async function () {
    this.timeout(180_000);
    const { api } = berth;
    const file = vscode.Uri.file(path.join(folder, 'compose.yaml'));
    await vscode.commands.executeCommand('workbench.view.explorer');
    await vscode.commands.executeCommand('revealInExplorer', file);
    await click('.explorer-folders-view .monaco-list-row.selected', { text: 'compose.yaml', button: 'right' });
    await screenshot('compose-explorer-menu');
    await click('.monaco-menu .action-item', { text: 'Compose Up from This File' });
    if (await evalInPage<boolean>("!!document.querySelector('.context-view .monaco-menu')")) await keys('', 'Enter');
    await waitFor('web and worker running again', async () => {
      const list = await projectContainers(name);
      return (list.length === 2 && list.every((c) => c.State === 'running')) || undefined;
    }, 60_000);
    const terminal = vscode.window.terminals.filter((t) => t.name === `Compose: ${name}`);
    assert.equal(terminal.length, 1, 'the project keeps one terminal');
    const output = await waitFor('the Up in its terminal', async () => {
      const t = await terminalText(terminal[0]);
      // The terminal holds the earlier runs too: wait for this Up's end.
      const last = t.slice(t.lastIndexOf('docker-compose -p'));
      return /up --detach/.test(last) && /— done —/.test(last) ? last : undefined;
    }, 60_000);
    assert.match(output, new RegExp(`-f ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/compose\\.yaml`));
    // The Explorer with the file, the terminal with Compose's output.
    await screenshot('compose-up-explorer');
    // Berth follows the engine while one of its views shows: back to the Compose view.
    await vscode.commands.executeCommand('berth.compose.focus');
    await waitFor('the tree saying both run', () => /^2 of 2 services running/.test(String(api.compose.getTreeItem(projectKey(name)).description)) || undefined, 20_000);
  });

  it('offers the last Scale again after Down and Up, and brings web back to 3 with the first on the file’s port', async function () {
    this.timeout(180_000);
    await vscode.commands.executeCommand('notifications.showList');
    const offer = await waitFor('the offer to scale again', async () => (await notifications()).find((m) => m.startsWith(`${name} was scaled before (web: 3 replicas)`)), 20_000);
    assert.equal(offer, `${name} was scaled before (web: 3 replicas); Up starts as many replicas as the files say. Scale the same way again?`);
    await screenshot('compose-scale-offer');
    await click('.notifications-center .notification-list-item-buttons-container .monaco-button', { text: 'Scale Again' });
    const web = await waitFor('3 web replicas running again', async () => {
      const list = await projectContainers(name, 'web');
      return (list.length === 3 && list.every((c) => c.State === 'running') && list) || undefined;
    }, 90_000);
    const ports = web.map((c) => c.Ports.find((p) => p.PrivatePort === 80)?.PublicPort);
    assert.ok(ports.includes(port), `the file's port is kept: ${ports}`);
    assert.equal(new Set(ports).size, 3, `host ports ${ports}`);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it('shows a killed replica of a restart: always service restarting and recovering, with no user action', async function () {
    this.timeout(120_000);
    const { api } = berth;
    const [worker] = await projectContainers(name, 'worker');
    const before = await docker.getContainer(worker.Id).inspect();
    const key = serviceKey(name, 'worker');
    const seen: string[] = [];
    const record = () => {
      const item = api.compose.getTreeItem(worker.Id);
      seen.push(`${item.contextValue} | ${api.compose.getTreeItem(key).description}`);
    };
    const sub = api.compose.onDidChangeTreeData(record);
    try {
      // The replica's process dies as in a crash or an OOM kill: `docker kill` counts as a manual
      // stop, which no restart policy undoes. Docker waits 100 ms before the first restart, then
      // doubles: a kill the tree missed is tried again while the row was never seen down.
      for (let i = 0; i < 3 && !seen.some((s) => !s.startsWith('container:running')); i++) {
        // Docker says Running while it waits to restart (Restarting, no Pid): wait for a process.
        const up = (st: { Running: boolean; Restarting: boolean; Pid: number }) => st.Running && !st.Restarting && st.Pid > 0;
        const running = await waitFor('the replica running before the kill', async () => {
          const now = await docker.getContainer(worker.Id).inspect();
          return up(now.State) ? now : undefined;
        }, 30_000);
        // Never 0: process.kill(0) would signal this process's own group.
        process.kill(running.State.Pid, 'SIGKILL');
        let last = running.State;
        await waitFor(
          'the engine restarting the replica',
          async () => {
            const now = await docker.getContainer(worker.Id).inspect();
            last = now.State;
            return now.RestartCount > running.RestartCount && up(now.State) ? true : undefined;
          },
          60_000,
        ).catch((err: Error) => {
          throw new Error(`${err.message}; last state ${JSON.stringify(last)}; rows seen: ${seen.join(' / ')}`);
        });
        await waitFor('the row running again', () => (api.compose.getTreeItem(worker.Id).contextValue === 'container:running' ? true : undefined), 20_000);
      }
    } finally {
      sub.dispose();
    }
    const down = seen.findIndex((s) => !s.startsWith('container:running'));
    assert.ok(down >= 0, `the row showed the replica down: ${seen.join(' / ')}`);
    assert.match(seen[down], /^container:(restarting|exited)/);
    assert.match(seen[seen.length - 1], /^container:running \| 1 of 1 running/);
    const after = await docker.getContainer(worker.Id).inspect();
    assert.ok(after.RestartCount > before.RestartCount, 'the engine restarted the same container');
    assert.deepEqual((await projectContainers(name, 'worker')).map((c) => c.Id), [worker.Id]);
  });

  it('refuses bad replica counts and a deleted project folder, saying why and starting nothing', async function () {
    this.timeout(60_000);
    const { api } = berth;
    const webBefore = (await projectContainers(name, 'web')).map((c) => c.Id).sort();
    for (const replicas of [0, 51, 'abc']) {
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('berth.compose.scale', serviceKey(name, 'web'), { replicas, confirmed: true, wait: true });
      await vscode.commands.executeCommand('notifications.showList');
      await waitFor(`the refusal of ${replicas}`, async () => (await notifications()).find((m) => m === 'Enter a whole number from 1 to 50.'));
    }
    assert.deepEqual((await projectContainers(name, 'web')).map((c) => c.Id).sort(), webBefore, 'no replica added or removed');

    const gone = `${name}-gone`;
    const goneFolder = path.join(root(), gone);
    fs.mkdirSync(goneFolder, { recursive: true });
    fs.writeFileSync(path.join(goneFolder, 'compose.yaml'), `services:\n  app:\n    image: ${BASE_IMAGE}\n    command: ["sleep", "60"]\n    labels:\n${labels()}\n`);
    await waitFor('the new project in the view', async () => {
      await api.compose.settled();
      return api.compose.row(projectKey(gone)) ? true : undefined;
    }, 20_000);
    await vscode.commands.executeCommand('notifications.clearAll');
    fs.rmSync(goneFolder, { recursive: true, force: true });
    // Right away, before the watcher takes the row away: what a user clicking it meets.
    await vscode.commands.executeCommand('berth.compose.up', projectKey(gone), { wait: true });
    await vscode.commands.executeCommand('notifications.showList');
    await waitFor('the folder named as gone', async () => (await notifications()).find((m) => m === `The project folder ${goneFolder} no longer exists.`));
    assert.deepEqual(await projectContainers(gone), [], 'nothing started');
    await waitFor('the row gone with its folder', async () => {
      await api.compose.settled();
      return api.compose.row(projectKey(gone)) ? undefined : true;
    }, 20_000);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it('names the service and the reason when Compose fails', async function () {
    this.timeout(120_000);
    const { api } = berth;
    const failing = `${name}-fail`;
    const dir = path.join(root(), failing);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `services:\n  app:\n    image: ${BASE_IMAGE}\n    command: ["berth-no-such-command"]\n    labels:\n${labels()}\n`);
    try {
      await waitFor('the project in the view', async () => {
        await api.compose.settled();
        return api.compose.row(projectKey(failing)) ? true : undefined;
      }, 20_000);
      await vscode.commands.executeCommand('notifications.clearAll');
      const code = await vscode.commands.executeCommand('berth.compose.up', projectKey(failing), { wait: true });
      assert.notEqual(code, 0);
      await vscode.commands.executeCommand('notifications.showList');
      const message = await waitFor('the failure message', async () => (await notifications()).find((m) => m.startsWith(`Compose Up of ${failing} failed`)));
      assert.equal(message, `Compose Up of ${failing} failed: app: exec: "berth-no-such-command": executable file not found in $PATH`);
      await screenshot('compose-up-failed');
    } finally {
      await run('docker-compose', ['-p', failing, 'down'], dir).catch((err) => console.log(String(err)));
      fs.rmSync(dir, { recursive: true, force: true });
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    }
  });

  it('puts a failure Compose reports at a file position in the Problems panel, there', async function () {
    this.timeout(120_000);
    const { api } = berth;
    const broken = `${name}-pos`;
    const dir = path.join(root(), broken);
    const file = path.join(dir, 'compose.yaml');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, `services:\n  app:\n    image: ${BASE_IMAGE}\n    command: ["sleep", "60"]\n`);
    try {
      await waitFor('the project in the view', async () => {
        await api.compose.settled();
        return api.compose.row(projectKey(broken)) ? true : undefined;
      }, 20_000);
      // The file breaks after Berth read it and before Compose reads it (an editor saving while
      // Up starts): Compose finds the problem and says where.
      fs.writeFileSync(file, `services:\n  app:\n    image: ${BASE_IMAGE}\n    ports: - "80:80"\n`);
      const code = await vscode.commands.executeCommand('berth.compose.up', projectKey(broken), { wait: true });
      assert.notEqual(code, 0);
      const d = await waitFor('the diagnostic from Compose', () => vscode.languages.getDiagnostics(vscode.Uri.file(file)).find((x) => x.source === 'Compose'), 20_000);
      assert.equal(d.message, `Compose Up of ${broken} failed: sequence entries are not allowed here`);
      assert.deepEqual([d.range.start.line, d.range.start.character], [3, 11]);
      await vscode.window.showTextDocument(vscode.Uri.file(file));
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await waitFor('the problem in the panel', async () => (await evalInPage<string>("document.querySelector('.markers-panel')?.innerText ?? ''")).includes('sequence entries are not allowed here') || undefined);
      await screenshot('compose-failure-position');
      assert.deepEqual(await projectContainers(broken), [], 'nothing started');
      // Fixed and saved: Compose's word on the old text goes.
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
      await editor.edit((e) => e.replace(new vscode.Range(3, 0, 3, editor.document.lineAt(3).text.length), '    ports: ["80:80"]'));
      await editor.document.save();
      await waitFor("Compose's diagnostic gone", () => (vscode.languages.getDiagnostics(vscode.Uri.file(file)).some((x) => x.source === 'Compose') ? undefined : true), 20_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('notifications.clearAll');
    }
  });

  it('runs the other project and service actions: choose services and profiles, build, pull, pause, resume, logs, browser, add a file, remove', async function () {
    this.timeout(240_000);
    const { api } = berth;
    const acts = `${name}-acts`;
    const dir = path.join(root(), acts);
    const webPort = await freePort();
    fs.mkdirSync(dir, { recursive: true });
    const common = `    labels:\n${labels()}\n`;
    fs.writeFileSync(
      path.join(dir, 'compose.yaml'),
      [
        'services:',
        '  web:',
        `    image: ${BASE_IMAGE}`,
        '    command: ["sh", "-c", "mkdir -p /www && echo acts > /www/index.html && exec httpd -f -p 80 -h /www"]',
        `    ports: ["127.0.0.1:${webPort}:80"]`,
        common,
        '  side:',
        `    image: ${BASE_IMAGE}`,
        '    command: ["sleep", "3600"]',
        '    profiles: ["extra"]',
        common,
        '  tool:',
        '    build: .',
        `    image: ${acts}-tool:test`,
        '    command: ["sleep", "3600"]',
        '    profiles: ["tools"]',
        common,
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\nLABEL ${Object.entries(testLabels()).map(([k, v]) => `${k}="${v}"`).join(' ')}\n`);
    fs.writeFileSync(path.join(dir, 'more.yaml'), `services:\n  added:\n    image: ${BASE_IMAGE}\n    command: ["sleep", "3600"]\n${common}`);
    const running = async () => (await projectContainers(acts)).filter((c) => c.State === 'running').map((c) => c.Labels['com.docker.compose.service']).sort();
    try {
      await waitFor('the project in the view', async () => {
        await api.compose.settled();
        return api.compose.row(projectKey(acts)) ? true : undefined;
      }, 20_000);

      // Up with a chosen profile, remembered for the next plain Up.
      assert.equal(await vscode.commands.executeCommand('berth.compose.upChoose', projectKey(acts), { choice: { profiles: ['extra'], services: [] }, wait: true }), 0);
      assert.deepEqual(await running(), ['side', 'web']);
      await vscode.commands.executeCommand('berth.compose.remove', projectKey(acts), { confirmed: true });
      assert.deepEqual(await projectContainers(acts), [], 'Remove takes every container of the project');
      const networks = await docker.listNetworks({ filters: { label: [`com.docker.compose.project=${acts}`] } });
      assert.deepEqual(networks, [], "and the project's network");
      assert.equal(await vscode.commands.executeCommand('berth.compose.up', projectKey(acts), { wait: true }), 0);
      assert.deepEqual(await running(), ['side', 'web'], 'the plain Up remembers the profile');

      // Build runs the program on the service's Dockerfile.
      assert.equal(await vscode.commands.executeCommand('berth.compose.build', serviceKey(acts, 'tool'), { wait: true }), 0);
      assert.ok(await docker.getImage(`${acts}-tool:test`).inspect(), 'the image is built');
      // Pull of an image no registry has: the failure names the service.
      await vscode.commands.executeCommand('notifications.clearAll');
      assert.notEqual(await vscode.commands.executeCommand('berth.compose.pull', serviceKey(acts, 'web'), { wait: true }), 0);
      await vscode.commands.executeCommand('notifications.showList');
      await waitFor('the pull failure', async () => (await notifications()).find((m) => m.startsWith(`Compose Pull of ${acts} failed: web: `)));
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');

      // Pause and resume by label, the rows saying so.
      await vscode.commands.executeCommand('berth.compose.pause', projectKey(acts));
      assert.deepEqual([...new Set((await projectContainers(acts)).map((c) => c.State))], ['paused']);
      await waitFor('the project row paused', () => (String(api.compose.getTreeItem(projectKey(acts)).contextValue).endsWith(':paused') ? true : undefined), 20_000);
      // Resume acts on what Berth knows is paused: the row turns paused with the first replica, and
      // web's own pause event can come later (seen under load: Resume found nothing to do).
      await waitFor("every replica paused in Berth's store", () => api.session.containers.all().filter((c) => c.labels['com.docker.compose.project'] === acts).every((c) => c.state === 'paused') || undefined, 20_000);
      await vscode.commands.executeCommand('berth.compose.unpause', serviceKey(acts, 'web'));
      assert.deepEqual(await running(), ['web'], 'Resume on a service resumes only its replicas');
      await vscode.commands.executeCommand('berth.compose.unpause', projectKey(acts));
      assert.deepEqual(await running(), ['side', 'web']);

      // One service's logs; its web port in the browser.
      await vscode.commands.executeCommand('berth.compose.viewLogs', serviceKey(acts, 'web'));
      await waitFor("the service's log terminal", () => vscode.window.terminals.find((t) => t.name === `Logs: ${acts} › web`), 20_000);
      await waitFor('the rows running', () => (/^2 of 2 services running/.test(String(api.compose.getTreeItem(projectKey(acts)).description)) ? true : undefined), 20_000);
      const opened = String(await vscode.commands.executeCommand('berth.compose.openInBrowser', serviceKey(acts, 'web')));
      // Desktop VS Code keeps the address; the web workbench maps it through its port proxy.
      assert.match(opened, new RegExp(`^http://127\\.0\\.0\\.1:(${webPort}/|\\d+/proxy/${webPort}/)$`));

      // A file added to the project joins its -f list and its services.
      const files = (await vscode.commands.executeCommand('berth.compose.addFile', projectKey(acts), { file: path.join(dir, 'more.yaml') })) as string[];
      assert.deepEqual(files, [path.join(dir, 'compose.yaml'), path.join(dir, 'more.yaml')]);
      assert.ok(((await api.compose.getChildren(projectKey(acts))) as string[]).includes(serviceKey(acts, 'added')));
    } finally {
      await run('docker-compose', ['-p', acts, '--profile', 'extra', '--profile', 'tools', 'down'], dir).catch((err) => console.log(String(err)));
      await docker.getImage(`${acts}-tool:test`).remove().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
      for (const t of vscode.window.terminals) if (t.name.includes(acts)) t.dispose();
    }
  });

  it('refuses a file with two problems naming both in file order, once each, and shows an unset image variable as unresolved', async function () {
    this.timeout(60_000);
    const { api } = berth;
    const two = `${name}-two`;
    const dir = path.join(root(), two);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `services:\n  web:\n    image: ${BASE_IMAGE}\n    portz: ["80:80"]\n  api:\n    build: .\n    image: \${API_IMAGE:?API_IMAGE must be set}\n`);
    try {
      await waitFor('the project in the view', async () => {
        await api.compose.settled();
        return api.compose.row(projectKey(two)) ? true : undefined;
      }, 20_000);
      // Not the raw ${API_IMAGE:?…}: what is wrong with it.
      const apiRow = api.compose.getTreeItem(serviceKey(two, 'api'));
      assert.equal(String(apiRow.description), '0 of 1 running · image unresolved: API_IMAGE is not set');
      assert.equal(String(apiRow.tooltip), 'Required variable not set: API_IMAGE must be set (compose.yaml:7)');
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('berth.compose.up', projectKey(two), { wait: true });
      await vscode.commands.executeCommand('notifications.showList');
      const said = await waitFor('the refusal', async () => (await notifications()).find((m) => m.startsWith(`${two} cannot be started`)));
      assert.equal(said, `${two} cannot be started: compose.yaml:4: Unknown key portz (not in the Compose Specification). compose.yaml:7: Required variable not set: API_IMAGE must be set.`);
      assert.deepEqual(await projectContainers(two), [], 'nothing started');
      await vscode.commands.executeCommand('berth.compose.focus');
      await setPaneExpanded('Containers', false);
      await setPaneExpanded('Images', false);
      try {
        await api.composeView.reveal(serviceKey(two, 'api'), { select: false, focus: false });
        await waitForPane(/compose/i, (t) => t.includes('image unresolved: API_IMAGE is not set'));
        await screenshot('compose-two-problems');
      } finally {
        await setPaneExpanded('Containers', true);
        await setPaneExpanded('Images', true);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    }
  });

  it('warns before running a file with a top-level name the old docker-compose refuses, and a forced run names the cause', async function () {
    this.timeout(120_000);
    const { api } = berth;
    const dir = path.join(root(), `${name}-named`);
    const named = `${name}-nm`;
    const version = (await run('docker-compose', ['version', '--short'], root())).trim();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `name: ${named}\nservices:\n  app:\n    image: ${BASE_IMAGE}\n    command: ["sleep", "60"]\n    labels:\n${labels()}\n`);
    try {
      await waitFor('the project in the view', async () => {
        await api.compose.settled();
        return api.compose.row(projectKey(named)) ? true : undefined;
      }, 20_000);
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('berth.compose.up', projectKey(named), { wait: true });
      await vscode.commands.executeCommand('notifications.showList');
      // The test workbench refuses modal dialogs and reports the question instead: it was asked.
      const asked = await waitFor('the warning', async () => (await notifications()).find((m) => m.includes('does not accept')));
      assert.ok(asked.includes(`docker-compose ${version} does not accept the key name (compose.yaml:1): Compose would refuse the file.`), asked);
      assert.deepEqual(await projectContainers(named), [], 'nothing started');
      await screenshot('compose-old-program-warning');
      await vscode.commands.executeCommand('notifications.clearAll');
      const code = await vscode.commands.executeCommand('berth.compose.up', projectKey(named), { wait: true, runAnyway: true });
      assert.notEqual(code, 0);
      await vscode.commands.executeCommand('notifications.showList');
      const failed = await waitFor('the failure', async () => (await notifications()).find((m) => m.startsWith(`Compose Up of ${named} failed`)));
      // The cause, not the program's last line ("For more on the Compose file format versions…").
      assert.equal(failed, `Compose Up of ${named} failed: 'name' does not match any of the regexes: '^x-'`);
      await screenshot('compose-old-program-cause');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    }
  });

  it('takes a project down with its volumes and images, removing exactly those it listed and keeping an image another container uses', async function () {
    this.timeout(180_000);
    const { api } = berth;
    const down = `${name}-down`;
    const dir = path.join(root(), down);
    const ownImage = `${down}-app:1`;
    await buildImage(docker, `FROM ${BASE_IMAGE}\nCMD ["sleep", "3600"]\n`, ownImage);
    // Another container on the base image: Down must keep it, whatever else uses it.
    const holder = await createIdleContainer(docker);
    const common = `    command: ["sleep", "3600"]\n    labels:\n${labels()}\n`;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'compose.yaml'),
      `services:\n  app:\n    image: ${ownImage}\n${common}    volumes: ["data:/data"]\n  tool:\n    image: ${BASE_IMAGE}\n${common}volumes:\n  data:\n    labels:\n${labels()}\n`,
    );
    try {
      await waitFor('the project in the view', async () => {
        await api.compose.settled();
        return api.compose.row(projectKey(down)) ? true : undefined;
      }, 20_000);
      assert.equal(await vscode.commands.executeCommand('berth.compose.up', projectKey(down), { wait: true }), 0);
      assert.ok(await docker.getVolume(`${down}_data`).inspect(), 'the named volume exists');
      await vscode.commands.executeCommand('notifications.clearAll');
      const code = await vscode.commands.executeCommand('berth.compose.down', projectKey(down), { volumes: true, images: true, confirmed: true, wait: true });
      assert.equal(code, 0);
      assert.deepEqual(await projectContainers(down), []);
      await assert.rejects(docker.getVolume(`${down}_data`).inspect(), 'the listed volume is removed');
      await assert.rejects(docker.getImage(ownImage).inspect(), 'the listed image is removed');
      assert.ok(await docker.getImage(BASE_IMAGE).inspect(), 'the image another container uses is kept');
      assert.equal((await holder.inspect()).State.Running, true);
      await vscode.commands.executeCommand('notifications.showList');
      const said = await waitFor('what Down removed', async () => (await notifications()).find((m) => m.startsWith(`Down of ${down} removed`)));
      assert.equal(said, `Down of ${down} removed ${down}_data, ${ownImage}.`);
    } finally {
      await run('docker-compose', ['-p', down, 'down', '-v'], dir).catch((err) => console.log(String(err)));
      await docker.getImage(ownImage).remove().catch(() => undefined);
      await holder.remove({ force: true }).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    }
  });

  it('says on the view when no Compose program is found', async () => {
    const { api } = berth;
    await vscode.workspace.getConfiguration('berth.compose').update('command', ['berth-test-no-such-compose'], vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('berth.compose.focus');
      await waitFor('the message', () => /^No Compose program found/.test(api.composeView.message ?? '') || undefined, 20_000);
      await waitForPane(/compose/i, (t) => t.includes('No Compose program found'));
      await screenshot('compose-no-program');
    } finally {
      await vscode.workspace.getConfiguration('berth.compose').update('command', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the message gone', () => (api.composeView.message ? undefined : true), 20_000);
  });
});
