// Compose Down's last question in a French workbench: every volume and image it removes, by name,
// that the volume's data is lost, and the image another container still uses kept, and said.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { projectKey } from '../../../src/model/composeTree';
import { BASE_IMAGE, buildImage, createIdleContainer, testLabels, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, screenshot } from '../suite/bridge';
import { docker, useBerthInWorkbench, waitFor } from '../suite/helpers';

function run(file: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => execFile(file, args, { cwd }, (err, stdout, stderr) => (err ? reject(new Error(`${file} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout))));
}

const notificationTexts = () => evalInPage<string[]>("[...document.querySelectorAll('.notifications-center .notification-list-item-message')].map((e) => e.innerText)");

describe('Compose Down in French', function () {
  const berth = useBerthInWorkbench();
  const name = uniqueName('berth-test-fr-down');
  const ownImage = `${name}-app:1`;
  let dir: string;
  let holder: Awaited<ReturnType<typeof createIdleContainer>> | undefined;

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (node out/test/vscode/launch/main.js fr)');
    assert.equal(vscode.env.language, 'fr', 'the workbench was not opened in French');
  });

  after(async function () {
    this.timeout(120_000);
    if (dir) await run('docker-compose', ['-p', name, 'down', '-v'], dir).catch((err) => console.log(String(err)));
    await docker.getImage(ownImage).remove().catch(() => undefined);
    await holder?.remove({ force: true }).catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it('names every volume and image it removes, says the data is lost, and keeps the image another container uses', async function () {
    this.timeout(180_000);
    const { api } = berth;
    await buildImage(docker, `FROM ${BASE_IMAGE}\nCMD ["sleep", "3600"]\n`, ownImage);
    holder = await createIdleContainer(docker);
    const holderName = (await holder.inspect()).Name.slice(1);
    const labels = Object.entries(testLabels())
      .map(([k, v]) => `      ${k}: "${v}"`)
      .join('\n');
    const common = `    command: ["sleep", "3600"]\n    labels:\n${labels}\n`;
    dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'compose.yaml'),
      `services:\n  app:\n    image: ${ownImage}\n${common}    volumes: ["data:/data"]\n  tool:\n    image: ${BASE_IMAGE}\n${common}volumes:\n  data:\n    labels:\n${labels}\n`,
    );
    await vscode.commands.executeCommand('berth.compose.focus');
    await waitFor('the project in the view', async () => {
      await api.compose.settled();
      return api.compose.row(projectKey(name)) ? true : undefined;
    }, 20_000);
    assert.equal(await vscode.commands.executeCommand('berth.compose.up', projectKey(name), { wait: true }), 0);

    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('berth.compose.down', projectKey(name), { volumes: true, images: true, wait: true });
    await vscode.commands.executeCommand('notifications.showList');
    // The test workbench refuses modal dialogs and reports the question's message instead.
    const asked = await waitFor('the question', async () => (await notificationTexts()).find((m) => m.includes('(down)')));
    assert.ok(asked.includes(`Arrêter et supprimer ${name} (down)\u00a0? Le volume ${name}_data est supprimé\u00a0: ses données sont perdues. L’image ${ownImage} est supprimée.`), asked);
    // Other test runs may use the base image too: the holder is among those named.
    assert.match(asked, new RegExp(`L’image ${BASE_IMAGE.replace(/[/.]/g, '\\$&')} est conservée\u00a0: (le conteneur|les conteneurs) [^.]*${holderName}`), asked);
    assert.doesNotMatch(asked, /\b(removed|kept|data is lost)\b/, asked);
    await screenshot('fr-compose-down-question');
    // Unanswered, nothing went.
    assert.ok(await docker.getVolume(`${name}_data`).inspect());
    assert.ok(await docker.getImage(ownImage).inspect());
  });
});
