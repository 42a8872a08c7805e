// The Registries view's code (tree, actions, the registry client) is a bundle of its own,
// dist/registries.js, required when the view is first shown or a registry command first runs.
// esbuild leaves './registries.js' external (esbuild.js), so Node resolves it beside dist/extension.js.
export type RegistriesModule = typeof import('../commands/registries/index');

let loaded: RegistriesModule | undefined;

export function registriesModule(): RegistriesModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./registries.js') as RegistriesModule;
  return loaded;
}

/** Whether the Registries bundle has been loaded (tests ask). */
export function registriesModuleLoaded(): boolean {
  return loaded !== undefined;
}
