// One image's analysis from the engine: the saved image read once as a stream, then its layers'
// changes, wasted space and hints.
import type { EngineClient } from '../../contract/client';
import { analyseLayers, type ImageAnalysis } from './changes';
import { hintsFor, type Hint } from './hints';
import { readSavedImage, SavedImageError, type SavedImage } from './imageTar';

export interface AnalysedImage extends ImageAnalysis {
  ref: string;
  history: SavedImage['history'];
  hints: Hint[];
}

export class ImageGoneError extends Error {}

export async function analyseImage(client: EngineClient, ref: string, signal?: AbortSignal, onBytes?: (bytes: number) => void): Promise<AnalysedImage> {
  const layers = client.layers;
  if (!layers) throw new Error('this engine client cannot save images');
  let stream: NodeJS.ReadableStream;
  try {
    stream = await layers.exportImage(ref, signal);
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) throw new ImageGoneError(`the image ${ref} no longer exists`);
    throw err;
  }
  const abort = () => (stream as unknown as { destroy?: (e?: Error) => void }).destroy?.(new SavedImageError('cancelled'));
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const saved = await readSavedImage(stream, onBytes);
    const analysis = analyseLayers(saved.layers);
    return { ...analysis, ref, history: saved.history, hints: hintsFor(analysis) };
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
