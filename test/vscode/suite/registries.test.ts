// The Registries view and Log In in a real VS Code, on a token-auth registry (Debian's
// docker-registry with the test token server) started by this suite, with DOCKER_CONFIG pointed at
// a temporary folder: an empty view's welcome, Log In from the palette with a wrong password said
// in the box and a right one stored where the docker CLI reads it, then the view walked down to a
// multi-platform tag's digest and platforms, and an image tag's size and created time.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { RegistryClient } from '../../../src/model/registry/client';
import { startRegistry, type Registry } from '../../support/registry';
import { seedImage, seedIndex } from '../../support/registrySeed';
import { startTokenServer, type TokenServer } from '../../support/tokenServer';
import { click, evalInPage, hasWorkbenchBridge, keys, notifications, screenshot, waitForPane } from './bridge';
import { useBerthInWorkbench, waitFor } from './helpers';

const USER = 'ann';
const PASSWORD = 'workbench pass';

async function quickInputText(): Promise<string> {
  return evalInPage<string>("(() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? w.innerText : ''; })()");
}

async function paneExpanded(title: string): Promise<boolean | null> {
  return evalInPage<boolean | null>(`(() => { const h = [...document.querySelectorAll('.pane-header')].find((e) => e.innerText.trim().startsWith(${JSON.stringify(title)})); return h ? h.getAttribute('aria-expanded') === 'true' : null; })()`);
}

async function setPaneExpanded(title: string, expanded: boolean): Promise<void> {
  const now = await paneExpanded(title);
  if (now === null) throw new Error(`no pane titled ${title}`);
  if (now !== expanded) await click('.pane-header', { text: title });
}

async function shot(name: string): Promise<void> {
  await click('.part.editor');
  await screenshot(name);
}

describe('The Registries view and Log In in a real VS Code', function () {
  this.timeout(180_000);
  const berth = useBerthInWorkbench();
  let tokens: TokenServer;
  let registry: Registry;
  let configDir: string;
  const savedConfig = process.env.DOCKER_CONFIG;
  /** Panes folded to give the Registries view room, opened again after. */
  const folded: string[] = [];
  let index: { digest: string; platforms: string[] };

  before(async () => {
    if (!hasWorkbenchBridge) throw new Error('these checks read the page: run them with the web launcher (npm run test:vscode)');
    tokens = await startTokenServer({ users: { [USER]: PASSWORD }, service: 'berth-workbench-registry' });
    registry = await startRegistry({ token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundleFile: tokens.rootCertBundleFile } });
    const seeder = new RegistryClient(registry.host, { credentials: async () => ({ serveraddress: registry.host, username: USER, password: PASSWORD }) });
    index = await seedIndex(seeder, 'team/web', 'latest');
    await seedImage(seeder, 'team/api', '1.0', 'api one', 'amd64', '2026-01-02T03:04:05Z');
    await seedImage(seeder, 'team/api', 'stable', 'api one', 'amd64', '2026-01-02T03:04:05Z');
    seeder.dispose();
    // Berth reads DOCKER_CONFIG from the extension host's environment, which this suite runs in.
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dockercfg-'));
    process.env.DOCKER_CONFIG = configDir;
    for (const p of ['Containers', 'Images', 'Volumes', 'Networks', 'Compose', 'Services']) {
      if ((await paneExpanded(p)) === true) {
        folded.push(p);
        await setPaneExpanded(p, false);
      }
    }
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    if (savedConfig === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = savedConfig;
    await vscode.commands.executeCommand('berth.registry.refresh');
    await setPaneExpanded('Registries', false).catch(() => undefined);
    for (const p of folded) await setPaneExpanded(p, true).catch(() => undefined);
    await registry?.stop();
    await tokens?.stop();
    fs.rmSync(configDir, { recursive: true, force: true });
  });

  it('offers Log In and Add Registry when no registry is known', async () => {
    await vscode.commands.executeCommand('berth.registries.focus');
    await vscode.commands.executeCommand('berth.registry.refresh');
    const pane = await waitForPane(/^registries/i, (t) => t.includes('Log In…') && t.includes('Add Registry…'));
    assert.match(pane.text, /Registries come from the docker config/);
    await shot('registries-welcome');
  });

  it('logs in from the palette: a wrong password is said in the box, the right one is stored for the docker CLI', async () => {
    const done = vscode.commands.executeCommand('berth.registry.logIn');
    await waitFor('the registry picker', async () => /Log In: choose a registry/.test(await quickInputText()) || undefined);
    await keys(registry.host);
    await waitFor('the typed address offered', async () => (await quickInputText()).includes('new registry') || undefined);
    await keys('', 'Enter');
    await waitFor('the user name box', async () => /User name/.test(await quickInputText()) || undefined);
    await keys(USER, 'Enter');
    await waitFor('the password box', async () => /Password or access token for ann/.test(await quickInputText()) || undefined);
    await keys('not the password', 'Enter');
    const refused = await waitFor('the refusal in the box', async () => {
      const t = await quickInputText();
      return /refused this user name or password/.test(t) ? t : undefined;
    });
    assert.ok(!refused.includes('not the password'), 'the typed password is never shown');
    await screenshot('registries-login-refused');
    assert.equal(fs.existsSync(path.join(configDir, 'config.json')), false, 'nothing stored after a refusal');
    await keys('', 'Control+A');
    await keys(PASSWORD, 'Enter');
    assert.equal(await done, true, 'the log-in went through');
    const file = path.join(configDir, 'config.json');
    const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { auths: Record<string, { auth: string }> };
    assert.equal(Buffer.from(config.auths[registry.host].auth, 'base64').toString(), `${USER}:${PASSWORD}`);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    await vscode.commands.executeCommand('notifications.showList');
    const said = await waitFor('the log-in message', async () => (await notifications()).find((m) => m.includes(`Logged in to ${registry.host} as ann`)));
    assert.ok(!said.includes(PASSWORD));
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it('walks the registry down to a tag\'s digest, platforms, size and created time', async () => {
    const view = berth.api.registriesView;
    await waitForPane(/^registries/i, (t) => t.includes(registry.host) && t.includes('as ann'));
    await view.reveal(`repo:${registry.host}/team/web`, { expand: true });
    await view.reveal(`tag:${registry.host}/team/web:latest`, { expand: true, select: false });
    const pane = await waitForPane(/^registries/i, (t) => t.includes('linux/arm64/v8'));
    assert.match(pane.text, /team\/api/);
    assert.ok(pane.text.includes(index.digest), pane.text);
    assert.match(pane.text, /2 platforms/);
    assert.match(pane.text, /linux\/amd64/);
    await shot('registries-index-details');
    await view.reveal(`tag:${registry.host}/team/api:1.0`, { expand: true, select: false });
    const api = await waitForPane(/^registries/i, (t) => /Created/.test(t) && /Size/.test(t));
    assert.match(api.text, /Media type\s*application\/vnd\.docker\.distribution\.manifest\.v2\+json/);
    await shot('registries-tag-details');
    const ref = await vscode.commands.executeCommand<string>('berth.registry.copyDigestReference', `tag:${registry.host}/team/web:latest`);
    assert.equal(ref, `${registry.host}/team/web@${index.digest}`);
    assert.equal(await vscode.env.clipboard.readText(), ref);
  });

  it('asks before deleting a tag, and deletes nothing unanswered (the tags sharing its manifest are checked in test/engine/registries.test.ts)', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('berth.registry.deleteTag', `tag:${registry.host}/team/api:1.0`);
    // This test workbench refuses modal dialogs and shows their question as a notification.
    await vscode.commands.executeCommand('notifications.showList');
    const question = await waitFor('the question', async () => (await notifications()).find((m) => m.includes('?')));
    assert.match(question, /Delete .*team\/api:1\.0 from the registry\?/);
    await screenshot('registries-delete-asks');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
    const client = new RegistryClient(registry.host, { credentials: async () => ({ serveraddress: registry.host, username: USER, password: PASSWORD }) });
    assert.deepEqual((await client.tags('team/api')).items.sort(), ['1.0', 'stable']);
    client.dispose();
  });

  it('says on the registry\'s row why it cannot be read, without a popup', async () => {
    await vscode.commands.executeCommand('berth.registry.logOut', `registry:${registry.host}`);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('berth.registry.add', { host: registry.host });
    await berth.api.registriesView.reveal(`registry:${registry.host}`, { expand: true });
    const pane = await waitForPane(/^registries/i, (t) => t.includes('log-in needed'));
    assert.match(pane.text, /Log In…/);
    assert.deepEqual(await notifications(), [], 'no message popped');
    await shot('registries-needs-login');
    await vscode.commands.executeCommand('berth.registry.remove', `registry:${registry.host}`);
  });
});
