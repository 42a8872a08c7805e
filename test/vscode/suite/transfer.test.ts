import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import type { TransferOutcome } from '../../../src/commands/transferFeature';
import { startRegistry, type Registry } from '../../support/registry';
import { BASE_IMAGE, buildImage, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, keys, notifications, screenshot, waitForPane } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';
import { terminalText } from './terminals';

async function quickInputShows(text: string): Promise<void> {
  let last = '';
  try {
    await waitFor(`the quick input showing ${text}`, async () => {
      last = await evalInPage<string>("(() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? w.innerText : ''; })()");
      return last.includes(text) || undefined;
    });
  } catch (err) {
    await screenshot('transfer-quick-input-missing');
    throw new Error(`${(err as Error).message}; the quick input showed: ${JSON.stringify(last)}`);
  }
}

function follow(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => (err ? reject(err) : out.find((o) => o.error) ? reject(new Error(out.find((o) => o.error)!.error)) : resolve())));
}

describe('Pulling and pushing images in a real VS Code (a local registry)', function () {
  this.timeout(180_000);
  const berth = useBerthInWorkbench();
  /** A tag reaches Berth's store through the engine's events; the push command's target is looked up there. */
  const known = (tag: string) => waitFor(`${tag} in Berth's images`, () => berth.api.session.images.all().some((i) => i.repoTags.includes(tag)) || undefined);
  let registry: Registry;
  let ref: string;
  let imageId: string;
  const made: string[] = [];

  before(async function () {
    this.timeout(180_000);
    if (!hasWorkbenchBridge) throw new Error('these checks drive the page: run them with the web launcher (npm run test:vscode)');
    registry = await startRegistry();
    const source = `${uniqueName('berth-test-wb-transfer')}:1`;
    imageId = await buildImage(docker, `FROM ${BASE_IMAGE}\nRUN head -c 24000000 /dev/urandom > /big\nRUN head -c 3000000 /dev/urandom > /small\n`, source);
    ref = `${registry.host}/berth-test/wb:1`;
    const [repo, tag] = [ref.slice(0, ref.lastIndexOf(':')), '1'];
    await docker.getImage(source).tag({ repo, tag });
    await follow((await docker.getImage(repo).push({ tag })) as NodeJS.ReadableStream);
    // Gone locally, so the pull downloads and extracts every new layer.
    await docker.getImage(ref).remove();
    await docker.getImage(source).remove();
    made.push(ref);
  });

  after(async function () {
    this.timeout(60_000);
    for (const r of made) await docker.getImage(r).remove({ force: true }).catch(() => undefined);
    for (const t of vscode.window.terminals.filter((t) => /^(Pull|Push) /.test(t.name))) t.dispose();
    await vscode.commands.executeCommand('notifications.clearAll');
    await registry?.stop();
  });

  it('pulls from the palette with per-layer progress, and the image appears in the Images view', async () => {
    const pulling = vscode.commands.executeCommand<TransferOutcome>('berth.images.pull');
    await quickInputShows('Image to pull');
    await keys('BAD/Ref');
    await quickInputShows('must be lowercase');
    await screenshot('pull-reference-checked');
    await keys('', 'Control+A');
    await keys(ref, 'Enter');
    await quickInputShows(`Pull ${ref}`);
    await quickInputShows('Pull Every Tag of');
    await keys('', 'Enter');
    const outcome = await pulling;
    assert.ok(outcome?.ok, JSON.stringify(outcome));
    assert.equal(outcome.imageId, imageId, 'the same image as pushed');
    assert.ok((outcome.layers ?? []).filter((l) => l.phase === 'pulled').length >= 2, JSON.stringify(outcome.layers));
    assert.ok((outcome.renders ?? 0) <= (outcome.messages ?? 0), 'no more renders than messages');
    await waitForPane(/images/i, (text) => text.includes(`${registry.host}/berth-test/wb`));
    const term = vscode.window.terminals.find((t) => t.name === `Pull ${ref}`);
    assert.ok(term, 'a Pull terminal');
    // The terminal draws what the transfer wrote once it is shown: read until the last line is there.
    const text = await waitFor('the layers drawn', async () => {
      const t = await terminalText(term);
      return t.includes('Press any key') ? t : undefined;
    });
    assert.match(text, /: Pull complete/);
    assert.match(text, /Digest: sha256:[0-9a-f]{64}/);
    await screenshot('pull-progress');
  });

  it('tags and pushes: layers the registry has are mounted from the other repository, as the terminal says', async () => {
    const copy = `${registry.host}/berth-test/wb-copy:2`;
    made.push(copy);
    const tagged = await vscode.commands.executeCommand<string>('berth.images.tag', ref, { tag: copy });
    assert.equal(tagged, copy);
    await known(copy);
    const outcome = await vscode.commands.executeCommand<TransferOutcome>('berth.images.push', copy);
    assert.ok(outcome?.ok, JSON.stringify(outcome));
    assert.match(outcome.digest ?? '', /^sha256:/);
    const mounted = (outcome.layers ?? []).filter((l) => l.phase === 'mounted');
    assert.ok(mounted.length >= 2 && mounted.every((l) => l.from === 'berth-test/wb'), JSON.stringify(outcome.layers));
    const term = vscode.window.terminals.find((t) => t.name === `Push ${copy}`);
    assert.ok(term, 'a Push terminal');
    // The terminal draws what the transfer wrote once it is shown: read until the last line is there.
    const text = await waitFor('the layers drawn', async () => {
      const t = await terminalText(term);
      return t.includes('Press any key') ? t : undefined;
    });
    assert.match(text, /: Mounted from berth-test\/wb/);
    assert.ok(text.includes(`2: digest: ${outcome.digest}`), text);
    await screenshot('push-mounted');
  });

  it('says a tag without a registry host goes to Docker Hub, and asks first', async () => {
    const local = 'berth-test-wb-hub:1';
    made.push(local);
    await vscode.commands.executeCommand('berth.images.tag', ref, { tag: local });
    await known(local);
    await vscode.commands.executeCommand('notifications.clearAll');
    const pushing = vscode.commands.executeCommand<TransferOutcome | undefined>('berth.images.push', local);
    await vscode.commands.executeCommand('notifications.showList');
    // The test workbench refuses modal dialogs and reports the question instead: it was asked.
    const asked = await waitFor('the Docker Hub question', async () => (await notifications()).find((m) => m.includes('names no registry')));
    assert.ok(asked.includes('berth-test-wb-hub:1 names no registry, so it goes to Docker Hub (docker.io/library/berth-test-wb-hub:1). Push it there?'), asked);
    await screenshot('push-docker-hub-asks');
    assert.equal(await pushing, undefined, 'nothing pushed when the question is not answered');
    assert.equal(vscode.window.terminals.some((t) => t.name === `Push ${local}`), false, 'no push started');
  });
});
