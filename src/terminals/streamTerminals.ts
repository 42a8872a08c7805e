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

  constructor(session: EngineSession) {
    this.switched = session.onDidChangeEngine(() => {
      for (const t of this.open) t.stop(engineSwitchedMessage());
      this.open.clear();
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
    this.closed.dispose();
    this.open.clear();
  }
}
