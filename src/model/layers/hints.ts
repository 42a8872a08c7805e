// Plain-language hints for the usual causes of wasted space, from what the analysis found.
import type { ImageAnalysis } from './changes';
import { instructionOf, keywordOf } from './history';

export type Hint =
  /** A package manager's cache written by one RUN and removed by a later one. */
  | { kind: 'cacheLater'; path: string; bytes: number; wroteLayer: number; removedLayer: number }
  /** Files written by one layer and removed by a later one (not a cache). */
  | { kind: 'removedLater'; bytes: number; count: number; wroteLayer: number; removedLayer: number; copied: boolean }
  /** Files written again by a later layer. */
  | { kind: 'overwritten'; bytes: number; count: number; wroteLayer: number; laterLayer: number }
  /** The whole context copied before the dependency install: any change reinstalls everything. */
  | { kind: 'copyBeforeInstall'; copyLayer: number; installLayer: number };

const CACHE = /^(var\/cache\/(apk|apt|yum|dnf)|var\/lib\/apt\/lists|root\/\.cache|root\/\.npm|usr\/local\/share\/\.cache|root\/\.cargo\/registry|tmp\/pip|root\/\.m2)(\/|$)/;
const INSTALL = /\b(npm (ci|install|i)\b|yarn( install)?\b|pnpm install|pip3? install|poetry install|bundle install|composer install|go mod download|mvn\b|gradle\b|cargo (build|fetch))/;

/** The cache folder a path is in ("var/cache/apk"), if any. */
export function cacheFolderOf(path: string): string | undefined {
  return CACHE.exec(path)?.[1];
}

export function hintsFor(analysis: ImageAnalysis): Hint[] {
  const hints: Hint[] = [];
  const removed = new Map<string, Hint & { kind: 'cacheLater' | 'removedLater' }>();
  const overwritten = new Map<string, Hint & { kind: 'overwritten' }>();
  for (const w of analysis.wasted) {
    for (let i = 0; i + 1 < w.versions.length; i++) {
      const a = w.versions[i];
      const b = w.versions[i + 1];
      if (a.removed) continue;
      if (b.removed) {
        const cache = cacheFolderOf(w.path);
        const key = `${cache ?? ''}|${a.layer}|${b.layer}`;
        const h = removed.get(key);
        if (h && h.kind === 'removedLater') h.count++;
        if (h) h.bytes += a.size;
        else if (cache) removed.set(key, { kind: 'cacheLater', path: cache, bytes: a.size, wroteLayer: a.layer, removedLayer: b.layer });
        else {
          const copied = ['COPY', 'ADD'].includes(keywordOf(instructionOf(analysis.layers[a.layer]?.createdBy ?? '')));
          removed.set(key, { kind: 'removedLater', bytes: a.size, count: 1, wroteLayer: a.layer, removedLayer: b.layer, copied });
        }
      } else {
        const key = `${a.layer}|${b.layer}`;
        const h = overwritten.get(key);
        if (h) {
          h.bytes += a.size;
          h.count++;
        } else overwritten.set(key, { kind: 'overwritten', bytes: a.size, count: 1, wroteLayer: a.layer, laterLayer: b.layer });
      }
    }
  }
  hints.push(...removed.values(), ...overwritten.values());
  // COPY of a whole folder (the context) followed by an install step.
  const instr = analysis.layers.map((l) => instructionOf(l.createdBy));
  const copy = instr.findIndex((t) => /^COPY\s+(dir:\S+|\.)\s+in\s/.test(t) || /^COPY\s+(--\S+\s+)*\.\s+\S+$/.test(t));
  if (copy >= 0) {
    const install = instr.findIndex((t, i) => i > copy && keywordOf(t) === 'RUN' && INSTALL.test(t));
    if (install >= 0) hints.push({ kind: 'copyBeforeInstall', copyLayer: copy, installLayer: install });
  }
  return hints.sort((x, y) => ('bytes' in y ? y.bytes : 0) - ('bytes' in x ? x.bytes : 0));
}
