// Reads a saved image (GET /images/{name}/get) as it streams: each layer's tar is parsed inside the
// outer tar as it passes, keeping only its entries' names, kinds and sizes, never file contents.
// Works for the classic layout (`<id>/layer.tar`, `manifest.json`, `<config>.json`) and the OCI
// one (`blobs/sha256/<digest>`); the manifest comes last, so layers are matched to it at the end.
import { posix } from 'path';
import { Readable } from 'stream';
import * as tar from 'tar-stream';
import type { EntryKind, LayerInput, TarEntry } from './changes';

/** Small files (JSON) are read whole; anything bigger is a layer. */
const SMALL = 1024 * 1024;

export interface SavedImage {
  layers: LayerInput[];
  /** The config's history, oldest first, each marked empty or with its layer's index. */
  history: { createdBy: string; created?: string; emptyLayer: boolean; layer?: number }[];
}

export class SavedImageError extends Error {}

function normalise(name: string): string {
  return name.replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
}

function kindOf(type: string | null | undefined): EntryKind {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'dir';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

/** Parses one layer tar from `source`, resolving with its entries once it has been read to the end. */
function readLayer(source: NodeJS.ReadableStream): Promise<TarEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: TarEntry[] = [];
    const inner = tar.extract();
    inner.on('entry', (header, stream, next) => {
      const path = normalise(header.name);
      if (path) entries.push({ path, kind: kindOf(header.type), size: header.type === 'file' || header.type === 'contiguous-file' ? (header.size ?? 0) : 0, target: header.linkname ? normalise(header.linkname) : undefined });
      stream.on('end', () => next());
      stream.resume();
    });
    inner.on('finish', () => resolve(entries));
    inner.on('error', reject);
    source.on('error', (err: Error) => inner.destroy(err));
    source.pipe(inner);
  });
}

function readSmall(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function isTar(buf: Buffer): boolean {
  return buf.length >= 512 && buf.subarray(257, 262).toString('latin1') === 'ustar';
}

function bufferStream(buf: Buffer): NodeJS.ReadableStream {
  return Readable.from([buf]);
}

interface Manifest {
  Config: string;
  Layers: string[];
}

interface ConfigJson {
  history?: { created_by?: string; created?: string; empty_layer?: boolean }[];
  rootfs?: { diff_ids?: string[] };
}

/**
 * Reads the saved image. `onBytes` hears how far the outer stream got. Rejects with a
 * SavedImageError when the stream ends before the image is complete (the engine stopped, the
 * image went away mid-read) or is not a saved image.
 */
export async function readSavedImage(stream: NodeJS.ReadableStream, onBytes?: (bytes: number) => void): Promise<SavedImage> {
  const layers = new Map<string, TarEntry[]>();
  const json = new Map<string, unknown>();
  const aliases = new Map<string, string>();
  let bytes = 0;
  if (onBytes) stream.on('data', (c: Buffer) => onBytes((bytes += c.length)));
  await new Promise<void>((resolve, reject) => {
    const outer = tar.extract();
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      outer.destroy();
      reject(err);
    };
    outer.on('entry', (header, entry, next) => {
      const name = normalise(header.name);
      const done = (p: Promise<void>) => p.then(() => next(), (err: Error) => fail(err));
      if (header.type === 'symlink' && header.linkname) {
        // The same layer twice in one image is saved once, the second place a link to the first.
        aliases.set(name, normalise(posix.join(posix.dirname(name), header.linkname)));
        entry.on('end', () => next());
        entry.resume();
      } else if (header.type !== 'file') {
        entry.on('end', () => next());
        entry.resume();
      } else if (name.endsWith('layer.tar') || (name.startsWith('blobs/') && (header.size ?? 0) > SMALL)) {
        done(readLayer(entry).then((e) => void layers.set(name, e)));
      } else if ((header.size ?? 0) <= SMALL) {
        done(
          readSmall(entry).then(async (buf) => {
            if (isTar(buf)) layers.set(name, await readLayer(bufferStream(buf)));
            else if (name.endsWith('.json') || name.startsWith('blobs/')) {
              try {
                json.set(name, JSON.parse(buf.toString('utf8')));
              } catch {
                // A blob that is neither JSON nor a tar (a compressed layer) is not Berth's to read.
              }
            }
          }),
        );
      } else {
        entry.on('end', () => next());
        entry.resume();
      }
    });
    outer.on('finish', () => (failed ? undefined : resolve()));
    outer.on('error', (err: Error) => fail(new SavedImageError(`the saved image could not be read: ${err.message}`)));
    stream.on('error', (err: Error) => fail(new SavedImageError(`the engine stopped sending the image: ${err.message}`)));
    // A cut connection can end the response without an error: the tar then ends mid-entry.
    stream.on('aborted', () => fail(new SavedImageError('the engine stopped sending the image')));
    stream.pipe(outer);
  });
  const manifest = (json.get('manifest.json') as Manifest[] | undefined)?.[0];
  if (!manifest) throw new SavedImageError('the saved image has no manifest.json: the engine stopped sending it before the end, or it is not an image');
  const config = json.get(normalise(manifest.Config)) as ConfigJson | undefined;
  if (!config) throw new SavedImageError(`the saved image has no config ${manifest.Config}`);
  const ordered: TarEntry[][] = manifest.Layers.map((l) => {
    const e = layers.get(normalise(l)) ?? layers.get(aliases.get(normalise(l)) ?? '');
    if (!e) throw new SavedImageError(`the saved image lacks layer ${l}`);
    return e;
  });
  const history: SavedImage['history'] = [];
  let next = 0;
  for (const h of config.history ?? []) {
    const empty = !!h.empty_layer;
    history.push({ createdBy: h.created_by ?? '', created: h.created, emptyLayer: empty, layer: empty ? undefined : next });
    if (!empty) next++;
  }
  const createdBy = (i: number) => history.find((h) => h.layer === i)?.createdBy ?? '';
  return { layers: ordered.map((entries, i) => ({ createdBy: createdBy(i), entries })), history };
}
