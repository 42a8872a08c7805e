import * as vscode from 'vscode';
import type { BerthApi } from '../../../src/extension';
import { waitFor } from '../../support/wait';
import { hasWorkbenchBridge, setSideBarWidth, sideBar } from './bridge';
import { cleanupTestResources, ensureBaseImage, requireEngine, testDocker } from '../../support/testEngine';

export const docker = testDocker();

export const EXTENSION_ID = 'berth.berth';

export async function activateBerth(): Promise<BerthApi> {
  const ext = vscode.extensions.getExtension<BerthApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  const api = await ext.activate();
  await api.session.ready();
  return api;
}

export { waitFor };

export async function setEngineHost(value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('berth').update('engine.host', value, vscode.ConfigurationTarget.Global);
}

/** Mocha hooks for a suite that needs the real engine and Berth activated with its views shown. */
export function useBerthInWorkbench(): { api: BerthApi } {
  const ctx = {} as { api: BerthApi };
  before(async function () {
    this.timeout(180_000);
    await requireEngine(docker);
    await ensureBaseImage(docker);
    ctx.api = await activateBerth();
    await vscode.commands.executeCommand('workbench.view.extension.berth');
    if (hasWorkbenchBridge) {
      // Widen the side bar so screenshots show whole rows.
      await waitFor('the side bar', async () => (await sideBar()).some((p) => /containers|conteneurs/i.test(p.title)));
      const width = await setSideBarWidth(640);
      if (width < 500) throw new Error(`the side bar is only ${width}px wide`);
    }
  });
  after(async function () {
    this.timeout(60_000);
    await setEngineHost(undefined);
    await cleanupTestResources(docker);
  });
  return ctx;
}
