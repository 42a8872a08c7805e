// The Files rows under a container: folders and files listed lazily (one archive request per
// folder, bodies skipped), size, mode and owner in the tooltip, symlinks shown as links.
import * as vscode from 'vscode';
import type { FileEntry } from '../../contract/files';
import { join } from '../../model/files/containerFiles';
import { fileKey, parseFileKey } from '../../model/files/fileKeys';
import { formatSize } from '../../model/format';
import type { ContainerFileSystem } from './provider';
import { fileUri } from './provider';
import type { EngineSession } from '../../session/engineSession';

/** "rwxr-x---" from permission bits, with setuid, setgid and sticky as ls shows them. */
export function modeText(mode: number, kind: FileEntry['kind']): string {
  const t = kind === 'dir' ? 'd' : kind === 'symlink' ? 'l' : kind === 'other' ? '?' : '-';
  const rwx = (bits: number, special: boolean, s: string) => `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${special ? (bits & 1 ? s : s.toUpperCase()) : bits & 1 ? 'x' : '-'}`;
  return t + rwx(mode >> 6, !!(mode & 0o4000), 's') + rwx(mode >> 3, !!(mode & 0o2000), 's') + rwx(mode, !!(mode & 0o1000), 't');
}

/** Links whose target kind is looked up (one HEAD each) when a folder is listed. */
const MAX_LINK_LOOKUPS = 64;

interface Row {
  entry: FileEntry;
  /** For a symlink: whether it points at a folder (undefined: not looked up). */
  linkToDir?: boolean;
}

export class FilesTree {
  private readonly rows = new Map<string, Row>();

  constructor(
    private readonly session: EngineSession,
    private readonly fs: ContainerFileSystem,
  ) {}

  entry(key: string): FileEntry | undefined {
    return this.rows.get(key)?.entry;
  }

  isDir(key: string): boolean {
    if (key.startsWith('files:')) return true;
    const r = this.rows.get(key);
    return !!r && (r.entry.kind === 'dir' || r.linkToDir === true);
  }

  async children(key: string): Promise<string[]> {
    const k = parseFileKey(key);
    if (!k) return [];
    let entries: FileEntry[];
    try {
      entries = await this.fs.files.list(k.containerId, k.path);
    } catch (err) {
      // Shown in the view, not as a popup (no side effects from getChildren).
      return [this.message(k.containerId, k.path, (err as Error).message)];
    }
    const links = entries.filter((e) => e.kind === 'symlink').slice(0, MAX_LINK_LOOKUPS);
    const linkDirs = new Map<string, boolean>();
    await Promise.all(
      links.map(async (e) => {
        const s = await this.fs.files.stat(k.containerId, join(k.path, e.name)).catch(() => undefined);
        linkDirs.set(e.name, s?.kind === 'dir');
      }),
    );
    const rank = (e: FileEntry) => (e.kind === 'dir' || linkDirs.get(e.name) ? 0 : 1);
    entries.sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return entries.map((e) => {
      const childKey = fileKey(k.containerId, join(k.path, e.name));
      this.rows.set(childKey, { entry: e, linkToDir: linkDirs.get(e.name) });
      return childKey;
    });
  }

  private message(containerId: string, path: string, text: string): string {
    return this.note(fileKey(containerId, path), text);
  }

  /** A row that only says something (why a folder cannot be listed). */
  note(under: string, text: string): string {
    const key = `${under}\0message`;
    this.rows.set(key, { entry: { name: text, kind: 'other', size: 0, mode: 0, mtimeMs: 0, uid: 0, gid: 0 } });
    return key;
  }

  item(key: string): vscode.TreeItem {
    if (key.startsWith('files:')) {
      const item = new vscode.TreeItem(vscode.l10n.t('Files'), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = key;
      item.iconPath = new vscode.ThemeIcon('files');
      item.contextValue = 'files:root';
      item.tooltip = vscode.l10n.t('The container’s files, read through the engine (running or stopped)');
      return item;
    }
    if (key.startsWith('vfiles:')) {
      const item = new vscode.TreeItem(vscode.l10n.t('Files'), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = key;
      item.iconPath = new vscode.ThemeIcon('files');
      item.contextValue = 'files:volume';
      item.tooltip = vscode.l10n.t('The volume’s files, read through a helper container that is never started and is removed when this row is collapsed');
      return item;
    }
    const row = this.rows.get(key);
    if (row && key.endsWith('\0message')) {
      const item = new vscode.TreeItem(row.entry.name, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('warning');
      item.contextValue = 'file:message';
      return item;
    }
    const k = parseFileKey(key.split('\0')[0]);
    if (!row || !k) return new vscode.TreeItem(key);
    if (key.endsWith('\0message')) {
      const item = new vscode.TreeItem(row.entry.name, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('warning');
      item.contextValue = 'file:message';
      return item;
    }
    const e = row.entry;
    const dir = e.kind === 'dir' || row.linkToDir === true;
    const item = new vscode.TreeItem(e.name, dir ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = key;
    item.resourceUri = fileUri(this.session, k.containerId, k.path);
    if (e.kind === 'symlink') {
      item.iconPath = new vscode.ThemeIcon(dir ? 'file-symlink-directory' : 'file-symlink-file');
      item.description = `→ ${e.linkTarget ?? ''}`;
    } else if (dir) item.iconPath = vscode.ThemeIcon.Folder;
    else item.iconPath = vscode.ThemeIcon.File;
    if (!dir && e.kind !== 'dir') item.command = { command: 'berth.files.open', title: vscode.l10n.t('Open'), arguments: [key] };
    item.contextValue = dir ? 'file:dir' : e.kind === 'symlink' ? 'file:link' : 'file:file';
    const lines = [
      k.path,
      vscode.l10n.t('Size: {0}', formatSize(e.size, vscode.env.language)),
      vscode.l10n.t('Mode: {0} ({1})', modeText(e.mode, e.kind), e.mode.toString(8).padStart(4, '0')),
      vscode.l10n.t('Owner: {0}, group: {1}', e.uname ? `${e.uname} (${e.uid})` : String(e.uid), e.gname ? `${e.gname} (${e.gid})` : String(e.gid)),
      vscode.l10n.t('Modified: {0}', new Date(e.mtimeMs).toLocaleString(vscode.env.language)),
    ];
    if (e.linkTarget) lines.push(vscode.l10n.t('Link to: {0}', e.linkTarget));
    item.tooltip = lines.join('\n');
    return item;
  }
}
