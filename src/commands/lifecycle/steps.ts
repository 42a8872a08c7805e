// Steps that apply only sometimes (a gateway after a subnet), and a step of on/off choices.
import * as vscode from 'vscode';
import type { Step, StepContext, StepResult } from '../../ui/multiStep';

export interface MaybeStep {
  step: Step;
  /** Whether the step applies now; a skipped step passes on in the direction the user went. */
  when?: () => boolean;
}

/** Runs the steps with Back; resolves false when cancelled. */
export async function runMaybeSteps(title: string, steps: MaybeStep[]): Promise<boolean> {
  let i = 0;
  let forward = true;
  while (i < steps.length) {
    if (i < 0) return false;
    const s = steps[i];
    if (s.when && !s.when()) {
      i += forward ? 1 : -1;
      if (i < 0) i = 0;
      continue;
    }
    const shown = steps.filter((x) => !x.when || x.when());
    const r: StepResult = await s.step({ title, step: shown.indexOf(s) + 1, total: shown.length });
    if (r === 'cancel') return false;
    forward = r !== 'back';
    i = forward ? i + 1 : Math.max(0, i - 1);
  }
  return true;
}

/** On/off choices (internal, IPv6…): the ticked ones go on with Enter. */
export function togglesStep<K extends string>(opts: { placeholder: string; items: () => { key: K; label: string; detail: string }[]; value: () => Set<K>; accept: (on: Set<K>) => void }): Step {
  return (ctx: StepContext) =>
    new Promise<StepResult>((resolve) => {
      type Item = vscode.QuickPickItem & { key: K };
      const pick = vscode.window.createQuickPick<Item>();
      pick.title = ctx.title;
      pick.step = ctx.step;
      pick.totalSteps = ctx.total;
      pick.canSelectMany = true;
      pick.placeholder = opts.placeholder;
      pick.ignoreFocusOut = true;
      pick.items = opts.items().map((i) => ({ key: i.key, label: i.label, detail: i.detail }));
      pick.selectedItems = pick.items.filter((i) => opts.value().has(i.key));
      if (ctx.step > 1) pick.buttons = [vscode.QuickInputButtons.Back];
      let settled = false;
      const done = (r: StepResult) => {
        if (settled) return;
        settled = true;
        resolve(r);
        pick.dispose();
      };
      pick.onDidHide(() => done('cancel'));
      pick.onDidTriggerButton(() => done('back'));
      pick.onDidAccept(() => {
        opts.accept(new Set(pick.selectedItems.map((i) => i.key)));
        done('next');
      });
      pick.show();
    });
}
