// Pull in a French workbench: the per-layer progress, the notification and a refusal, in French.
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import type { TransferOutcome } from '../../../src/commands/transferFeature';
import { startRegistry, type Registry } from '../../support/registry';
import { BASE_IMAGE, buildImage, uniqueName } from '../../support/testEngine';
import { hasWorkbenchBridge, notifications, screenshot } from '../suite/bridge';
import { docker, useBerthInWorkbench, waitFor } from '../suite/helpers';
import { terminalText } from '../suite/terminals';

describe('Pull in French', function () {
  this.timeout(120_000);
  useBerthInWorkbench();
  let registry: Registry;
  let ref: string;

  before(async function () {
    this.timeout(120_000);
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (node out/test/vscode/launch/main.js fr)');
    assert.equal(vscode.env.language, 'fr', 'the workbench was not opened in French');
    registry = await startRegistry();
    const source = `${uniqueName('berth-test-fr-pull')}:1`;
    await buildImage(docker, `FROM ${BASE_IMAGE}\nRUN head -c 4000000 /dev/urandom > /data\n`, source);
    ref = `${registry.host}/berth-test/fr:1`;
    await docker.getImage(source).tag({ repo: `${registry.host}/berth-test/fr`, tag: '1' });
    const stream = (await docker.getImage(`${registry.host}/berth-test/fr`).push({ tag: '1' })) as NodeJS.ReadableStream;
    await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve(undefined))));
    await docker.getImage(ref).remove();
    await docker.getImage(source).remove();
  });

  after(async () => {
    await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
    for (const t of vscode.window.terminals.filter((t) => /^Récupérer /.test(t.name))) t.dispose();
    await vscode.commands.executeCommand('notifications.clearAll');
    await registry?.stop();
  });

  it('shows each layer and the outcome in French, and says an unknown tag in French', async () => {
    const outcome = await vscode.commands.executeCommand<TransferOutcome>('berth.images.pull', { reference: ref });
    assert.ok(outcome?.ok, JSON.stringify(outcome));
    const term = vscode.window.terminals.find((t) => t.name === `Récupérer ${ref}`);
    assert.ok(term, 'a terminal named in French');
    // The terminal draws what the pull wrote once it is shown: read until the last line is there.
    const text = await waitFor('the layers drawn', async () => {
      const t = await terminalText(term);
      return t.includes('Appuyez sur une touche') ? t : undefined;
    });
    assert.match(text, /: Récupération terminée/);
    assert.match(text, /: Existe déjà/);
    await vscode.commands.executeCommand('notifications.showList');
    await waitFor('the French notice', async () => ((await notifications()).some((m) => m === `${ref} a été récupérée.`) ? true : undefined));
    await screenshot('pull-progress-fr');

    const missing = `${registry.host}/berth-test/fr:absente`;
    const refused = await vscode.commands.executeCommand<TransferOutcome>('berth.images.pull', { reference: missing });
    assert.equal(refused?.failure, 'notFound');
    assert.ok(refused.error?.startsWith(`${missing} est introuvable sur ${registry.host}\u00a0: vérifiez le nom du dépôt et l’étiquette.`), refused.error);
    await waitFor('the French refusal', async () => ((await notifications()).some((m) => m.startsWith(`${missing} est introuvable`)) ? true : undefined));
    await screenshot('pull-not-found-fr');
  });
});
