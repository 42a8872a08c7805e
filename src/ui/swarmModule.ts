// The Services view's code (watcher, tree, actions) is a bundle of its own, dist/swarm.js, required
// when an engine first becomes ready, as the engine layer is on first connect. esbuild leaves
// './swarm.js' external (esbuild.js), so Node resolves it beside dist/extension.js.
export type SwarmModule = typeof import('../commands/swarm/index');

let loaded: SwarmModule | undefined;

export function swarmModule(): SwarmModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./swarm.js') as SwarmModule;
  return loaded;
}

/** Whether the Swarm bundle has been loaded (tests ask). */
export function swarmModuleLoaded(): boolean {
  return loaded !== undefined;
}
