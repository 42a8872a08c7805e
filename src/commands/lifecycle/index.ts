// Entry of dist/lifecycle.js (issue 28): Create Network…, Create Volume…, Connect to Network… and
// Disconnect, Rename…. Loaded on the first of these commands (see commands/lifecycle.ts), never in
// activate(); everything else names it as types only.
export { createNetwork } from './networkCreate';
export { createVolume } from './volumeCreate';
export { connect, disconnect } from './connect';
export { rename } from './rename';
export { update } from './update';
export { commit } from './commit';
export { exportFilesystem, importFilesystem } from './exportImport';
export { prune } from './prune';
