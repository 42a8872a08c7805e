// What the user does with container files: open (a bind-mounted path opens the local file), Open
// File in Container… with completion, new file or folder, rename, delete, download, upload, and
// the changes since the image.
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { PathChange } from '../../contract/files';
import type { EngineSession } from '../../session/engineSession';
import { basename, bindSource, checkName, dirname, FileProblem, join, mountOf, normalize } from '../../model/files/containerFiles';
import { download, localSize, upload } from '../../model/files/transfer';
import { fileKey, filesKey, parseFileKey } from '../../model/files/fileKeys';
import { fileUri, toFsError, type ContainerFileSystem } from './provider';
import type { FilesTree } from './tree';

function nameProblem(name: string): string | undefined {
  switch (checkName(name)) {
    case 'empty':
      return vscode.l10n.t('Type a name.');
    case 'slash':
      return vscode.l10n.t('A name cannot contain “/”: create the folder first.');
    case 'dots':
      return vscode.l10n.t('“.” and “..” are not names.');
    case 'nul':
      return vscode.l10n.t('A name cannot contain a NUL character.');
    default:
      return undefined;
  }
}

/** A FileProblem in words for a message box. */
function said(err: unknown, path: string): Error {
  const e = toFsError(err, path);
  return new Error(e.message.replace(/ \(FileSystemError\)$|^.*?FileSystemError: /, ''));
}

export class FileActions {
  constructor(
    private readonly session: EngineSession,
    private readonly fs: ContainerFileSystem,
    private readonly tree: FilesTree,
    private readonly refresh: (key: string) => void,
  ) {}

  private name(id: string): string {
    return this.session.containers.get(id)?.name ?? id.slice(0, 12);
  }

  /** Opens a container file; a bind mount opens the local file, a volume's path says which volume. */
  async open(containerId: string, path: string): Promise<void> {
    const client = this.session.requireClient();
    const layout = await this.fs.layoutOf(containerId).catch(() => undefined);
    const mount = layout && mountOf(layout.mounts, path);
    if (mount?.type === 'bind' && client.endpoint.kind === 'unix') {
      const local = bindSource(mount, path);
      if (fs.existsSync(local)) {
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(local));
        void vscode.window.showInformationMessage(vscode.l10n.t('Opened the local file {0}: {1} is bind-mounted from this machine into {2}.', local, path, this.name(containerId)));
        return;
      }
    }
    await vscode.commands.executeCommand('vscode.open', fileUri(this.session, containerId, path));
    if (mount?.type === 'volume' && mount.name) void vscode.window.showInformationMessage(vscode.l10n.t('{0} is in volume {1}, mounted at {2}.', path, mount.name, mount.destination));
  }

  openKey(key: string): Promise<void> {
    const k = parseFileKey(key);
    if (!k) throw new Error(vscode.l10n.t('Nothing to open.'));
    return this.open(k.containerId, k.path);
  }

  /** Open File in Container…: a path typed with completion from the container's folders. */
  async openInContainer(containerId: string): Promise<void> {
    type Item = vscode.QuickPickItem & { path: string; dir: boolean };
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = vscode.l10n.t('Open File in Container {0}', this.name(containerId));
    pick.placeholder = vscode.l10n.t('Type a path: folders complete as you type');
    pick.value = '/';
    const listings = new Map<string, Promise<Item[]>>();
    const listing = (dir: string) => {
      let l = listings.get(dir);
      if (!l) {
        l = this.fs.files.list(containerId, dir).then(
          (entries) =>
            entries
              .map((e) => ({ label: e.kind === 'dir' ? `${e.name}/` : e.name, path: join(dir, e.name), dir: e.kind === 'dir', iconPath: e.kind === 'dir' ? vscode.ThemeIcon.Folder : e.kind === 'symlink' ? new vscode.ThemeIcon('file-symlink-file') : vscode.ThemeIcon.File, alwaysShow: true }))
              .sort((a, b) => Number(b.dir) - Number(a.dir) || (a.label < b.label ? -1 : 1)),
          () => [],
        );
        listings.set(dir, l);
      }
      return l;
    };
    let shownFor = '';
    const update = async () => {
      const value = pick.value.startsWith('/') ? pick.value : `/${pick.value}`;
      const dir = value.endsWith('/') ? normalize(value) : dirname(value);
      const prefix = value.endsWith('/') ? '' : basename(value);
      const key = `${dir}\0${prefix}`;
      shownFor = key;
      pick.busy = true;
      const items = await listing(dir);
      if (shownFor !== key) return;
      pick.busy = false;
      pick.items = items.filter((i) => basename(i.path).startsWith(prefix));
    };
    pick.onDidChangeValue(() => void update());
    void update();
    await new Promise<void>((resolve) => {
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (chosen?.dir) {
          pick.value = `${chosen.path}/`;
          return;
        }
        const path = chosen?.path ?? normalize(pick.value);
        pick.hide();
        void this.open(containerId, path).then(undefined, (err: unknown) => void vscode.window.showErrorMessage(said(err, path).message));
      });
      pick.onDidHide(() => {
        pick.dispose();
        resolve();
      });
      pick.show();
    });
  }

  /** The folder a row stands for: a folder row itself, or the folder of a file row. */
  private async folderOf(key: string): Promise<{ containerId: string; dir: string; key: string }> {
    const k = parseFileKey(key);
    if (!k) throw new Error(vscode.l10n.t('Choose a folder in a container’s Files.'));
    // A row not listed yet (a script's key) is looked up.
    const isDir = this.tree.isDir(key) || (!this.tree.entry(key) && (await this.fs.files.stat(k.containerId, k.path).catch(() => undefined))?.kind === 'dir');
    if (isDir) return { containerId: k.containerId, dir: k.path, key };
    const dir = dirname(k.path);
    return { containerId: k.containerId, dir, key: dir === '/' ? filesKey(k.containerId) : fileKey(k.containerId, dir) };
  }

  async create(key: string, kind: 'file' | 'dir'): Promise<void> {
    const { containerId, dir, key: dirKey } = await this.folderOf(key);
    const name = await vscode.window.showInputBox({
      title: kind === 'file' ? vscode.l10n.t('New File in {0}', dir) : vscode.l10n.t('New Folder in {0}', dir),
      prompt: vscode.l10n.t('Name'),
      validateInput: nameProblem,
    });
    if (!name) return;
    const path = join(dir, name);
    try {
      if (kind === 'dir') await this.fs.files.createDirectory(containerId, path);
      else await this.fs.files.writeFile(containerId, path, new Uint8Array(), { create: true, overwrite: false });
    } catch (err) {
      throw said(err, path);
    }
    this.refresh(dirKey);
    if (kind === 'file') await this.open(containerId, path);
  }

  async rename(key: string): Promise<void> {
    const k = parseFileKey(key);
    if (!k || k.path === '/') return;
    const old = basename(k.path);
    const name = await vscode.window.showInputBox({ title: vscode.l10n.t('Rename {0}', k.path), value: old, valueSelection: [0, old.lastIndexOf('.') > 0 ? old.lastIndexOf('.') : old.length], validateInput: nameProblem });
    if (!name || name === old) return;
    const to = join(dirname(k.path), name);
    try {
      await this.fs.files.rename(k.containerId, k.path, to, false);
    } catch (err) {
      throw said(err, err instanceof FileProblem && err.kind === 'exists' ? to : k.path);
    }
    this.refresh((await this.folderOf(fileKey(k.containerId, to))).key);
  }

  async remove(key: string): Promise<void> {
    const k = parseFileKey(key);
    if (!k || k.path === '/') return;
    const dir = this.tree.isDir(key);
    const yes = vscode.l10n.t('Delete');
    const question = dir ? vscode.l10n.t('Delete the folder {0} and everything in it from container {1}?', k.path, this.name(k.containerId)) : vscode.l10n.t('Delete {0} from container {1}?', k.path, this.name(k.containerId));
    if ((await vscode.window.showWarningMessage(question, { modal: true, detail: vscode.l10n.t('This cannot be undone.') }, yes)) !== yes) return;
    try {
      await this.fs.files.delete(k.containerId, k.path, true);
    } catch (err) {
      throw said(err, k.path);
    }
    const parent = dirname(k.path);
    this.refresh(parent === '/' ? filesKey(k.containerId) : fileKey(k.containerId, parent));
  }

  async download(key: string): Promise<void> {
    const k = parseFileKey(key);
    if (!k) return;
    const [folder] = (await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: vscode.l10n.t('Download Here'), title: vscode.l10n.t('Download {0} to', k.path) })) ?? [];
    if (!folder) return;
    const client = this.session.requireClient().files;
    if (!client) return;
    const total = this.tree.isDir(key) ? 0 : (this.tree.entry(key)?.size ?? 0);
    const written = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0}', k.path), cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let done = 0;
      let shown = 0;
      try {
        return await download(this.fs.files, client, k.containerId, k.path, folder.fsPath, {
          signal: abort.signal,
          onBytes: (n) => {
            done += n;
            const pct = total ? Math.floor((done / total) * 100) : 0;
            if (total && pct > shown) {
              progress.report({ increment: pct - shown, message: `${pct} %` });
              shown = pct;
            } else if (!total) progress.report({ message: `${(done / 1048576).toFixed(1)} MB` });
          },
        });
      } catch (err) {
        if (abort.signal.aborted) throw new vscode.CancellationError();
        throw said(err, k.path);
      }
    });
    void vscode.window.showInformationMessage(vscode.l10n.t('Downloaded {0} to {1}.', k.path, written));
  }

  async upload(key: string, picked?: vscode.Uri[]): Promise<void> {
    const { containerId, dir, key: dirKey } = await this.folderOf(key);
    const uris = picked ?? (await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: true, canSelectMany: true, openLabel: vscode.l10n.t('Upload'), title: vscode.l10n.t('Upload to {0}', dir) }));
    if (!uris?.length) return;
    const client = this.session.requireClient().files;
    if (!client) return;
    const paths = uris.map((u) => u.fsPath);
    const existing = new Set((await this.fs.files.list(containerId, dir).catch((err: unknown) => Promise.reject(said(err, dir)))).map((e) => e.name));
    const clash = paths.map((p) => p.split(/[\\/]/).pop() ?? p).filter((n) => existing.has(n));
    let overwrite = false;
    if (clash.length) {
      const replace = vscode.l10n.t('Replace');
      if ((await vscode.window.showWarningMessage(vscode.l10n.t('{0} already exists in {1}. Replace it?', clash.join(', '), dir), { modal: true }, replace)) !== replace) return;
      overwrite = true;
    }
    const owner = await this.fs.files.entry(containerId, dir).catch(() => ({ uid: 0, gid: 0 }));
    const total = localSize(paths);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Uploading to {0}', dir), cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let done = 0;
      let shown = 0;
      try {
        await upload(this.fs.files, client, containerId, dir, paths, {
          overwrite,
          signal: abort.signal,
          owner: { uid: owner.uid, gid: owner.gid },
          onBytes: (n) => {
            done += n;
            const pct = total ? Math.floor((done / total) * 100) : 100;
            if (pct > shown) progress.report({ increment: pct - shown, message: `${pct} %` });
            shown = Math.max(shown, pct);
          },
        });
      } catch (err) {
        if (abort.signal.aborted) throw new vscode.CancellationError();
        throw said(err, dir);
      }
    });
    this.refresh(dirKey);
  }

  /** Show Changes Since Image: added, changed and deleted paths, each openable. */
  async showChanges(containerId: string): Promise<void> {
    const client = this.session.requireClient().files;
    if (!client) return;
    const changes = await client.changes(containerId);
    if (!changes.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing changed in {0} since its image.', this.name(containerId)));
      return;
    }
    const word: Record<PathChange['kind'], string> = { added: vscode.l10n.t('added'), changed: vscode.l10n.t('changed'), deleted: vscode.l10n.t('deleted') };
    const icon: Record<PathChange['kind'], string> = { added: 'diff-added', changed: 'diff-modified', deleted: 'diff-removed' };
    type Item = vscode.QuickPickItem & { change: PathChange };
    const items: Item[] = changes
      .sort((a, b) => (a.path < b.path ? -1 : 1))
      .map((c) => ({ label: c.path, description: word[c.kind], iconPath: new vscode.ThemeIcon(icon[c.kind]), change: c }));
    const chosen = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Changes in {0} since its image ({1})', this.name(containerId), changes.length), placeHolder: vscode.l10n.t('Choose a file to open'), matchOnDescription: true });
    if (!chosen) return;
    if (chosen.change.kind === 'deleted') {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} was deleted: there is nothing to open.', chosen.change.path));
      return;
    }
    const s = await this.fs.files.stat(containerId, chosen.change.path).catch((err: unknown) => Promise.reject(said(err, chosen.change.path)));
    if (s.kind === 'dir') {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} is a folder: expand it under Files.', chosen.change.path));
      return;
    }
    await this.open(containerId, chosen.change.path);
  }
}
