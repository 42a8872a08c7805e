// Runs an action over many objects: progress in the view at once and, when it takes longer than a
// moment, a notification with Cancel. Cancelling stops what has not started yet.
import * as vscode from 'vscode';
import { plural } from './locale';

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
  let report: (() => void) | undefined;
  const worker = async () => {
    while (!cancelled && next < items.length) {
      const item = items[next++];
      try {
        await act(item);
      } catch (err) {
        failures.push(`${name(item)}: ${(err as Error).message}`);
      }
      done++;
      report?.();
    }
  };
  const work = Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  const notify = setTimeout(() => {
    // No title: VS Code would join title and count with its own English "{0}: {1}", which French
    // punctuates differently. The message carries both.
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => (cancelled = true));
      let reported = 0;
      report = () => {
        progress.report({ message: `${title} (${done}/${items.length})`, increment: (100 * (done - reported)) / items.length });
        reported = done;
      };
      report();
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
  if (result.skipped) void vscode.window.showInformationMessage(plural(result.skipped, vscode.l10n.t('Cancelled: {0} of {1} was not done.', result.skipped, total), vscode.l10n.t('Cancelled: {0} of {1} were not done.', result.skipped, total)));
  if (!result.failures.length) return;
  if (total === 1) throw new Error(result.failures[0]);
  throw new Error(summary(result.failures.length, total, result.failures.join('; ')));
}

/** A modal question for destructive actions; resolves to the chosen button or undefined. */
export async function confirm(message: string, detail: string, ...buttons: string[]): Promise<string | undefined> {
  return vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
}
