// One compose file: YAML with positions, interpolated value by value, validated against the
// schema, every problem at its file, line and column.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import { MAX_ALIAS_EXPANSION, readComposeYamlFast, type KeyOffsets } from './fastRead';
import { interpolate, type Lookup } from './interpolate';
import type { ComposeProblem, ComposePosition } from './problems';
import { validateCompose } from './validate';

type Range = [number, number];

export interface ParsedFile {
  file: string;
  /** The interpolated document as plain data; undefined when the file is not a YAML mapping. */
  data?: Record<string, unknown>;
  /** JSON pointers of values tagged !reset / !override (Compose 2.24+ merge controls). */
  resets: Set<string>;
  overrides: Set<string>;
  /** Problems in file order. */
  problems: ComposeProblem[];
  /** Values whose interpolation failed (kept as written), by JSON pointer, with the problem. */
  unresolved: Map<string, ComposeProblem>;
  /** Where a JSON pointer's value (or its key) is in the file. */
  locate(pointer: string, key?: boolean): { start: ComposePosition; end: ComposePosition } | undefined;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The file read fast (fastRead.ts, js-yaml) when yaml would read the same data and it interpolates
 * and validates cleanly, which is what the view reads on every save; otherwise, or for any position
 * below the services' keys, the yaml library's path, which places every problem.
 */
export function parseComposeFile(file: string, text: string, variables: Lookup): ParsedFile {
  return parseComposeFileFast(file, text, variables) ?? parseComposeFileWithPositions(file, text, variables);
}

/** Interpolates every string of plain data; undefined when one fails (the slow path says where). */
function interpolateAll(v: unknown, variables: Lookup): { value: unknown } | undefined {
  if (typeof v === 'string') {
    const r = interpolate(v, variables);
    return 'value' in r ? r : undefined;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const r = interpolateAll(item, variables);
      if (!r) return undefined;
      out.push(r.value);
    }
    return { value: out };
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      const r = interpolateAll(item, variables);
      if (!r) return undefined;
      out[k] = r.value;
    }
    return { value: out };
  }
  return { value: v };
}

export function parseComposeFileFast(file: string, text: string, variables: Lookup): ParsedFile | undefined {
  const fast = readComposeYamlFast(text);
  if (!fast) return undefined;
  const raw = fast.data ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const interpolated = interpolateAll(raw, variables);
  if (!interpolated) return undefined;
  const data = interpolated.value as Record<string, unknown>;
  const issues = validateCompose(data);
  const problems = issues.length ? serviceProblems(file, text, variables, fast.keys, data, issues.map((i) => i.pointer)) : [];
  if (!problems) return undefined;
  let slow: ParsedFile | undefined;
  let lineStarts: number[] | undefined;
  // As yaml's LineCounter counts: 1-based lines and columns, lines ending at \n.
  const pos = (offset: number): ComposePosition => {
    if (!lineStarts) {
      lineStarts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  return {
    file,
    data,
    resets: new Set(),
    overrides: new Set(),
    problems,
    unresolved: new Map(),
    locate(pointer, key) {
      // The services' key positions come from js-yaml's events, with no second parse.
      const at = key ? fast.keys.get(pointer) : undefined;
      if (at) return { start: pos(at[0]), end: pos(at[1]) };
      // Deeper positions (a port entry's) are the yaml library's to find, read once when asked.
      slow ??= parseComposeFileWithPositions(file, text, variables);
      return slow.locate(pointer, key);
    },
  };
}

/**
 * The schema problems of the services they are in, placed by the yaml library reading only those
 * services' lines (the others blanked, so lines and columns stay the file's): a service being typed
 * in a large file costs its own parse, not the whole file's. Undefined when that would not read the
 * same (a problem outside a service, flow style, an alias): the whole file's parse then places them.
 */
function serviceProblems(file: string, text: string, variables: Lookup, keys: KeyOffsets, data: Record<string, unknown>, pointers: string[]): ComposeProblem[] | undefined {
  const names = new Set<string>();
  for (const p of pointers) {
    const m = /^\/services\/([^/]+)(\/|$)/.exec(p);
    if (!m) return undefined;
    names.add(m[1]);
  }
  const lines = text.split('\n');
  const lineStarts: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i].length + 1, i++) lineStarts.push(at);
  const lineOf = (offset: number) => {
    let i = 0;
    while (i + 1 < lineStarts.length && lineStarts[i + 1] <= offset) i++;
    return i;
  };
  const servicesKey = keys.get('/services');
  if (!servicesKey) return undefined;
  const keep = new Set([lineOf(servicesKey[0])]);
  for (const name of names) {
    const key = keys.get(`/services/${name}`);
    if (!key) return undefined;
    const first = lineOf(key[0]);
    const indent = key[0] - lineStarts[first];
    if (keep.has(first) || lines[first].slice(0, indent).trim()) return undefined;
    keep.add(first);
    for (let i = first + 1; i < lines.length; i++) {
      const content = lines[i].trimStart();
      if (content && !content.startsWith('#') && lines[i].length - content.length <= indent) break;
      keep.add(i);
    }
  }
  const only = lines.map((l, i) => (keep.has(i) ? l : '')).join('\n');
  const part = parseComposeFileWithPositions(file, only, variables);
  const partServices = (part.data?.services ?? {}) as Record<string, unknown>;
  const services = data.services as Record<string, unknown>;
  // The same data for those services, read alone, is what makes their problems the same.
  const unescape = (n: string) => n.replace(/~1/g, '/').replace(/~0/g, '~');
  if (!part.problems.length || [...names].some((n) => JSON.stringify(partServices[unescape(n)]) !== JSON.stringify(services[unescape(n)]))) return undefined;
  return part.problems;
}

/** The yaml library's path: every value a node with its position. */
export function parseComposeFileWithPositions(file: string, text: string, variables: Lookup): ParsedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true });
  const values = new Map<string, Range>();
  let recordAll = false;
  let quiet = false;
  const keys = new Map<string, Range>();
  const pos = (offset: number): ComposePosition => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const span = (r: Range) => ({ start: pos(r[0]), end: pos(r[1]) });
  const result: ParsedFile = {
    file,
    resets: new Set(),
    overrides: new Set(),
    problems: [],
    unresolved: new Map(),
    locate: (pointer, key) => {
      if (!recordAll && !values.has(pointer)) {
        // Positions below a service are recorded only when asked for (a problem to place):
        // recording all of them costs a third of a large file's parse.
        recordAll = true;
        quiet = true;
        expanded = 0;
        walk(doc.contents, '', doc);
      }
      const r = (key && keys.get(pointer)) || values.get(pointer);
      return r && span(r);
    },
  };
  if (doc.errors.length) {
    for (const e of doc.errors) result.problems.push({ code: 'yamlSyntax', params: { yamlCode: e.code, message: e.message }, file, ...span(e.pos) });
    return result;
  }
  // Alias.resolve searches the whole document each time: with an alias per service that is
  // quadratic (2.5 s for 300 services). Anchors are indexed once; an alias refers to the last
  // anchor of its name before it.
  const anchors = new Map<string, Node[]>();
  visit(doc, (_key, node) => {
    // An empty value (`data:`) is visited as null.
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor && !isAlias(node)) anchors.set(anchor, [...(anchors.get(anchor) ?? []), node as Node]);
  });
  const resolveAlias = (alias: Alias, d: Document): unknown => {
    const at = alias.range?.[0] ?? Infinity;
    const candidates = (anchors.get(alias.source) ?? []).filter((n) => (n.range?.[0] ?? 0) < at);
    return candidates.length ? candidates[candidates.length - 1] : alias.resolve(d);
  };
  // Collections being walked: an alias to one of them (&a {self: *a}) would recurse without end.
  const walking = new Set<unknown>();
  // Nodes copied through aliases: nested aliases ("billion laughs") grow exponentially, so the
  // walk stops at a bound and says so at the alias that crossed it.
  let inAlias = 0;
  let expanded = 0;
  let overflow = false;
  const walk = (node: unknown, pointer: string, d: Document, depth = 0): unknown => {
    if (overflow) return null;
    if (inAlias && ++expanded > MAX_ALIAS_EXPANSION) {
      overflow = true;
      return null;
    }
    if (isAlias(node)) {
      const target = resolveAlias(node, d);
      if (!walking.has(target)) {
        inAlias++;
        const v = walk(target, pointer, d, depth);
        inAlias--;
        if (overflow && inAlias === 0 && !quiet)
          result.problems.push({ code: 'aliasExpansion', params: { alias: node.source, limit: MAX_ALIAS_EXPANSION }, file, ...span([node.range?.[0] ?? 0, node.range?.[1] ?? 0]) });
        return v;
      }
      if (!quiet) result.problems.push({ code: 'yamlSyntax', params: { yamlCode: 'RECURSIVE_ALIAS', message: `Alias *${node.source} refers to a collection that holds it` }, file, ...span([node.range?.[0] ?? 0, node.range?.[1] ?? 0]) });
      return null;
    }
    const n = node as Node | null;
    const record = recordAll || depth <= 2;
    if (record && n?.range) values.set(pointer, [n.range[0], n.range[1]]);
    if (n && 'tag' in n) {
      if (n.tag === '!reset') result.resets.add(pointer);
      if (n.tag === '!override') result.overrides.add(pointer);
    }
    if (isMap(n)) {
      walking.add(n);
      const out: Record<string, unknown> = {};
      const own: [string, Range][] = [];
      for (const pair of n.items) {
        const k = isScalar(pair.key) ? pair.key.value : pair.key;
        if (typeof k === 'symbol' || k === '<<') {
          // YAML merge keys (<<: *base): explicit keys win over merged ones, whatever the order;
          // merged keys sit where the << stands, as yaml's own toJS and js-yaml place them.
          const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
          for (const s of sources) {
            const v = walk(s, pointer, d, depth);
            if (v && typeof v === 'object' && !Array.isArray(v)) for (const [mk, mv] of Object.entries(v)) if (!Object.hasOwn(out, mk)) out[mk] = mv;
          }
          continue;
        }
        const name = String(k);
        const child = `${pointer}/${escapePointer(name)}`;
        const keyNode = pair.key as Node | null;
        if (record && keyNode?.range) own.push([child, [keyNode.range[0], keyNode.range[1]]]);
        out[name] = walk(pair.value, child, d, depth + 1);
      }
      // A key the map writes itself is placed there, not in a source merged after it.
      for (const [child, r] of own) keys.set(child, r);
      walking.delete(n);
      return out;
    }
    if (isSeq(n)) {
      walking.add(n);
      const out = n.items.map((item, i) => walk(item, `${pointer}/${i}`, d, depth + 1));
      walking.delete(n);
      return out;
    }
    if (isScalar(n)) {
      if (typeof n.value !== 'string') return n.value;
      const r = interpolate(n.value, variables);
      if ('value' in r || quiet) return 'value' in r ? r.value : n.value;
      // Point at the ${ itself when the source text is the value as written (plain or quoted).
      const src = n.range ? text.slice(n.range[0], n.range[1]) : '';
      const shift = src === n.value ? 0 : src.slice(1, -1) === n.value ? 1 : undefined;
      const at = n.range ? (shift === undefined ? n.range[0] : n.range[0] + shift + r.offset) : 0;
      const params: Record<string, string> = r.code === 'variableRequired' ? { variable: r.variable, message: r.message } : { text: r.text };
      const problem: ComposeProblem = { code: r.code, params, file, start: pos(at), end: pos(shift === undefined ? (n.range?.[1] ?? at) : at + (r.code === 'badInterpolation' ? r.text.length : 2 + r.variable.length)) };
      result.problems.push(problem);
      result.unresolved.set(pointer, problem);
      return n.value;
    }
    return null;
  };
  const data = walk(doc.contents, '', doc);
  // A file whose aliases expand without bound is not read further: its data would be partial.
  if (overflow) return result;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    // An empty file is an empty project to Compose v1 and an error to v2; Berth says it is empty.
    if (data !== null) result.problems.push({ code: 'notMapping', params: {}, file, ...span(values.get('') ?? [0, 0]) });
    result.data = data === null ? {} : undefined;
    return result;
  }
  result.data = data as Record<string, unknown>;
  // Validation sees the interpolated values, as Compose's does; a value whose interpolation
  // failed is already reported and is validated as written.
  for (const issue of validateCompose(data)) {
    const where = issue.key !== undefined ? result.locate(`${issue.pointer}/${escapePointer(issue.key)}`, true) : result.locate(issue.pointer);
    result.problems.push({ code: issue.code, params: issue.params, file, ...(where ?? span(values.get('') ?? [0, 0])) });
  }
  result.problems.sort(byPosition);
  return result;
}

/** File order: line, then column (a problem without a position first, as the file's own). */
export function byPosition(a: ComposeProblem, b: ComposeProblem): number {
  return (a.start?.line ?? 0) - (b.start?.line ?? 0) || (a.start?.column ?? 0) - (b.start?.column ?? 0);
}
