// The build context exactly as the docker CLI sends it: the folder minus .dockerignore (or
// <Dockerfile>.dockerignore next to the Dockerfile, which wins), with the Dockerfile and the
// ignore file always kept. Streamed as a tar; never loaded whole.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Readable } from 'stream';
import * as tar from 'tar-fs';
import { ignoreFileFor, ignoreMatcher, parseIgnoreFile } from './dockerignore';

export { ignoreFileFor, ignoreMatcher, parseIgnoreFile } from './dockerignore';

export interface ContextPlan {
  root: string;
  /** Relative, '/'-separated paths of the files and folders to send, parents first. */
  entries: string[];
  /** Bytes of file content to send. */
  bytes: number;
  /** The Dockerfile's name inside the tar (what the engine is told to use). */
  dockerfileName: string;
  /** Set when the Dockerfile lives outside the context and is added under dockerfileName. */
  outsideDockerfile?: string;
  /** The ignore file that applied, if any. */
  ignoreFile?: string;
  /** The biggest folders sent, largest first, to suggest what to ignore. */
  largest: { folder: string; bytes: number }[];
}

export class ContextError extends Error {
  constructor(
    readonly code: 'missing' | 'notFolder' | 'unreadable' | 'noDockerfile',
    readonly target: string,
    cause?: string,
  ) {
    super(cause ?? code);
  }
}

function readable(what: string, err: NodeJS.ErrnoException): never {
  if (err.code === 'ENOENT') throw new ContextError('missing', what, err.message);
  if (err.code === 'ENOTDIR') throw new ContextError('notFolder', what, err.message);
  throw new ContextError('unreadable', what, err.message);
}

export async function planContext(contextDir: string, dockerfile: string): Promise<ContextPlan> {
  const root = path.resolve(contextDir);
  const stat = await fs.promises.stat(root).catch((e: NodeJS.ErrnoException) => readable(root, e));
  if (!stat.isDirectory()) throw new ContextError('notFolder', root);
  const dockerfilePath = path.resolve(dockerfile);
  await fs.promises.access(dockerfilePath, fs.constants.R_OK).catch((e: NodeJS.ErrnoException) => {
    throw new ContextError(e.code === 'ENOENT' ? 'noDockerfile' : 'unreadable', dockerfilePath, e.message);
  });
  const ignoreFile = ignoreFileFor(root, dockerfilePath);
  const patterns = ignoreFile ? parseIgnoreFile(await fs.promises.readFile(ignoreFile, 'utf8')) : [];
  const ig = ignoreMatcher(patterns);
  const negations = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const relDockerfile = path.relative(root, dockerfilePath).split(path.sep).join('/');
  const inside = !relDockerfile.startsWith('../') && !path.isAbsolute(relDockerfile);
  // The CLI always sends the Dockerfile and the .dockerignore, even when the ignore file names them.
  const keep = new Set([inside ? relDockerfile : '', '.dockerignore'].filter(Boolean));

  const entries: string[] = [];
  let bytes = 0;
  const folderBytes = new Map<string, number>();
  const mayHoldExceptions = (dir: string) =>
    [...keep].some((k) => k.startsWith(`${dir}/`)) || negations.some((n) => n.startsWith(`${dir}/`) || /[*?[]/.test(n.split('/')[0]));

  const walk = async (rel: string): Promise<void> => {
    const abs = rel ? path.join(root, rel) : root;
    const dirents = await fs.promises.readdir(abs, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => readable(abs, e));
    for (const d of dirents) {
      const child = rel ? `${rel}/${d.name}` : d.name;
      const ignored = ig.ignores(child) && !keep.has(child);
      if (d.isDirectory()) {
        // An ignored folder is skipped whole unless an exception pattern may reach inside it,
        // which is what keeps a 200 MB node_modules from ever being read.
        if (ignored && !mayHoldExceptions(child)) continue;
        const at = entries.length;
        await walk(child);
        // A folder goes when it is not ignored (even empty), or when an exception kept something in it.
        if (!ignored || entries.length > at) entries.splice(at, 0, child);
        continue;
      }
      if (ignored) continue;
      const st = await fs.promises.lstat(path.join(abs, d.name)).catch((e: NodeJS.ErrnoException) => readable(path.join(abs, d.name), e));
      if (st.isFile()) {
        await fs.promises.access(path.join(abs, d.name), fs.constants.R_OK).catch((e: NodeJS.ErrnoException) => readable(path.join(abs, d.name), e));
        bytes += st.size;
        for (let dir = rel; dir; dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '') folderBytes.set(dir, (folderBytes.get(dir) ?? 0) + st.size);
      }
      entries.push(child);
    }
  };
  await walk('');

  const dockerfileName = inside ? relDockerfile : `.dockerfile.${randomBytes(10).toString('hex')}`;
  const largest = [...folderBytes]
    .filter(([folder]) => folder.split('/').length <= 2)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([folder, size]) => ({ folder, bytes: size }));
  if (!inside) bytes += (await fs.promises.stat(dockerfilePath)).size;
  return { root, entries, bytes, dockerfileName, outsideDockerfile: inside ? undefined : dockerfilePath, ignoreFile, largest };
}

/** Streams the planned context as a tar; files are read as the engine consumes them. */
export function packContext(plan: ContextPlan): Readable {
  const outside = plan.outsideDockerfile;
  const allowed = new Set(plan.entries);
  return tar.pack(plan.root, {
    // tar-fs walks from the root but never descends into what is not planned, so ignored folders stay unread.
    ignore: (abs) => !allowed.has(path.relative(plan.root, abs).split(path.sep).join('/')),
    // Ownership is not the user's business inside the image: the CLI sends 0:0 too.
    map: (header) => ({ ...header, uid: 0, gid: 0, uname: '', gname: '' }),
    finalize: !outside,
    finish: outside
      ? (pack) => {
          pack.entry({ name: plan.dockerfileName, mode: 0o644 }, fs.readFileSync(outside));
          pack.finalize();
        }
      : undefined,
  }) as unknown as Readable;
}
