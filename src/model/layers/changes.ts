// What each layer of an image does to the file system, and what that costs, from the entries of
// its layer tars (read by imageTar.ts). Whiteouts follow the OCI image spec: `.wh.NAME` removes
// NAME from the layers below, `.wh..wh..opq` in a folder hides everything the layers below put
// there; both apply to lower layers only, so they are applied before the layer's own entries.
//
// Wasted bytes and the efficiency score follow dive's definitions (wagoodman/dive,
// dive/filetree/efficiency.go `Efficiency()` and dive/image/docker's analysis, at commit 6b659d9):
// every path a layer writes (leaf entries, folders excluded: their size is 0) or removes is a node;
// a write weighs its size, a removal 0. Per path, cumulative = sum of its nodes, minimum = the
// smallest. Score = Σ minimum / Σ cumulative (1 with no bytes); wasted = Σ cumulative of the paths
// with two or more nodes. One departure: dive records a removed folder once, under the folder's
// path with its subtree's total as both cumulative and minimum, so deleting a folder never lowers
// its score (and it fails on opaque folders); here a removed folder is a removal of each path
// under it, as the user sees it.

export type EntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

/** One tar entry of a layer, whiteouts included as the tar has them. */
export interface TarEntry {
  /** Normalised: no leading "./" or "/", no trailing "/". */
  path: string;
  kind: EntryKind;
  size: number;
  /** Link target of a symlink or hard link. */
  target?: string;
}

/** One layer as read from the saved image. */
export interface LayerInput {
  /** The instruction that made it (the image config's history). */
  createdBy: string;
  entries: TarEntry[];
}

export type ChangeKind = 'added' | 'changed' | 'removed';

export interface FileChange {
  path: string;
  kind: ChangeKind;
  entry: EntryKind;
  /** Bytes written (added, changed) or hidden from the layers below (removed). */
  size: number;
  target?: string;
}

export interface PathVersion {
  layer: number;
  /** Bytes written; 0 for a removal. */
  size: number;
  removed: boolean;
}

export interface WastedPath {
  path: string;
  /** dive's figure for the path: every version's bytes (a removal weighs 0). */
  cumulative: number;
  /** Bytes still in the image that no one can see: every version but the surviving one. */
  hidden: number;
  versions: PathVersion[];
}

export interface MergedEntry {
  path: string;
  kind: EntryKind;
  size: number;
  /** The layer (0-based) that last wrote it. */
  layer: number;
  target?: string;
}

export interface LayerAnalysis {
  index: number;
  createdBy: string;
  /** Bytes of the regular files it writes. */
  bytes: number;
  changes: FileChange[];
}

export interface ImageAnalysis {
  layers: LayerAnalysis[];
  /** Paths of the final file system (folders included), each with the layer that last wrote it. */
  merged: Map<string, MergedEntry>;
  wasted: WastedPath[];
  /** dive's wasted bytes. */
  wastedBytes: number;
  /** Bytes of earlier versions no one can see (a subset of wastedBytes). */
  hiddenBytes: number;
  /** dive's efficiency score, 0 to 1. */
  efficiency: number;
  /** Bytes of every regular file in every layer. */
  totalBytes: number;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Paths under `dir` ("" is the root) in the stacked tree, the folder itself excluded. */
function under(merged: Map<string, MergedEntry>, dir: string): string[] {
  const prefix = dir ? `${dir}/` : '';
  return [...merged.keys()].filter((k) => k.startsWith(prefix) && k !== dir);
}

export function analyseLayers(layers: LayerInput[]): ImageAnalysis {
  const merged = new Map<string, MergedEntry>();
  const nodes = new Map<string, PathVersion[]>();
  const out: LayerAnalysis[] = [];
  const node = (path: string, v: PathVersion) => {
    const list = nodes.get(path);
    if (list) list.push(v);
    else nodes.set(path, [v]);
  };
  let totalBytes = 0;
  layers.forEach((layer, index) => {
    const changes: FileChange[] = [];
    const written = new Set(layer.entries.filter((e) => !baseOf(e.path).startsWith(WHITEOUT)).map((e) => e.path));
    // Removals first: they apply to the layers below only.
    const remove = (path: string) => {
      const old = merged.get(path);
      if (!old) return;
      const gone = old.kind === 'dir' ? [path, ...under(merged, path)] : [path];
      let bytes = 0;
      for (const p of gone) {
        const e = merged.get(p);
        if (!e) continue;
        merged.delete(p);
        if (e.kind === 'dir') continue;
        bytes += e.size;
        node(p, { layer: index, size: 0, removed: true });
      }
      changes.push({ path, kind: 'removed', entry: old.kind, size: bytes });
    };
    for (const e of layer.entries) {
      const name = baseOf(e.path);
      if (name === OPAQUE) {
        const dir = parentOf(e.path);
        // What this layer writes again in the folder replaces rather than removes.
        for (const p of under(merged, dir)) {
          const old = merged.get(p);
          if (!old || written.has(p)) continue;
          if (old.kind !== 'dir' || ![...written].some((w) => w.startsWith(`${p}/`))) remove(p);
        }
      } else if (name.startsWith(WHITEOUT)) {
        remove(parentOf(e.path) ? `${parentOf(e.path)}/${name.slice(WHITEOUT.length)}` : name.slice(WHITEOUT.length));
      }
    }
    let bytes = 0;
    for (const e of layer.entries) {
      if (baseOf(e.path).startsWith(WHITEOUT)) continue;
      const old = merged.get(e.path);
      if (e.kind === 'dir') {
        if (!old || old.kind !== 'dir') merged.set(e.path, { path: e.path, kind: 'dir', size: 0, layer: index });
        continue;
      }
      if (old?.kind === 'dir') for (const p of under(merged, e.path)) merged.delete(p);
      merged.set(e.path, { path: e.path, kind: e.kind, size: e.size, layer: index, target: e.target });
      changes.push({ path: e.path, kind: old ? 'changed' : 'added', entry: e.kind, size: e.size, target: e.target });
      node(e.path, { layer: index, size: e.size, removed: false });
      if (e.kind === 'file') bytes += e.size;
    }
    totalBytes += bytes;
    changes.sort((a, b) => b.size - a.size || a.path.localeCompare(b.path));
    out.push({ index, createdBy: layer.createdBy, bytes, changes });
  });

  let minimum = 0;
  let discovered = 0;
  let wastedBytes = 0;
  let hiddenBytes = 0;
  const wasted: WastedPath[] = [];
  for (const [path, versions] of nodes) {
    const cumulative = versions.reduce((n, v) => n + v.size, 0);
    minimum += Math.min(...versions.map((v) => v.size));
    discovered += cumulative;
    if (versions.length < 2) continue;
    const last = versions[versions.length - 1];
    const hidden = cumulative - (last.removed ? 0 : last.size);
    wastedBytes += cumulative;
    hiddenBytes += hidden;
    wasted.push({ path, cumulative, hidden, versions });
  }
  wasted.sort((a, b) => b.cumulative - a.cumulative || a.path.localeCompare(b.path));
  return { layers: out, merged, wasted, wastedBytes, hiddenBytes, efficiency: discovered === 0 ? 1 : minimum / discovered, totalBytes };
}
