// The language features for Dockerfiles and Compose files are a bundle of their own,
// dist/language.js, required when the first such file is opened. esbuild leaves './language.js'
// external (esbuild.js), so Node resolves it beside dist/extension.js.
import * as vscode from 'vscode';

export type LanguageModule = typeof import('./language/index');

let loaded: LanguageModule | undefined;
let startedFeatures: import('./language/index').LanguageFeatures | undefined;

/** The running language features, once a Dockerfile or Compose file has been opened (tests ask). */
export function languageFeatures(): import('./language/index').LanguageFeatures | undefined {
  return startedFeatures;
}

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
  return doc.languageId === 'dockerfile' || doc.languageId === 'dockercompose' || (doc.languageId === 'yaml' && COMPOSE_FILE.test(doc.uri.path));
}

/** Starts the language features when the first Dockerfile or Compose file is open; returns what to dispose. */
export function startLanguageWhenNeeded(deps: import('./language/index').LanguageStartDeps): vscode.Disposable {
  let features: import('./language/index').LanguageFeatures | undefined;
  const start = (doc: vscode.TextDocument) => {
    if (features || !wanted(doc)) return;
    features = languageModule().startLanguageFeatures(deps);
    startedFeatures = features;
    opened.dispose();
  };
  const opened = vscode.workspace.onDidOpenTextDocument(start);
  for (const d of vscode.workspace.textDocuments) start(d);
  return {
    dispose: () => {
      opened.dispose();
      features?.dispose();
      startedFeatures = undefined;
    },
  };
}
