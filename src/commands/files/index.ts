// The container files feature (issue 25), bundled as dist/files.js and loaded on first use by
// src/ui/filesModule.ts: the file system behind `berth-container:` URIs, the Files rows under a
// container, and the commands on them.
import type * as vscode from 'vscode';
import type { EngineSession } from '../../session/engineSession';
import { FileActions } from './actions';
import { ContainerFileSystem } from './provider';
import { FilesTree } from './tree';
import { VolumeFiles } from './volumes';

export interface FilesDeps {
  session: EngineSession;
  fileChanged: vscode.EventEmitter<vscode.FileChangeEvent[]>;
  treeChanged: vscode.EventEmitter<string | undefined>;
}

export interface FilesFeature {
  provider: ContainerFileSystem;
  tree: FilesTree;
  actions: FileActions;
  volumes: VolumeFiles;
  dispose(): void;
}

export function createFilesFeature(deps: FilesDeps): FilesFeature {
  const provider = new ContainerFileSystem(deps.session, deps.fileChanged);
  const tree = new FilesTree(deps.session, provider);
  const actions = new FileActions(deps.session, provider, tree, (key) => deps.treeChanged.fire(key));
  const volumes = new VolumeFiles(deps.session, tree);
  return { provider, tree, actions, volumes, dispose: () => void volumes.releaseAll() };
}
