// The Resource Usage panel's page: four uPlot plots (CPU, memory, network, block I/O) with a series
// per container and the sums per Compose project and service, and a sortable table. State lives
// in the extension host; this page keeps the last ten minutes it was sent and redraws at most once
// per message (the host sends at most one a second).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './panel.css';
import { align, groupLabel, groupsOf, sortRows, sumSeries, tableRows, timeAxis, type PlotTrack, type SortKey, type UsageGroup } from '../../model/resourceUsage/aggregate';
import type { Metric } from '../../model/resourceUsage/figures';
import { WINDOW_SECONDS } from '../../model/resourceUsage/history';
import { percentText, rateText, sizeText } from '../../model/resourceUsage/format';
import type { FromWebview, ToWebview, UsageStrings } from './protocol';

declare function acquireVsCodeApi(): { postMessage(m: FromWebview): void };
const vscode = acquireVsCodeApi();
const post = (m: FromWebview) => vscode.postMessage(m);

// Reported to the host, so a test can prove the policy blocks what it should.
document.addEventListener('securitypolicyviolation', (e) => post({ type: 'csp', directive: e.effectiveDirective, blocked: e.blockedURI }));

type Unit = 'percent' | 'size' | 'rate';
interface PlotSpec {
  id: 'cpu' | 'memory' | 'network' | 'block';
  title: (s: UsageStrings) => string;
  unit: Unit;
  /** The metrics drawn, each series dashed for the second one. */
  metrics: { metric: Metric; label: (s: UsageStrings) => string | undefined; dash?: number[] }[];
}

const PLOTS: PlotSpec[] = [
  { id: 'cpu', title: (s) => s.cpu, unit: 'percent', metrics: [{ metric: 'cpu', label: () => undefined }] },
  {
    id: 'memory',
    title: (s) => s.memory,
    unit: 'size',
    metrics: [
      { metric: 'mem', label: () => undefined },
      { metric: 'memLimit', label: (s) => s.limit, dash: [2, 4] },
    ],
  },
  {
    id: 'network',
    title: (s) => s.network,
    unit: 'rate',
    metrics: [
      { metric: 'rx', label: (s) => s.received },
      { metric: 'tx', label: (s) => s.sent, dash: [6, 4] },
    ],
  },
  {
    id: 'block',
    title: (s) => s.block,
    unit: 'rate',
    metrics: [
      { metric: 'read', label: (s) => s.read },
      { metric: 'write', label: (s) => s.written, dash: [6, 4] },
    ],
  },
];

const THEME_COLOURS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];

let strings: UsageStrings;
let locale = 'en';
let now = 0;
let paused = false;
const tracks = new Map<string, PlotTrack & { points: PlotTrack['points'][number][]; markers: PlotTrack['markers'][number][] }>();
let sortKey: SortKey = 'cpu';
/** A second click on the sorted column reverses it. */
let sortDescending = true;
/** Seconds since the engine stopped answering (0: not known), or undefined while it answers. */
let unreachableSince: number | undefined;
let structure = '';
const plots = new Map<string, uPlot>();
// The plotted data, for the workbench tests (a gap is a null in it).
(window as unknown as { berthUsagePlots: typeof plots }).berthUsagePlots = plots;
let firstPointReported = false;

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function palette(): string[] {
  return THEME_COLOURS.map((v, i) => cssVar(v, ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'][i]));
}

function format(unit: Unit, v: number | null | undefined): string {
  return unit === 'percent' ? percentText(v, locale) : unit === 'size' ? sizeText(v, locale) : rateText(v, locale);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** Each line drawn: a container's or a group's, for one metric. */
interface Line {
  label: string;
  colour: string;
  width: number;
  dash?: number[];
  /** Undefined between joined points (a line across), null for no data (a gap). */
  values: (x: readonly number[]) => (number | null | undefined)[];
  /** Whether it still gets figures: a stopped container's legend shows none. */
  live: boolean;
  /** Marker times to draw for it (a container's stops, removals and resumes). */
  markers: PlotTrack['markers'];
}

/**
 * Each series keeps the colour it first got, so a container joining does not repaint the others.
 * A project's total is drawn in the foreground colour, which no container gets.
 */
const colourSlots = new Map<string, number>();
function colouring(colours: string[]): (key: string) => string {
  const total = cssVar('--vscode-charts-foreground', cssVar('--vscode-foreground', '#ccc'));
  return (key) => {
    if (key.startsWith('project:')) return total;
    let slot = colourSlots.get(key);
    if (slot === undefined) colourSlots.set(key, (slot = colourSlots.size));
    return colours[slot % colours.length];
  };
}

function hostMemory(): number {
  let max = 0;
  for (const t of tracks.values()) for (const p of t.points) if (p.memLimit && p.memLimit > max) max = p.memLimit;
  return max;
}

function linesFor(spec: PlotSpec, groups: UsageGroup[]): Line[] {
  const colours = palette();
  const lines: Line[] = [];
  const host = hostMemory();
  const colourOf = colouring(colours);
  for (const m of spec.metrics) {
    const suffix = m.label(strings);
    const name = (base: string) => (suffix ? `${base} · ${suffix}` : base);
    for (const g of groups) {
      // A limit's sum means little: the limit is drawn per container only.
      if (m.metric === 'memLimit') continue;
      const members = g.members.map((id) => tracks.get(id)).filter((t): t is NonNullable<typeof t> => !!t);
      lines.push({
        label: name(`${groupLabel(g)} (${strings.total})`),
        colour: colourOf(g.key),
        // Sums dashed and wider, so a container's own line stays visible where it is most of the sum.
        width: g.kind === 'project' ? 2.5 : 2,
        dash: m.dash ? [2, 3] : [10, 4],
        values: (xs) => sumSeries(xs, members, m.metric),
        markers: [],
        live: members.some((t) => t.live),
      });
    }
    for (const t of tracks.values()) {
      // A container without a limit of its own has the host's memory as its limit: not drawn.
      if (m.metric === 'memLimit' && !t.points.some((p) => p.memLimit && p.memLimit < host)) continue;
      lines.push({ label: name(t.meta.name), colour: colourOf(t.meta.id), width: 1.5, dash: m.dash, values: (xs) => align(xs, t, m.metric), markers: t.markers, live: t.live });
    }
  }
  return lines;
}

/**
 * Vertical lines where a series ended or resumed, in its colour, with the word at the top in a box
 * of the page's background: drawn after every line, so no marker line crosses a word. The engine
 * going away ends every series at once: one line and one word for them all, in the foreground colour.
 */
function markerPlugin(lines: () => Line[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        const px = devicePixelRatio;
        const words: Record<string, string> = { stopped: strings.stopped, removed: strings.removed, resumed: strings.resumed, unreachable: strings.unreachableMarker };
        const fg = cssVar('--vscode-foreground', '#ccc');
        const drawn = new Set<string>();
        const labels: { x: number; word: string; colour: string }[] = [];
        lines().forEach((line, i) => {
          if (!u.series[i + 1]?.show) return;
          for (const mk of line.markers) {
            const x = Math.round(u.valToPos(mk.t, 'x', true));
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            const shared = mk.kind === 'unreachable';
            const key = shared ? `${mk.t}:unreachable` : `${mk.t}:${mk.kind}:${line.colour}`;
            if (drawn.has(key)) continue;
            drawn.add(key);
            const colour = shared ? fg : line.colour;
            ctx.save();
            ctx.strokeStyle = colour;
            ctx.lineWidth = 1.5 * px;
            ctx.setLineDash(mk.kind === 'resumed' ? [2 * px, 3 * px] : [6 * px, 3 * px]);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
            labels.push({ x, word: words[mk.kind], colour });
          }
        });
        ctx.save();
        ctx.font = `${11 * px}px ${cssVar('--vscode-font-family', 'sans-serif')}`;
        ctx.textBaseline = 'top';
        const bg = cssVar('--vscode-editor-background', '#1e1e1e');
        const seen = new Set<string>();
        const placed: { left: number; top: number; w: number }[] = [];
        for (const l of labels) {
          if (seen.has(`${l.x}:${l.word}`)) continue;
          seen.add(`${l.x}:${l.word}`);
          const w = ctx.measureText(l.word).width;
          const h = 13 * px;
          // Right of its line, or left of it where the plot ends.
          const left = l.x + 4 * px + w > u.bbox.left + u.bbox.width ? l.x - 4 * px - w : l.x + 4 * px;
          // Words at one time (stopped and resumed together) stack instead of overprinting.
          let top = u.bbox.top + 2 * px;
          while (placed.some((b) => left < b.left + b.w + 4 * px && b.left < left + w + 4 * px && top < b.top + h + 2 * px && b.top < top + h + 2 * px)) top += h + 3 * px;
          placed.push({ left, top, w });
          ctx.fillStyle = bg;
          ctx.fillRect(left - 2 * px, top - 1 * px, w + 4 * px, h + 2 * px);
          ctx.fillStyle = l.colour;
          ctx.fillText(l.word, left, top);
        }
        ctx.restore();
      },
    },
  };
}

function plotWidth(container: HTMLElement): number {
  return Math.max(300, container.clientWidth);
}

function buildPlot(spec: PlotSpec, container: HTMLElement, lines: Line[], data: uPlot.AlignedData): uPlot {
  const fg = cssVar('--vscode-foreground', '#ccc');
  const grid = cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.3)'));
  const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  let current = lines;
  const opts: uPlot.Options = {
    width: plotWidth(container),
    height: 200,
    pxAlign: 0,
    cursor: { sync: { key: 'berth-usage' } },
    legend: { live: true },
    // A little room under 0, so a line at 0 is drawn whole rather than on the axis.
    scales: {
      // At least a minute wide, so the first seconds do not stretch across the plot.
      x: { time: true, range: (_u, min, max) => [Math.min(min, max - 60), max] },
      y: {
        range: (_u, _min, max) => {
          const top = spec.unit === 'percent' ? Math.max(10, max * 1.1) : Math.max(1000, max * 1.1);
          return [-top * 0.03, top];
        },
      },
    },
    // Ticks at least 90 px apart, in 24-hour time: "11:54:30 AM" side by side ran together.
    axes: [{ ...axis, space: 90, values: (_u, splits) => splits.map((v) => clock(v)) }, { ...axis, size: 70, values: (_u, splits) => splits.map((v) => (v < 0 ? '' : format(spec.unit, v))) }],
    series: [{ label: strings.time, value: (_u, v) => (v === null ? '–' : clock(v)) }, ...lines.map((l) => ({ label: l.label, stroke: l.colour, width: l.width, dash: l.dash, spanGaps: false, points: { show: fewPoints }, value: (_u: uPlot, v: number | null) => format(spec.unit, v) }))],
    plugins: [markerPlugin(() => current)],
    // Off the plot, the legend shows the latest figures rather than dashes.
    hooks: { setCursor: [(u) => u.cursor.idx == null && showLatest(u, current)] },
  };
  const u = new uPlot(opts, data, container);
  (u as uPlot & { setLines?: (l: Line[]) => void }).setLines = (l) => (current = l);
  return u;
}

/** "13:46:06", in 24-hour time in the legend as on the axis ("11:54:30 AM" side by side ran together). */
function clock(seconds: number): string {
  return new Date(seconds * 1000).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** Dots only while a series has too few points to draw a line (a container just started). */
function fewPoints(u: uPlot, seriesIdx: number): boolean {
  let n = 0;
  for (const v of u.data[seriesIdx]) if (v !== null && v !== undefined && ++n > 2) return false;
  return true;
}

/**
 * Each series' last figure in the legend (containers sampled in different seconds: its own last);
 * none for a series that gets no more (stopped, removed, the engine unreachable).
 */
function showLatest(u: uPlot, lines: Line[]): void {
  const last = u.data[0].length - 1;
  if (last < 0) return;
  const idxs = u.data.map((values, i) => {
    if (i === 0) return last;
    if (!lines[i - 1]?.live) return null;
    for (let j = last; j >= 0; j--) if (values[j] !== null && values[j] !== undefined) return j;
    return null;
  });
  u.setLegend({ idx: last, idxs }, false);
}

function frame(lines: Line[], xs: number[]): uPlot.AlignedData {
  // uPlot draws a line across undefined and a gap at null.
  return [xs, ...lines.map((l) => l.values(xs))] as uPlot.AlignedData;
}

function renderEngineNote(): void {
  const note = document.getElementById('engine')!;
  note.hidden = unreachableSince === undefined;
  if (unreachableSince !== undefined) note.textContent = unreachableSince ? strings.unreachableSince.replace('{0}', clock(unreachableSince)) : strings.unreachable;
}

function render(): void {
  const root = document.getElementById('plots')!;
  const live = [...tracks.values()];
  const groups = groupsOf(live.map((t) => t.meta));
  const xs = timeAxis(live, now - WINDOW_SECONDS);
  document.getElementById('empty')!.hidden = live.some((t) => t.points.length) || live.some((t) => t.live);
  const perPlot = PLOTS.map((spec) => ({ spec, lines: linesFor(spec, groups) }));
  const shape = JSON.stringify([perPlot.map((p) => p.lines.map((l) => [l.label, l.colour])), document.body.className]);
  if (shape !== structure) {
    // Series came or went (a container joined, a theme changed): build the plots again.
    structure = shape;
    for (const u of plots.values()) u.destroy();
    plots.clear();
    root.replaceChildren();
    for (const { spec, lines } of perPlot) {
      const box = el('div', { className: 'plot', id: `plot-${spec.id}` }, el('h2', {}, spec.title(strings)));
      root.append(box);
      const u = buildPlot(spec, box, lines, frame(lines, xs));
      showLatest(u, lines);
      plots.set(spec.id, u);
    }
  } else {
    for (const { spec, lines } of perPlot) {
      const u = plots.get(spec.id)!;
      (u as uPlot & { setLines?: (l: Line[]) => void }).setLines?.(lines);
      u.setData(frame(lines, xs));
      if (u.cursor.idx == null) showLatest(u, lines);
    }
  }
  renderTable(live, groups);
  const points = live.reduce((n, t) => n + t.points.length, 0);
  if (!firstPointReported && points > 0) {
    firstPointReported = true;
    requestAnimationFrame(() => post({ type: 'drawn', points }));
  }
}

function renderTable(live: PlotTrack[], groups: UsageGroup[]): void {
  const cols: { key: SortKey; label: string; cell: (r: ReturnType<typeof tableRows>[number]) => string }[] = [
    { key: 'label', label: strings.name, cell: (r) => r.label },
    { key: 'cpu', label: strings.cpu, cell: (r) => percentText(r.cpu, locale) },
    { key: 'mem', label: strings.memory, cell: (r) => (r.mem === null ? '–' : r.memLimit && r.kind === 'container' ? `${sizeText(r.mem, locale)} / ${sizeText(r.memLimit, locale)}` : sizeText(r.mem, locale)) },
    { key: 'rx', label: strings.received, cell: (r) => rateText(r.rx, locale) },
    { key: 'tx', label: strings.sent, cell: (r) => rateText(r.tx, locale) },
    { key: 'read', label: strings.read, cell: (r) => rateText(r.read, locale) },
    { key: 'write', label: strings.written, cell: (r) => rateText(r.write, locale) },
  ];
  const colours = palette();
  const colourOf = colouring(colours);
  const head = el(
    'tr',
    {},
    ...cols.map((c) => {
      // The whole cell sorts (the button keeps it in the tab order); the sorted one again reverses.
      const th = el('th', { className: 'sortable', title: strings.sortBy.replace('{0}', c.label) }, el('button', { type: 'button' }, c.label, el('span', { className: 'sort-arrow', ariaHidden: 'true' }, c.key === sortKey ? (sortDescending ? ' ▼' : ' ▲') : '')));
      th.addEventListener('click', () => {
        if (sortKey === c.key) sortDescending = !sortDescending;
        else {
          sortKey = c.key;
          sortDescending = c.key !== 'label';
        }
        renderTable(live, groups);
      });
      if (c.key === sortKey) th.setAttribute('aria-sort', sortDescending ? 'descending' : 'ascending');
      return th;
    }),
  );
  const body = sortRows(tableRows(live, groups), sortKey, sortDescending).map((r) => {
    const swatch = el('span', { className: 'swatch' });
    swatch.style.background = colourOf(r.key);
    const label = r.kind === 'container' ? r.label : `${r.label} (${strings.total})`;
    const tr = el('tr', { className: [r.kind !== 'container' ? 'group' : '', r.live ? '' : 'ended'].join(' ').trim() }, ...cols.map((c, i) => el('td', {}, ...(i === 0 ? [swatch, label] : [c.cell(r)]))));
    tr.dataset.key = r.key;
    return tr;
  });
  document.getElementById('table')!.replaceChildren(el('thead', {}, head), el('tbody', {}, ...body));
}

function merge(incoming: PlotTrack[], dropped: string[]): void {
  for (const id of dropped) tracks.delete(id);
  for (const t of incoming) {
    const known = tracks.get(t.meta.id);
    if (!known) {
      tracks.set(t.meta.id, { meta: t.meta, live: t.live, points: [...t.points], markers: [...t.markers] });
      continue;
    }
    known.meta = t.meta;
    known.live = t.live;
    const lastT = known.points.length ? known.points[known.points.length - 1].t : -Infinity;
    for (const p of t.points) {
      if (p.t > lastT) known.points.push(p);
      else if (p.t === lastT) known.points[known.points.length - 1] = p;
    }
    known.markers.push(...t.markers);
  }
  const from = now - WINDOW_SECONDS;
  for (const t of tracks.values()) {
    let drop = 0;
    while (drop < t.points.length && t.points[drop].t < from) drop++;
    if (drop) t.points.splice(0, drop);
    while (t.markers.length && t.markers[0].t < from) t.markers.shift();
  }
}

function setPaused(on: boolean): void {
  paused = on;
  const button = document.getElementById('pause') as HTMLButtonElement;
  button.textContent = on ? strings.resume : strings.pause;
  button.setAttribute('aria-pressed', String(on));
  document.getElementById('paused')!.hidden = !on;
  post({ type: 'paused', paused: on });
  if (!on) render();
}

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const m = e.data;
  if (m.type === 'init') {
    strings = m.strings;
    locale = m.locale;
    document.documentElement.lang = locale;
    document.getElementById('pause')!.textContent = strings.pause;
    document.getElementById('paused')!.textContent = strings.paused;
    document.getElementById('empty')!.textContent = strings.empty;
    tracks.clear();
    unreachableSince = m.unreachableSince;
    renderEngineNote();
  }
  if (m.type === 'engine') {
    unreachableSince = m.unreachableSince;
    renderEngineNote();
    return;
  }
  now = m.now;
  merge(m.tracks, m.type === 'update' ? m.dropped : []);
  if (!paused) render();
});

document.getElementById('pause')!.addEventListener('click', () => setPaused(!paused));
// A theme change swaps the body's class: colours are read again at the next render.
new MutationObserver(() => !paused && strings && render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new ResizeObserver(() => {
  for (const [id, u] of plots) {
    const box = document.getElementById(`plot-${id}`);
    if (box && plotWidth(box) !== u.width) u.setSize({ width: plotWidth(box), height: 200 });
  }
}).observe(document.getElementById('plots')!);
post({ type: 'ready' });
