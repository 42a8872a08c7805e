// The language features' bundle (dist/language.js): required when the first Dockerfile or Compose
// file is opened (src/ui/languageModule.ts). The parsers it uses come from dist/dockerfile.js and
// dist/compose.js, loaded by their own loaders.
import * as vscode from 'vscode';
import { ComposeFeatures } from './composeFeatures';
import type { LanguageDeps } from './deps';
import { DockerfileFeatures } from './dockerfileFeatures';
import { DOCKER_EXTENSION_IDS, languageEnabled, type LanguageSetting } from './enabled';

function dockerExtensionActive(): boolean {
  return DOCKER_EXTENSION_IDS.some((id) => vscode.extensions.getExtension(id)?.isActive);
}

export interface LanguageFeatures extends vscode.Disposable {
  dockerfile: DockerfileFeatures;
  compose: ComposeFeatures;
}

export type LanguageStartDeps = Omit<LanguageDeps, 'enabled' | 'onDidChangeEnabled'>;

export function startLanguageFeatures(start: LanguageStartDeps): LanguageFeatures {
  const changed = new vscode.EventEmitter<void>();
  const setting = () => vscode.workspace.getConfiguration('berth').get<LanguageSetting>('languageFeatures', 'auto');
  const log = start.log;
  const deps: LanguageDeps = { ...start, enabled: () => languageEnabled(setting(), dockerExtensionActive()), onDidChangeEnabled: changed.event };
  const watch = [
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('berth.languageFeatures') && changed.fire()),
    vscode.extensions.onDidChange(() => changed.fire()),
  ];
  const dockerfile = new DockerfileFeatures(deps);
  const compose = new ComposeFeatures(deps);
  log(`language features started (${deps.enabled() ? 'on' : 'left to Docker’s extension'})`);
  return {
    dockerfile,
    compose,
    dispose: () => {
      dockerfile.dispose();
      compose.dispose();
      for (const w of watch) w.dispose();
      changed.dispose();
    },
  };
}
