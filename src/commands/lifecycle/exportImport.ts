// Export Container Filesystem… to a .tar, streamed with progress and Cancel (a partial file is
// removed), and Import Filesystem Tar… as an image.
import * as fs from 'fs';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import * as vscode from 'vscode';
import type { ContainerRecord } from '../../contract/records';
import { normalizeTag, parseReference } from '../../model/imageReference';
import type { EngineSession } from '../../session/engineSession';
import { sizeText } from '../../ui/locale';
import { validateTagInput } from '../../ui/tagMessages';
import { lifecycleOf } from './networkCreate';

/** Opens the file for writing before the engine is asked, so a folder Berth cannot write to is said first. */
function openTarget(file: string): fs.WriteStream {
  try {
    const fd = fs.openSync(file, 'w');
    return fs.createWriteStream(file, { fd });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS' ? vscode.l10n.t('the folder is read-only or not yours') : e.code === 'ENOENT' ? vscode.l10n.t('the folder does not exist') : e.message;
    throw new Error(vscode.l10n.t('Cannot write {0}: {1}. Choose another folder.', file, why));
  }
}

/** Exports one container's filesystem; resolves the file's path (undefined when cancelled). */
export async function exportFilesystem(session: EngineSession, c: ContainerRecord, options: Record<string, unknown> = {}): Promise<string | undefined> {
  const l = lifecycleOf(session);
  let file = typeof options.file === 'string' ? options.file : undefined;
  if (!file) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({ title: vscode.l10n.t('Export the filesystem of {0}', c.name), defaultUri: folder ? vscode.Uri.joinPath(folder, `${c.name}.tar`) : undefined, filters: { [vscode.l10n.t('Tar archives')]: ['tar'] } });
    if (!uri) return undefined;
    file = uri.fsPath;
  }
  const target = file;
  const out = openTarget(target);
  const done = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting {0}', c.name), cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    let written = 0;
    let shown = 0;
    try {
      const stream = await l.exportFilesystem(c.id, abort.signal);
      stream.on('data', (chunk: Buffer) => {
        written += chunk.length;
        // A message a few times a second at most: each is a message to the workbench.
        if (written - shown > 4 * 1024 * 1024) {
          shown = written;
          progress.report({ message: vscode.l10n.t('{0} written', sizeText(written)) });
        }
      });
      await pipeline(stream, out, { signal: abort.signal });
      return true;
    } catch (err) {
      out.destroy();
      fs.rmSync(target, { force: true });
      if (abort.signal.aborted) return false;
      throw err;
    }
  });
  if (!done) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Export cancelled; the partial file was removed.'));
    return undefined;
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported the filesystem of {0} to {1} ({2}).', c.name, path.basename(target), sizeText(fs.statSync(target).size)));
  return target;
}

/** Imports a filesystem tar as an image; resolves its id (undefined when cancelled). */
export async function importFilesystem(session: EngineSession, options: Record<string, unknown> = {}): Promise<string | undefined> {
  const l = lifecycleOf(session);
  let file = typeof options.file === 'string' ? options.file : undefined;
  let tag = typeof options.tag === 'string' ? options.tag.trim() : undefined;
  if (!file) {
    const [uri] = (await vscode.window.showOpenDialog({ title: vscode.l10n.t('Import a filesystem tar as an image'), canSelectMany: false, filters: { [vscode.l10n.t('Tar archives')]: ['tar', 'gz', 'tgz', 'xz', 'bz2'] } })) ?? [];
    if (!uri) return undefined;
    file = uri.fsPath;
  }
  if (tag === undefined) {
    tag = await vscode.window.showInputBox({ title: vscode.l10n.t('Import {0}', path.basename(file)), prompt: vscode.l10n.t('Repository and tag of the new image'), value: `${path.basename(file).replace(/\.(tar|tgz|gz|xz|bz2)+$/i, '').toLowerCase().replace(/[^a-z0-9._-]/g, '-')}:imported`, validateInput: (v) => validateTagInput(v.trim()), ignoreFocusOut: true });
    if (tag === undefined) return undefined;
  }
  const problem = validateTagInput(tag);
  if (problem) throw new Error(problem);
  const source = file;
  if (!fs.existsSync(source)) throw new Error(vscode.l10n.t('The file {0} does not exist.', source));
  const full = normalizeTag(tag);
  const { repository, tag: tagPart } = parseReference(full);
  const id = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Importing {0} as {1}…', path.basename(source), full), cancellable: true }, (_p, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return l.importFilesystem(fs.createReadStream(source), repository, tagPart, abort.signal);
  });
  await session.recheckImage(id);
  void vscode.window.showInformationMessage(vscode.l10n.t('Imported {0} as {1}.', path.basename(source), full));
  return id;
}
