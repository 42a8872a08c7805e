// What the language features get from the extension: the engine session and whether they are on.
import type * as vscode from 'vscode';
import type { EngineSession } from '../../session/engineSession';

export interface LanguageDeps {
  session: EngineSession;
  log: (message: string) => void;
  /** berth.languageFeatures, with "auto" resolved against Docker's own extension. */
  enabled(): boolean;
  onDidChangeEnabled: vscode.Event<void>;
}
