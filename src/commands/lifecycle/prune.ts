// Prune System… and Prune Stopped Containers…: the preview lists exactly what goes and the space it
// frees (volumes only when ticked), asks, removes exactly those objects, then says what it freed.
import * as vscode from 'vscode';
import type { PruneKind } from '../../contract/lifecycle';
import { prunePlan, totalBytes, type PruneItem } from '../../model/lifecycle/prunePlan';
import type { EngineSession } from '../../session/engineSession';
import { plural, sizeText } from '../../ui/locale';
import { confirm } from '../../ui/progress';
import { lifecycleOf } from './networkCreate';

function kindText(kind: PruneKind): string {
  switch (kind) {
    case 'container':
      return vscode.l10n.t('Stopped containers');
    case 'network':
      return vscode.l10n.t('Unused networks');
    case 'image':
      return vscode.l10n.t('Unused images');
    case 'volume':
      return vscode.l10n.t('Unused volumes (their data is deleted)');
    case 'buildCache':
      return vscode.l10n.t('Build cache');
  }
}

export interface PruneOutcome {
  removed: PruneItem[];
  failed: { item: PruneItem; reason: string }[];
  freed: number;
}

/**
 * Script options: kinds (array of container, network, image, volume, buildCache), allImages,
 * label (only objects carrying it), yes (no question: a script has asked its own).
 */
export async function prune(session: EngineSession, scope: 'system' | PruneKind, options: Record<string, unknown> = {}): Promise<PruneOutcome | undefined> {
  const l = lifecycleOf(session);
  const scripted = Array.isArray(options.kinds) || options.yes === true;
  const kinds: PruneKind[] = Array.isArray(options.kinds) ? (options.kinds as PruneKind[]) : scope === 'system' ? ['container', 'network', 'image', 'buildCache'] : [scope];
  const label = typeof options.label === 'string' ? options.label : undefined;
  const allImages = options.allImages === true;
  const df = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading what the engine stores…') }, () => l.diskUsage());
  const all = prunePlan(df, session.networks.all(), { kinds: scope === 'system' ? ['container', 'network', 'image', 'volume', 'buildCache'] : kinds, allImages: true, label });
  let items = prunePlan(df, session.networks.all(), { kinds, allImages, label });
  if (!scripted && scope === 'system') {
    // One list of everything that may go, by kind; unticking a row keeps it. Volumes start unticked.
    type Item = vscode.QuickPickItem & { item?: PruneItem; toggle?: 'allImages' };
    const dangling = new Set(items.filter((i) => i.kind === 'image').map((i) => i.id));
    const rows: Item[] = [];
    for (const kind of ['container', 'network', 'image', 'volume', 'buildCache'] as PruneKind[]) {
      const of = all.filter((i) => i.kind === kind);
      if (!of.length) continue;
      rows.push({ label: kindText(kind), kind: vscode.QuickPickItemKind.Separator });
      for (const i of of) rows.push({ label: i.name, description: i.kind === 'network' ? undefined : sizeText(i.bytes), detail: i.kind === 'image' && !dangling.has(i.id) ? vscode.l10n.t('tagged, used by no container') : undefined, item: i });
    }
    if (!all.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to prune: no stopped container, unused network, unused image, unused volume or build cache.'));
      return undefined;
    }
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = vscode.l10n.t('Prune System');
    pick.canSelectMany = true;
    pick.matchOnDescription = true;
    pick.items = rows;
    const say = () => {
      const chosen = pick.selectedItems.flatMap((r) => (r.item ? [r.item] : []));
      pick.placeholder = plural(chosen.length, vscode.l10n.t('{0} object ticked, {1} to free. Enter to go on', chosen.length, sizeText(totalBytes(chosen))), vscode.l10n.t('{0} objects ticked, {1} to free. Enter to go on', chosen.length, sizeText(totalBytes(chosen))));
    };
    say();
    pick.onDidChangeSelection(say);
    const chosen = await new Promise<PruneItem[] | undefined>((resolve) => {
      pick.onDidAccept(() => {
        resolve(pick.selectedItems.flatMap((r) => (r.item ? [r.item] : [])));
        pick.hide();
      });
      pick.onDidHide(() => {
        resolve(undefined);
        pick.dispose();
      });
      pick.show();
      // Ticked once shown: a multi-select pick drops a selection set before.
      pick.selectedItems = rows.filter((r) => r.item && items.some((i) => i.kind === r.item!.kind && i.id === r.item!.id));
      say();
    });
    if (!chosen) return undefined;
    items = chosen;
  }
  if (!items.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to prune.'));
    return undefined;
  }
  const total = totalBytes(items);
  if (!scripted || options.yes !== true) {
    const list = (['container', 'network', 'image', 'volume', 'buildCache'] as PruneKind[])
      .map((k) => items.filter((i) => i.kind === k))
      .filter((of) => of.length)
      .map((of) => `${kindText(of[0].kind)}: ${of.map((i) => (i.kind === 'network' ? i.name : `${i.name} (${sizeText(i.bytes)})`)).join(', ')}`);
    const question = plural(items.length, vscode.l10n.t('Remove {0} object and free {1}?', items.length, sizeText(total)), vscode.l10n.t('Remove {0} objects and free {1}?', items.length, sizeText(total)));
    if (!(await confirm(question, list.join('\n'), vscode.l10n.t('Prune')))) return undefined;
  }
  const outcome: PruneOutcome = { removed: [], failed: [], freed: 0 };
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Pruning…'), cancellable: false }, async (progress) => {
    // In this order: a network or image a stopped container held is free only once it is gone.
    for (const kind of ['container', 'network', 'image', 'volume', 'buildCache'] as PruneKind[])
      for (const item of items.filter((i) => i.kind === kind)) {
        progress.report({ message: item.name, increment: 100 / items.length });
        try {
          await l.removeForPrune(item.kind, item.id);
          outcome.removed.push(item);
          outcome.freed += item.bytes;
        } catch (err) {
          outcome.failed.push({ item, reason: (err as Error).message });
        }
      }
  });
  const said = plural(outcome.removed.length, vscode.l10n.t('Removed {0} object; freed {1}.', outcome.removed.length, sizeText(outcome.freed)), vscode.l10n.t('Removed {0} objects; freed {1}.', outcome.removed.length, sizeText(outcome.freed)));
  if (outcome.failed.length) void vscode.window.showWarningMessage(`${said} ${vscode.l10n.t('Kept: {0}', outcome.failed.map((f) => `${f.item.name} (${f.reason})`).join('; '))}`);
  else void vscode.window.showInformationMessage(said);
  return outcome;
}
