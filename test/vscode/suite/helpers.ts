import * as vscode from 'vscode';
import type { BerthApi } from '../../../src/extension';

export const EXTENSION_ID = 'berth.berth';

export async function activateBerth(): Promise<BerthApi> {
  const ext = vscode.extensions.getExtension<BerthApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  const api = await ext.activate();
  await api.session.ready();
  return api;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function setEngineHost(value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('berth').update('engine.host', value, vscode.ConfigurationTarget.Global);
}
