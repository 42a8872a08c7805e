// Save Logs: a container's log, demultiplexed, streamed into a file (never held whole). It is written
// to a hidden file beside the target and renamed over it only when complete, so a full disk, a
// read-only folder or a cancel leaves no partial file, and an existing file is never half-replaced.
import * as fs from 'fs';
import * as path from 'path';
import { Transform } from 'stream';
import { pipeline } from 'stream/promises';
import type { EngineClient } from '../contract/client';
import { LogDemuxer } from './logStream';

/** Why a save failed: the file system's answer, reduced to what the user can act on. */
export type SaveFailure = 'no-space' | 'read-only' | 'denied' | 'no-folder' | 'other';

export class SaveLogsError extends Error {
  constructor(
    readonly file: string,
    readonly reason: SaveFailure,
    /** The file system's own words (ENOSPC: no space left on device). */
    readonly detail: string,
    /** A partial file could not be removed and is still there, under this name. */
    readonly partialLeft: string | undefined,
  ) {
    super(`cannot save the logs to ${file}: ${detail}${partialLeft ? ` (a partial file is left at ${partialLeft})` : ''}`);
    this.name = 'SaveLogsError';
  }
}

function reasonOf(err: NodeJS.ErrnoException): SaveFailure {
  switch (err.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'no-space';
    case 'EROFS':
      return 'read-only';
    case 'EACCES':
    case 'EPERM':
      return 'denied';
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no-folder';
    default:
      return 'other';
  }
}

/**
 * Writes the logs of container `id` (`tty`: its stream has no frames) since `since` to `file`.
 * Not following: the engine sends what the log holds when the request arrives and ends, also for
 * a running container. Resolves with the bytes written; throws SaveLogsError for a file-system
 * failure, and the stream's own error (an AbortError on cancel) otherwise, never leaving a partial
 * file without saying so.
 */
export async function saveLogs(client: EngineClient, id: string, opts: { tty: boolean; since?: string }, file: string, signal?: AbortSignal): Promise<number> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${Math.random().toString(36).slice(2, 8)}.part`);
  let written = 0;
  let fileError: NodeJS.ErrnoException | undefined;
  try {
    const stream = await client.logs(id, { follow: false, timestamps: false, since: opts.since }, signal);
    const demux = new LogDemuxer(opts.tty);
    const toText = new Transform({
      transform(chunk: Buffer, _e, done) {
        done(null, demux.push(chunk).map((t) => t.text).join(''));
      },
      flush(done) {
        done(null, demux.end().map((t) => t.text).join(''));
      },
    });
    // 'wx': never follow or reuse something already at the temporary name.
    const out = fs.createWriteStream(temp, { flags: 'wx' });
    out.on('error', (err) => (fileError = err));
    toText.on('data', (s: string | Buffer) => (written += Buffer.byteLength(s)));
    await pipeline(stream as NodeJS.ReadableStream, toText, out);
    await fs.promises.rename(temp, file).catch((err: NodeJS.ErrnoException) => {
      fileError = err;
      throw err;
    });
    return written;
  } catch (err) {
    // pipeline destroyed the engine's stream; what is left is the temporary file, if any.
    let partialLeft: string | undefined;
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      partialLeft = temp;
    }
    if (fileError) throw new SaveLogsError(file, reasonOf(fileError), fileError.message, partialLeft);
    if (partialLeft) throw new SaveLogsError(file, 'other', (err as Error).message, partialLeft);
    throw err;
  }
}
