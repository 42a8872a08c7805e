// What the editor shows while a Compose file is typed: keys and values from the Compose
// Specification's schema (with its descriptions), the outline, and the named references
// (services, networks, volumes, configs, secrets) to find, highlight and rename across a project's
// files. Positions are 0-based offsets into the text; the UI turns them into its own.
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { composeSpecSchema } from './composeSpecSchema';

type Schema = Record<string, unknown>;
const definitions = composeSpecSchema.definitions as Record<string, Schema>;

function deref(s: Schema): Schema {
  let node = s;
  for (let i = 0; i < 10 && typeof node.$ref === 'string'; i++) node = definitions[(node.$ref as string).replace('#/definitions/', '')] ?? {};
  return node;
}

/** A schema and every branch it may take (oneOf, anyOf, allOf), each dereferenced. */
function branches(s: Schema): Schema[] {
  const node = deref(s);
  const out = [node];
  for (const k of ['oneOf', 'anyOf', 'allOf']) for (const b of (node[k] as Schema[] | undefined) ?? []) out.push(...branches(b));
  return out;
}

/** The schemas a path leads to ('[]' for a list item). */
export function schemaAt(path: readonly string[]): Schema[] {
  let nodes: Schema[] = [composeSpecSchema];
  for (const seg of path) {
    const next: Schema[] = [];
    for (const n of nodes.flatMap(branches)) {
      if (seg === '[]') {
        if (n.items && typeof n.items === 'object') next.push(n.items as Schema);
        continue;
      }
      const props = n.properties as Record<string, Schema> | undefined;
      if (props?.[seg]) {
        next.push(props[seg]);
        continue;
      }
      const patterns = n.patternProperties as Record<string, Schema> | undefined;
      const match = Object.entries(patterns ?? {}).find(([re]) => re !== '^x-' && new RegExp(re).test(seg));
      if (match) next.push(match[1]);
      else if (n.additionalProperties && typeof n.additionalProperties === 'object') next.push(n.additionalProperties as Schema);
    }
    nodes = next;
    if (!nodes.length) break;
  }
  return nodes;
}

export interface KeySuggestion {
  key: string;
  description?: string;
  deprecated: boolean;
  /** The value is a mapping or a list: the key goes on a line of its own. */
  block: boolean;
}

/** The keys a mapping at this path may hold, with their descriptions. */
export function keysAt(path: readonly string[]): KeySuggestion[] {
  const out = new Map<string, KeySuggestion>();
  for (const n of schemaAt(path).flatMap(branches)) {
    for (const [key, raw] of Object.entries((n.properties as Record<string, Schema> | undefined) ?? {})) {
      if (out.has(key)) continue;
      const all = branches(raw);
      const description = all.map((b) => b.description).find((d): d is string => typeof d === 'string');
      const types = all.flatMap((b) => (Array.isArray(b.type) ? b.type : [b.type]));
      out.set(key, { key, description, deprecated: all.some((b) => b.deprecated === true), block: !types.includes('string') && !types.includes('number') && !types.includes('integer') && !types.includes('boolean') && types.some((t) => t === 'object' || t === 'array') });
    }
  }
  return [...out.values()];
}

/** The values the schema allows at this path (its enums, and true/false for a boolean). */
export function valuesAt(path: readonly string[]): string[] {
  const out = new Set<string>();
  for (const n of schemaAt(path).flatMap(branches)) {
    for (const v of (n.enum as unknown[] | undefined) ?? []) out.add(String(v));
    const types = Array.isArray(n.type) ? n.type : [n.type];
    if (types.includes('boolean')) ['true', 'false'].forEach((b) => out.add(b));
    // Some keys list their values only in a pattern (pull_policy: "always|never|…") or in their
    // description (restart: "Options include: 'no', 'always', …"): the plain words of those.
    if (typeof n.pattern === 'string' && /^[\w|()[\]+-]+$/.test(n.pattern)) for (const w of n.pattern.split('|')) if (/^[a-z_]+$/.test(w)) out.add(w);
    const listed = typeof n.description === 'string' ? /Options include: (.*)$/.exec(n.description)?.[1] : undefined;
    if (listed) for (const m of listed.matchAll(/'([\w-]+)'/g)) out.add(m[1]);
  }
  return [...out];
}

/** The description the schema gives the key at this path. */
export function describeKey(path: readonly string[]): string | undefined {
  return schemaAt(path)
    .flatMap(branches)
    .map((b) => b.description)
    .find((d): d is string => typeof d === 'string');
}

export interface CursorContext {
  /** The keys from the top to the mapping the cursor is in ('[]' for a list item). */
  path: string[];
  /** What is being typed: a key of that mapping, or the value of `key`. */
  typing: 'key' | 'value';
  key?: string;
  /** The word typed so far, as 0-based line and columns. */
  word: { line: number; start: number; end: number };
  /** Keys the mapping already has (not offered again). */
  siblings: string[];
}

const KEY_LINE = /^(\s*)(?:-\s+)?("[^"]*"|'[^']*'|[^\s:#'"][^:#]*?)\s*:(?:\s|$)/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The parents of a line at this indent, found by indentation (so it works while the file is half typed). */
function parentsOf(lines: readonly string[], line: number, indent: number): string[] {
  const path: string[] = [];
  let limit = indent;
  for (let i = line - 1; i >= 0 && limit > 0; i--) {
    const l = lines[i];
    const content = l.trim();
    if (!content || content.startsWith('#')) continue;
    const ind = indentOf(l);
    if (ind >= limit) continue;
    if (content.startsWith('-')) {
      // A list item: its own keys sit at its content's column.
      const itemKey = KEY_LINE.exec(l);
      const itemColumn = ind + (/^-\s+/.exec(content)?.[0].length ?? 1);
      if (itemKey && itemColumn < limit) path.unshift(unquote(itemKey[2]));
      path.unshift('[]');
      limit = ind;
      continue;
    }
    const m = KEY_LINE.exec(l);
    if (!m) break;
    path.unshift(unquote(m[2]));
    limit = ind;
  }
  return path;
}

function unquote(key: string): string {
  return /^(["']).*\1$/.test(key) ? key.slice(1, -1) : key;
}

/** The keys at this indent in the block around the line. */
function siblingsOf(lines: readonly string[], line: number, indent: number): string[] {
  const out: string[] = [];
  for (const dir of [-1, 1]) {
    for (let i = line + dir; i >= 0 && i < lines.length; i += dir) {
      const l = lines[i];
      if (!l.trim() || l.trim().startsWith('#')) continue;
      const ind = indentOf(l);
      if (ind < indent && !(/^\s*-\s+/.exec(l)?.[0].length === indent)) break;
      const item = /^\s*-\s+/.exec(l);
      if (ind === indent || (item && item[0].length === indent)) {
        const m = KEY_LINE.exec(l);
        if (m) out.push(unquote(m[2]));
        // A list item's first line: the item (and its keys) begins here.
        if (item) break;
      }
    }
  }
  return out;
}

/** Where the cursor is in the YAML: which mapping, and whether a key or a value is being typed. */
export function cursorContext(text: string, line: number, character: number): CursorContext | undefined {
  const lines = text.split(/\r?\n/);
  const before = (lines[line] ?? '').slice(0, character);
  if (before.includes('#')) return undefined;
  const value = /^(\s*)(-\s+)?("[^"]*"|'[^']*'|[^\s:#'"][^:#]*?)\s*:\s+(-\s+)?([^\s"']*)$/.exec(before);
  if (value) {
    const indent = value[1].length + (value[2]?.length ?? 0);
    const key = unquote(value[3]);
    const path = [...parentsOf(lines, line, value[1].length), ...(value[2] ? ['[]'] : []), key, ...(value[4] ? ['[]'] : [])];
    return { path, typing: 'value', key, word: { line, start: character - value[5].length, end: character }, siblings: siblingsOf(lines, line, indent) };
  }
  const key = /^(\s*)(-\s+)?([\w.-]*)$/.exec(before);
  if (!key) return undefined;
  const indent = key[1].length + (key[2]?.length ?? 0);
  const path = [...parentsOf(lines, line, key[1].length + (key[2] ? 0 : 0)), ...(key[2] ? ['[]'] : [])];
  return { path, typing: 'key', word: { line, start: character - key[3].length, end: character }, siblings: siblingsOf(lines, line, indent) };
}

/** The key under the cursor and its path, for hover. */
export function keyAt(text: string, line: number, character: number): { path: string[]; start: number; end: number } | undefined {
  const lines = text.split(/\r?\n/);
  const l = lines[line] ?? '';
  const m = KEY_LINE.exec(l);
  if (!m) return undefined;
  const start = l.indexOf(m[2], m[1].length);
  const end = start + m[2].length;
  if (character < start || character > end) return undefined;
  const item = /^\s*-\s+/.exec(l);
  return { path: [...parentsOf(lines, line, m[1].length), ...(item ? ['[]'] : []), unquote(m[2])], start, end };
}

// ---- Named references -------------------------------------------------------------------------

export type RefKind = 'service' | 'network' | 'volume' | 'config' | 'secret';

export interface NamedRef {
  kind: RefKind;
  name: string;
  /** Offsets of the name itself in the file's text. */
  start: number;
  end: number;
  /** The top-level key that defines it (services: web:), not a use. */
  definition: boolean;
}

const TOP: Record<string, RefKind> = { services: 'service', networks: 'network', volumes: 'volume', configs: 'config', secrets: 'secret' };

/** The name part of a scalar, with its offsets (inside quotes; the part before ':' or after a prefix). */
function scalarRef(text: string, node: unknown, kind: RefKind, opts: { prefix?: string; beforeColon?: boolean } = {}): NamedRef | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  let start = node.range[0];
  let end = node.range[1];
  const q = text[start];
  if (q === '"' || q === "'") [start, end] = [start + 1, end - 1];
  let value = text.slice(start, end);
  if (value !== node.value) return undefined;
  if (opts.prefix) {
    if (!value.startsWith(opts.prefix)) return undefined;
    start += opts.prefix.length;
    value = value.slice(opts.prefix.length);
  }
  if (opts.beforeColon && value.includes(':')) {
    value = value.slice(0, value.indexOf(':'));
    end = start + value.length;
  }
  if (!value || value.includes('$')) return undefined;
  return { kind, name: value, start, end, definition: false };
}

function keyRef(pair: Pair, kind: RefKind, definition: boolean): NamedRef | undefined {
  const k = pair.key as Scalar | null;
  if (!isScalar(k) || !k.range) return undefined;
  const name = String(k.value);
  const raw = k.source ?? name;
  const shift = k.range[1] - k.range[0] === name.length ? 0 : raw === name && k.range[1] - k.range[0] === name.length + 2 ? 1 : 0;
  return { kind, name, start: k.range[0] + shift, end: k.range[0] + shift + name.length, definition };
}

const get = (map: YAMLMap, key: string): Node | undefined => map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as Node | undefined;

/** Whether a short volume source names a volume (not a path). */
const isVolumeName = (s: string) => !/^[./~]/.test(s) && !s.includes('/') && !/^[A-Za-z]:\\/.test(s);

/** Every named reference in one file; undefined when the file is not valid YAML (half typed): nothing can be said then. */
export function namedRefs(text: string): NamedRef[] | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length) return undefined;
  if (!isMap(doc.contents)) return [];
  const out: NamedRef[] = [];
  const push = (r: NamedRef | undefined) => r && out.push(r);
  for (const top of doc.contents.items) {
    const kind = isScalar(top.key) ? TOP[String(top.key.value)] : undefined;
    if (!kind || !isMap(top.value)) continue;
    for (const entry of top.value.items) {
      push(keyRef(entry, kind, true));
      if (kind !== 'service' || !isMap(entry.value)) continue;
      const service = entry.value;
      const dependsOn = get(service, 'depends_on');
      if (isSeq(dependsOn)) dependsOn.items.forEach((i) => push(scalarRef(text, i, 'service')));
      if (isMap(dependsOn)) dependsOn.items.forEach((p) => push(keyRef(p, 'service', false)));
      const links = get(service, 'links');
      if (isSeq(links)) links.items.forEach((i) => push(scalarRef(text, i, 'service', { beforeColon: true })));
      const extendsNode = get(service, 'extends');
      if (isScalar(extendsNode)) push(scalarRef(text, extendsNode, 'service'));
      if (isMap(extendsNode) && !get(extendsNode, 'file')) push(scalarRef(text, get(extendsNode, 'service'), 'service'));
      for (const k of ['network_mode', 'pid', 'ipc']) push(scalarRef(text, get(service, k), 'service', { prefix: 'service:' }));
      const volumesFrom = get(service, 'volumes_from');
      if (isSeq(volumesFrom)) volumesFrom.items.forEach((i) => !(isScalar(i) && String(i.value).startsWith('container:')) && push(scalarRef(text, i, 'service', { beforeColon: true })));
      const networks = get(service, 'networks');
      if (isSeq(networks)) networks.items.forEach((i) => push(scalarRef(text, i, 'network')));
      if (isMap(networks)) networks.items.forEach((p) => push(keyRef(p, 'network', false)));
      const volumes = get(service, 'volumes');
      if (isSeq(volumes))
        for (const v of volumes.items) {
          if (isScalar(v) && typeof v.value === 'string' && v.value.includes(':') && isVolumeName(v.value.split(':')[0])) push(scalarRef(text, v, 'volume', { beforeColon: true }));
          if (isMap(v) && (!get(v, 'type') || (get(v, 'type') as Scalar | undefined)?.value === 'volume')) {
            const source = get(v, 'source');
            if (isScalar(source) && isVolumeName(String(source.value))) push(scalarRef(text, source, 'volume'));
          }
        }
      for (const [key, k] of [['configs', 'config'], ['secrets', 'secret']] as const) {
        const list = get(service, key);
        if (!isSeq(list)) continue;
        for (const i of list.items) push(isMap(i) ? scalarRef(text, get(i, 'source'), k) : scalarRef(text, i, k));
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The reference at an offset, if any. */
export function refAt(refs: readonly NamedRef[], offset: number): NamedRef | undefined {
  return refs.find((r) => offset >= r.start && offset <= r.end);
}

export interface OutlineEntry {
  kind: RefKind;
  name: string;
  /** The whole entry (key and value), and the key. */
  start: number;
  end: number;
  keyStart: number;
  keyEnd: number;
}

/** services, networks, volumes, configs and secrets, each with its entries. */
export function composeOutline(text: string): { section: string; start: number; end: number; keyStart: number; keyEnd: number; entries: OutlineEntry[] }[] {
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) return [];
  const out: ReturnType<typeof composeOutline> = [];
  for (const top of doc.contents.items) {
    if (!isPair(top) || !isScalar(top.key) || !top.key.range) continue;
    const section = String(top.key.value);
    const kind = TOP[section];
    if (!kind) continue;
    const entries: OutlineEntry[] = [];
    if (isMap(top.value))
      for (const e of top.value.items) {
        if (!isScalar(e.key) || !e.key.range) continue;
        const valueEnd = (e.value as Node | null)?.range?.[1] ?? e.key.range[1];
        entries.push({ kind, name: String(e.key.value), start: e.key.range[0], end: Math.max(valueEnd, e.key.range[1]), keyStart: e.key.range[0], keyEnd: e.key.range[1] });
      }
    const end = (top.value as Node | null)?.range?.[1] ?? top.key.range[1];
    out.push({ section, start: top.key.range[0], end: Math.max(end, top.key.range[1]), keyStart: top.key.range[0], keyEnd: top.key.range[1], entries });
  }
  return out;
}

/** Services named in depends_on (either form), links, extends, network_mode and the like that no file of the project defines. */
export function undefinedServiceRefs(files: readonly { file: string; refs: readonly NamedRef[] }[]): { file: string; ref: NamedRef }[] {
  const defined = new Set(files.flatMap((f) => f.refs.filter((r) => r.kind === 'service' && r.definition).map((r) => r.name)));
  return files.flatMap((f) => f.refs.filter((r) => r.kind === 'service' && !r.definition && !defined.has(r.name)).map((ref) => ({ file: f.file, ref })));
}

/**
 * The services each file's data names (depends_on in both forms, links, extends without a file,
 * network_mode / pid / ipc "service:", volumes_from) that no file of the project defines. Read
 * from the parsed data, without positions: the common case (none) costs no second parse.
 */
export function undefinedServiceNames(files: readonly { file: string; data?: Record<string, unknown> }[]): { file: string; name: string }[] {
  const services = (d?: Record<string, unknown>) => (d?.services && typeof d.services === 'object' ? (d.services as Record<string, unknown>) : {});
  const defined = new Set(files.flatMap((f) => Object.keys(services(f.data))));
  const out: { file: string; name: string }[] = [];
  const named = (file: string, name: unknown) => typeof name === 'string' && name && !name.includes('$') && !defined.has(name) && out.push({ file, name });
  for (const f of files) {
    for (const raw of Object.values(services(f.data))) {
      if (!raw || typeof raw !== 'object') continue;
      const s = raw as Record<string, unknown>;
      if (Array.isArray(s.depends_on)) s.depends_on.forEach((n) => named(f.file, n));
      else if (s.depends_on && typeof s.depends_on === 'object') Object.keys(s.depends_on).forEach((n) => named(f.file, n));
      if (Array.isArray(s.links)) s.links.forEach((l) => named(f.file, String(l).split(':')[0]));
      if (typeof s.extends === 'string') named(f.file, s.extends);
      else if (s.extends && typeof s.extends === 'object' && !(s.extends as Record<string, unknown>).file) named(f.file, (s.extends as Record<string, unknown>).service);
      for (const k of ['network_mode', 'pid', 'ipc']) if (typeof s[k] === 'string' && (s[k] as string).startsWith('service:')) named(f.file, (s[k] as string).slice(8));
      if (Array.isArray(s.volumes_from)) s.volumes_from.forEach((v) => !String(v).startsWith('container:') && named(f.file, String(v).split(':')[0]));
    }
  }
  return out;
}
