// A fast reader for the block-style YAML compose files are written in: the yaml library takes
// ~100 ms on a 300-service file (bench:compose), most of it building a node per value with its
// position, which only a problem needs. This reads block mappings and sequences, one-line flow
// collections, plain and quoted one-line scalars (YAML 1.2 core types, as yaml's default schema),
// comments, anchors, aliases and merge keys, and gives up (undefined) on anything else: block
// scalars, multi-line scalars, tags (!reset), complex keys, several documents, tabs in
// indentation, duplicate keys. parse.ts then takes the yaml library's path, which also reports
// every problem at its position. test/unit/composeFastYaml.test.ts holds it equal to that path.

type Dict = Record<string, unknown>;

class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

interface Line {
  /** 0-based line number. */
  n: number;
  indent: number;
  /** The text after the indentation (a comment-only line is dropped). */
  text: string;
}

/** Key positions, 1-based, for JSON pointers two levels deep ("/services", "/services/web"). */
export type KeySpans = Map<string, { start: { line: number; column: number }; end: { line: number; column: number } }>;

export interface FastYaml {
  data: unknown;
  keys: KeySpans;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

// YAML 1.2 core schema, as the yaml library resolves plain scalars by default.
function plainValue(s: string): unknown {
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  const c = s.charCodeAt(0);
  // Only text starting like a number can be one: most values skip the regexes.
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return s;
  if (/^[-+]?[0-9]+$/.test(s)) return Number(s);
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(s)) return Number(s);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(s)) return NaN;
  return s;
}

const ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029' };

/** A quoted scalar starting at s[i]; returns the value and the index after the closing quote. */
function quoted(s: string, i: number): [string, number] {
  const q = s[i];
  let out = '';
  let j = i + 1;
  if (q === "'") {
    for (;;) {
      const k = s.indexOf("'", j);
      if (k < 0) giveUp(); // continues on the next line
      out += s.slice(j, k);
      if (s[k + 1] === "'") {
        out += "'";
        j = k + 2;
      } else return [out, k + 1];
    }
  }
  for (;;) {
    if (j >= s.length) giveUp();
    const ch = s[j];
    if (ch === '"') return [out, j + 1];
    if (ch !== '\\') {
      out += ch;
      j++;
      continue;
    }
    const e = s[j + 1];
    if (e in ESCAPES) {
      out += ESCAPES[e];
      j += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = s.slice(j + 2, j + 2 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) giveUp();
      out += String.fromCodePoint(parseInt(hex, 16));
      j += 2 + len;
    } else giveUp();
  }
}

/** What may follow a value on its line: spaces, then nothing or a comment. */
function restIsEmpty(s: string, i: number): boolean {
  while (i < s.length && s[i] === ' ') i++;
  return i >= s.length || s[i] === '#';
}

class Reader {
  private i = 0;
  private readonly anchors = new Map<string, unknown>();
  readonly keys: KeySpans = new Map();

  constructor(private readonly lines: Line[]) {}

  document(): unknown {
    if (!this.lines.length) return null;
    const v = this.block(this.lines[0].indent, '', 0);
    if (this.i < this.lines.length) giveUp();
    return v;
  }

  /** A block node whose first line is lines[i], at exactly `indent`. */
  private block(indent: number, pointer: string, depth: number): unknown {
    const line = this.lines[this.i];
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(indent, pointer, depth);
    if (this.keyOf(line.text)) return this.mapping(indent, pointer, depth);
    return giveUp(); // a multi-line scalar
  }

  /** The key of a mapping entry line and where its value starts, or undefined. */
  private keyOf(text: string): { key: string; raw: number; rest: number } | undefined {
    const c = text[0];
    if (c === '"' || c === "'") {
      const [key, end] = quoted(text, 0);
      let j = end;
      while (text[j] === ' ') j++;
      if (text[j] !== ':' || (j + 1 < text.length && text[j + 1] !== ' ')) return undefined;
      return { key, raw: end, rest: j + 1 };
    }
    if (c === '?' || c === '[' || c === '{' || c === '#' || c === '&' || c === '*' || c === '!' || c === '|' || c === '>' || c === '%' || c === '@' || c === '`') return undefined;
    for (let j = text.indexOf(':'); j >= 0; j = text.indexOf(':', j + 1)) {
      // " #" before the colon: the colon is in a comment.
      const hash = text.indexOf(' #');
      if (hash >= 0 && hash < j) return undefined;
      if (j + 1 === text.length || text[j + 1] === ' ') {
        const raw = text.slice(0, j).replace(/ +$/, '');
        if (!raw) return undefined;
        const key = plainValue(raw);
        return { key: String(key), raw: raw.length, rest: j + 1 };
      }
    }
    return undefined;
  }

  private mapping(indent: number, pointer: string, depth: number): Dict {
    const out: Dict = {};
    const merged: Dict[] = [];
    const seen = new Set<string>();
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line.indent < indent) break;
      if (line.indent > indent) giveUp();
      const k = this.keyOf(line.text);
      if (!k) giveUp();
      const { key } = k as { key: string; raw: number; rest: number };
      const child = `${pointer}/${escapePointer(key)}`;
      if (depth < 2 && key !== '<<') this.keys.set(child, { start: { line: line.n + 1, column: indent + 1 }, end: { line: line.n + 1, column: indent + 1 + (k as { raw: number }).raw } });
      this.i++;
      const value = this.value(line, (k as { rest: number }).rest, indent, child, depth + 1, true);
      if (key === '<<' && !(line.text[0] === '"' || line.text[0] === "'")) {
        for (const m of Array.isArray(value) ? value : [value]) {
          if (!m || typeof m !== 'object' || Array.isArray(m)) giveUp();
          merged.push(m as Dict);
        }
        continue;
      }
      if (seen.has(key)) giveUp(); // yaml reports duplicate keys
      seen.add(key);
      out[key] = value;
    }
    for (const m of merged) for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v;
    return out;
  }

  private sequence(indent: number, pointer: string, depth: number): unknown[] {
    const out: unknown[] = [];
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line.indent < indent) break;
      if (line.indent > indent) giveUp();
      // A sequence at its key's indentation ends where the mapping's next key starts.
      if (!(line.text === '-' || line.text.startsWith('- '))) break;
      const child = `${pointer}/${out.length}`;
      let j = 1;
      while (line.text[j] === ' ') j++;
      const rest = line.text.slice(j);
      if (rest && !rest.startsWith('#') && (rest === '-' || rest.startsWith('- ') || this.keyOf(rest))) {
        // "- key: value" or "- - x": the rest is a block node at its own column.
        this.lines[this.i] = { n: line.n, indent: line.indent + j, text: rest };
        out.push(this.block(line.indent + j, child, depth + 1));
        continue;
      }
      this.i++;
      out.push(this.value(line, 1, indent, child, depth + 1, false));
    }
    return out;
  }

  /**
   * The value after a key or a dash: on the line (scalar, flow collection, alias) or in the lines
   * below it. A mapping's value may be a sequence at the key's own indentation.
   */
  private value(line: Line, from: number, indent: number, pointer: string, depth: number, inMapping: boolean): unknown {
    const s = line.text;
    let j = from;
    while (s[j] === ' ') j++;
    let anchor: string | undefined;
    if (s[j] === '&') {
      const m = /^&([^\s,[\]{}]+)/.exec(s.slice(j));
      if (!m) giveUp();
      anchor = (m as RegExpExecArray)[1];
      j += (m as RegExpExecArray)[0].length;
      while (s[j] === ' ') j++;
    }
    let v: unknown;
    if (j >= s.length || s[j] === '#') {
      const next = this.lines[this.i];
      if (next && (next.indent > indent || (inMapping && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))))) v = this.block(next.indent, pointer, depth);
      else v = null;
    } else {
      const [value, end] = this.inline(s, j);
      if (!restIsEmpty(s, end)) giveUp();
      // A plain scalar continued on the next, deeper line.
      const next = this.lines[this.i];
      if (next && next.indent > indent) giveUp();
      v = value;
    }
    if (anchor !== undefined) this.anchors.set(anchor, v);
    return v;
  }

  /** One value on one line: alias, quoted, flow collection or plain scalar; [value, end]. */
  private inline(s: string, j: number): [unknown, number] {
    const c = s[j];
    if (c === '*') {
      const m = /^\*([^\s,[\]{}]+)/.exec(s.slice(j));
      if (!m || !this.anchors.has(m[1])) giveUp();
      return [this.anchors.get((m as RegExpExecArray)[1]), j + (m as RegExpExecArray)[0].length];
    }
    if (c === '"' || c === "'") return quoted(s, j);
    if (c === '[' || c === '{') return this.flow(s, j);
    if (c === '!' || c === '|' || c === '>' || c === '%' || c === '@' || c === '`' || c === '&' || c === '?') giveUp();
    // A plain scalar runs to a comment or the end; ": " would make it a mapping.
    let end = s.length;
    const hash = s.indexOf(' #', j);
    if (hash >= 0) end = hash;
    const text = s.slice(j, end).replace(/ +$/, '');
    if (text.includes(': ') || text.endsWith(':')) giveUp();
    return [plainValue(text), end];
  }

  /** A flow collection closed on the same line. */
  private flow(s: string, j: number): [unknown, number] {
    const open = s[j];
    const close = open === '[' ? ']' : '}';
    const out: unknown[] | Dict = open === '[' ? [] : {};
    j++;
    const skip = () => {
      while (s[j] === ' ') j++;
    };
    const item = (stop: string): [unknown, number] => {
      const c = s[j];
      if (c === '[' || c === '{') return this.flow(s, j);
      if (c === '"' || c === "'") return quoted(s, j);
      if (c === '*') return this.inline(s, j);
      if (c === '!' || c === '&' || c === '|' || c === '>' || c === '#' || c === '?' || c === undefined) giveUp();
      let k = j;
      while (k < s.length && !stop.includes(s[k]) && !(s[k] === ':' && (s[k + 1] === ' ' || stop.includes(s[k + 1] ?? ''))) && !(s[k] === ' ' && s[k + 1] === '#')) k++;
      if (k >= s.length) giveUp();
      return [plainValue(s.slice(j, k).replace(/ +$/, '')), k];
    };
    skip();
    while (s[j] !== close) {
      if (j >= s.length) giveUp();
      if (Array.isArray(out)) {
        const [v, end] = item(',]');
        j = end;
        skip();
        if (s[j] === ':') giveUp(); // a single-pair mapping in a sequence
        out.push(v);
      } else {
        const [k, end] = item(',}');
        j = end;
        skip();
        let v: unknown = null;
        if (s[j] === ':') {
          j++;
          skip();
          if (s[j] !== ',' && s[j] !== '}') {
            const [value, e2] = item(',}');
            v = value;
            j = e2;
            skip();
          }
        }
        const key = String(k);
        if (key in out) giveUp();
        out[key] = v;
      }
      if (s[j] === ',') {
        j++;
        skip();
      } else if (s[j] !== close) giveUp();
    }
    return [out, j + 1];
  }
}

/** The file's data and its top key positions, or undefined when this reader gives way to yaml. */
export function fastYaml(text: string): FastYaml | undefined {
  const lines: Line[] = [];
  let n = 0;
  let started = false;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    const rest = line.slice(indent);
    if (rest.startsWith('\t')) return undefined;
    const body = rest.replace(/[ \t]+$/, '');
    if (body && !body.startsWith('#')) {
      if (indent === 0 && (body === '---' || body.startsWith('--- ') || body === '...' || body.startsWith('%'))) {
        // One leading document marker is fine; anything else (several documents) is yaml's.
        if (body === '---' && !started && !lines.length) {
          n++;
          continue;
        }
        return undefined;
      }
      if (body.includes('\t')) return undefined;
      started = true;
      lines.push({ n, indent, text: body });
    }
    n++;
  }
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    const reader = new Reader(lines);
    return { data: reader.document(), keys: reader.keys };
  } catch (err) {
    if (err instanceof GiveUp) return undefined;
    throw err;
  }
}
