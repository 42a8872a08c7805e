// Issue 11 item 9: a cancelled build's RUN container must leave the Containers view once the engine
// removed it, in the store and on the page.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { BASE_IMAGE, TEST_LABEL, uniqueName } from '../../support/testEngine';
import { hasWorkbenchBridge, screenshot, waitForPane } from './bridge';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

describe('the Containers view after cancelled builds', function () {
  this.timeout(300_000);
  const berth = useBerthInWorkbench();

  it('keeps no row for a build step the engine removed', async () => {
    const dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, uniqueName('churn'));
    fs.mkdirSync(dir, { recursive: true });
    try {
      for (let round = 0; round < 4; round++) {
        const marker = uniqueName('step');
        // Short steps before the long one: the churn of create, start, die, destroy the report saw.
        const steps = Array.from({ length: round + 1 }, (_, i) => `RUN echo ${i} && sleep 0.${i % 3}`);
        fs.writeFileSync(path.join(dir, 'Dockerfile'), [`FROM ${BASE_IMAGE}`, `LABEL ${TEST_LABEL}=1`, ...steps, `RUN echo ${marker} && sleep 120`, ''].join('\n'));
        const tag = `berth-test/churn:${uniqueName('t')}`;
        const running = vscode.commands.executeCommand('berth.images.build', vscode.Uri.file(path.join(dir, 'Dockerfile')), { tag, noCache: true });
        const builder = await waitFor('the build step running', async () => (await docker.listContainers({ filters: JSON.stringify({ status: ['running'] }) })).find((c) => c.Command.includes(marker)), 30_000);
        const name = builder.Names[0].slice(1);
        // Positive control: the running step is listed first, so the absence below means something.
        await waitFor('the step in the store', () => berth.api.session.containers.get(builder.Id)?.state === 'running', 15_000);
        if (hasWorkbenchBridge) await waitForPane(/containers/i, (t) => t.includes(name), 15_000);
        vscode.window.terminals.find((t) => t.name === `Build ${tag}`)?.dispose();
        assert.equal(await running, undefined, 'a cancelled build is no error');
        await waitFor('the engine removed the step', async () => (await docker.listContainers({ all: true, filters: JSON.stringify({ id: [builder.Id] }) })).length === 0, 15_000);
        const gone = Date.now();
        await waitFor('the step gone from the store', () => !berth.api.session.containers.get(builder.Id) && !berth.api.containers.getChildren().includes(builder.Id), 15_000);
        if (hasWorkbenchBridge) {
          await waitForPane(/containers/i, (t) => !t.includes(name), 15_000);
          console.log(`      round ${round}: row gone from the page ${Date.now() - gone} ms after the engine removed it`);
        }
      }
      if (hasWorkbenchBridge) await screenshot('churn-build-cancelled');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
