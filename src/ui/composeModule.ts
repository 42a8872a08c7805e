// The Compose model (yaml, ajv, the schema: ~300 KB) is a bundle of its own, dist/compose.js,
// required on first use of the Compose view or a Compose command, as the engine layer is on first
// connect. esbuild leaves './compose.js' external (esbuild.js), so Node resolves it beside
// dist/extension.js; everything else imports src/model/compose as types only.
export type ComposeModule = typeof import('../model/compose/index');

let loaded: ComposeModule | undefined;

export function composeModule(): ComposeModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./compose.js') as ComposeModule;
  return loaded;
}

/** Whether the Compose bundle has been loaded (the bundle test and the workbench test ask). */
export function composeModuleLoaded(): boolean {
  return loaded !== undefined;
}
