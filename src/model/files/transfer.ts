// Copies between the container and this machine, streamed: Download… (a file or a folder, into a
// local folder) and Upload… (local files and folders into a container folder). A download writes
// to a ".berth-part" name and renames at the end, so a cancel or a failure leaves nothing behind.
import * as fs from 'fs';
import * as path from 'path';
import { Transform } from 'stream';
import { pipeline } from 'stream/promises';
import * as tarFs from 'tar-fs';
import type { FilesClient } from '../../contract/files';
import { basename, ContainerFiles, FileProblem, join, normalize } from './containerFiles';

export const PART_SUFFIX = '.berth-part';

/** Counts bytes passing through, for progress. */
function counter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

/**
 * Downloads a container path into `localDir`, under the path's own name. A file streams into a
 * part file renamed when complete; a folder unpacks into a part folder renamed when complete.
 * Refuses to replace an existing local file or folder. Returns the local path written.
 */
export async function download(
  files: ContainerFiles,
  client: FilesClient,
  id: string,
  containerPath: string,
  localDir: string,
  opts: { signal?: AbortSignal; onBytes?: (n: number) => void } = {},
): Promise<string> {
  const { path: target, stat } = await files.resolve(id, containerPath);
  const name = basename(normalize(containerPath)) || 'root';
  const dest = path.join(localDir, name);
  if (fs.existsSync(dest)) throw new FileProblem('exists', dest);
  const part = dest + PART_SUFFIX;
  const onBytes = opts.onBytes ?? (() => undefined);
  try {
    if (stat.kind === 'dir') {
      const tar = await client.archive(id, target === '/' ? '/' : `${target}/.`, opts.signal);
      fs.mkdirSync(part);
      // Owners are the container's: extract as this user, keeping modes.
      await pipeline(tar, counter(onBytes), tarFs.extract(part, { dmode: 0o700, fmode: 0o600, readable: true, writable: true, ignore: (_n, h) => !!h && h.type !== 'file' && h.type !== 'directory' && h.type !== 'symlink' }), { signal: opts.signal });
    } else {
      const { stream } = await files.openStream(id, target, opts.signal);
      await pipeline(stream, counter(onBytes), fs.createWriteStream(part, { flags: 'wx' }), { signal: opts.signal });
    }
    fs.renameSync(part, dest);
    return dest;
  } catch (err) {
    fs.rmSync(part, { recursive: true, force: true });
    if (err instanceof FileProblem || (err as Error).name === 'AbortError') throw err;
    throw new FileProblem('failed', normalize(containerPath), (err as Error).message);
  }
}

/** The local sizes of what an upload sends (files only), for progress. */
export function localSize(paths: readonly string[]): number {
  let total = 0;
  const walk = (p: string) => {
    const s = fs.lstatSync(p);
    if (s.isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
    else if (s.isFile()) total += s.size;
  };
  for (const p of paths) walk(p);
  return total;
}

/**
 * Uploads local files and folders into a container folder, each under its own name, with their
 * structure; new entries take the folder's owner. Refuses (before sending anything) when a name is
 * already there unless `overwrite`: the caller asks the user first. Returns the names sent.
 */
export async function upload(
  files: ContainerFiles,
  client: FilesClient,
  id: string,
  dir: string,
  localPaths: readonly string[],
  opts: { overwrite?: boolean; signal?: AbortSignal; onBytes?: (n: number) => void; owner?: { uid: number; gid: number } } = {},
): Promise<string[]> {
  const { path: target, stat } = await files.resolve(id, dir);
  if (stat.kind !== 'dir') throw new FileProblem('notDir', normalize(dir));
  const names = localPaths.map((p) => path.basename(p));
  if (new Set(localPaths.map((p) => path.dirname(p))).size > 1) throw new FileProblem('failed', normalize(dir), 'the files come from different folders');
  if (!opts.overwrite) {
    const there = new Set((await files.list(id, target)).map((e) => e.name));
    const clash = names.filter((n) => there.has(n));
    if (clash.length) throw new FileProblem('exists', join(target, clash[0]), clash.join(', '));
  }
  const owner = opts.owner ?? { uid: 0, gid: 0 };
  const onBytes = opts.onBytes ?? (() => undefined);
  // One tar holding every path under its own name, streamed as it is read.
  const pack = tarFs.pack(path.dirname(localPaths[0]), {
    entries: [...names], // tar-fs consumes the array
    map: (h: tarFs.Headers) => ({ ...h, uid: owner.uid, gid: owner.gid, uname: '', gname: '' }),
    mapStream: (s: NodeJS.ReadableStream) => s.pipe(counter(onBytes)),
  } as unknown as tarFs.PackOptions);
  try {
    await client.extract(id, target, pack, opts.signal);
  } catch (err) {
    if (/read-only/i.test((err as Error).message)) throw new FileProblem('readOnly', target, (err as Error).message);
    throw new FileProblem('failed', target, (err as Error).message);
  }
  return names;
}
