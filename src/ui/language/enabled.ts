// Whether Berth's language features run: berth.languageFeatures against Docker's own extension.
// Kept free of vscode so the rule is unit-tested.

/** Docker's own extension (Docker DX), which runs the Docker Language Server. */
export const DOCKER_EXTENSION_IDS = ['docker.docker', 'docker.docker-vscode'];

export type LanguageSetting = 'auto' | 'on' | 'off';

/** On, off, or (auto) on unless Docker's extension is active, so no completion shows twice. */
export function languageEnabled(setting: LanguageSetting | undefined, dockerActive: boolean): boolean {
  return setting === 'on' || ((setting ?? 'auto') === 'auto' && !dockerActive);
}
