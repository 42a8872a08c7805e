// Multi-step quick input where the Back button works: each step is an input box, a pick, or a
// list editor, and resolves to next, back or cancel.
import * as vscode from 'vscode';

export type StepResult = 'next' | 'back' | 'cancel';
export interface StepContext {
  title: string;
  step: number;
  total: number;
}
export type Step = (ctx: StepContext) => Promise<StepResult>;

export async function runSteps(title: string, steps: Step[]): Promise<boolean> {
  let i = 0;
  while (i < steps.length) {
    const r = await steps[i]({ title, step: i + 1, total: steps.length });
    if (r === 'cancel') return false;
    i = r === 'back' ? Math.max(0, i - 1) : i + 1;
  }
  return true;
}

function frame(input: vscode.QuickInput, ctx: StepContext): void {
  input.title = ctx.title;
  input.step = ctx.step;
  input.totalSteps = ctx.total;
}

/** Resolves once; disposes the input. */
function settle<T extends vscode.QuickInput>(input: T, wire: (done: (r: StepResult) => void) => void): Promise<StepResult> {
  return new Promise<StepResult>((resolve) => {
    let settled = false;
    const done = (r: StepResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
      input.dispose();
    };
    input.onDidHide(() => done('cancel'));
    wire(done);
    input.show();
  });
}

export function inputStep(opts: {
  value: () => string;
  /** Called again as the value changes, so the prompt can describe the text as typed. */
  prompt: (value: string) => string;
  placeholder?: string;
  validate?: (value: string) => string | undefined | Promise<string | undefined>;
  /** Wait this long after the last keystroke before validating (for checks that cost something). */
  debounceMs?: number;
  accept: (value: string) => void;
}): Step {
  return (ctx) => {
    const box = vscode.window.createInputBox();
    frame(box, ctx);
    box.value = opts.value();
    box.prompt = opts.prompt(box.value);
    box.placeholder = opts.placeholder;
    box.ignoreFocusOut = true;
    if (ctx.step > 1) box.buttons = [vscode.QuickInputButtons.Back];
    return settle(box, (done) => {
      let checking = 0;
      let timer: NodeJS.Timeout | undefined;
      const check = async (v: string) => {
        const mine = ++checking;
        const message = await opts.validate?.(v);
        if (mine === checking) box.validationMessage = message;
        return message;
      };
      box.onDidChangeValue((v) => {
        box.prompt = opts.prompt(v);
        if (!opts.debounceMs) return void check(v);
        clearTimeout(timer);
        checking++; // an answer still coming for an older value is dropped
        timer = setTimeout(() => void check(v), opts.debounceMs);
      });
      box.onDidHide(() => clearTimeout(timer));
      box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && done('back'));
      box.onDidAccept(async () => {
        clearTimeout(timer);
        box.busy = true;
        const message = await check(box.value);
        box.busy = false;
        if (message) return;
        opts.accept(box.value);
        done('next');
      });
      void check(box.value);
    });
  };
}

export function pickStep<T>(opts: { placeholder: string; items: () => (vscode.QuickPickItem & { value: T })[]; active: () => T | undefined; accept: (value: T) => void }): Step {
  return (ctx) => {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
    frame(pick, ctx);
    pick.placeholder = opts.placeholder;
    pick.items = opts.items();
    pick.ignoreFocusOut = true;
    const active = pick.items.find((i) => i.value === opts.active());
    if (active) pick.activeItems = [active];
    if (ctx.step > 1) pick.buttons = [vscode.QuickInputButtons.Back];
    return settle(pick, (done) => {
      pick.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && done('back'));
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (!chosen) return;
        opts.accept(chosen.value);
        done('next');
      });
    });
  };
}

/**
 * A list the user edits in place: pick an entry to remove it, "Add…" to type one (checked by
 * `validate`), optional extra actions, and "Continue" to go on.
 */
export function listStep(opts: {
  placeholder: string;
  entries: () => string[];
  display?: (entry: string) => string;
  addLabel: string;
  addPrompt: string;
  validate: (value: string) => string | undefined;
  add: (value: string) => void;
  remove: (entry: string) => void;
  /** More actions; each comes back to the list, whatever it showed (its own problems stay on this step). */
  extra?: { label: string; run: (ctx: StepContext) => Promise<void> }[];
}): Step {
  const step: Step = async (ctx) => {
    type Item = vscode.QuickPickItem & { value: () => Promise<StepResult | 'again'> };
    const items: Item[] = [
      { label: `$(arrow-right) ${vscode.l10n.t('Continue')}`, value: async () => 'next' },
      {
        label: `$(add) ${opts.addLabel}`,
        value: async () => {
          const v = await vscode.window.showInputBox({ prompt: opts.addPrompt, validateInput: opts.validate, ignoreFocusOut: true });
          if (v) opts.add(v.trim());
          return 'again';
        },
      },
      ...(opts.extra ?? []).map((x) => ({ label: x.label, value: async () => (await x.run(ctx), 'again' as const) })),
      ...opts.entries().map((e) => ({
        label: `$(close) ${opts.display ? opts.display(e) : e}`,
        description: vscode.l10n.t('pick to remove'),
        value: async () => (opts.remove(e), 'again' as const),
      })),
    ];
    let chosen: Item | undefined;
    const r = await pickStep<Item>({ placeholder: opts.placeholder, items: () => items.map((i) => ({ ...i, value: i })), active: () => undefined, accept: (v) => (chosen = v) })(ctx);
    if (r !== 'next' || !chosen) return r;
    const next = await chosen.value();
    return next === 'again' ? step(ctx) : next;
  };
  return step;
}

/**
 * A problem shown on the step it belongs to, as the input's validation message under `value`
 * (a file path): Enter retries (`retry` answers the next problem, or undefined when it worked),
 * Escape or Back returns to the step. Nothing typed so far is lost.
 */
export function showProblem(ctx: StepContext, opts: { value: string; prompt: string; problem: string; retry: (value: string) => string | undefined }): Promise<void> {
  const box = vscode.window.createInputBox();
  frame(box, ctx);
  box.value = opts.value;
  box.prompt = opts.prompt;
  box.validationMessage = opts.problem;
  box.ignoreFocusOut = true;
  box.buttons = [vscode.QuickInputButtons.Back];
  return settle(box, (done) => {
    box.onDidTriggerButton(() => done('back'));
    box.onDidChangeValue(() => (box.validationMessage = undefined));
    box.onDidAccept(() => {
      const problem = opts.retry(box.value.trim());
      if (problem) box.validationMessage = problem;
      else done('next');
    });
  }).then(() => undefined);
}
