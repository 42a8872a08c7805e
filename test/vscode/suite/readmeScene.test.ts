// The README's screenshot: Berth as a user meets it, on the launcher's second engine so that nothing
// but this scene is listed. A Compose project with a scaled web service, an api and a database,
// each with its port rows, one stopped worker, and images grouped by repository.
import { strict as assert } from 'assert';
import type Docker from 'dockerode';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { BerthApi } from '../../../src/extension';
import { freePort } from '../../support/ports';
import { buildImage, cleanupTestResources, TEST_LABEL, testDocker } from '../../support/testEngine';
import { drag, evalInPage, hasWorkbenchBridge, screenshot, waitForPane } from './bridge';
import * as vscode from 'vscode';
import { setEngineHost, useBerthInWorkbench, waitFor } from './helpers';

const PROJECT = 'shop';

/** The preferred host port when nothing on this machine holds it, else any free one. */
async function hostPort(preferred: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const s = net.createServer().once('error', () => resolve(false));
    s.listen(preferred, '127.0.0.1', () => s.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

function busybox(): string {
  const p = ['/bin/busybox', '/usr/bin/busybox'].find((f) => fs.existsSync(f));
  if (!p) throw new Error('busybox-static is not installed (apt-get install busybox-static)');
  return p;
}

describe('README scene', function () {
  const berth = useBerthInWorkbench();
  let api: BerthApi;
  let engine: Docker;

  before(() => {
    api = berth.api;
    const url = process.env.BERTH_EMPTY_ENGINE;
    if (!url) throw new Error('BERTH_EMPTY_ENGINE is not set: the launcher starts a second engine for this scene');
    engine = testDocker(url.replace(/^unix:\/\//, ''));
  });

  after(async function () {
    this.timeout(120_000);
    await setEngineHost(undefined);
    await vscode.workspace.getConfiguration('berth.containers').update('sortBy', undefined, vscode.ConfigurationTarget.Global);
    // The Compose pane open again, as the scene found it (focus expands it).
    await vscode.commands.executeCommand('berth.compose.focus');
    await vscode.commands.executeCommand('berth.containers.focus');
    // Leave the second engine empty for the tests that expect it so.
    await cleanupTestResources(engine, { keepBase: false });
  });

  it('shows a Compose project with its port rows and images grouped by repository', async function () {
    this.timeout(300_000);
    // The launcher's second engine is this run's own: earlier suites (faults) may have left their
    // labelled objects there, which would be debris in the README's picture.
    await cleanupTestResources(engine, { keepBase: false });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-readme-'));
    try {
      fs.copyFileSync(busybox(), path.join(dir, 'busybox'));
      const base = 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n';
      const www = (text: string) => `RUN mkdir /www && echo '${text}' > /www/index.html\n`;
      for (const [tag, extra] of [
        ['shop/web:1.3', www('shop 1.3')],
        ['shop/web:1.4', www('shop 1.4')],
        ['shop/api:2.1', www('{"ok":true}')],
        ['shop/db:16', 'RUN mkdir -p /var/lib/db /www\n'],
      ]) {
        await buildImage(engine, `${base}${extra}CMD ["sh"]\n`, tag, { busybox: path.join(dir, 'busybox') });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    const service = async (name: string, image: string, port: number | undefined, host: number | undefined, start = true) => {
      const c = await engine.createContainer({
        name: `${PROJECT}-${name}`,
        Image: image,
        Cmd: port ? ['httpd', '-f', '-p', String(port), '-h', '/www'] : ['sh', '-c', 'echo done'],
        Labels: { [TEST_LABEL]: '1', 'com.docker.compose.project': PROJECT, 'com.docker.compose.service': name.replace(/-\d+$/, '') },
        ExposedPorts: port ? { [`${port}/tcp`]: {} } : undefined,
        HostConfig: port ? { PortBindings: { [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(host) }] } } : undefined,
      });
      if (start) await c.start();
      return c.id;
    };
    const ids = [
      await service('web-1', 'shop/web:1.4', 80, await hostPort(8080)),
      await service('web-2', 'shop/web:1.4', 80, await hostPort(8081)),
      await service('api-1', 'shop/api:2.1', 3000, await hostPort(3000)),
      await service('db-1', 'shop/db:16', 5432, await hostPort(5432)),
    ];
    const worker = await service('worker-1', 'shop/api:2.1', undefined, undefined);
    await engine.getContainer(worker).wait();

    // The engine may still be removing the builds' intermediate containers: the scene starts once
    // it lists only the project's five.
    await waitFor('only the project on the second engine', async () => (await engine.listContainers({ all: true })).length === 5, undefined, 200);
    // Replicas in number order (web-1 above web-2), as a reader expects; the default sort is newest first.
    await vscode.workspace.getConfiguration('berth.containers').update('sortBy', 'name', vscode.ConfigurationTarget.Global);
    await setEngineHost(process.env.BERTH_EMPTY_ENGINE);
    const group = `group:composeProject:${PROJECT}`;
    await waitFor('the project on the second engine', () => api.session.status.state === 'ready' && api.containers.getChildren(group).length === 5 && api.containers.record(worker)?.state === 'exited');
    assert.deepEqual(api.containers.getChildren(), [group], 'nothing but the project is listed');
    for (const id of ids) {
      const [port] = api.containers.getChildren(id);
      assert.ok(port, `${api.containers.record(id)?.name} has a port row`);
      await api.containersView.reveal(port, { select: false, focus: false, expand: true });
    }
    assert.equal(api.containers.getTreeItem(group).description, '4 of 5 running');
    assert.deepEqual(
      api.containers.getChildren(group).map((id) => api.containers.record(id)?.name),
      ['api-1', 'db-1', 'web-1', 'web-2', 'worker-1'].map((n) => `${PROJECT}-${n}`),
    );
    assert.deepEqual(api.images.getChildren().filter((k) => k.startsWith('repo:')).sort(), ['repo:shop/api', 'repo:shop/db', 'repo:shop/web']);
    if (hasWorkbenchBridge) {
      // The picture is of the Containers and Images panes: earlier suites may have left other
      // panes open below them, cutting their rows.
      await evalInPage<null>(
        `(() => { for (const h of document.querySelectorAll('#workbench\\\\.parts\\\\.sidebar .pane-header[aria-expanded="true"]')) if (/^(volumes|networks|compose|services|registries|image layers|disk usage)$/i.test(h.querySelector('.title')?.innerText.trim() ?? '')) h.click(); return null; })()`,
      );
      // Each container row has its port rows and a Files row: the Containers pane needs more room
      // than the Images pane below it; move the sash between them down, so both show every row whole.
      await drag('#workbench\\.parts\\.sidebar .monaco-sash.horizontal', 0, 140);
      await waitForPane(/containers/i, (t) => t.includes('4 of 5 running') && t.includes('127.0.0.1:') && t.includes(`${PROJECT}-worker-1`));
      await waitForPane(/images/i, (t) => t.includes('shop/web') && t.includes('1.3'));
      const cutRows = () => evalInPage<string[]>(`[...document.querySelectorAll('#workbench\\\\.parts\\\\.sidebar .pane')].flatMap((pane) => {
        const body = pane.querySelector('.pane-body')?.getBoundingClientRect();
        if (!body || !body.height) return [];
        const title = pane.querySelector('.pane-header .title')?.innerText;
        return [...pane.querySelectorAll('.monaco-list-row')].map((r) => [r.innerText.split('\\n')[0], r.getBoundingClientRect()])
          .filter(([, r]) => r.bottom > body.top && r.top < body.bottom && (r.top < body.top - 0.5 || r.bottom > body.bottom + 0.5))
          .map(([text]) => title + ': ' + text);
      })`);
      await waitFor('every row whole in its pane', async () => ((await cutRows()).length ? undefined : true)).catch(async (err: Error) => {
        await screenshot('readme-rows-cut', '#workbench\\.parts\\.sidebar');
        throw new Error(`${err.message}; rows cut: ${JSON.stringify(await cutRows())}`);
      });
      await waitForPane(/images/i, (t) => t.includes('shop/api') && t.includes('shop/db') && t.includes('1.4'));
      await screenshot('readme', '#workbench\\.parts\\.sidebar');
    }
  });
});
