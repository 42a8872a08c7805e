// Files inside containers, through the Engine API's archive endpoints (GET/PUT/HEAD
// /containers/{id}/archive). Types only: src/engine/files.ts implements them.

export type FileKind = 'file' | 'dir' | 'symlink' | 'other';

/** What HEAD /archive tells about one path (the link itself for a symlink). */
export interface PathStat {
  name: string;
  kind: FileKind;
  size: number;
  /** Unix permission bits (0o7777). */
  mode: number;
  mtimeMs: number;
  /** For a symlink: what it points at, resolved by the engine to an absolute path. */
  linkTarget?: string;
}

/** One entry of a folder, from its tar header: the owner is known too. */
export interface FileEntry extends PathStat {
  uid: number;
  gid: number;
  uname?: string;
  gname?: string;
}

/** A file's content as a stream, with its header (owner and mode to keep on save). */
export interface FileRead {
  entry: FileEntry;
  stream: NodeJS.ReadableStream;
}

/** One thing to write into a folder with PUT /archive. */
export interface NewEntry {
  name: string;
  kind: 'file' | 'dir';
  mode: number;
  uid: number;
  gid: number;
  /** For files. */
  data?: Uint8Array;
  mtimeMs?: number;
}

/** What an exec said: its exit code and what it printed (stdout and stderr together). */
export interface ExecResult {
  exitCode: number;
  output: string;
}

/** One path of GET /containers/{id}/changes. */
export interface PathChange {
  path: string;
  kind: 'changed' | 'added' | 'deleted';
}

export interface FilesClient {
  /** The path's stat; undefined when the path (or the container) does not exist. */
  stat(id: string, path: string, signal?: AbortSignal): Promise<PathStat | undefined>;
  /**
   * A folder's direct children, read from the headers of one archive of it; file bodies are
   * skipped as they stream past, never kept. `onEntry` sees each child as it arrives.
   */
  list(id: string, dir: string, signal?: AbortSignal, onEntry?: (e: FileEntry) => void): Promise<FileEntry[]>;
  /** One file's header and body stream (the link itself for a symlink: follow it with stat first). */
  read(id: string, path: string, signal?: AbortSignal): Promise<FileRead>;
  /** The raw archive of a path (a folder's whole tree), for downloads. */
  archive(id: string, path: string, signal?: AbortSignal): Promise<NodeJS.ReadableStream>;
  /** Writes entries into a folder in one PUT /archive; the folder must exist. */
  write(id: string, dir: string, entries: NewEntry[], signal?: AbortSignal): Promise<void>;
  /** Extracts a tar stream into a folder (uploads). */
  extract(id: string, dir: string, tar: NodeJS.ReadableStream, signal?: AbortSignal): Promise<void>;
  /** Runs a command without a TTY in a running container (rm, mv) and collects its output. */
  exec(id: string, cmd: string[]): Promise<ExecResult>;
  changes(id: string): Promise<PathChange[]>;
  /**
   * A created, never-started container with the volume mounted at /volume, from an image already
   * on the engine, so an unused volume can be browsed; labelled berth.volumeHelper. Undefined
   * when the engine has no image at all.
   */
  createVolumeHelper(volume: string): Promise<string | undefined>;
}
