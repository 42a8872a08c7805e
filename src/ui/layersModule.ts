// The Image Layers and Disk Usage views and the Dockerfile line costs (src/commands/layersFeature.ts,
// with tar-stream and the analysis) are a bundle of their own, dist/layers.js, required on first use.
// esbuild leaves './layers.js' external (esbuild.js), so Node resolves it beside dist/extension.js.
export type LayersModule = typeof import('../commands/layersFeature');

let loaded: LayersModule | undefined;

export function layersModule(): LayersModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./layers.js') as LayersModule;
  return loaded;
}

/** Whether the bundle has been loaded (tests ask). */
export function layersModuleLoaded(): boolean {
  return loaded !== undefined;
}
