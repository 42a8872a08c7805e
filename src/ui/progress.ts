// Runs an action over many objects: progress in the view at once and, when it takes longer than a
// moment, a notification with Cancel. Cancelling stops what has not started yet.
import * as vscode from 'vscode';

const CONCURRENCY = 4;
const NOTIFY_AFTER_MS = 1000;

export interface BatchResult {
  failures: string[];
  /** How many items were never started because the user cancelled. */
  skipped: number;
}

export async function runBatch<T>(viewId: string, title: string, items: readonly T[], name: (t: T) => string, act: (t: T) => Promise<void>): Promise<BatchResult> {
  const failures: string[] = [];
  let next = 0;
  let cancelled = false;
  let done = 0;
  let report: ((message: string) => void) | undefined;
  const worker = async () => {
    while (!cancelled && next < items.length) {
      const item = items[next++];
      try {
        await act(item);
      } catch (err) {
        failures.push(`${name(item)}: ${(err as Error).message}`);
      }
      done++;
      report?.(`${done}/${items.length}`);
    }
  };
  const work = Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  const notify = setTimeout(() => {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => (cancelled = true));
      report = (message) => progress.report({ message, increment: 100 / items.length });
      report(`${done}/${items.length}`);
      return work;
    });
  }, NOTIFY_AFTER_MS);
  try {
    await vscode.window.withProgress({ location: { viewId }, title }, () => work);
  } finally {
    clearTimeout(notify);
  }
  return { failures, skipped: items.length - done };
}

/** Throws one message naming every failure, as the command wrapper shows it. */
export function throwFailures(result: BatchResult, total: number, summary: (failed: number, total: number, details: string) => string): void {
  if (result.skipped) void vscode.window.showInformationMessage(vscode.l10n.t('Cancelled: {0} of {1} not done.', result.skipped, total));
  if (!result.failures.length) return;
  if (total === 1) throw new Error(result.failures[0]);
  throw new Error(summary(result.failures.length, total, result.failures.join('; ')));
}

/** A modal question for destructive actions; resolves to the chosen button or undefined. */
export async function confirm(message: string, detail: string, ...buttons: string[]): Promise<string | undefined> {
  return vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
}
