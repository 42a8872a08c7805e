// The logic behind Berth's container file system, free of vscode: paths, following symlinks,
// saving with the old mode and owner, and every failure as a FileProblem the UI puts in words.
// The engine side is the contract's FilesClient (archive endpoints); rm and mv need an exec.
import type { EngineClient } from '../../contract/client';
import type { EngineFailure } from '../../contract/errors';
import type { FileEntry, FilesClient, PathStat } from '../../contract/files';

export type FileProblemKind =
  | 'notFound' // no such path
  | 'gone' // the container no longer exists
  | 'exists' // refusing to overwrite
  | 'notDir' // a parent is not a folder
  | 'isDir'
  | 'readOnly' // read-only root filesystem or mount
  | 'notRunning' // rename and delete need an exec
  | 'badName' // a name with '/' or empty
  | 'failed'; // anything else, with the engine's words

export class FileProblem extends Error {
  constructor(
    readonly kind: FileProblemKind,
    readonly path: string,
    readonly said = '',
  ) {
    super(`${kind}: ${path}${said ? ` (${said})` : ''}`);
    this.name = 'FileProblem';
  }
}

/** A file's stat as the editor needs it, the symlink followed. */
export interface FileStat {
  kind: 'file' | 'dir' | 'other';
  /** The path is a symlink (kind is what it points at). */
  symlink: boolean;
  size: number;
  mtimeMs: number;
  mode: number;
  readonly: boolean;
}

export interface Mount {
  type: string;
  source: string;
  destination: string;
  rw: boolean;
  name?: string;
}

const MAX_LINK_HOPS = 16;

/** Normalises a container path: absolute, no empty or '.' parts, '..' resolved, no trailing '/'. */
export function normalize(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (!p || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

export function dirname(path: string): string {
  const n = normalize(path);
  return n.slice(0, n.lastIndexOf('/')) || '/';
}

export function basename(path: string): string {
  const n = normalize(path);
  return n.slice(n.lastIndexOf('/') + 1);
}

export function join(dir: string, name: string): string {
  return normalize(`${dir}/${name}`);
}

/** Refuses a new name that is empty, '.', '..', or holds a '/' (it would name another folder). */
export function checkName(name: string): string | undefined {
  if (!name.trim()) return 'empty';
  if (name.includes('/')) return 'slash';
  if (name === '.' || name === '..') return 'dots';
  if (name.includes('\0')) return 'nul';
  return undefined;
}

/** The mount a path is in (the deepest one), if any. */
export function mountOf(mounts: readonly Mount[], path: string): Mount | undefined {
  const p = normalize(path);
  return mounts
    .filter((m) => p === m.destination || p.startsWith(m.destination === '/' ? '/' : `${m.destination}/`))
    .sort((a, b) => b.destination.length - a.destination.length)[0];
}

/** The local path a bind-mounted container path is, when the engine is on this machine. */
export function bindSource(mount: Mount, path: string): string {
  const rest = normalize(path).slice(mount.destination === '/' ? 0 : mount.destination.length);
  return `${mount.source.replace(/\/+$/, '')}${rest}`;
}

interface Inspected {
  State?: { Running?: boolean; Paused?: boolean };
  HostConfig?: { ReadonlyRootfs?: boolean };
  Mounts?: { Type?: string; Source?: string; Destination?: string; RW?: boolean; Name?: string }[];
}

/**
 * One engine's container files. Every call names the container by id; a 404 is told apart
 * (container gone or path missing) with one inspect.
 */
export class ContainerFiles {
  constructor(private readonly client: () => EngineClient) {}

  private get files(): FilesClient {
    const f = this.client().files;
    if (!f) throw new FileProblem('failed', '/', 'this engine client has no file access');
    return f;
  }

  private async inspect(id: string): Promise<Inspected | undefined> {
    try {
      return (await this.client().inspect('container', id)) as Inspected;
    } catch (err) {
      if ((err as EngineFailure).statusCode === 404) return undefined;
      throw err;
    }
  }

  async mounts(id: string): Promise<Mount[]> {
    const info = await this.inspect(id);
    if (!info) throw new FileProblem('gone', '/');
    return (info.Mounts ?? []).map((m) => ({ type: m.Type ?? '', source: m.Source ?? '', destination: normalize(m.Destination ?? '/'), rw: m.RW !== false, name: m.Name || undefined }));
  }

  async running(id: string): Promise<boolean> {
    const info = await this.inspect(id);
    if (!info) throw new FileProblem('gone', '/');
    return !!info.State?.Running && !info.State?.Paused;
  }

  /** Missing path or gone container, told apart. */
  private async missing(id: string, path: string): Promise<FileProblem> {
    return (await this.inspect(id)) ? new FileProblem('notFound', path) : new FileProblem('gone', path);
  }

  private problem(err: unknown, path: string): FileProblem {
    if (err instanceof FileProblem) return err;
    const said = (err as Error).message ?? String(err);
    if (/read-only/i.test(said)) return new FileProblem('readOnly', path, said);
    if (/not a directory/i.test(said)) return new FileProblem('notDir', path, said);
    return new FileProblem('failed', path, said);
  }

  /** HEAD stat of the path itself (a symlink is not followed). */
  async lstat(id: string, path: string): Promise<PathStat> {
    const p = normalize(path);
    let s: PathStat | undefined;
    try {
      s = await this.files.stat(id, p);
    } catch (err) {
      throw this.problem(err, p);
    }
    if (!s) throw await this.missing(id, p);
    return s;
  }

  /** The path with its symlinks followed, and its stat. */
  async resolve(id: string, path: string): Promise<{ path: string; stat: PathStat; symlink: boolean }> {
    let p = normalize(path);
    let s = await this.lstat(id, p);
    const symlink = s.kind === 'symlink';
    for (let hop = 0; s.kind === 'symlink' && hop < MAX_LINK_HOPS; hop++) {
      // The engine gives the target resolved within the container's root, as an absolute path.
      p = normalize(s.linkTarget?.startsWith('/') ? s.linkTarget : join(dirname(p), s.linkTarget ?? ''));
      s = await this.lstat(id, p);
    }
    if (s.kind === 'symlink') throw new FileProblem('failed', normalize(path), 'too many levels of symbolic links');
    return { path: p, stat: s, symlink };
  }

  async stat(id: string, path: string): Promise<FileStat> {
    const { stat: s, symlink } = await this.resolve(id, path);
    return { kind: s.kind === 'symlink' ? 'other' : s.kind, symlink, size: s.size, mtimeMs: s.mtimeMs, mode: s.mode, readonly: false };
  }

  /** A folder's direct children, from one archive request (bodies skipped). */
  async list(id: string, dir: string, signal?: AbortSignal, onEntry?: (e: FileEntry) => void): Promise<FileEntry[]> {
    const { path, stat: s } = await this.resolve(id, dir);
    if (s.kind !== 'dir') throw new FileProblem('notDir', normalize(dir));
    try {
      return await this.files.list(id, path, signal, onEntry);
    } catch (err) {
      if ((err as EngineFailure).statusCode === 404) throw await this.missing(id, path);
      throw this.problem(err, path);
    }
  }

  /** A file's whole content (the editor's readFile wants bytes), its symlinks followed. */
  async readFile(id: string, path: string, signal?: AbortSignal): Promise<Uint8Array> {
    const { path: target, stat: s } = await this.resolve(id, path);
    if (s.kind === 'dir') throw new FileProblem('isDir', normalize(path));
    const { stream } = await this.openStream(id, target, signal);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  }

  async openStream(id: string, path: string, signal?: AbortSignal): Promise<{ entry: FileEntry; stream: NodeJS.ReadableStream }> {
    try {
      return await this.files.read(id, normalize(path), signal);
    } catch (err) {
      if ((err as EngineFailure).statusCode === 404) throw await this.missing(id, path);
      throw this.problem(err, path);
    }
  }

  /** The header of a path itself (owner, mode), read from the start of its archive. */
  async entry(id: string, path: string): Promise<FileEntry> {
    const { entry, stream } = await this.openStream(id, path);
    // Only the header was wanted: stop the body.
    (stream as unknown as { destroy?(): void }).destroy?.();
    return entry;
  }

  /**
   * Writes a file. An existing file keeps its mode, owner and group; a new one takes its folder's
   * owner and 0644. The engine unpacks the whole archive before answering, so a refusal (read-only
   * root or mount) leaves the old file as it was.
   */
  async writeFile(id: string, path: string, data: Uint8Array, opts: { create: boolean; overwrite: boolean }): Promise<void> {
    const p = normalize(path);
    let target = p;
    let existing: PathStat | undefined;
    try {
      const r = await this.resolve(id, p);
      target = r.path;
      existing = r.stat;
    } catch (err) {
      if (!(err instanceof FileProblem) || err.kind !== 'notFound') throw err;
    }
    if (existing && existing.kind === 'dir') throw new FileProblem('isDir', p);
    if (existing && !opts.overwrite) throw new FileProblem('exists', p);
    if (!existing && !opts.create) throw new FileProblem('notFound', p);
    const owner = existing ? await this.entry(id, target) : await this.folderOwner(id, dirname(target));
    const mode = existing ? existing.mode : 0o644;
    await this.put(id, dirname(target), [{ name: basename(target), kind: 'file', mode, uid: owner.uid, gid: owner.gid, data }], p);
  }

  private async folderOwner(id: string, dir: string): Promise<{ uid: number; gid: number }> {
    const s = await this.lstat(id, dir).catch((err: FileProblem) => {
      throw err.kind === 'notFound' ? new FileProblem('notFound', dir) : err;
    });
    if (s.kind !== 'dir' && s.kind !== 'symlink') throw new FileProblem('notDir', dir);
    // A folder's archive header: its first entry is the folder itself.
    try {
      const { entry, stream } = await this.files.read(id, dir);
      (stream as unknown as { destroy?(): void }).destroy?.();
      return entry;
    } catch {
      return { uid: 0, gid: 0 };
    }
  }

  private async put(id: string, dir: string, entries: Parameters<FilesClient['write']>[2], shown: string): Promise<void> {
    try {
      await this.files.write(id, dir, entries);
    } catch (err) {
      if ((err as EngineFailure).statusCode === 404) throw await this.missing(id, shown);
      throw this.problem(err, shown);
    }
  }

  async createDirectory(id: string, path: string): Promise<void> {
    const p = normalize(path);
    const there = await this.files.stat(id, p).catch(() => undefined);
    if (there) throw new FileProblem('exists', p);
    const owner = await this.folderOwner(id, dirname(p));
    await this.put(id, dirname(p), [{ name: basename(p), kind: 'dir', mode: 0o755, uid: owner.uid, gid: owner.gid }], p);
  }

  /** rm and mv have no archive endpoint: they run in the container, which must be running. */
  private async run(id: string, path: string, cmd: string[]): Promise<void> {
    if (!(await this.running(id))) throw new FileProblem('notRunning', path);
    let r;
    try {
      r = await this.files.exec(id, cmd);
    } catch (err) {
      throw this.problem(err, path);
    }
    if (r.exitCode !== 0) throw this.problem(new Error(r.output || `${cmd[0]} exited with ${r.exitCode}`), path);
  }

  async delete(id: string, path: string, recursive: boolean): Promise<void> {
    const p = normalize(path);
    if (p === '/') throw new FileProblem('badName', p, 'the root folder');
    const s = await this.lstat(id, p);
    await this.run(id, p, s.kind === 'dir' && recursive ? ['rm', '-rf', '--', p] : s.kind === 'dir' ? ['rmdir', '--', p] : ['rm', '-f', '--', p]);
  }

  async rename(id: string, from: string, to: string, overwrite: boolean): Promise<void> {
    const a = normalize(from);
    const b = normalize(to);
    await this.lstat(id, a);
    const there = await this.files.stat(id, b).catch(() => undefined);
    if (there && !overwrite) throw new FileProblem('exists', b);
    // mv onto an existing folder would move into it; a rename replaces a file only.
    if (there?.kind === 'dir') throw new FileProblem('isDir', b);
    await this.run(id, a, there ? ['mv', '-f', '--', a, b] : ['mv', '--', a, b]);
  }
}
