// How a network is described in pickers: the built-in ones by what they do ("none · null" says
// nothing), the others by their driver.
import * as vscode from 'vscode';
import type { NetworkRecord } from '../contract/records';

export function networkPickDescription(n: Pick<NetworkRecord, 'name' | 'driver'>): string {
  if (n.name === 'none' && n.driver === 'null') return vscode.l10n.t('no network: the container is isolated');
  if (n.name === 'host' && n.driver === 'host') return vscode.l10n.t('the host network, without isolation');
  if (n.name === 'bridge' && n.driver === 'bridge') return vscode.l10n.t('the default bridge');
  return n.driver;
}
