// Container files (issue 25) are a bundle of their own, dist/files.js, required on first use: a
// file opened, a Files node expanded, a files command run. What activation registers here is a
// thin FileSystemProvider that forwards to the bundle, so `berth-container:` URIs work from the
// start (a restored editor, a link) without loading it. Others import the bundle as types only.
import * as vscode from 'vscode';
import type { EngineSession } from '../session/engineSession';

export type FilesModule = typeof import('../commands/files/index');
export type FilesFeature = import('../commands/files/index').FilesFeature;

let loaded: FilesModule | undefined;

export function filesModule(): FilesModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./files.js') as FilesModule;
  return loaded;
}

/** Whether the files bundle has been loaded (tests ask). */
export function filesModuleLoaded(): boolean {
  return loaded !== undefined;
}

/** One feature per activation, made on first use. */
export class LazyFiles implements vscode.Disposable {
  private feature: FilesFeature | undefined;
  readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  /** Fired with tree keys whose children changed (the containers view refreshes them). */
  readonly treeChanged = new vscode.EventEmitter<string | undefined>();

  constructor(private readonly session: EngineSession) {}

  get(): FilesFeature {
    this.feature ??= filesModule().createFilesFeature({ session: this.session, fileChanged: this.changed, treeChanged: this.treeChanged });
    return this.feature;
  }

  get loaded(): boolean {
    return this.feature !== undefined;
  }

  /** Drops from the Explorer onto a Files row or folder row: an upload there (asks before replacing). */
  dropController(): vscode.TreeDragAndDropController<string> {
    return {
      dropMimeTypes: ['text/uri-list'],
      dragMimeTypes: [],
      handleDrop: async (target, data) => {
        if (!target || !(target.startsWith('files:') || target.startsWith('file:'))) return;
        const list = await data.get('text/uri-list')?.asString();
        const uris = (list ?? '')
          .split(/\r?\n/)
          .filter((l) => l && !l.startsWith('#'))
          .map((l) => vscode.Uri.parse(l.trim()))
          .filter((u) => u.scheme === 'file');
        if (!uris.length) return;
        try {
          await this.get().actions.upload(target, uris);
        } catch (err) {
          if (!(err instanceof vscode.CancellationError)) void vscode.window.showErrorMessage((err as Error).message);
        }
      },
    };
  }

  /** The provider registered at activation: each call loads the bundle when it first comes. */
  provider(): vscode.FileSystemProvider {
    return {
      onDidChangeFile: this.changed.event,
      watch: () => new vscode.Disposable(() => undefined),
      stat: (uri) => this.get().provider.stat(uri),
      readDirectory: (uri) => this.get().provider.readDirectory(uri),
      createDirectory: (uri) => this.get().provider.createDirectory(uri),
      readFile: (uri) => this.get().provider.readFile(uri),
      writeFile: (uri, content, options) => this.get().provider.writeFile(uri, content, options),
      delete: (uri, options) => this.get().provider.delete(uri, options),
      rename: (from, to, options) => this.get().provider.rename(from, to, options),
    };
  }

  dispose(): void {
    this.feature?.dispose();
    this.changed.dispose();
    this.treeChanged.dispose();
  }
}
