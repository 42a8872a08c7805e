// The FileSystemProvider for `berth-container://<container id>/<path>?engine=<engine url>`: the
// editor's reads, saves, stats and listings of container files, over model/files/containerFiles.
// VS Code detects a save onto a file changed since it was read from stat's mtime and size (the
// same dialog as for local files); a read-only root or mount shows the editor read-only.
import * as vscode from 'vscode';
import type { EngineSession } from '../../session/engineSession';
import { ContainerFiles, FileProblem, mountOf, type Mount } from '../../model/files/containerFiles';
import { FILES_SCHEME } from '../../model/files/fileKeys';

export function engineKey(session: EngineSession): string {
  return session.requireClient().endpoint.url;
}

export function fileUri(session: EngineSession, containerId: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: FILES_SCHEME, authority: containerId, path, query: `engine=${encodeURIComponent(engineKey(session))}` });
}

export function containerOfUri(uri: vscode.Uri): { containerId: string; path: string; engine: string | undefined } {
  const engine = new URLSearchParams(uri.query).get('engine') ?? undefined;
  return { containerId: uri.authority, path: uri.path || '/', engine };
}

/** A FileProblem in the user's words, as the FileSystemError the editor expects. */
export function toFsError(err: unknown, name: string): Error {
  if (!(err instanceof FileProblem)) return err instanceof Error ? err : new Error(String(err));
  switch (err.kind) {
    case 'notFound':
      return vscode.FileSystemError.FileNotFound(vscode.l10n.t('{0} does not exist in the container.', err.path));
    case 'gone':
      return vscode.FileSystemError.Unavailable(vscode.l10n.t('The container of {0} no longer exists.', name));
    case 'exists':
      return vscode.FileSystemError.FileExists(vscode.l10n.t('{0} already exists.', err.path));
    case 'notDir':
      return vscode.FileSystemError.FileNotADirectory(vscode.l10n.t('{0} is not a folder.', err.path));
    case 'isDir':
      return vscode.FileSystemError.FileIsADirectory(vscode.l10n.t('{0} is a folder.', err.path));
    case 'readOnly':
      return vscode.FileSystemError.NoPermissions(vscode.l10n.t('{0} cannot be written: {1}. Nothing was changed.', err.path, err.said));
    case 'notRunning':
      return vscode.FileSystemError.Unavailable(vscode.l10n.t('Start the container to rename or delete {0}: the engine can only read and write files of a stopped container.', err.path));
    case 'badName':
      return vscode.FileSystemError.NoPermissions(vscode.l10n.t('{0} cannot be changed.', err.path));
    default:
      return vscode.FileSystemError.Unavailable(vscode.l10n.t('{0}: {1}', err.path, err.said));
  }
}

export class ContainerFileSystem {
  readonly files: ContainerFiles;
  /** Mounts and whether the root is read-only never change after a container is created. */
  private readonly layout = new Map<string, Promise<{ mounts: Mount[]; readonlyRoot: boolean }>>();

  constructor(
    private readonly session: EngineSession,
    private readonly changed: vscode.EventEmitter<vscode.FileChangeEvent[]>,
  ) {
    this.files = new ContainerFiles(() => session.requireClient());
  }

  /** The container id and path of a URI, refusing one of another engine than the connected one. */
  private target(uri: vscode.Uri): { id: string; path: string } {
    const { containerId, path, engine } = containerOfUri(uri);
    if (engine && engine !== engineKey(this.session)) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('{0} is a file of engine {1}; Berth is connected to another engine now.', path, engine));
    return { id: containerId, path };
  }

  private async guard<T>(uri: vscode.Uri, fn: (id: string, path: string) => Promise<T>): Promise<T> {
    const { id, path } = this.target(uri);
    try {
      return await fn(id, path);
    } catch (err) {
      throw toFsError(err, path);
    }
  }

  layoutOf(id: string): Promise<{ mounts: Mount[]; readonlyRoot: boolean }> {
    let l = this.layout.get(id);
    if (!l) {
      l = (async () => {
        const info = (await this.session.requireClient().inspect('container', id)) as { HostConfig?: { ReadonlyRootfs?: boolean } };
        return { mounts: await this.files.mounts(id), readonlyRoot: !!info.HostConfig?.ReadonlyRootfs };
      })();
      l.catch(() => this.layout.delete(id));
      this.layout.set(id, l);
    }
    return l;
  }

  private async readonly(id: string, path: string): Promise<boolean> {
    const l = await this.layoutOf(id).catch(() => undefined);
    if (!l) return false;
    const m = mountOf(l.mounts, path);
    return m ? !m.rw : l.readonlyRoot;
  }

  stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.guard(uri, async (id, path) => {
      const s = await this.files.stat(id, path);
      const type = (s.kind === 'dir' ? vscode.FileType.Directory : s.kind === 'file' ? vscode.FileType.File : vscode.FileType.Unknown) | (s.symlink ? vscode.FileType.SymbolicLink : 0);
      const ro = await this.readonly(id, path);
      return { type, size: s.size, mtime: s.mtimeMs, ctime: s.mtimeMs, permissions: ro ? vscode.FilePermission.Readonly : undefined };
    });
  }

  readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.guard(uri, async (id, path) =>
      (await this.files.list(id, path)).map((e) => [e.name, e.kind === 'dir' ? vscode.FileType.Directory : e.kind === 'symlink' ? vscode.FileType.SymbolicLink | vscode.FileType.File : e.kind === 'file' ? vscode.FileType.File : vscode.FileType.Unknown]),
    );
  }

  readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.guard(uri, (id, path) => this.files.readFile(id, path));
  }

  writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    return this.guard(uri, async (id, path) => {
      await this.files.writeFile(id, path, content, options);
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    });
  }

  createDirectory(uri: vscode.Uri): Promise<void> {
    return this.guard(uri, async (id, path) => {
      await this.files.createDirectory(id, path);
      this.changed.fire([{ type: vscode.FileChangeType.Created, uri }]);
    });
  }

  delete(uri: vscode.Uri, options: { recursive: boolean }): Promise<void> {
    return this.guard(uri, async (id, path) => {
      await this.files.delete(id, path, options.recursive);
      this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
    });
  }

  rename(from: vscode.Uri, to: vscode.Uri, options: { overwrite: boolean }): Promise<void> {
    return this.guard(from, async (id, path) => {
      await this.files.rename(id, path, this.target(to).path, options.overwrite);
      this.changed.fire([
        { type: vscode.FileChangeType.Deleted, uri: from },
        { type: vscode.FileChangeType.Created, uri: to },
      ]);
    });
  }
}
