// The Image Layers and Disk Usage views and the Dockerfile line costs: dist/layers.js, required by
// src/commands/layers.ts on first use (tar-stream and the analysis stay out of dist/extension.js).
import * as vscode from 'vscode';
import type { EngineClient } from '../contract/client';
import type { DiskUsage } from '../contract/layers';
import { formatAge } from '../model/format';
import { analyseImage, ImageGoneError, type AnalysedImage } from '../model/layers/analyse';
import type { FileChange } from '../model/layers/changes';
import { diskTotals, type DiskTotals } from '../model/layers/disk';
import type { Hint } from '../model/layers/hints';
import { describeLayers, instructionOf, type ImageLayer, type ImageLayers } from '../model/layers/history';
import { lineCosts, type LineCost, type RecordedBuild } from '../model/layers/lineCosts';
import type { DockerfileFacts } from '../model/dockerfileFacts';
import { plural, sizeText } from '../ui/locale';

type Node =
  | { kind: 'image' }
  | { kind: 'group'; group: 'own' | 'base' | 'wasted' | 'merged' }
  | { kind: 'layer'; layer: ImageLayer }
  | { kind: 'change'; change: FileChange }
  | { kind: 'hint'; hint: Hint }
  | { kind: 'wasted'; index: number }
  | { kind: 'dir'; path: string }
  | { kind: 'message'; text: string };

const MAX_ROWS = 500;

/** "97.5%", "97,5 %". */
function percent(ratio: number): string {
  return new Intl.NumberFormat(vscode.env.language, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

function short(text: string, n = 90): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

export class LayersProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  ref: string | undefined;
  private layers: ImageLayers | undefined;
  private analysis: AnalysedImage | undefined;
  private problem: string | undefined;
  private abort: AbortController | undefined;
  /** The shown image's id (the newest history entry's), to notice it being removed. */
  imageId: string | undefined;
  private gone = false;
  filter = '';

  constructor(private readonly client: () => EngineClient) {}

  /** Shows an image: its history at once, then its saved tar read once, with progress in the view. */
  async open(ref: string, view: vscode.TreeView<Node>): Promise<void> {
    this.abort?.abort();
    this.ref = ref;
    this.layers = undefined;
    this.analysis = undefined;
    this.problem = undefined;
    this.gone = false;
    this.filter = '';
    const client = this.client();
    const layers = client.layers;
    if (!layers) throw new Error(vscode.l10n.t('This engine cannot show image layers.'));
    const history = await layers.history(ref);
    const root = await layers.rootLayers(ref);
    if (!history || !root) throw new Error(vscode.l10n.t('The image {0} no longer exists.', ref));
    const others = await Promise.all((await client.listImages()).filter((i) => !i.repoTags.includes(ref) && i.id !== ref).map((i) => layers.rootLayers(i.id).then((r) => r ?? [])));
    this.imageId = history[0]?.id;
    this.layers = describeLayers(history, root, others.filter((r) => r.length));
    this.changed.fire(undefined);
    view.description = ref;
    const abort = (this.abort = new AbortController());
    await vscode.window.withProgress({ location: { viewId: 'berth.layers' }, title: vscode.l10n.t('Reading the layers of {0}', ref), cancellable: true }, async (_p, token) => {
      token.onCancellationRequested(() => abort.abort());
      try {
        this.analysis = await analyseImage(client, ref, abort.signal);
      } catch (err) {
        if (abort.signal.aborted) return;
        this.problem =
          err instanceof ImageGoneError
            ? vscode.l10n.t('The image {0} no longer exists: its files cannot be read.', ref)
            : vscode.l10n.t('The layers’ files could not be read: {0}. Refresh to try again.', (err as Error).message);
      }
      this.changed.fire(undefined);
    });
  }

  /** The image was removed while shown: what was read stays, and the view says it is gone. */
  markGone(): void {
    if (this.gone) return;
    this.gone = true;
    this.abort?.abort();
    this.changed.fire(undefined);
  }

  setFilter(text: string): void {
    this.filter = text.trim().toLowerCase();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.abort?.abort();
    this.changed.dispose();
  }

  getTreeItem(n: Node): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (n.kind) {
      case 'image': {
        const a = this.analysis;
        const item = new vscode.TreeItem(this.ref ?? '', C.None);
        item.iconPath = new vscode.ThemeIcon('package');
        item.description = a
          ? vscode.l10n.t('{0} in files · efficiency {1} · {2} wasted', sizeText(a.totalBytes), percent(a.efficiency), sizeText(a.wastedBytes))
          : this.problem ?? vscode.l10n.t('reading files…');
        if (this.filter) item.description += ` · ${vscode.l10n.t('filter: {0}', this.filter)}`;
        if (this.gone) {
          item.description = `${vscode.l10n.t('removed from the engine: shown as it was')} · ${item.description}`;
          item.iconPath = new vscode.ThemeIcon('warning');
        }
        item.tooltip = a ? vscode.l10n.t('Efficiency and wasted bytes as dive counts them: a file written in one layer and written again or removed in a later one counts every version.') : undefined;
        return item;
      }
      case 'group': {
        const l = this.layers?.layers ?? [];
        const labels = {
          own: plural(l.filter((x) => !x.base).length, vscode.l10n.t('Added by this image’s Dockerfile ({0} step)', l.filter((x) => !x.base).length), vscode.l10n.t('Added by this image’s Dockerfile ({0} steps)', l.filter((x) => !x.base).length)),
          base: this.layers?.baseTag ? vscode.l10n.t('Base image {0}', this.layers.baseTag) : vscode.l10n.t('Base image'),
          wasted: vscode.l10n.t('Wasted space'),
          merged: vscode.l10n.t('Merged file system'),
        };
        const item = new vscode.TreeItem(labels[n.group], n.group === 'own' || n.group === 'wasted' ? C.Expanded : C.Collapsed);
        item.id = `group:${n.group}`;
        item.iconPath = new vscode.ThemeIcon({ own: 'layers', base: 'layers-dot', wasted: 'warning', merged: 'file-directory' }[n.group]);
        if (n.group === 'wasted' && this.analysis) item.description = vscode.l10n.t('{0} (dive) · {1} no longer visible', sizeText(this.analysis.wastedBytes), sizeText(this.analysis.hiddenBytes));
        if (n.group === 'base') item.description = sizeText(l.filter((x) => x.base).reduce((s, x) => s + x.size, 0));
        return item;
      }
      case 'layer': {
        const x = n.layer;
        const files = this.layerAnalysis(x);
        const item = new vscode.TreeItem(short(x.instruction), x.hasLayer && files?.changes.length ? C.Collapsed : C.None);
        item.id = `layer:${x.index}`;
        item.iconPath = new vscode.ThemeIcon(x.hasLayer ? 'layers' : 'symbol-constant');
        const parts = [x.hasLayer ? sizeText(x.size) : vscode.l10n.t('no layer'), formatAge(x.created, Date.now(), vscode.env.language)];
        if (x.sharedWith) parts.push(plural(x.sharedWith, vscode.l10n.t('shared with {0} other image', x.sharedWith), vscode.l10n.t('shared with {0} other images', x.sharedWith)));
        else if (x.hasLayer && this.layers?.paired) parts.push(vscode.l10n.t('only in this image'));
        item.description = parts.join(' · ');
        item.tooltip = new vscode.MarkdownString().appendCodeblock(x.instruction, 'dockerfile');
        return item;
      }
      case 'change': {
        const c = n.change;
        const item = new vscode.TreeItem(c.path, C.None);
        item.iconPath = new vscode.ThemeIcon(c.kind === 'added' ? 'diff-added' : c.kind === 'changed' ? 'diff-modified' : 'diff-removed');
        const what = { added: vscode.l10n.t('added'), changed: vscode.l10n.t('changed'), removed: vscode.l10n.t('removed') }[c.kind];
        item.description = `${what} · ${sizeText(c.size)}${c.target ? ` → ${c.target}` : ''}`;
        return item;
      }
      case 'hint': {
        const item = new vscode.TreeItem(this.hintText(n.hint), C.None);
        item.iconPath = new vscode.ThemeIcon('lightbulb');
        item.tooltip = this.hintText(n.hint);
        return item;
      }
      case 'wasted': {
        const w = this.analysis?.wasted[n.index];
        const item = new vscode.TreeItem(w?.path ?? '', C.None);
        item.iconPath = new vscode.ThemeIcon('trash');
        item.description = w
          ? `${sizeText(w.cumulative)} · ${w.versions.map((v) => (v.removed ? vscode.l10n.t('removed by {0}', this.stepName(v.layer)) : vscode.l10n.t('written by {0}', this.stepName(v.layer)))).join(', ')}`
          : '';
        return item;
      }
      case 'dir': {
        const e = this.analysis?.merged.get(n.path);
        const isDir = !e || e.kind === 'dir';
        const item = new vscode.TreeItem(n.path.slice(n.path.lastIndexOf('/') + 1) || '/', isDir && (!e || this.childrenOf(n.path).length) ? C.Collapsed : C.None);
        item.id = `merged:${n.path}`;
        item.iconPath = isDir ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
        if (e && !isDir) item.description = `${sizeText(e.size)} · ${this.stepName(e.layer)}`;
        if (e?.target) item.description = `→ ${e.target} · ${this.stepName(e.layer)}`;
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(n.text, C.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  private layerAnalysis(x: ImageLayer) {
    if (!this.analysis || !x.hasLayer || !this.layers) return undefined;
    const index = this.layers.layers.filter((l) => l.hasLayer && l.index < x.index).length;
    return this.analysis.layers[index];
  }

  /** "layer 3 (RUN make)". */
  private stepName(layer: number): string {
    const by = this.analysis?.layers[layer]?.createdBy ?? '';
    return vscode.l10n.t('layer {0} ({1})', layer + 1, short(instructionOf(by), 40));
  }

  private hintText(h: Hint): string {
    switch (h.kind) {
      case 'cacheLater':
        return vscode.l10n.t('{0} of package cache ({1}) written by {2} is removed only by {3}: remove it in the same RUN, and it never enters a layer.', sizeText(h.bytes), `/${h.path}`, this.stepName(h.wroteLayer), this.stepName(h.removedLayer));
      case 'removedLater':
        return h.copied
          ? vscode.l10n.t('{0} copied by {1} is deleted by {2}: it still ships in the image. Leave it out of the COPY (or add it to .dockerignore).', sizeText(h.bytes), this.stepName(h.wroteLayer), this.stepName(h.removedLayer))
          : vscode.l10n.t('{0} written by {1} is deleted by {2}: it still ships in the image. Delete it in the RUN that writes it.', sizeText(h.bytes), this.stepName(h.wroteLayer), this.stepName(h.removedLayer));
      case 'overwritten':
        return vscode.l10n.t('{0} written by {1} is written again by {2}: both copies ship in the image.', sizeText(h.bytes), this.stepName(h.wroteLayer), this.stepName(h.laterLayer));
      case 'copyBeforeInstall':
        return vscode.l10n.t('{0} copies the whole folder before {1} installs dependencies: any change to a file reinstalls them. Copy the dependency files first, install, then copy the rest.', this.stepName(h.copyLayer), this.stepName(h.installLayer));
    }
  }

  private matches(path: string): boolean {
    return !this.filter || path.toLowerCase().includes(this.filter);
  }

  private childrenOf(dir: string): string[] {
    const merged = this.analysis?.merged;
    if (!merged) return [];
    const prefix = dir ? `${dir}/` : '';
    const out: string[] = [];
    for (const p of merged.keys()) if (p.startsWith(prefix) && p !== dir && !p.slice(prefix.length).includes('/')) out.push(p);
    return out;
  }

  private bytesUnder(path: string): number {
    const merged = this.analysis?.merged;
    const e = merged?.get(path);
    if (e && e.kind !== 'dir') return e.size;
    let n = 0;
    for (const [p, m] of merged ?? []) if (p.startsWith(`${path}/`)) n += m.size;
    return n;
  }

  getChildren(n?: Node): Node[] {
    if (!this.ref) return [];
    if (!n) {
      const groups: Node[] = [{ kind: 'image' }, { kind: 'group', group: 'own' }];
      if (this.layers?.layers.some((l) => l.base)) groups.push({ kind: 'group', group: 'base' });
      if (this.analysis) groups.push({ kind: 'group', group: 'wasted' }, { kind: 'group', group: 'merged' });
      return groups;
    }
    const layers = this.layers?.layers ?? [];
    switch (n.kind) {
      case 'group':
        if (n.group === 'own') return layers.filter((l) => !l.base).map((layer) => ({ kind: 'layer', layer }));
        if (n.group === 'base') return layers.filter((l) => l.base).map((layer) => ({ kind: 'layer', layer }));
        if (n.group === 'wasted') {
          const a = this.analysis;
          if (!a) return [];
          const rows: Node[] = [...a.hints.map((hint): Node => ({ kind: 'hint', hint })), ...a.wasted.map((_w, index): Node => ({ kind: 'wasted', index })).filter((r) => this.matches(a.wasted[(r as { index: number }).index].path)).slice(0, MAX_ROWS)];
          return rows.length ? rows : [{ kind: 'message', text: vscode.l10n.t('No file is written twice or removed after it was written.') }];
        }
        return this.childrenOf('').sort((a, b) => this.bytesUnder(b) - this.bytesUnder(a)).map((path) => ({ kind: 'dir', path }));
      case 'layer': {
        const changes = (this.layerAnalysis(n.layer)?.changes ?? []).filter((c) => c.entry !== 'dir' || c.kind === 'removed').filter((c) => this.matches(c.path));
        const rows: Node[] = changes.slice(0, MAX_ROWS).map((change) => ({ kind: 'change', change }));
        if (changes.length > MAX_ROWS) rows.push({ kind: 'message', text: vscode.l10n.t('{0} more: filter to narrow the list.', changes.length - MAX_ROWS) });
        return rows;
      }
      case 'dir':
        return this.childrenOf(n.path)
          .filter((p) => this.matches(p) || this.analysis?.merged.get(p)?.kind === 'dir')
          .sort((a, b) => this.bytesUnder(b) - this.bytesUnder(a))
          .slice(0, MAX_ROWS)
          .map((path) => ({ kind: 'dir', path }));
      default:
        return [];
    }
  }
}

type DiskNode = { kind: 'section'; section: 'images' | 'containers' | 'volumes' | 'buildCache' } | { kind: 'item'; label: string; description: string; icon: string };

/** GET /system/df as four sections, biggest first, each with what could be reclaimed. Read-only. */
export class DiskProvider implements vscode.TreeDataProvider<DiskNode> {
  private readonly changed = new vscode.EventEmitter<DiskNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  usage: DiskUsage | undefined;

  async load(client: EngineClient): Promise<void> {
    if (!client.layers) throw new Error(vscode.l10n.t('This engine cannot report its disk usage.'));
    this.usage = await client.layers.diskUsage();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private totals(section: DiskNode & { kind: 'section' }): DiskTotals {
    return (this.usage ? diskTotals(this.usage) : []).find((t) => t.section === section.section) ?? { section: section.section, size: 0, reclaimable: 0, count: 0 };
  }

  getTreeItem(n: DiskNode): vscode.TreeItem {
    if (n.kind === 'item') {
      const item = new vscode.TreeItem(n.label, vscode.TreeItemCollapsibleState.None);
      item.description = n.description;
      item.iconPath = new vscode.ThemeIcon(n.icon);
      return item;
    }
    const t = this.totals(n);
    const label = { images: vscode.l10n.t('Images'), containers: vscode.l10n.t('Containers’ writable layers'), volumes: vscode.l10n.t('Volumes'), buildCache: vscode.l10n.t('Build cache') }[n.section];
    const item = new vscode.TreeItem(label, t.count ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `disk:${n.section}`;
    item.iconPath = new vscode.ThemeIcon({ images: 'package', containers: 'vm', volumes: 'database', buildCache: 'tools' }[n.section]);
    item.description = vscode.l10n.t('{0} · {1} reclaimable', sizeText(t.size), sizeText(t.reclaimable));
    item.tooltip = vscode.l10n.t('Reclaimable: images no container uses (without layers other images share), stopped containers, volumes no container uses, build cache not in use.');
    return item;
  }

  getChildren(n?: DiskNode): DiskNode[] {
    const u = this.usage;
    if (!u) return [];
    if (!n) {
      return diskTotals(u).map((t) => ({ kind: 'section', section: t.section }));
    }
    if (n.kind !== 'section') return [];
    const unused = vscode.l10n.t('unused');
    switch (n.section) {
      case 'images':
        return [...u.images]
          .sort((a, b) => b.size - b.sharedSize - (a.size - a.sharedSize))
          .map((i) => ({
            kind: 'item',
            label: i.tags[0] ?? i.id.replace(/^sha256:/, '').slice(0, 12),
            description: [sizeText(i.size), i.sharedSize ? vscode.l10n.t('{0} shared', sizeText(i.sharedSize)) : '', i.containers ? plural(i.containers, vscode.l10n.t('{0} container', i.containers), vscode.l10n.t('{0} containers', i.containers)) : unused].filter(Boolean).join(' · '),
            icon: 'package',
          }));
      case 'containers':
        return [...u.containers].sort((a, b) => b.sizeRw - a.sizeRw).map((c) => ({ kind: 'item', label: c.name, description: `${sizeText(c.sizeRw)} · ${c.state} · ${c.image}`, icon: 'vm' }));
      case 'volumes':
        return [...u.volumes].sort((a, b) => b.size - a.size).map((v) => ({ kind: 'item', label: v.name.length > 24 ? `${v.name.slice(0, 12)}…` : v.name, description: `${sizeText(v.size)} · ${v.refCount ? plural(v.refCount, vscode.l10n.t('{0} container', v.refCount), vscode.l10n.t('{0} containers', v.refCount)) : unused}`, icon: 'database' }));
      case 'buildCache':
        return [...u.buildCache].sort((a, b) => b.size - a.size).map((b) => ({ kind: 'item', label: short(b.description || b.id, 60), description: `${sizeText(b.size)} · ${b.type}${b.inUse ? ` · ${vscode.l10n.t('in use')}` : ''}`, icon: 'tools' }));
    }
  }
}

/** Each line's cost as CodeLens text. */
export function lensText(c: LineCost): string | undefined {
  switch (c.kind) {
    case 'layer':
      return c.cached ? vscode.l10n.t('+{0} (from the build cache)', sizeText(c.size)) : vscode.l10n.t('+{0}', sizeText(c.size));
    case 'base':
      return plural(c.layers, vscode.l10n.t('base image: {0} in {1} layer', sizeText(c.size), c.layers), vscode.l10n.t('base image: {0} in {1} layers', sizeText(c.size), c.layers));
    case 'otherStage':
      return vscode.l10n.t('another stage: not in the final image');
    case 'unmatched':
      return vscode.l10n.t('cannot be matched to a layer of the image');
    case 'notBuilt':
      return vscode.l10n.t('changed since the last build: build again to see its cost');
    case 'noLayer':
      return undefined;
  }
}

/** The line costs of a Dockerfile from its last recorded build, or why there are none. */
export async function costsFor(client: EngineClient, facts: DockerfileFacts, build: RecordedBuild): Promise<LineCost[] | string> {
  const history = await client.layers?.history(build.imageId);
  if (!history) return vscode.l10n.t('The image {0} built from this file no longer exists: build again to see each line’s cost.', build.tag);
  if (!build.steps.length) return vscode.l10n.t('The last build of {0} reported no steps (BuildKit): each line’s cost is not known.', build.tag);
  return lineCosts(facts, build, history);
}
