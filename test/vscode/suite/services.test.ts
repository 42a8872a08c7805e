// The Services view in a real VS Code, on the launcher's Swarm test engine (a manager with a
// worker joined over loopback; the user's engine is never put in Swarm mode): the welcome on a
// non-Swarm engine, a stack deployed through the docker CLI with a failing service, a scale from
// the context menu, a killed task replaced live, the Nodes list and a drain, and bad input.
import { strict as assert } from 'assert';
import Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { BASE_IMAGE, testLabels, uniqueName } from '../../support/testEngine';
import { click, evalInPage, hasWorkbenchBridge, keys, notifications, restartSwarmManager, screenshot, waitForPane } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';
import { terminalText } from './terminals';

const SWARM_NAME = 'Swarm test engine';

async function quickInputText(): Promise<string> {
  return evalInPage<string>("(() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? w.innerText : ''; })()");
}

/** Collapses or expands a pane of the Berth side bar by its title, as a click on its header does. */
async function setPaneExpanded(title: string, expanded: boolean): Promise<void> {
  const now = await evalInPage<boolean | null>(`(() => { const h = [...document.querySelectorAll('.pane-header')].find((e) => e.innerText.trim().startsWith(${JSON.stringify(title)})); return h ? h.getAttribute('aria-expanded') === 'true' : null; })()`);
  if (now === null) throw new Error(`no pane titled ${title}`);
  if (now !== expanded) await click('.pane-header', { text: title });
}

/** The panes above Services other than Containers and Images; earlier suites may leave them open. */
const LOWER_PANES = ['Volumes', 'Networks', 'Compose'];
/** Those folded by foldOtherPanes, opened again after the suite. */
const folded = new Set<string>();

/** Room for the Services view's rows: open panes above it push them out of sight. */
async function foldOtherPanes(): Promise<void> {
  await setPaneExpanded('Containers', false);
  await setPaneExpanded('Images', false);
  for (const p of LOWER_PANES) {
    const open = await evalInPage<boolean>(`[...document.querySelectorAll('.pane-header')].some((e) => e.innerText.trim().startsWith(${JSON.stringify(p)}) && e.getAttribute('aria-expanded') === 'true')`);
    if (!open) continue;
    folded.add(p);
    await setPaneExpanded(p, false);
  }
}

/** A screenshot without the hover the last click left over a row: the pointer moves to the editor area first. */
async function shot(name: string): Promise<void> {
  await click('.part.editor');
  await screenshot(name);
}

async function messageFrom(command: string, expected: RegExp, ...args: unknown[]): Promise<string> {
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand(command, ...args);
  await vscode.commands.executeCommand('notifications.showList');
  const found = await waitFor(`a message matching ${expected}`, async () => (await notifications()).find((m) => expected.test(m)));
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand('notifications.hideList');
  return found;
}

describe('The Services view (Swarm) in a real VS Code', function () {
  this.timeout(180_000);
  const berth = useBerthInWorkbench();
  let swarm: Docker;
  let worker: Docker | undefined;
  let folder: string;
  const stack = uniqueName('shop').replace(/-/g, '');

  /** What the view holds, for a failure's message. */
  const dump = () =>
    JSON.stringify(
      berth.api.services.rows().map((r) => (r.kind === 'task' ? [r.key, r.task.serviceId.slice(0, 6), r.task.state, r.task.desiredState, r.task.exitCode, desc(r.key)] : [r.key, desc(r.key)])),
      null,
      1,
    );
  const explain = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (err) {
      throw new Error(`${(err as Error).message}; the view held (streaming: ${berth.api.services.feature().watcher.streaming}):\n${dump()}`);
    }
  };
  const desc = (key: string) => String(berth.api.services.getTreeItem(key).description ?? '');
  const serviceId = (name: string) => berth.api.services.rows().find((r) => r.kind === 'service' && r.service.name === name)?.key.slice('service:'.length);

  before(() => {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (npm run test:vscode)');
    const url = process.env.BERTH_SWARM_ENGINE;
    if (!url) throw new Error('BERTH_SWARM_ENGINE is not set: the launcher starts a Swarm test engine for this suite');
    swarm = new Docker({ socketPath: url.replace(/^unix:\/\//, '') });
    const w = process.env.BERTH_SWARM_WORKER;
    if (w) worker = new Docker({ socketPath: w.replace(/^unix:\/\//, '') });
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-stack-'));
  });

  after(async () => {
    await setPaneExpanded('Containers', true).catch(() => undefined);
    await setPaneExpanded('Images', true).catch(() => undefined);
    for (const p of folded) await setPaneExpanded(p, true).catch(() => undefined);
    await vscode.commands.executeCommand('berth.engine.switch', { engine: '' });
    await vscode.workspace.getConfiguration('berth').update('engines', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('explains Swarm and offers to initialize it on an engine that is not in Swarm mode', async () => {
    // The developer's engine: never put in Swarm mode by these tests.
    await waitFor('the mode', () => berth.api.services.feature().watcher.mode === 'inactive' || undefined, 20_000);
    await setPaneExpanded('Containers', false);
    await setPaneExpanded('Images', false);
    await vscode.commands.executeCommand('berth.services.focus');
    const pane = await waitForPane(/^services/i, (t) => t.includes('Initialize Swarm on This Engine'));
    assert.match(pane.text, /Swarm mode runs containers as replicated services across several machines/);
    assert.match(pane.text, /This engine is not in Swarm mode/);
    await screenshot('services-welcome');
    // Asked first: the test workbench reports the modal question instead of showing it.
    const asked = await messageFrom('berth.swarm.init', /Initialize Swarm mode on this engine\?/);
    assert.ok(asked, asked);
    assert.equal(berth.api.services.feature().watcher.mode, 'inactive', 'unanswered, nothing changed');
    // The address and port asked next are checked before anything reaches the engine.
    const badAddress = await messageFrom('berth.swarm.init', /is not an IP address/, { confirmed: true, advertiseAddr: '10.0.0.300:2377' });
    assert.equal(badAddress, '“10.0.0.300” is not an IP address or a network interface name.');
    const badPort = await messageFrom('berth.swarm.init', /is not a port/, { confirmed: true, advertiseAddr: '127.0.0.1:99999' });
    assert.match(badPort, /^“99999” is not a port: type a number from 1 to 65535/);
    assert.equal(((await docker.info()) as { Swarm: { LocalNodeState: string } }).Swarm.LocalNodeState, 'inactive', 'the developer\'s engine stays out of Swarm mode');
  });

  it('shows a deployed stack with its services, tasks and a failed task', async function () {
    await vscode.workspace.getConfiguration('berth').update('engines', [{ name: SWARM_NAME, url: process.env.BERTH_SWARM_ENGINE }], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('berth.engine.switch', { engine: `configured:${SWARM_NAME}` });
    await waitFor('manager mode', () => berth.api.services.feature().watcher.mode === 'manager' || undefined, 30_000);
    await vscode.commands.executeCommand('berth.services.focus');
    await waitFor('the service and node events followed', () => berth.api.services.feature().watcher.streaming || undefined, 20_000);
    const file = path.join(folder, 'stack.yaml');
    fs.writeFileSync(
      file,
      [
        'version: "3.8"',
        'services:',
        '  web:',
        `    image: ${BASE_IMAGE}`,
        '    command: ["sh", "-c", "mkdir -p /www && echo shop > /www/index.html && exec httpd -f -p 80 -h /www"]',
        '    ports:',
        '      - target: 80',
        '        mode: host',
        '    deploy:',
        '      replicas: 2',
        // A stack's services join its overlay network, whose vxlan interface two engines on one
        // host cannot both create ("error creating vxlan interface: file exists"): the stack stays
        // on the manager, and the drain below uses a service with no overlay network.
        '      placement:',
        '        constraints: ["node.role == manager"]',
        '      labels:',
        ...Object.entries(testLabels()).map(([k, v]) => `        ${k}: "${v}"`),
        '  broken:',
        `    image: ${BASE_IMAGE}`,
        '    command: ["sh", "-c", "echo broken; exit 3"]',
        '    deploy:',
        '      replicas: 1',
        '      placement:',
        '        constraints: ["node.role == manager"]',
        '      restart_policy:',
        '        condition: none',
        '',
      ].join('\n'),
    );
    const terminal = (await vscode.commands.executeCommand('berth.stacks.deploy', vscode.Uri.file(file), { name: stack })) as vscode.Terminal;
    assert.ok(terminal, 'Deploy Stack opened its terminal');
    const output = await waitFor('the deploy to end', async () => {
      const t = await terminalText(terminal);
      return /— (done|exited with code \d+) —/.test(t) ? t : undefined;
    }, 60_000);
    assert.match(output, new RegExp(`stack deploy -c \\S+stack\\.yaml ${stack}`));
    await explain(waitFor('web 2/2 and broken failed', () => {
      const web = serviceId(`${stack}_web`);
      const broken = serviceId(`${stack}_broken`);
      return web && broken && desc(`service:${web}`).startsWith('2/2 running') && berth.api.services.rows().some((r) => r.kind === 'task' && r.task.serviceId === broken && r.task.state === 'failed') ? true : undefined;
    }, 60_000));
    const web = serviceId(`${stack}_web`)!;
    const broken = serviceId(`${stack}_broken`)!;
    assert.match(desc(`stack:${stack}`), /2 services/);
    // Spoken, a stack row says its services and how many of their tasks run (the rows' own counts summed).
    const counts = [web, broken].map((id) => /^(\d+)\/(\d+) running/.exec(desc(`service:${id}`))!.slice(1).map(Number));
    const spoken = `Stack ${stack}, 2 services, ${counts.reduce((n, c) => n + c[0], 0)}/${counts.reduce((n, c) => n + c[1], 0)} running`;
    assert.equal(berth.api.services.getTreeItem(`stack:${stack}`).accessibilityInformation?.label, spoken);
    // Just deployed, no service has a previous version: from the palette, Roll Back says so instead of offering them.
    const noRollback = await messageFrom('berth.services.rollback', /previous version/);
    assert.equal(noRollback, 'No service has a previous version to roll back to.');
    assert.match(desc(`service:${web}`), /replicated · berth-test\/busybox:latest · \*:80\/tcp \(host\)/);
    const failed = berth.api.services.rows().find((r) => r.kind === 'task' && r.task.state === 'failed')!;
    assert.match(desc(failed.key), /Failed .* · exit code 3 · desired: shutdown · task: non-zero exit \(3\)/);
    // Each task's own host port is a row of its own.
    const portRows = berth.api.services.rows().filter((r) => r.kind === 'taskPort' && r.task.serviceId === web);
    assert.equal(portRows.length, 2);
    // Room for the Services view: the other panes fold, and the rows to show are revealed.
    await setPaneExpanded('Containers', false);
    await setPaneExpanded('Images', false);
    await vscode.commands.executeCommand('berth.services.focus');
    await berth.api.servicesView.reveal(failed.key, { select: false, focus: false, expand: true });
    await berth.api.servicesView.reveal(portRows[0].key, { select: false, focus: false, expand: true });
    await waitForPane(/^services/i, (t) => t.includes(`${stack}_web`) && t.includes('exit code 3') && t.includes('2/2 running'), 20_000);
    // The page reads it too, redrawn as its tasks started (its visible text did not change).
    const stackAria = () => evalInPage<string | null>(`[...document.querySelectorAll('.monaco-list-row')].map((e) => e.getAttribute('aria-label')).find((l) => l?.startsWith(${JSON.stringify(`Stack ${stack},`)})) ?? null`);
    await waitFor('the stack row read as its spoken label', async () => ((await stackAria()) === spoken ? true : undefined), 20_000).catch(async (err) => {
      throw new Error(`${(err as Error).message}: the page reads ${JSON.stringify(await stackAria())}, expected ${JSON.stringify(spoken)}`);
    });
    await shot('services-stack-failed-task');
  });

  it('scales a service from its context menu, refusing what is not a replica count', async function () {
    const web = serviceId(`${stack}_web`)!;
    await vscode.commands.executeCommand('berth.services.focus');
    // The service's own row (the Containers view lists its task containers under similar names).
    await click('.monaco-list-row', { text: '2/2 running · replicated · berth-test/busybox:latest · *:80/tcp (host)', button: 'right' });
    await click('.monaco-menu .action-item', { text: 'Scale Service…' });
    await waitFor('the replicas box', async () => ((await quickInputText()).includes('How many tasks should run') ? true : undefined));
    await keys('', 'Control+A');
    await keys('abc');
    await waitFor('the validation message', async () => ((await quickInputText()).includes('"abc" is not a number of replicas') ? true : undefined));
    await screenshot('services-scale-invalid');
    await keys('', 'Control+A');
    await keys('4', 'Enter');
    await waitFor('4/4 running in the tree', () => (desc(`service:${web}`).startsWith('4/4 running') ? true : undefined), 60_000);
    await waitForPane(/^services/i, (t) => t.includes('4/4 running'), 20_000);
    // Tasks 3 and 4 were drawn first while starting, with no port yet: once their port arrives their rows open.
    const runningTasks = () => berth.api.services.rows().filter((r) => r.kind === 'task' && r.task.serviceId === web && r.task.desiredState === 'running' && r.task.state === 'running');
    await explain(waitFor('4 running tasks, each with its port', () => (runningTasks().length === 4 && runningTasks().every((r) => r.kind === 'task' && r.task.ports.length === 1) ? true : undefined), 30_000));
    for (const r of runningTasks()) {
      if (r.kind !== 'task') continue;
      const item = berth.api.services.getTreeItem(r.key);
      assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded, `task ${r.task.slot} opens`);
      // Revealed without expanding it: the row shows open because the tree drew it so.
      await berth.api.servicesView.reveal(r.key, { select: false, focus: false, expand: false });
      const name = String(item.label);
      const expanded = await waitFor(`task ${name} drawn open with its port row`, async () => {
        const state = await evalInPage<{ open: string | null; next: string | null } | null>(
          `(() => { const rows = [...document.querySelectorAll('.monaco-list-row')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top); const i = rows.findIndex((e) => (e.getAttribute('aria-label') ?? '').startsWith(${JSON.stringify(`Task ${name},`)})); return i < 0 ? null : { open: rows[i].getAttribute('aria-expanded'), next: rows[i + 1]?.getAttribute('aria-label') ?? null }; })()`,
        );
        // Drawn open; its port row is the tree's first child of it (drawn below, when the pane has room for it).
        const portChild = berth.api.services.getChildren(r.key).length > 0;
        return state && state.open === 'true' && portChild && (state.next === null || !state.next.startsWith('Task ') || state.next.startsWith('Published port')) ? state : undefined;
      }, 20_000).catch(async (err) => {
        throw new Error(`${(err as Error).message}: the rows read ${JSON.stringify(await evalInPage(`[...document.querySelectorAll('.monaco-list-row')].map((e) => [e.getAttribute('aria-label'), e.getAttribute('aria-expanded')])`))}`);
      });
      assert.equal(expanded.open, 'true');
    }
    await shot('services-scaled');
    const tasks = await swarm.listTasks({ filters: JSON.stringify({ service: [web], 'desired-state': ['running'] }) });
    assert.equal(tasks.length, 4);
    // Typed through a script, the same refusals come back as messages, and nothing changes.
    for (const [replicas, said] of [
      ['abc', /"abc" is not a number of replicas/],
      ['-1', /fewer than 0 replicas/],
      ['10001', /At most 10000 replicas/],
    ] as const)
      assert.ok(await messageFrom('berth.services.scale', said, `service:${web}`, { replicas }));
    const spec = (await swarm.getService(web).inspect()) as { Spec: { Mode: { Replicated: { Replicas: number } } } };
    assert.equal(spec.Spec.Mode.Replicated.Replicas, 4);
    await vscode.commands.executeCommand('berth.services.scale', `service:${web}`, { replicas: '2' });
    await waitFor('2/2 again', () => (desc(`service:${web}`).startsWith('2/2 running') ? true : undefined), 60_000);
  });

  it('shows a killed task failed with its exit code and its replacement starting', async function () {
    const web = serviceId(`${stack}_web`)!;
    const managerId = ((await swarm.info()) as { Swarm: { NodeID: string } }).Swarm.NodeID;
    const here = await waitFor('a running task', () => berth.api.services.rows().find((r) => r.kind === 'task' && r.task.serviceId === web && r.task.state === 'running'), 60_000);
    if (here.kind !== 'task') throw new Error('not a task row');
    const node = here.task.nodeId === managerId ? swarm : worker;
    if (!node) throw new Error('the task runs on the worker, whose socket the launcher did not pass (BERTH_SWARM_WORKER)');
    const started = Date.now();
    await node.getContainer(here.task.containerId!).kill();
    const slotRows = () => berth.api.services.rows().filter((r) => r.kind === 'task' && r.task.serviceId === web && r.task.slot === here.task.slot);
    await explain(waitFor('the failed task with its exit code', () => slotRows().some((r) => r.kind === 'task' && r.task.id === here.task.id && r.task.state === 'failed' && /exit code 137/.test(desc(r.key))) || undefined, 20_000));
    const failedMs = Date.now() - started;
    // The replacement is made at once, meant to run once the restart delay (5 s for a stack's services) is over.
    await explain(waitFor('its replacement', () => slotRows().some((r) => r.kind === 'task' && r.task.id !== here.task.id && ['ready', 'running'].includes(r.task.desiredState)) || undefined, 20_000));
    const replacementMs = Date.now() - started;
    await explain(waitFor('the replacement running', () => slotRows().some((r) => r.kind === 'task' && r.task.id !== here.task.id && r.task.state === 'running') || undefined, 30_000));
    console.log(`      after the kill (task on the ${node === swarm ? 'manager, this engine' : 'worker'}): failed task shown in ${failedMs} ms, its replacement in ${replacementMs} ms, running in ${Date.now() - started} ms`);
    await berth.api.servicesView.reveal(`task:${here.task.id}`, { select: false, focus: false, expand: true });
    await waitForPane(/^services/i, (t) => t.includes('exit code 137'), 20_000);
    await shot('services-task-replaced');
  });

  it('lists the nodes, asks before a drain with how many tasks move, and moves them', async function () {
    await vscode.commands.executeCommand('berth.services.focus');
    const nodes = berth.api.services.rows().filter((r) => r.kind === 'node');
    assert.equal(nodes.length, 2, 'the manager and the worker joined over loopback');
    const worker = nodes.find((r) => r.kind === 'node' && r.node.role === 'worker')!;
    const manager = nodes.find((r) => r.kind === 'node' && r.node.role === 'manager')!;
    assert.match(desc(manager.key), /^manager \(leader\) · active · ready · Engine \d+\.\d+/);
    assert.match(desc(worker.key), /^worker · active · ready/);
    await foldOtherPanes();
    await berth.api.servicesView.reveal(worker.key, { select: false, focus: false, expand: true });
    await waitForPane(/^services/i, (t) => t.includes('Nodes') && t.includes('manager (leader)') && t.includes('worker'), 20_000);
    await evalInPage("document.querySelector('.pane-header[aria-label*=\"Services\"]')?.scrollIntoView()");
    await shot('services-nodes');
    if (worker.kind !== 'node') throw new Error('not a node row');
    // Created by Berth through the Engine API: no overlay network, so its tasks spread over both nodes.
    const spread = (await vscode.commands.executeCommand('berth.services.create', {
      image: BASE_IMAGE,
      name: uniqueName('berth-test-spread'),
      replicas: '4',
      ports: '',
      parallelism: '1',
      delay: '0',
      failureAction: 'pause',
      restart: 'any',
      command: ['sleep', '3600'],
      labels: testLabels(),
    })) as string;
    assert.ok(spread, 'the service was created');
    await waitFor('4/4 over both nodes', () => (desc(`service:${spread}`).startsWith('4/4 running') ? true : undefined), 60_000);
    const web = spread;
    const onWorker = () => berth.api.services.rows().filter((r) => r.kind === 'task' && r.task.nodeId === worker.node.id && r.task.desiredState === 'running').length;
    const moving = onWorker();
    const asked = await messageFrom('berth.nodes.drain', /Drain node/, worker.key);
    assert.match(asked, /Drain node/);
    console.log(`      asked: ${asked.replace(/\s+/g, ' ')}`);
    assert.equal((await swarm.getNode(worker.node.id).inspect()).Spec.Availability, 'active', 'unanswered, nothing changed');
    await vscode.commands.executeCommand('berth.nodes.drain', worker.key, { confirmed: true });
    await explain(waitFor('no task left on the worker', () => (onWorker() === 0 && desc(`service:${web}`).startsWith('4/4 running') && /· drain ·/.test(desc(worker.key)) ? true : undefined), 60_000));
    assert.ok(moving > 0, 'the worker had tasks to move');
    console.log(`      ${moving} task(s) moved off the drained worker`);
    await vscode.commands.executeCommand('berth.nodes.activate', worker.key, { confirmed: true });
    await waitFor('active again', () => (/· active ·/.test(desc(worker.key)) ? true : undefined), 20_000);
    await vscode.commands.executeCommand('berth.services.remove', `service:${spread}`, { confirmed: true });
  });

  it('refuses an image not on the engine, a taken name, and a stack that does not exist, creating nothing', async function () {
    const before = (await swarm.listServices()).length;
    const base = { replicas: '1', ports: '', parallelism: '1', delay: '0', failureAction: 'rollback', restart: 'any', labels: testLabels() };
    const missing = await messageFrom('berth.services.create', /is not on this engine/, { ...base, image: 'berth-test/nothing-here:1', name: uniqueName('berth-test-svc') });
    assert.match(missing, /The image berth-test\/nothing-here:1 is not on this engine\. Build or pull it first/);
    const taken = await messageFrom('berth.services.create', /already exists/, { ...base, image: BASE_IMAGE, name: `${stack}_web` });
    assert.match(taken, new RegExp(`A service named ${stack}_web already exists: choose another name`));
    const noStack = await messageFrom('berth.stacks.remove', /no stack named/, 'stack:nostack');
    assert.equal(noStack, 'There is no stack named nostack on this engine.');
    // Swarm has no host IP: said, rather than dropped silently.
    const hostIp = await messageFrom('berth.services.create', /has no host IP/, { ...base, image: BASE_IMAGE, name: uniqueName('berth-test-svc'), ports: '127.0.0.1:18080:80', publishMode: 'host' });
    assert.match(hostIp, /Swarm publishes a port on every address of the node \(host mode\) or of every node \(ingress\): it has no host IP, so 127\.0\.0\.1 cannot be kept\. Leave it out \(18080:80\)/);
    assert.equal((await swarm.listServices()).length, before, 'nothing was created');
    // A good one is created, converges, and is removed once confirmed.
    const name = uniqueName('berth-test-svc');
    const id = (await vscode.commands.executeCommand('berth.services.create', { ...base, image: BASE_IMAGE, name, command: ['sleep', '3600'] })) as string;
    assert.ok(id, 'the service was created');
    await waitFor('1/1', () => (desc(`service:${id}`).startsWith('1/1 running') ? true : undefined), 60_000);
    // Never updated, it has no previous version: Roll Back says so, and is not in its menu.
    assert.equal(berth.api.services.getTreeItem(`service:${id}`).contextValue, 'service:replicated');
    const noPrevious = await messageFrom('berth.services.rollback', /no previous version/, `service:${id}`);
    assert.equal(noPrevious, `Service ${name} has no previous version to roll back to.`);
    await vscode.commands.executeCommand('berth.services.remove', `service:${id}`, { confirmed: true });
    await waitFor('the row gone', () => !berth.api.services.row(`service:${id}`) || undefined, 20_000);
  });

  it('merges the tasks\' logs with a task prefix, follows them again after the engine restarts and stops at an engine switch, inspects a service with its secrets masked, and exports it to Kubernetes', async function () {
    const name = uniqueName('berth-test-logs');
    const command = ['sh', '-c', 'echo hello from $HOSTNAME; i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done'];
    const id = (await vscode.commands.executeCommand('berth.services.create', {
      image: BASE_IMAGE,
      name,
      replicas: '2',
      ports: '',
      parallelism: '1',
      delay: '0',
      failureAction: 'rollback',
      restart: 'any',
      command,
      env: ['API_TOKEN=hunter2-very-secret', 'MODE=demo'],
      labels: testLabels(),
    })) as string;
    // Create Service's command and environment are the engine's spec.
    const created = (await swarm.getService(id).inspect()) as { Spec: { TaskTemplate: { ContainerSpec: { Command?: string[]; Env?: string[] } } } };
    assert.deepEqual(created.Spec.TaskTemplate.ContainerSpec.Command, command);
    assert.deepEqual(created.Spec.TaskTemplate.ContainerSpec.Env, ['API_TOKEN=hunter2-very-secret', 'MODE=demo']);
    await waitFor('2/2', () => (desc(`service:${id}`).startsWith('2/2 running') ? true : undefined), 60_000);
    await vscode.commands.executeCommand('berth.services.viewLogs', `service:${id}`);
    const term = await waitFor('the log terminal', () => vscode.window.terminals.find((t) => t.name === `Service Logs: ${name}`));
    const text = await waitFor('a line from each task', async () => {
      const t = await terminalText(term);
      return new RegExp(`${name}\\.1\\.\\w{12}@vm \\| hello from`).test(t) && new RegExp(`${name}\\.2\\.\\w{12}@vm \\| hello from`).test(t) ? t : undefined;
    }, 30_000);
    assert.ok(!/com\.docker\.swarm/.test(text), 'the engine\'s details are turned into the prefix');
    await shot('services-logs');
    // The manager's dockerd killed and started again while no Berth view shows (so the session follows
    // no events and notices nothing): the terminal says the stream ended, then follows again on its own.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the session no longer following events', () => !berth.api.session.streaming || undefined, 20_000);
    await restartSwarmManager();
    const back = `— the engine is back: following service ${name} again —`;
    const resumed = await explain(
      waitFor('the log terminal following again', async () => {
        const t = await terminalText(term);
        const after = t.slice(t.lastIndexOf(back) + back.length);
        return t.includes(`The log stream of service ${name} ended.`) && t.includes(back) && /@vm \| tick \d+/.test(after) ? t : undefined;
      }, 90_000),
    );
    assert.ok(resumed.indexOf(`The log stream of service ${name} ended.`) < resumed.lastIndexOf(back), 'ended, then back');
    assert.ok(!/Cannot read the logs/.test(resumed), resumed);
    await shot('services-logs-resumed');
    await vscode.commands.executeCommand('berth.services.focus');
    await waitFor('2/2 again after the restart', () => (desc(`service:${id}`).startsWith('2/2 running') ? true : undefined), 90_000);
    // Another engine: the terminal closes its stream with a last line; back on the swarm, the rest goes on.
    await vscode.commands.executeCommand('berth.engine.switch', { engine: '' });
    await waitFor('the switch said in the log terminal', async () => ((await terminalText(term)).includes('— Berth switched to another engine: this stream is closed —') ? true : undefined), 30_000);
    await vscode.commands.executeCommand('berth.engine.switch', { engine: `configured:${SWARM_NAME}` });
    await waitFor('manager mode again', () => (berth.api.services.feature().watcher.mode === 'manager' && berth.api.services.row(`service:${id}`) ? true : undefined), 30_000);
    const closedText = await terminalText(term);
    assert.ok(!closedText.includes(`— the engine is back`, closedText.indexOf('— Berth switched to another engine')), 'the closed terminal does not follow the swarm again');
    term.dispose();
    const editor = (await vscode.commands.executeCommand('berth.services.inspect', `service:${id}`)) as vscode.TextEditor;
    // A read-only document that follows the service, as a container's does (not an untitled one to save).
    assert.equal(editor.document.uri.scheme, 'berth-inspect');
    assert.ok(editor.document.uri.path.startsWith(`/service/${id}/`), editor.document.uri.toString());
    const json = editor.document.getText();
    assert.match(json, /"API_TOKEN=••••••"/);
    assert.match(json, /"MODE=demo"/);
    assert.ok(!json.includes('hunter2'), 'the secret value is not shown');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // Export to Kubernetes from the service row: a Deployment with its 2 replicas, the secret as a placeholder.
    const doc = (await vscode.commands.executeCommand('berth.services.exportKube', `service:${id}`, { serviceType: 'ClusterIP' })) as vscode.TextDocument;
    const yaml = doc.getText();
    assert.match(yaml, /kind: Deployment/);
    assert.match(yaml, new RegExp(`name: ${name}\\n`));
    assert.match(yaml, /replicas: 2/);
    assert.match(yaml, /API_TOKEN: CHANGE-ME/);
    assert.ok(!yaml.includes('hunter2'), 'the secret value is not exported');
    await shot('services-export-kube');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('berth.services.remove', `service:${id}`, { confirmed: true });
  });

  it('removes the stack through the docker CLI once confirmed', async function () {
    const terminal = (await vscode.commands.executeCommand('berth.stacks.remove', `stack:${stack}`, { confirmed: true })) as vscode.Terminal;
    assert.ok(terminal);
    await waitFor('the stack gone', () => !berth.api.services.row(`stack:${stack}`) || undefined, 60_000);
    assert.deepEqual((await swarm.listServices()).filter((s) => s.Spec?.Labels?.['com.docker.stack.namespace'] === stack), []);
  });
});
