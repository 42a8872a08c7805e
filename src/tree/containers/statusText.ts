// A container's status, state and health in the user's language (the logic is in model/containerStatus).
import * as vscode from 'vscode';
import { formatStatus, statusView, type StatusPhrases } from '../../model/containerStatus';
import type { ContainerRecord, ContainerState, Health } from '../../contract/records';

let phrases: StatusPhrases | undefined;

/** Built once: vscode.l10n's bundle does not change while the extension runs. */
function statusPhrases(): StatusPhrases {
  return (phrases ??= {
    up: (d) => vscode.l10n.t('Up {0}', d),
    upPaused: (d) => vscode.l10n.t('Up {0} (paused)', d),
    upHealth: (d, h) => vscode.l10n.t('Up {0} ({1})', d, h),
    health: healthName,
    exited: (code, ago) =>
      code === undefined ? vscode.l10n.t('Exited') : ago === undefined ? vscode.l10n.t('Exited ({0})', code) : vscode.l10n.t('Exited ({0}) {1}', code, ago),
    restarting: (code, ago) => (code === undefined || ago === undefined ? vscode.l10n.t('Restarting') : vscode.l10n.t('Restarting ({0}) {1}', code, ago)),
    created: vscode.l10n.t('Created'),
    dead: vscode.l10n.t('Dead'),
    removing: vscode.l10n.t('Removal in progress'),
    lessThanAMinute: vscode.l10n.t('less than a minute'),
    aboutAMinute: vscode.l10n.t('about a minute'),
    aboutAnHour: vscode.l10n.t('about an hour'),
    lessThanAMinuteAgo: vscode.l10n.t('less than a minute ago'),
    aboutAMinuteAgo: vscode.l10n.t('about a minute ago'),
    aboutAnHourAgo: vscode.l10n.t('about an hour ago'),
  });
}

/** "Up 5 minutes (healthy)", "Arrêté (137) il y a 3 secondes": computed from the times at `nowMs`. */
export function containerStatusText(c: ContainerRecord, nowMs: number, withHealth = true): string {
  return formatStatus(statusView(c, nowMs), vscode.env.language, statusPhrases(), withHealth);
}

export function stateName(state: ContainerState): string {
  switch (state) {
    case 'created':
      return vscode.l10n.t('created');
    case 'running':
      return vscode.l10n.t('running');
    case 'paused':
      return vscode.l10n.t('paused');
    case 'restarting':
      return vscode.l10n.t('restarting');
    case 'removing':
      return vscode.l10n.t('removing');
    case 'exited':
      return vscode.l10n.t('exited');
    case 'dead':
      return vscode.l10n.t('dead');
  }
}

export function healthName(health: Health): string {
  switch (health) {
    case 'healthy':
      return vscode.l10n.t('healthy');
    case 'unhealthy':
      return vscode.l10n.t('unhealthy');
    case 'starting':
      return vscode.l10n.t('health: starting');
  }
}
