// The one way commands are registered: errors become a short message plus details in the log.
import * as vscode from 'vscode';

export interface CommandContext {
  log: vscode.LogOutputChannel;
}

export function isCancellation(err: unknown): boolean {
  return err instanceof vscode.CancellationError || (err as Error)?.name === 'AbortError';
}

export function registerCommand(
  ctx: CommandContext,
  id: string,
  handler: (...args: any[]) => unknown, // eslint-disable-line @typescript-eslint/no-explicit-any
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      if (isCancellation(err)) return undefined;
      const message = err instanceof Error ? err.message : String(err);
      ctx.log.error(`${id} failed: ${err instanceof Error && err.stack ? err.stack : message}`);
      void vscode.window.showErrorMessage(message, vscode.l10n.t('Show Log')).then((choice) => {
        if (choice) ctx.log.show(true);
      });
      return undefined;
    }
  });
}
