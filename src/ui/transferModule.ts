// Pull, Tag, Push, Save and Load are a bundle of their own, dist/transfer.js, required on the
// first of those commands. esbuild leaves './transfer.js' external (esbuild.js), so Node resolves
// it beside dist/extension.js; everything else imports commands/transferFeature as types only.
export type TransferModule = typeof import('../commands/transferFeature');

let loaded: TransferModule | undefined;

export function transferModule(): TransferModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./transfer.js') as TransferModule;
  return loaded;
}
