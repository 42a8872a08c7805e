// Files inside containers through the archive endpoints: HEAD for a stat, GET for a tar of a path
// (read as it streams with tar-stream, bodies skipped when only headers are wanted), PUT to
// extract a tar into a folder. They work on stopped containers too; rm and mv need an exec.
import * as tar from 'tar-stream';
import { PassThrough } from 'stream';
import type { ExecResult, FileEntry, FileKind, FileRead, FilesClient, NewEntry, PathChange, PathStat } from '../contract/files';
import type { Connection } from './connection';
import { classifyError, EngineError } from './errors';

type Dial = { dial(opts: object, cb: (err: Error | null, res: NodeJS.ReadableStream & { headers?: Record<string, string> }) => void): void };

const STAT_HEADER = 'x-docker-container-path-stat';
// Go's os.FileMode type bits, as the stat header carries them.
const GO_DIR = 2 ** 31;
const GO_SYMLINK = 2 ** 27;
const GO_SETUID = 2 ** 23;
const GO_SETGID = 2 ** 22;
const GO_STICKY = 2 ** 20;
/** The label on volume helper containers, so they can be found and removed. */
export const VOLUME_HELPER_LABEL = 'berth.volumeHelper';

function dial(c: Connection, opts: object): Promise<NodeJS.ReadableStream & { headers?: Record<string, string> }> {
  return c.call((d) => new Promise((resolve, reject) => (d as unknown as { modem: Dial }).modem.dial(opts, (err, res) => (err ? reject(err) : resolve(res)))));
}

const archiveCodes = { 200: true, 400: 'bad parameter', 403: 'permission denied', 404: 'no such container or path', 500: 'server error' };

/** The stat header's Go FileMode as kind and permission bits. */
export function fromGoMode(goMode: number): { kind: FileKind; mode: number } {
  const has = (bit: number) => Math.floor(goMode / bit) % 2 === 1;
  // Device, named pipe, socket, char device, irregular.
  const kind: FileKind = has(GO_DIR) ? 'dir' : has(GO_SYMLINK) ? 'symlink' : [2 ** 26, 2 ** 25, 2 ** 24, 2 ** 21, 2 ** 19].some(has) ? 'other' : 'file';
  const mode = (goMode % 2 ** 9) + (has(GO_SETUID) ? 0o4000 : 0) + (has(GO_SETGID) ? 0o2000 : 0) + (has(GO_STICKY) ? 0o1000 : 0);
  return { kind, mode };
}

function kindOf(type: tar.Headers['type']): FileKind {
  if (type === 'file' || type === 'contiguous-file') return 'file';
  if (type === 'directory') return 'dir';
  if (type === 'symlink') return 'symlink';
  return 'other';
}

/** A tar member name as a path relative to the archived folder ("./a/b/" or "/a/b" -> "a/b"). */
export function relativeName(name: string): string {
  return name.replace(/^\.?\/+/, '').replace(/^\.$/, '').replace(/\/+$/, '');
}

function toEntry(h: tar.Headers, name: string): FileEntry {
  return {
    name,
    kind: kindOf(h.type),
    size: h.size ?? 0,
    mode: (h.mode ?? 0) & 0o7777,
    mtimeMs: h.mtime ? h.mtime.getTime() : 0,
    uid: h.uid ?? 0,
    gid: h.gid ?? 0,
    uname: h.uname || undefined,
    gname: h.gname || undefined,
    linkTarget: h.linkname || undefined,
  };
}

/** The archive path that lists a folder's content (following it when it is a symlink). */
function contentPath(dir: string): string {
  return dir === '/' ? '/' : `${dir.replace(/\/+$/, '')}/.`;
}

/** Calls `fail` when the response errors or closes before its end (a dropped connection). */
function whenCut(res: NodeJS.ReadableStream, fail: (e: Error) => void): void {
  let ended = false;
  res.on('end', () => (ended = true));
  res.on('error', fail);
  res.on('close', () => !ended && fail(new EngineError('refused', 'the connection to the engine closed before the end of the archive')));
}

function getArchive(c: Connection, id: string, path: string, signal?: AbortSignal) {
  return dial(c, { path: `/containers/${encodeURIComponent(id)}/archive?`, method: 'GET', options: { path }, isStream: true, abortSignal: signal, statusCodes: archiveCodes });
}

export function stat(c: Connection, id: string, path: string, signal?: AbortSignal): Promise<PathStat | undefined> {
  return c
    .call(async () => {
      const res = await dial(c, { path: `/containers/${encodeURIComponent(id)}/archive?`, method: 'HEAD', options: { path }, isStream: true, abortSignal: signal, statusCodes: archiveCodes });
      (res as NodeJS.ReadableStream).resume();
      const raw = res.headers?.[STAT_HEADER];
      if (!raw) throw new EngineError('other', 'the engine gave no stat for the path');
      const s = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { name: string; size: number; mode: number; mtime: string; linkTarget?: string };
      const { kind, mode } = fromGoMode(s.mode);
      return { name: s.name, kind, size: s.size, mode, mtimeMs: Date.parse(s.mtime), linkTarget: s.linkTarget || undefined };
    })
    .catch((err: EngineError) => {
      if (err.statusCode === 404) return undefined;
      throw err;
    });
}

export function list(c: Connection, id: string, dir: string, signal?: AbortSignal, onEntry?: (e: FileEntry) => void): Promise<FileEntry[]> {
  return c.call(async () => {
    const res = await getArchive(c, id, contentPath(dir), signal);
    const entries: FileEntry[] = [];
    const extract = tar.extract();
    await new Promise<void>((resolve, reject) => {
      extract.on('entry', (h, body, next) => {
        const name = relativeName(h.name);
        if (name && !name.includes('/')) {
          const e = toEntry(h, name);
          entries.push(e);
          onEntry?.(e);
        }
        // Only headers matter: bodies stream past and are dropped.
        body.on('end', next);
        body.resume();
      });
      extract.on('finish', resolve);
      extract.on('error', reject);
      whenCut(res, (e) => {
        reject(classifyError(e));
        extract.destroy();
      });
      res.pipe(extract);
    });
    return entries;
  });
}

export function read(c: Connection, id: string, path: string, signal?: AbortSignal): Promise<FileRead> {
  return c.call(async () => {
    const res = await getArchive(c, id, path, signal);
    const extract = tar.extract();
    return new Promise<FileRead>((resolve, reject) => {
      let out: PassThrough | undefined;
      extract.on('entry', (h, body, next) => {
        if (out) {
          body.resume();
          return next();
        }
        // The body goes out through a PassThrough so it streams at the reader's pace; the rest of
        // the archive (nothing, for a file) is drained after it.
        const o = (out = new PassThrough());
        body.on('end', () => {
          o.end();
          next();
        });
        body.pipe(o, { end: false });
        resolve({ entry: toEntry(h, relativeName(h.name)), stream: o });
      });
      const fail = (e: Error) => {
        const err = classifyError(e);
        if (out) out.destroy(err);
        else reject(err);
        extract.destroy();
      };
      extract.on('finish', () => !out && reject(new EngineError('other', `the engine sent an empty archive for ${path}`)));
      extract.on('error', fail);
      whenCut(res, fail);
      res.pipe(extract);
    });
  });
}

export function archive(c: Connection, id: string, path: string, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
  return getArchive(c, id, path, signal);
}

export function extractTo(c: Connection, id: string, dir: string, tarStream: NodeJS.ReadableStream, signal?: AbortSignal): Promise<void> {
  return c.call(async () => {
    // noOverwriteDirNonDir: a file never replaces a folder, nor a folder a file.
    const res = await dial(c, { path: `/containers/${encodeURIComponent(id)}/archive?`, method: 'PUT', options: { path: dir, noOverwriteDirNonDir: true }, file: tarStream, abortSignal: signal, statusCodes: archiveCodes });
    void res;
  });
}

export function write(c: Connection, id: string, dir: string, entries: NewEntry[], signal?: AbortSignal): Promise<void> {
  const pack = tar.pack();
  for (const e of entries) {
    const header = { name: e.name, mode: e.mode, uid: e.uid, gid: e.gid, mtime: new Date(e.mtimeMs ?? Date.now()) };
    if (e.kind === 'dir') pack.entry({ ...header, type: 'directory' });
    else pack.entry({ ...header, type: 'file', size: e.data?.byteLength ?? 0 }, Buffer.from(e.data?.buffer ?? new ArrayBuffer(0), e.data?.byteOffset ?? 0, e.data?.byteLength ?? 0));
  }
  pack.finalize();
  return extractTo(c, id, dir, pack, signal);
}

export function exec(c: Connection, id: string, cmd: string[]): Promise<ExecResult> {
  return c.call(async (d) => {
    const e = await d.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = (await e.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (b: Buffer) => chunks.push(b));
    d.modem.demuxStream(stream, out, out);
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
    for (let i = 0; i < 100; i++) {
      const info = await e.inspect();
      if (!info.Running) return { exitCode: info.ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8').trim() };
      await new Promise((r) => setTimeout(r, 20));
    }
    return { exitCode: -1, output: Buffer.concat(chunks).toString('utf8').trim() };
  });
}

export function changes(c: Connection, id: string): Promise<PathChange[]> {
  return c.call(async (d) => {
    const list = ((await d.getContainer(id).changes()) ?? []) as { Path: string; Kind: number }[];
    const kinds: PathChange['kind'][] = ['changed', 'added', 'deleted'];
    return list.map((x) => ({ path: x.Path, kind: kinds[x.Kind] ?? 'changed' }));
  });
}

export function createVolumeHelper(c: Connection, volume: string): Promise<string | undefined> {
  return c.call(async (d) => {
    // Any image will do: the container is never started, it only gives the archive API a mount.
    const images = await d.listImages();
    const smallest = images.filter((i) => i.Id).sort((a, b) => a.Size - b.Size)[0];
    if (!smallest) return undefined;
    const created = await d.createContainer({
      Image: smallest.Id,
      Cmd: ['/berth-volume-helper'],
      Entrypoint: [''],
      Labels: { [VOLUME_HELPER_LABEL]: volume },
      NetworkDisabled: true,
      HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/volume' }] },
    });
    return created.id;
  });
}

export function filesClient(c: Connection): FilesClient {
  return {
    stat: (id, path, signal) => stat(c, id, path, signal),
    list: (id, dir, signal, onEntry) => list(c, id, dir, signal, onEntry),
    read: (id, path, signal) => read(c, id, path, signal),
    archive: (id, path, signal) => archive(c, id, path, signal),
    write: (id, dir, entries, signal) => write(c, id, dir, entries, signal),
    extract: (id, dir, t, signal) => extractTo(c, id, dir, t, signal),
    exec: (id, cmd) => exec(c, id, cmd),
    changes: (id) => changes(c, id),
    createVolumeHelper: (volume) => createVolumeHelper(c, volume),
  };
}
