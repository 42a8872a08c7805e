// The Dockerfile reader (src/model/dockerfile.ts, with dockerfile-ast) is a bundle of its own,
// dist/dockerfile.js, required on the first build. esbuild leaves './dockerfile.js' external
// (esbuild.js), so Node resolves it beside dist/extension.js.
export type DockerfileModule = typeof import('../model/dockerfile');

let loaded: DockerfileModule | undefined;

export function dockerfileModule(): DockerfileModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./dockerfile.js') as DockerfileModule;
  return loaded;
}
