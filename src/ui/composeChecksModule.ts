// What Berth says before and after a Compose run when something is at stake (src/commands/composeChecks.ts)
// is a bundle of its own, dist/composeChecks.js, required on first use. esbuild leaves
// './composeChecks.js' external (esbuild.js), so Node resolves it beside dist/extension.js.
export type ComposeChecksModule = typeof import('../commands/composeChecks');

let loaded: ComposeChecksModule | undefined;

export function composeChecksModule(): ComposeChecksModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./composeChecks.js') as ComposeChecksModule;
  return loaded;
}
