import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { BASE_IMAGE, buildImage, createIdleContainer, TEST_LABEL, uniqueName } from '../../support/testEngine';
import { emptyEngine, evalInPage, hasWorkbenchBridge, notifications, screenshot, waitForPane } from './bridge';
import { docker, setEngineHost, useBerthInWorkbench, waitFor } from './helpers';

const labels = { [TEST_LABEL]: '1' };

/** Runs a command and returns the message it raised in the notification centre. */
async function messageFrom(command: string, expected: RegExp, ...args: unknown[]): Promise<string> {
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand(command, ...args);
  await vscode.commands.executeCommand('notifications.showList');
  const found = await waitFor(`a message matching ${expected}`, async () => (await notifications()).find((m) => expected.test(m)));
  return found;
}

async function hideNotifications(): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand('notifications.hideList');
}

describe('Images, volumes and networks in a real VS Code', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (npm run test:vscode)');
  });

  it('groups images by repository, keeps dangling images in their own group, and hides them on request', async () => {
    const repo = `berth-test/grouped-${uniqueName('r').slice(2)}`;
    const first = await buildImage(docker, `FROM ${BASE_IMAGE}\nRUN echo 1 > /a\n`, `${repo}:1`);
    await docker.getImage(first).tag({ repo, tag: 'stable' });
    // An untagged build sends no image event; a tag moving to a rebuilt image leaves one dangling.
    const dangling = await buildImage(docker, `FROM ${BASE_IMAGE}\nRUN echo ${uniqueName('d')} > /a\n`, `${repo}:old`);
    await buildImage(docker, `FROM ${BASE_IMAGE}\nRUN echo ${uniqueName('d')} > /a\n`, `${repo}:old`);
    await docker.getImage(`${repo}:old`).remove();
    const { images } = berth.api;
    await waitFor('both tags and the dangling image', () => images.getChildren(`repo:${repo}`).length === 2 && images.getChildren('group:dangling').includes(`dangling:${dangling}`));
    assert.deepEqual(images.getChildren(`repo:${repo}`), [`tag:${repo}:1`, `tag:${repo}:stable`]);
    const repoItem = images.getTreeItem(`repo:${repo}`);
    assert.equal(repoItem.label, repo);
    assert.equal(repoItem.description, '2 tags');
    const tagItem = images.getTreeItem(`tag:${repo}:1`);
    assert.equal(tagItem.label, '1');
    assert.equal(tagItem.contextValue, 'image:tag');
    assert.equal(images.getTreeItem(`dangling:${dangling}`).contextValue, 'image:dangling');
    assert.equal(images.getParent(`tag:${repo}:1`), `repo:${repo}`);
    // The pane is short and a user's engine has other images: each row is brought into view before
    // it is looked for, since both may not fit at once.
    await berth.api.imagesView.reveal('group:dangling', { select: false, focus: false, expand: true });
    await waitForPane(/images/i, (t) => t.includes('Dangling images'));
    await berth.api.imagesView.reveal(`tag:${repo}:1`, { select: true, focus: false, expand: true });
    await waitForPane(/images/i, (t) => t.includes(repo));
    await screenshot('images-grouped');

    await vscode.commands.executeCommand('berth.images.hideDangling');
    await waitFor('the dangling group hidden', () => !images.getChildren().includes('group:dangling'));
    await waitForPane(/images/i, (t) => !t.includes('Dangling images'));
    await vscode.commands.executeCommand('berth.images.showDangling');
    await waitFor('the dangling group back', () => images.getChildren().includes('group:dangling'));

    await vscode.commands.executeCommand('berth.images.copyTag', `tag:${repo}:stable`);
    assert.equal(await vscode.env.clipboard.readText(), `${repo}:stable`);
  });

  it('does not remove an image a container uses, and names the container', async () => {
    const tag = `berth-test/held:${uniqueName('t')}`;
    const id = await buildImage(docker, `FROM ${BASE_IMAGE}\nRUN echo held > /a\n`, tag);
    const holder = await docker.createContainer({ name: uniqueName('berth-test-holder'), Image: tag, Cmd: ['sleep', '3600'], Labels: labels });
    await holder.start();
    const name = (await holder.inspect()).Name.slice(1);
    await waitFor('the image row says it is used', () => /used by 1 container/.test(String(berth.api.images.getTreeItem(`tag:${tag}`).description)));
    const running = await messageFrom('berth.images.remove', /is used by/, `tag:${tag}`);
    assert.equal(running, `Image ${tag} is used by ${name} (running). Stop and remove those containers first.`);
    await screenshot('image-in-use');
    assert.ok(await docker.getImage(id).inspect(), 'the image is still there');

    // Once the holder is stopped, Berth asks whether to remove it along with the image.
    await holder.stop({ t: 0 });
    await waitFor('holder exited', () => berth.api.containers.record(holder.id)?.state === 'exited');
    const asked = await messageFrom('berth.images.remove', /is used by/, `tag:${tag}`);
    // The test workbench refuses modal dialogs and reports the question instead: it was asked.
    assert.ok(asked.includes(`Image ${tag} is used by ${name} (stopped).`), asked);
    assert.ok(await docker.getImage(id).inspect(), 'unanswered, nothing was removed');
    assert.equal((await holder.inspect()).State.Status, 'exited');
    await hideNotifications();
  });

  it('asks before removing a container, and removes nothing unanswered', async () => {
    const c = await createIdleContainer(docker);
    const name = (await c.inspect()).Name.slice(1);
    await waitFor('running row', () => berth.api.containers.record(c.id)?.state === 'running');
    const asked = await messageFrom('berth.containers.remove', /Remove container/, c.id);
    assert.ok(asked.includes(`Remove container ${name}?`), asked);
    assert.equal((await c.inspect()).State.Running, true, 'still running');
    await hideNotifications();
  });

  it('lists volumes and networks from their events with who uses them; built-in networks cannot be removed', async () => {
    const volume = uniqueName('berth-test-vol');
    await docker.createVolume({ Name: volume, Labels: labels });
    const network = await docker.createNetwork({ Name: uniqueName('berth-test-net'), Labels: labels });
    const user = await docker.createContainer({
      name: uniqueName('berth-test-vuser'),
      Image: BASE_IMAGE,
      Cmd: ['sleep', '3600'],
      Labels: labels,
      HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }], NetworkMode: network.id },
    });
    await user.start();
    const { volumes, networks } = berth.api;
    await waitFor('the volume, used', () => /used by 1 container/.test(String(volumes.getChildren().includes(volume) && volumes.getTreeItem(volume).description)));
    await waitFor('the network, used', () => /used by 1 container/.test(String(networks.getChildren().includes(network.id) && networks.getTreeItem(network.id).description)));
    assert.match(String(volumes.getTreeItem(volume).description), /^local · .* · used by 1 container$/);
    assert.equal(networks.getTreeItem(network.id).contextValue, 'network');
    const bridge = networks.getChildren().find((id) => networks.record(id)?.name === 'bridge');
    assert.ok(bridge, 'the built-in bridge network is listed');
    assert.equal(networks.getTreeItem(bridge).contextValue, 'network:builtin');
    const refused = await messageFrom('berth.networks.remove', /built-in/, bridge);
    assert.equal(refused, 'bridge is a built-in network of the engine and cannot be removed.');
    const inUse = await messageFrom('berth.volumes.remove', /is used by/, volume);
    assert.ok(inUse.startsWith(`Volume ${volume} is used by `), inUse);
    await hideNotifications();

    await vscode.commands.executeCommand('berth.volumes.focus');
    await vscode.commands.executeCommand('berth.networks.focus');
    await waitForPane(/volumes/i, (t) => t.includes(volume));
    await waitForPane(/networks/i, (t) => t.includes('bridge') && t.includes('built-in'));
    await screenshot('volumes-and-networks');
  });

  it('filters a view by substring and says so in its header', async () => {
    const c = await createIdleContainer(docker, uniqueName('berth-test-needle'));
    await createIdleContainer(docker, uniqueName('berth-test-hay'));
    await vscode.commands.executeCommand('berth.containers.focus');
    await waitFor('the needle', () => berth.api.containers.getChildren().includes(c.id));
    await vscode.commands.executeCommand('berth.containers.filter', { text: 'needle' });
    try {
      const shown = berth.api.containers.getChildren();
      assert.ok(shown.includes(c.id));
      assert.ok(shown.every((id) => berth.api.containers.record(id)?.name.includes('needle')), 'only matching containers');
      assert.equal(berth.api.containersView.description, 'filter: “needle”');
      const header = await waitFor('the header', async () => {
        const h = await evalInPage<string>("[...document.querySelectorAll('#workbench\\\\.parts\\\\.sidebar .pane-header')].map((h) => h.innerText).join(' | ')");
        return h.includes('needle') ? h : undefined;
      });
      assert.match(header, /filter: “needle”/);
      // The page too shows only the match, not rows rendered before the filter.
      await waitForPane(/containers/i, (t) => t.includes('berth-test-needle') && !/berth-test-(?!needle)/.test(t));
      await screenshot('containers-filtered');
    } finally {
      await vscode.commands.executeCommand('berth.containers.clearFilter');
    }
    assert.equal(berth.api.containersView.description, undefined);
  });

  it('recovers by itself when the engine is killed and started again while the view is open', async function () {
    const empty = process.env.BERTH_EMPTY_ENGINE;
    if (!empty) throw new Error('BERTH_EMPTY_ENGINE is not set: the launcher starts a second engine for this test');
    const { session } = berth.api;
    await setEngineHost(empty);
    try {
      await waitFor('connected to the second engine', () => session.status.state === 'ready' && session.status.endpoint?.url === empty && session.streaming);
      // Figures, not limits: how fast this must be is npm run bench's (f).
      const killed = await emptyEngine('kill');
      const down = await waitFor('unreachable', () => (session.status.state === 'unreachable' ? Date.now() : undefined));
      console.log(`      unreachable ${down - killed.at} ms after the kill`);
      await waitForPane(/containers/i, (t) => t.includes('Berth cannot reach a Docker engine'));
      await screenshot('engine-killed');
      const answered = await emptyEngine('start');
      const back = await waitFor('ready again', () => (session.status.state === 'ready' && session.streaming ? Date.now() : undefined));
      console.log(`      ready ${back - answered.at} ms after the engine answered`);
      await waitForPane(/containers/i, (t) => t.includes('No containers on this engine yet'));
      await screenshot('engine-recovered');
    } finally {
      await setEngineHost(undefined);
      await waitFor('back on the main engine', () => session.status.state === 'ready' && session.status.endpoint?.source === 'default');
    }
  });
});
