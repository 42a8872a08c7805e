// What the language features get from the extension: the engine session and whether they are on.
import type * as vscode from 'vscode';
import type { EngineSession } from '../../session/engineSession';

export interface LanguageDeps {
  session: EngineSession;
  log: (message: string) => void;
  /** berth.languageFeatures, with "auto" resolved against Docker's own extension. */
  enabled(): boolean;
  onDidChangeEnabled: vscode.Event<void>;
  /** The Compose view's collection: live problems replace the file's saved ones there, so none shows twice. */
  composeDiagnostics: vscode.DiagnosticCollection;
  /** Files the user added to a folder's project (Add Compose File to Project…). */
  extraFiles(folder: string): string[];
  /** Starts the Compose view's model (its rows are what the CodeLens commands act on). */
  composeReady(): Promise<void>;
}
