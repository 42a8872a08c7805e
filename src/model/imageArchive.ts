// Image archives on disk: Save streams the engine's tar to a file (never held whole) and removes a
// partial file on cancel or failure; Load streams a .tar or .tar.gz to the engine (it unpacks gzip).
import * as fs from 'fs';
import { Transform } from 'stream';
import { pipeline } from 'stream/promises';
import type { EngineClient } from '../contract/client';
import type { TransferMessage } from '../contract/transfer';

/** Passes bytes through, reporting the running total. */
function counter(onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      onBytes(total);
      done(null, chunk);
    },
  });
}

/**
 * Writes the engine's tar of `names` to `file` and answers its size. The file is opened first, so
 * a folder that cannot be written fails before the engine works; on any failure or abort the
 * partial file is removed and the error rethrown (an AbortError for an abort).
 */
export async function saveImagesToFile(client: Pick<EngineClient, 'saveImages'>, names: string[], file: string, signal?: AbortSignal, onBytes: (total: number) => void = () => undefined): Promise<number> {
  let written = 0;
  let opened = false;
  try {
    const out = fs.createWriteStream(file, { flags: 'w' });
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', reject);
    });
    opened = true;
    const tar = await client.saveImages(names, signal);
    await pipeline(tar, counter((n) => onBytes((written = n))), out, { signal });
    return written;
  } catch (err) {
    if (opened) fs.rmSync(file, { force: true });
    if (signal?.aborted) throw Object.assign(new Error('the save was cancelled'), { name: 'AbortError' });
    throw err;
  }
}

/** Streams an archive file into the engine; `onBytes` says how much of it was read. */
export async function loadImagesFromFile(client: Pick<EngineClient, 'loadImages'>, file: string, onMessage: (m: TransferMessage) => void, signal?: AbortSignal, onBytes: (total: number) => void = () => undefined): Promise<void> {
  await fs.promises.access(file, fs.constants.R_OK);
  const input = fs.createReadStream(file).pipe(counter(onBytes));
  await client.loadImages(input, onMessage, signal);
}

/** Why a file could not be written, as a kind the UI can put in words. */
export function writeProblem(err: unknown): 'readOnly' | 'noFolder' | 'diskFull' | undefined {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'readOnly';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'noFolder';
  if (code === 'ENOSPC') return 'diskFull';
  return undefined;
}
