// The terminals streaming from the engine (logs, shells, interactive runs). Streams belong to the
// engine they were opened on: switching engines closes them, each saying so on its last line.
import * as vscode from 'vscode';
import type { EngineSession } from '../session/engineSession';
import { engineSwitchedMessage, type StreamTerminal } from './logTerminal';

export class StreamTerminals implements vscode.Disposable {
  private readonly open = new Set<StreamTerminal>();
  private readonly switched: { dispose(): void };
  private readonly closed = vscode.window.onDidCloseTerminal((x) => {
    for (const t of this.open) if (t.terminal === x) this.open.delete(t);
  });

  private readonly renamed: { dispose(): void };

  constructor(session: EngineSession) {
    this.switched = session.onDidChangeEngine(() => {
      for (const t of this.open) t.stop(engineSwitchedMessage());
      this.open.clear();
    });
    // A container renamed (Rename…, or docker rename in a terminal): its log terminals take the new name.
    this.renamed = session.containers.onDidChange(({ updated }) => {
      if (!updated.length) return;
      for (const t of this.open) {
        const c = t.container;
        const now = c && updated.includes(c.id) ? session.containers.get(c.id)?.name : undefined;
        if (c && now && now !== c.name) c.rename(now);
      }
    });
  }

  /** Shows the terminal and follows it; resolves its name (what the command returns to scripts). */
  track(t: StreamTerminal): string {
    this.open.add(t);
    t.terminal.show();
    return t.terminal.name;
  }

  dispose(): void {
    this.switched.dispose();
    this.renamed.dispose();
    this.closed.dispose();
    this.open.clear();
  }
}
