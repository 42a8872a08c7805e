// The layers of an image from its history (GET /images/{name}/history) and RootFS: the instruction
// that made each, its size and time, whether other local images share it, and which came from the
// base image. No tar is read for this.
import type { HistoryEntry } from '../../contract/layers';

/** The instruction as written in a Dockerfile, from what the builder recorded. */
export function instructionOf(createdBy: string): string {
  let s = createdBy.trim().replace(/\s+# buildkit$/, '');
  const nop = /^\/bin\/sh -c #\(nop\)\s*(.*)$/s.exec(s);
  if (nop) return nop[1].trim();
  const shell = /^(?:\/bin\/sh|\/bin\/bash|cmd \/S \/C) -c (.*)$/s.exec(s);
  if (shell) return `RUN ${shell[1].trim()}`;
  if (/^\|\d+ /.test(s)) s = s.replace(/^\|\d+ (?:\S+=\S*\s+)*/, ''); // classic builder's build-arg prefix
  const again = /^\/bin\/sh -c (.*)$/s.exec(s);
  return again ? `RUN ${again[1].trim()}` : s;
}

/** Keyword of an instruction ("RUN", "COPY"), upper case. */
export function keywordOf(instruction: string): string {
  return (instruction.trim().split(/\s+/)[0] ?? '').toUpperCase();
}

const METADATA = /^(ENV|CMD|LABEL|EXPOSE|ENTRYPOINT|USER|VOLUME|ARG|STOPSIGNAL|HEALTHCHECK|SHELL|ONBUILD|MAINTAINER)\b/i;

export interface ImageLayer {
  /** Position in build order, 0 the oldest entry of the history. */
  index: number;
  /** The history entry's image id, or undefined for "<missing>". */
  imageId?: string;
  instruction: string;
  size: number;
  created: number;
  /** Whether the step wrote a layer (metadata steps do not). */
  hasLayer: boolean;
  /** The RootFS diff id of its layer, when the history and RootFS agree. */
  diffId?: string;
  /** How many other local images have this layer with the same layers below it. */
  sharedWith: number;
  /** Part of the base image (at or below the newest tagged ancestor). */
  base: boolean;
}

export interface ImageLayers {
  layers: ImageLayer[];
  /** The base image's tag, when one of the history's ancestors is tagged locally. */
  baseTag?: string;
  /** Whether the layers could be paired with RootFS (sharing is known). */
  paired: boolean;
}

/**
 * `history` is newest first as the engine sends it; `rootLayers` the image's diff ids (oldest
 * first); `others` every other local image's diff ids. `baseImageId`, when a build said which
 * image its final FROM was, sets the base apart exactly; else the newest tagged ancestor does.
 */
export function describeLayers(history: HistoryEntry[], rootLayers: string[], others: string[][], baseImageId?: string): ImageLayers {
  const oldestFirst = [...history].reverse();
  // Which entries wrote a layer: the API has no flag, so a 0-byte metadata step is taken as none;
  // when that does not account for every RootFS layer, only the sized entries are.
  let writes = oldestFirst.map((h) => h.size > 0 || !METADATA.test(instructionOf(h.createdBy)));
  if (writes.filter(Boolean).length !== rootLayers.length) writes = oldestFirst.map((h) => h.size > 0);
  const paired = writes.filter(Boolean).length === rootLayers.length;
  let baseIndex = -1;
  if (baseImageId) baseIndex = oldestFirst.findIndex((h) => h.id === baseImageId);
  let baseTag: string | undefined;
  if (baseIndex < 0) {
    for (let i = oldestFirst.length - 2; i >= 0; i--) {
      if (oldestFirst[i].tags.length) {
        baseIndex = i;
        break;
      }
    }
  }
  if (baseIndex >= 0) baseTag = oldestFirst[baseIndex].tags[0];
  let layer = 0;
  const layers = oldestFirst.map((h, index): ImageLayer => {
    const hasLayer = writes[index];
    const diffId = paired && hasLayer ? rootLayers[layer] : undefined;
    const chain = paired && hasLayer ? rootLayers.slice(0, layer + 1) : undefined;
    if (hasLayer) layer++;
    const sharedWith = chain ? others.filter((o) => o.length >= chain.length && chain.every((d, i) => o[i] === d)).length : 0;
    return { index, imageId: h.id.startsWith('sha256:') ? h.id : undefined, instruction: instructionOf(h.createdBy), size: h.size, created: h.created, hasLayer, diffId, sharedWith, base: index <= baseIndex };
  });
  return { layers, baseTag, paired };
}
