// Issue 28 in a real workbench: Create Network… walked step by step (an overlapping subnet refused
// as typed, naming the network), Rename… with a log terminal that follows the new name, and the
// bad inputs a script can pass, each refused in words with nothing created or changed.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { subnetProblem } from '../../../src/model/lifecycle/addresses';
import { createIdleContainer, TEST_RUN, TEST_RUN_LABEL, testLabels, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, keys, notifications, screenshot, waitForPane } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

/** A /24 no network of the engine uses (other runs share it). */
async function freeSubnet(): Promise<string> {
  const existing = await Promise.all((await docker.listNetworks()).map(async (n) => ({ name: n.Name, subnets: ((await docker.getNetwork(n.Id).inspect()).IPAM?.Config ?? []).map((c: { Subnet?: string }) => c.Subnet ?? '') })));
  for (;;) {
    const candidate = `10.${150 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}.0/24`;
    if (!subnetProblem(candidate, existing)) return candidate;
  }
}

const quickInputText = () => evalInPage<string>("(() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? w.innerText : ''; })()");

/** Runs a command a script would, and returns the error it raised in the notification centre. */
async function refusal(command: string, expected: RegExp, ...args: unknown[]): Promise<string> {
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand(command, ...args);
  await vscode.commands.executeCommand('notifications.showList');
  const found = await waitFor(`a message matching ${expected}`, async () => (await notifications()).find((m) => expected.test(m)));
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand('notifications.hideList');
  return found;
}

describe('Lifecycle: create, connect, rename, update (issue 28)', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks drive the page: run them with the web launcher (npm run test:vscode)');
  });
  afterEach(async () => {
    await keys('', 'Escape').catch(() => undefined);
    await vscode.commands.executeCommand('workbench.action.terminal.killAll');
  });

  it('walks Create Network…: an overlapping subnet is refused as typed with the network named, then the row appears', async () => {
    const taken = await freeSubnet();
    const holder = uniqueName('berth-test-holder');
    await docker.createNetwork({ Name: holder, Labels: testLabels(), IPAM: { Config: [{ Subnet: taken }] } });
    const subnet = await freeSubnet();
    const name = uniqueName('berth-test-walk');
    await vscode.commands.executeCommand('berth.networks.focus');
    const done = Promise.resolve(vscode.commands.executeCommand<string>('berth.networks.create'));
    // An empty name is said at once ("Give a name."), in place of the prompt.
    await waitFor('the name step', async () => /network’s name|Give a name/.test(await quickInputText()) || undefined);
    await keys(name, 'Enter');
    // The driver (bridge first), when the engine offers more than one.
    await waitFor('the next step', async () => !/network’s name|Give a name/.test(await quickInputText()) || undefined);
    if (/containers of this engine/.test(await quickInputText())) await keys('', 'Enter');
    await waitFor('the subnet step', async () => /IPv4 subnet/.test(await quickInputText()) || undefined);
    await keys(taken.replace(/\.0\/24$/, '.128/25'));
    const said = await waitFor('the overlap named as typed', async () => (await quickInputText()).match(/overlaps the subnet \S+ of network \S+/)?.[0]);
    assert.equal(said, `overlaps the subnet ${taken} of network ${holder}.`);
    await screenshot('lifecycle-network-overlap');
    await keys('', 'Control+A', 'Backspace');
    await keys(subnet, 'Enter');
    await waitFor('the gateway step', async () => /Gateway inside/.test(await quickInputText()) || undefined);
    await keys(subnet.replace(/\.0\/24$/, '.1'), 'Enter');
    await waitFor('the IP range step', async () => /IP range/.test(await quickInputText()) || undefined);
    await keys('', 'Enter');
    await waitFor('the options step', async () => /Internal/.test(await quickInputText()) || undefined);
    await screenshot('lifecycle-network-options');
    await keys('', 'Enter');
    await waitFor('the labels step', async () => /Labels/.test(await quickInputText()) || undefined);
    await keys(`berth.test=1 ${TEST_RUN_LABEL}=${TEST_RUN}`, 'Enter');
    const id = await done;
    assert.ok(id, 'the command resolves the new network’s id');
    const n = await docker.getNetwork(id).inspect();
    assert.equal(n.Name, name);
    assert.deepEqual(n.IPAM?.Config, [{ Subnet: subnet, Gateway: subnet.replace(/\.0\/24$/, '.1') }]);
    await waitFor('the network row', () => berth.api.networks.getChildren().includes(id) || undefined);
    await berth.api.networksView.reveal(id, { select: true, focus: false });
    await waitForPane(/networks/i, (t) => t.includes(name));
    await screenshot('lifecycle-network-created');
  });

  it('renames a container in place, and its open log terminal takes the new name', async () => {
    const c = await createIdleContainer(docker, uniqueName('berth-test-old'));
    const other = await createIdleContainer(docker, uniqueName('berth-test-other'));
    const otherName = (await other.inspect()).Name.slice(1);
    await waitFor('the rows', () => !!berth.api.session.containers.get(c.id) && !!berth.api.session.containers.get(other.id));
    const logs = await vscode.commands.executeCommand<string>('berth.containers.viewLogs', c.id);
    assert.match(logs, /^Logs: berth-test-old/);
    // A name in use: refused in words, nothing renamed.
    const said = await refusal('berth.containers.rename', /already exists/, c.id, { name: otherName });
    assert.equal(said, `A container named ${otherName} already exists.`);
    assert.notEqual((await c.inspect()).Name, `/${otherName}`);
    await refusal('berth.containers.rename', /not a valid name/, c.id, { name: 'no spaces please' });
    const to = uniqueName('berth-test-new');
    assert.equal(await vscode.commands.executeCommand('berth.containers.rename', c.id, { name: to }), to);
    assert.equal((await c.inspect()).Name, `/${to}`);
    await waitFor('the same row with the new name', () => berth.api.containers.getTreeItem(c.id).label === to || undefined);
    await waitFor('the log terminal’s new name in the page', () => evalInPage<boolean>(`document.body.innerText.includes(${JSON.stringify(`Logs: ${to}`)})`).then((b) => b || undefined));
    await screenshot('lifecycle-renamed-logs');
  });

  it('refuses a script’s bad input in words, creating and changing nothing', async () => {
    const taken = await freeSubnet();
    const holder = uniqueName('berth-test-holder');
    await docker.createNetwork({ Name: holder, Labels: testLabels(), IPAM: { Config: [{ Subnet: taken }] } });
    const name = uniqueName('berth-test-bad');
    const exists = async () => (await docker.listNetworks({ filters: { name: [name] } })).some((n) => n.Name === name);
    assert.equal(await refusal('berth.networks.create', /overlaps/, { name, subnet: taken, labels: testLabels() }), `${taken} overlaps the subnet ${taken} of network ${holder}.`);
    const subnet = await freeSubnet();
    assert.match(await refusal('berth.networks.create', /outside the subnet/, { name, subnet, gateway: '192.0.2.1', labels: testLabels() }), new RegExp(`The gateway 192\\.0\\.2\\.1 is outside the subnet ${subnet.replace(/\./g, '\\.')}`));
    assert.equal(await refusal('berth.networks.create', /already exists/, { name: holder, labels: testLabels() }), `A network named ${holder} already exists.`);
    assert.equal(await exists(), false, 'no network was created');
    // A bind volume whose folder does not exist: the engine would accept it and fail at the first mount.
    const missing = path.join(os.tmpdir(), uniqueName('berth-test-missing'));
    const volume = uniqueName('berth-test-vol');
    assert.match(await refusal('berth.volumes.create', /does not exist/, { name: volume, device: missing, labels: testLabels() }), /^The folder .* does not exist/);
    assert.equal(fs.existsSync(missing), false);
    await assert.rejects(docker.getVolume(volume).inspect());
    const dup = uniqueName('berth-test-vol');
    await docker.createVolume({ Name: dup, Labels: testLabels() });
    assert.equal(await refusal('berth.volumes.create', /already exists/, { name: dup, labels: testLabels() }), `A volume named ${dup} already exists.`);
    // A static IP outside the network's subnet, or taken.
    const net = await docker.createNetwork({ Name: uniqueName('berth-test-net'), Labels: testLabels(), IPAM: { Config: [{ Subnet: subnet }] } });
    const c = await createIdleContainer(docker, uniqueName('berth-test-ip'));
    const user = await createIdleContainer(docker, uniqueName('berth-test-user'));
    await net.connect({ Container: user.id, EndpointConfig: { IPAMConfig: { IPv4Address: subnet.replace(/\.0\/24$/, '.9') } } });
    await waitFor('both in the store', () => !!berth.api.session.containers.get(c.id) && berth.api.session.containers.get(user.id)?.networks.includes(net.id));
    assert.match(await refusal('berth.containers.connectNetwork', /outside the network/, c.id, { network: net.id, ip: '192.0.2.9' }), /192\.0\.2\.9 is outside the network’s subnet/);
    const userName = (await user.inspect()).Name.slice(1);
    assert.equal(await refusal('berth.containers.connectNetwork', /already taken/, c.id, { network: net.id, ip: subnet.replace(/\.0\/24$/, '.9') }), `${subnet.replace(/\.0\/24$/, '.9')} is already taken by container ${userName}.`);
    assert.ok(!Object.values((await c.inspect()).NetworkSettings.Networks).some((x) => x.NetworkID === net.id), 'not connected');
    // An export to a folder Berth cannot write to (sysfs refuses new files, even to root): said before the engine is asked, no file left.
    assert.match(await refusal('berth.containers.exportFilesystem', /Cannot write/, c.id, { file: '/sys/berth-test-export.tar' }), /^Cannot write \/sys\/berth-test-export\.tar: the folder is read-only or not yours\. Choose another folder\./);
    assert.equal(fs.existsSync('/sys/berth-test-export.tar'), false);
    // And a good one: the row shows the new network at once.
    assert.equal(await vscode.commands.executeCommand('berth.containers.connectNetwork', c.id, { network: net.id, ip: subnet.replace(/\.0\/24$/, '.10'), aliases: ['api'] }), true);
    await waitFor('the container on the network', () => berth.api.session.containers.get(c.id)?.networks.includes(net.id) || undefined);
    await waitFor('the network’s users', () => berth.api.networks.usersOf(net.id).some((x) => x.id === c.id) || undefined);
  });

  it('previews Prune System… with exactly what goes and its size, and a script’s prune frees what it listed', async () => {
    const token = uniqueName('prune');
    const labels = { ...testLabels(), 'berth.prune.test': token };
    const c = await docker.createContainer({ name: uniqueName('berth-test-stopped'), Image: 'berth-test/busybox:latest', Cmd: ['sh', '-c', 'dd if=/dev/zero of=/big bs=1024 count=1024'], Labels: labels });
    await c.start();
    await c.wait();
    const net = await docker.createNetwork({ Name: uniqueName('berth-test-unused'), Labels: labels });
    const name = (await c.inspect()).Name.slice(1);
    const done = Promise.resolve(vscode.commands.executeCommand('berth.system.prune', { label: `berth.prune.test=${token}` }));
    const shown = await waitFor('the preview', async () => {
      const text = await quickInputText();
      // Both ticked once shown: they go unless unticked.
      return text.includes(name) && text.includes('Unused networks') && text.includes('2 Selected') ? text : undefined;
    });
    await screenshot('lifecycle-prune-preview');
    assert.match(shown, /Stopped containers/);
    // 1 MiB written: about 1.05 MB with the engine's own few bytes.
    assert.match(shown, new RegExp(`${name}\\s*1\\.0\\d\\sMB`), `the container’s layer, sized, in ${JSON.stringify(shown)}`);
    await keys('', 'Escape');
    assert.equal(await done, undefined);
    await c.inspect();
    const outcome = await vscode.commands.executeCommand<{ removed: { id: string }[]; freed: number }>('berth.system.prune', { label: `berth.prune.test=${token}`, kinds: ['container', 'network'], yes: true });
    assert.deepEqual(outcome.removed.map((r) => r.id).sort(), [c.id, net.id].sort());
    assert.ok(outcome.freed >= 1024 * 1024);
    await assert.rejects(c.inspect());
    await assert.rejects(docker.getNetwork(net.id).inspect());
  });
});
