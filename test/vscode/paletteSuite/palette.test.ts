// Every Berth command the palette shows, run as a user runs it (no argument) on a fixture where
// its targets exist: its picker is not empty, offers the fixture's objects, and the first of them
// is one the command accepts (no "applies to…" or "nothing to do" afterwards); destructive ones ask
// first, and Escape cancels. Then the Compose view's project and service rows as a screen reader
// hears them (their aria-label), and a project with one service up of three.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import type Docker from 'dockerode';
import { projectKey, serviceKey } from '../../../src/model/composeTree';
import { BASE_IMAGE, buildImage, createIdleContainer, startWebContainer, testLabels, uniqueName } from '../../support/testEngine';
import { click, evalInPage, hasWorkbenchBridge, keys, screenshot } from '../suite/bridge';
import { docker, useBerthInWorkbench, waitFor } from '../suite/helpers';

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

/**
 * What each palette command does with no argument: 'pick' shows a picker of targets (the first of
 * the fixture's is picked), 'look' a picker that is only looked at (Switch Engine), 'ask' asks
 * before anything (prune), 'none' needs no target. A command missing here fails the test: a new
 * command must say what it does from the palette.
 */
type Way = 'pick' | 'look' | 'ask' | 'none';
const WAYS: Record<string, Way> = {
  'berth.refresh': 'none',
  'berth.engine.retry': 'none',
  'berth.engine.openSettings': 'none',
  'berth.engine.showLog': 'none',
  'berth.engine.switch': 'look',
  'berth.usage.show': 'none',
  'berth.disk.show': 'none',
  'berth.images.showDangling': 'none',
  'berth.images.hideDangling': 'none',
  'berth.images.prune': 'ask',
  // Pull asks for a reference, Load and Import for a file: nothing on the engine to pick first.
  'berth.images.pull': 'none',
  'berth.images.load': 'none',
  'berth.images.importFilesystem': 'none',
  'berth.volumes.prune': 'ask',
  'berth.networks.prune': 'ask',
  // The registry commands need no engine: Log In and Log Out offer the registries known (none in
  // this workbench) and take a typed address, Add Registry asks for one; the tag commands say to
  // expand a repository first. Their flows with a registry are in suite/registries.test.ts.
  'berth.registry.logIn': 'none',
  'berth.registry.logOut': 'none',
  'berth.registry.add': 'none',
  'berth.registry.pull': 'none',
  'berth.registry.copyReference': 'none',
  'berth.registry.copyDigestReference': 'none',
  'berth.registry.deleteTag': 'none',
  'berth.networks.create': 'none',
  'berth.system.prune': 'ask',
  'berth.containers.prune': 'ask',
  'berth.volumes.create': 'none',
};
for (const noun of ['containers', 'images', 'volumes', 'networks']) {
  WAYS[`berth.${noun}.filter`] = 'none';
  WAYS[`berth.${noun}.clearFilter`] = 'none';
}

/** Removes something: it must ask (a dialog or a question) after the pick, and Escape must cancel. */
const DESTRUCTIVE = new Set(['berth.containers.remove', 'berth.images.remove', 'berth.images.prune', 'berth.volumes.remove', 'berth.volumes.prune', 'berth.networks.remove', 'berth.networks.prune', 'berth.containers.disconnectNetwork', 'berth.system.prune', 'berth.containers.prune', 'berth.networks.disconnectContainer', 'berth.compose.down', 'berth.compose.remove']);

/** Said when a command refuses what its picker offered, or finds nothing to act on. */
const REFUSAL = /applies to|nothing to do|nothing to remove|has no (stopped|paused|running|file)|not been run|publishes no|not a web port|is not in the files|is not running|no container of/i;

/** The palette's when clauses Berth uses, for this workbench (a trusted folder, an engine not in Swarm mode, no editor). */
function shownInPalette(when: string | undefined, swarmMode: string): boolean {
  if (when === undefined) return true;
  const known: Record<string, boolean> = {
    false: false,
    isWorkspaceTrusted: true,
    'berth.swarmMode == manager': swarmMode === 'manager',
    // Initialize Swarm would change the shared engine: its question is checked in services.test.ts.
    'berth.swarmMode == inactive': false,
    'resourceScheme == berth-inspect': false,
    // Image Layers' and Disk Usage's own commands: shown once their view is open (the layers suite runs them).
    'berth.layers.open': false,
    'berth.disk.open': false,
    'berth.swarmMode == manager && isWorkspaceTrusted': swarmMode === 'manager',
    'isWorkspaceTrusted && resourceFilename =~ /^(docker-)?compose([.-][^\\/]+)?\\.ya?ml$/i': false,
  };
  if (!(when in known)) throw new Error(`the test does not know the palette clause "${when}": add it`);
  return known[when];
}

const quickInput = () =>
  evalInPage<{ visible: boolean; placeholder: string; rows: string[]; many: boolean }>(
    "(() => { const w = document.querySelector('.quick-input-widget'); const visible = !!w && w.style.display !== 'none'; const check = w?.querySelector('.quick-input-check-all'); return { visible, placeholder: visible ? (w.querySelector('input.input')?.placeholder ?? w.querySelector('input')?.placeholder ?? '') : '', rows: visible ? [...w.querySelectorAll('.quick-input-list .monaco-list-row')].filter((r) => r.offsetParent !== null && r.getBoundingClientRect().height > 0).map((r) => r.getAttribute('aria-label') || r.innerText) : [], many: (!!check && check.offsetParent !== null) || !!w?.querySelector('.quick-input-list .monaco-list-row input[type=checkbox], .quick-input-list .monaco-list-row .monaco-custom-toggle, .quick-input-list .monaco-list-row .quick-input-list-checkbox') }; })()",
  );
const dialogOpen = () => evalInPage<boolean>("!!document.querySelector('.monaco-dialog-box')");
const messages = () => evalInPage<string[]>("[...document.querySelectorAll('.notification-list-item-message')].map((e) => e.innerText)");

/** Processes of this machine whose command line holds `text` (the Compose program a command started). */
function processesWith(text: string): number {
  let n = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(text) && /compose/.test(cmd)) n++;
    } catch {
      // Gone meanwhile.
    }
  }
  return n;
}

describe('Every palette command offers exactly what it applies to', function () {
  const berth = useBerthInWorkbench();
  const token = uniqueName('berth-test-pal');
  let folder: string;
  const own: Record<string, Docker.Container> = {};
  const composeIds: Record<string, string> = {};
  const findings: string[] = [];

  before(async function () {
    this.timeout(240_000);
    if (!hasWorkbenchBridge) throw new Error('these checks drive the page: run them with the web launcher (npm run test:vscode)');
    const [webPort, dbPort] = [await freePort(), await freePort()];
    folder = path.join(root(), token);
    fs.mkdirSync(folder, { recursive: true });
    const labels = Object.entries(testLabels()).map(([k, v]) => `      ${k}: "${v}"`).join('\n');
    const service = (command: string, extra = '') => `    image: ${BASE_IMAGE}\n    command: ${command}\n    labels:\n${labels}\n${extra}`;
    fs.writeFileSync(
      path.join(folder, 'compose.yaml'),
      [
        'services:',
        '  web:',
        service(`["sh", "-c", "mkdir -p /www && echo berth > /www/index.html && exec httpd -f -p 80 -h /www"]`, `    ports:\n      - "127.0.0.1:${webPort}:80"\n`),
        '  db:',
        service('["sleep", "3600"]', `    ports:\n      - "127.0.0.1:${dbPort}:5432"\n`),
        '  idle:',
        service('["sleep", "3600"]'),
        '  tool:',
        `    build:\n      context: .\n      labels:\n${labels.replace(/^ {6}/gm, '        ')}\n    profiles: ["tools"]\n`,
      ].join('\n'),
    );
    fs.writeFileSync(path.join(folder, 'Dockerfile'), `FROM ${BASE_IMAGE}\nCMD ["sleep", "3600"]\n`);
    // Two Dockerfiles: Build asks which.
    fs.mkdirSync(path.join(folder, 'other'));
    fs.writeFileSync(path.join(folder, 'other', 'Dockerfile'), `FROM ${BASE_IMAGE}\n`);
    await run('docker-compose', ['-p', token, 'up', '-d', 'web', 'db', 'idle'], folder);
    for (const c of await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${token}`] } })) composeIds[c.Labels['com.docker.compose.service']] = c.Id;
    own.on = await startWebContainer(docker, `${token}-on`);
    own.off = await createIdleContainer(docker, `${token}-off`);
    await own.off.kill();
    own.paused = await createIdleContainer(docker, `${token}-paused`);
    own.pg = await docker.createContainer({ name: `${token}-pg`, Image: BASE_IMAGE, Cmd: ['sleep', '3600'], Labels: testLabels(), StopTimeout: 1, ExposedPorts: { '5432/tcp': {} }, HostConfig: { PortBindings: { '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } } });
    await own.pg.start();
    await docker.getImage(BASE_IMAGE).tag({ repo: token, tag: '1' });
    // A dangling image of this run: a tag moved to another build.
    await buildImage(docker, `FROM ${BASE_IMAGE}\nLABEL berth.palette=${token}-a\n`, `${token}-dangling:1`);
    await buildImage(docker, `FROM ${BASE_IMAGE}\nLABEL berth.palette=${token}-b\n`, `${token}-dangling:1`);
    await docker.createVolume({ Name: `${token}-vol`, Labels: testLabels() });
    await docker.createNetwork({ Name: `${token}-net`, Labels: testLabels() });
    // An image run from Berth before, for Run Again.
    await vscode.commands.executeCommand('berth.images.run', `${token}:1`, { name: `${token}-ran`, command: 'sleep 3600', labels: testLabels(), ports: '' });
    await resetFixture();
    await berth.api.compose.settled();
  });

  after(async function () {
    this.timeout(120_000);
    for (const line of findings) console.log(`      ${line}`);
    await keys('', 'Escape').catch(() => undefined);
    await vscode.commands.executeCommand('workbench.action.terminal.killAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (folder && fs.existsSync(folder)) {
      await run('docker-compose', ['-p', token, '--profile', 'tools', 'down', '-v'], folder).catch((err) => console.log(String(err)));
      fs.rmSync(folder, { recursive: true, force: true });
    }
    await docker.getImage(`${token}:1`).remove().catch(() => undefined);
  });

  /** Puts every object of the fixture back in its state: a command before may have stopped or paused it. */
  async function resetFixture(): Promise<void> {
    const want: [string, 'running' | 'exited' | 'paused'][] = [
      [own.on.id, 'running'],
      [own.off.id, 'exited'],
      [own.paused.id, 'paused'],
      [own.pg.id, 'running'],
      [composeIds.web, 'running'],
      [composeIds.db, 'paused'],
      [composeIds.idle, 'exited'],
    ];
    for (const [id, state] of want) {
      const c = docker.getContainer(id);
      const now = (await c.inspect()).State;
      const is = now.Paused ? 'paused' : now.Running ? 'running' : 'exited';
      if (is === state) continue;
      if (is === 'paused') await c.unpause();
      if (state === 'exited' && (is === 'running' || is === 'paused')) await c.kill().catch(() => undefined);
      if (state !== 'exited' && is === 'exited') await c.start();
      if (state === 'paused') await c.pause();
    }
    // Containers Run Again made (their labels are the remembered run's) go.
    for (const c of await docker.listContainers({ all: true, filters: { label: ['berth.test'] } }))
      if (c.Image === `${token}:1` && !c.Names.includes(`/${token}-ran`)) await docker.getContainer(c.Id).remove({ force: true });
    await waitFor('Berth to see the fixture as it is', () => want.every(([id, state]) => berth.api.containers.record(id)?.state === state) || undefined, 30_000);
  }

  it('runs every command of the palette with no argument', async function () {
    this.timeout(900_000);
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8'));
    const nls = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.nls.json'), 'utf8')) as Record<string, string>;
    const palette = new Map<string, string>((pkg.contributes.menus.commandPalette as { command: string; when?: string }[]).map((m) => [m.command, m.when ?? '']));
    // The shared engine is never a Swarm manager here (the Services suite runs its commands on a second engine).
    const swarmMode = berth.api.services.feature().watcher.mode;
    assert.notEqual(swarmMode, 'manager');
    const commands = (pkg.contributes.commands as { command: string; title: string }[]).filter((c) => shownInPalette(palette.has(c.command) ? palette.get(c.command) : undefined, swarmMode));
    assert.ok(commands.length > 60, `only ${commands.length} commands in the palette`);
    const problems: string[] = [];
    for (const { command: id, title } of commands) {
      const way = WAYS[id] ?? 'pick';
      const name = nls[title.replace(/%/g, '')] ?? title;
      await vscode.commands.executeCommand('notifications.clearAll');
      let settled = false;
      const done = Promise.resolve(vscode.commands.executeCommand(id)).then(
        () => (settled = true),
        () => (settled = true),
      );
      // The first thing the command shows: a picker or a question, or it is done.
      await waitFor(`${id} to ask or finish`, async () => settled || (await quickInput()).visible || (await dialogOpen()) || undefined, 30_000);
      let asked = false;
      if (way === 'pick' || way === 'look') {
        const first = await quickInput();
        if (!first.visible || !first.rows.length) {
          problems.push(`${id} (${name}): no picker, or an empty one; said ${JSON.stringify(await messages())}`);
          await keys('', 'Escape');
          await done;
          continue;
        }
        if (way === 'look') {
          await keys('', 'Escape');
        } else {
          // The fixture's own objects, never another's: the filter is this run's token.
          await keys(token);
          const mine = await waitFor(`${id}'s picker to offer the fixture`, async () => {
            // Filtered: every row shown is the fixture's (before the filter applies, others are).
            const q = await quickInput();
            return q.rows.length && q.rows.every((r) => r.includes(token)) ? q : undefined;
          }, 10_000).catch(() => undefined);
          if (!mine) {
            problems.push(`${id} (${name}): its picker (${first.placeholder}) offers nothing of the fixture; it offered ${JSON.stringify(first.rows.slice(0, 5))}`);
            await keys('', 'Escape');
            await done;
            continue;
          }
          findings.push(`${id}: "${mine.placeholder}" offers ${JSON.stringify(mine.rows.slice(0, 4))}`);
          // A multi-select picker: a click on the first row ticks it.
          if (mine.many) {
            await click('.quick-input-list .monaco-list-row:visible');
            await waitFor(`${id}'s first row ticked`, () => evalInPage<boolean>("!!document.querySelector('.quick-input-list .monaco-list-row[aria-checked=\"true\"], .quick-input-list .monaco-list-row input:checked, .quick-input-list .monaco-list-row .monaco-custom-toggle.checked')") .then((b) => b || undefined), 10_000);
          }
          await keys('', 'Enter');
          // The picker closes (or the next step replaces it) before anything that follows is looked at.
          await waitFor(`${id}'s picker to close`, async () => {
            const q = await quickInput();
            return !q.visible || q.placeholder !== mine.placeholder || undefined;
          }, 10_000);
        }
      }
      // What follows: every further question is answered with Escape (a destructive one must ask).
      let step = 0;
      for (; step < 10; step++) {
        const next = await waitFor(`${id} to go on`, async () => {
          if (await dialogOpen()) return 'dialog';
          if ((await quickInput()).visible) return 'input';
          return settled ? 'done' : undefined;
        }, 60_000);
        if (next === 'done') break;
        asked = true;
        if (DESTRUCTIVE.has(id) && step === 0) await screenshot(`palette-asks-${id.replace(/^berth\./, '').replace(/\./g, '-')}-first`);
        await keys('', 'Escape');
        // A wizard's next step may open as this one closes: the loop looks again.
        await new Promise((r) => setTimeout(r, 300));
      }
      if (!settled) {
        problems.push(`${id} (${name}): Escape did not cancel it`);
        continue;
      }
      await done;
      // This test workbench refuses modal dialogs and shows their question as a notification,
      // answered with nothing: the question was asked, and nothing is removed (checked at the end).
      if (DESTRUCTIVE.has(id) && !asked) {
        await vscode.commands.executeCommand('notifications.showList');
        const question = await waitFor(`${id}'s question`, async () => (await messages()).find((m) => m.includes('?')), 15_000).catch(() => undefined);
        if (question) {
          asked = true;
          findings.push(`${id} asked: ${question}`);
          await screenshot(`palette-asks-${id.replace(/^berth\./, '').replace(/\./g, '-')}`);
        }
        await vscode.commands.executeCommand('notifications.hideList');
      }
      if (DESTRUCTIVE.has(id) && !asked) problems.push(`${id} (${name}): removed without asking`);
      // A Compose program the command started ends before the fixture is put back.
      await waitFor(`the Compose program of ${id} to end`, () => processesWith(token) === 0 || undefined, 120_000);
      const said = (await messages()).filter((m) => REFUSAL.test(m));
      if (said.length) problems.push(`${id} (${name}): refused what it offered: ${said.join(' | ')}`);
      await resetFixture();
    }
    for (const p of problems) console.log(`      ${p}`);
    assert.deepEqual(problems, []);
    // Destructive ones asked, and Escape kept what they would remove.
    await docker.getVolume(`${token}-vol`).inspect();
    await docker.getNetwork(`${token}-net`).inspect();
    for (const c of Object.values(own)) await c.inspect();
    assert.equal((await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${token}`] } })).length, 3, 'the Compose project is still there');
  });

  it('reads project and service rows to a screen reader as sentences, counting services, not containers', async () => {
    const { api } = berth;
    // Only web up: "1 of 3 services running", not "1 of 1" (tool, only in the inactive profile tools, is off).
    await resetFixture();
    await docker.getContainer(composeIds.db).unpause();
    await docker.getContainer(composeIds.db).kill();
    await waitFor('db stopped', () => api.containers.record(composeIds.db)?.state === 'exited' || undefined, 20_000);
    await vscode.commands.executeCommand('berth.compose.focus');
    const item = api.compose.getTreeItem(projectKey(token));
    assert.match(String(item.description), /^1 of 3 services running · /);
    const aria = async (key: string, text: string) => {
      await api.composeView.reveal(key, { select: false, focus: false }).then(undefined, () => undefined);
      return waitFor(`the row "${text}" in the page`, () =>
        evalInPage<string | null>(`[...document.querySelectorAll('[id="workbench.view.extension.berth"] .pane, #workbench\\\\.parts\\\\.sidebar .pane')].filter((p) => /^compose$/i.test(p.querySelector('.pane-header .title')?.innerText.trim() ?? '')).flatMap((p) => [...p.querySelectorAll('.monaco-list-row')]).map((r) => r.getAttribute('aria-label') ?? '').find((a) => a.startsWith(${JSON.stringify(text)})) ?? null`).then((a) => a ?? undefined),
      20_000);
    };
    const project = await aria(projectKey(token), `Compose project ${token}`);
    assert.equal(project, `Compose project ${token}, 1 of 3 services running, folder ${token}`);
    assert.ok(!project.includes('compose.yaml'), 'not the tooltip');
    const web = await aria(serviceKey(token, 'web'), `Service web of ${token}`);
    assert.match(web, new RegExp(`^Service web of ${token}, 1 of 1 replica running, image ${BASE_IMAGE.replace(/[/.]/g, '\\$&')}, ports 127\\.0\\.0\\.1:\\d+ to 80/tcp$`));
    const tool = await aria(serviceKey(token, 'tool'), `Service tool of ${token}`);
    assert.equal(tool, `Service tool of ${token}, 0 of 1 replica running, built from ., profiles: tools`);
    // The db port row: no browser, a connection hint and Copy Port Address.
    const dbPort = (await api.compose.getChildren(composeIds.db)) as string[];
    assert.equal(dbPort.length, 0, 'a stopped container publishes nothing');
    await docker.getContainer(composeIds.db).start();
    const [portKey] = await waitFor('the db port row', async () => {
      const kids = (await api.compose.getChildren(composeIds.db)) as string[];
      return kids.length ? kids : undefined;
    }, 20_000);
    const portItem = api.compose.getTreeItem(portKey);
    assert.equal(portItem.contextValue, 'port:tcp');
    assert.equal(portItem.command, undefined, 'a click does not open postgres in the browser');
    assert.match(String(portItem.description), /^postgres: 127\.0\.0\.1:\d+$/);
    const copied = await vscode.commands.executeCommand<string>('berth.containers.copyPortAddress', portKey);
    assert.match(copied ?? '', /^127\.0\.0\.1:\d+$/);
    assert.equal(await vscode.env.clipboard.readText(), copied);
    await api.composeView.reveal(projectKey(token), { select: true, focus: false, expand: 2 }).then(undefined, () => undefined);
    await screenshot('palette-compose-rows');
  });
});
