// The language features for Dockerfiles and Compose files are a bundle of their own,
// dist/language.js, required when the first such file is opened. esbuild leaves './language.js'
// external (esbuild.js), so Node resolves it beside dist/extension.js.
import * as vscode from 'vscode';
import type { EngineSession } from '../session/engineSession';

export type LanguageModule = typeof import('./language/index');

let loaded: LanguageModule | undefined;

export function languageModule(): LanguageModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./language.js') as LanguageModule;
  return loaded;
}

/** Whether the language bundle has been loaded (tests ask). */
export function languageModuleLoaded(): boolean {
  return loaded !== undefined;
}

/** Compose files by name, as Compose finds them (compose.yaml, docker-compose.override.yml, ...). */
export const COMPOSE_FILE = /(^|[\\/])(docker-)?compose(\.[\w-]+)*\.ya?ml$/i;

function wanted(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'dockerfile' || (doc.languageId === 'yaml' && COMPOSE_FILE.test(doc.uri.path));
}

/** Starts the language features when the first Dockerfile or Compose file is open; returns what to dispose. */
export function startLanguageWhenNeeded(session: EngineSession, log: (m: string) => void): vscode.Disposable {
  let features: vscode.Disposable | undefined;
  const start = (doc: vscode.TextDocument) => {
    if (features || !wanted(doc)) return;
    features = languageModule().startLanguageFeatures(session, log);
    opened.dispose();
  };
  const opened = vscode.workspace.onDidOpenTextDocument(start);
  for (const d of vscode.workspace.textDocuments) start(d);
  return { dispose: () => (opened.dispose(), features?.dispose()) };
}
