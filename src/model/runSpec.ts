// The inputs of a run, checked before anything is created: name, environment, mounts, restart
// policy and command. Pure, so each rule is unit-tested.
import * as path from 'path';
import { shellWords } from './shellWords';

export type RestartPolicy = 'no' | 'always' | 'unless-stopped' | 'on-failure';

export interface MountSpec {
  type: 'volume' | 'bind';
  /** Volume name ('' for an anonymous volume), or an absolute host path for a bind mount. */
  source: string;
  target: string;
  readOnly: boolean;
}

export type RunProblem =
  | { problem: 'nameSyntax'; part: string }
  | { problem: 'nameTaken'; part: string }
  | { problem: 'envNoEquals'; part: string; line: number }
  | { problem: 'envEmptyKey'; part: string; line: number }
  | { problem: 'envFileKeySpace'; part: string; line: number }
  | { problem: 'envFileNoKey'; part: string; line: number }
  | { problem: 'envFileUtf8'; line: number }
  | { problem: 'envFileLongLine'; line: number }
  | { problem: 'mountSyntax'; part: string }
  | { problem: 'mountTarget'; part: string }
  | { problem: 'mountOption'; part: string }
  | { problem: 'restart'; part: string }
  | { problem: 'command'; part: string }
  | { problem: 'commandQuote'; part: 'single' | 'double' };

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function isProblem(x: unknown): x is RunProblem {
  return !!x && typeof x === 'object' && 'problem' in x;
}

/** Docker's container name rule, and unique among `taken`. Empty means "let the engine name it". */
export function checkName(name: string, taken: ReadonlySet<string>): RunProblem | undefined {
  const n = name.trim().replace(/^\//, '');
  if (!n) return undefined;
  if (!NAME.test(n)) return { problem: 'nameSyntax', part: n };
  if (taken.has(n)) return { problem: 'nameTaken', part: n };
  return undefined;
}

/** "web" -> "web-2" when "web" is taken: the first free suggestion. */
export function suggestName(base: string, taken: ReadonlySet<string>): string {
  const clean = base.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '') || 'container';
  const root = clean.length < 2 ? `${clean}-1` : clean;
  if (!taken.has(root)) return root;
  for (let i = 2; ; i++) if (!taken.has(`${root}-${i}`)) return `${root}-${i}`;
}

/** KEY=value lines (an env file or typed lines); blank lines and # comments are skipped. */
export function parseEnv(text: string): string[] | RunProblem {
  const out: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) return { problem: 'envNoEquals', part: line, line: i + 1 };
    if (eq === 0) return { problem: 'envEmptyKey', part: line, line: i + 1 };
    out.push(`${line.slice(0, eq).trim()}=${line.slice(eq + 1)}`);
  }
  return out;
}

// Go's unicode.IsSpace, which docker uses to trim the start of each env-file line (JS's \s differs:
// it counts U+FEFF and not U+0085).
const GO_LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
// bufio.Scanner's default limit: docker fails on a longer line.
const MAX_LINE_BYTES = 64 * 1024;

/**
 * An env file exactly as `docker run --env-file` reads it (docker/cli pkg/kvfile, formerly
 * opts/envfile.go): lines split on \n with a trailing \r dropped; each must be valid UTF-8; a
 * BOM at the start of the file is dropped; leading whitespace is trimmed and nothing else; empty
 * lines and lines starting with # are skipped; the key is what comes before the first = and may
 * not contain a space or tab; the value is everything after it, quotes and trailing spaces
 * included; a line without = takes its value from `lookup` (the process environment) and is
 * dropped when that has none.
 *
 * This is not Compose's `.env` format: Compose strips quotes around values, accepts an `export `
 * prefix, interpolates ${VAR} and allows inline comments. Here `export A=1` is an error (the key
 * "export A" contains a space) and A="x" sets the value "x" with its quotes, as docker run does.
 */
export function parseEnvFile(bytes: Uint8Array, lookup: (name: string) => string | undefined): string[] | RunProblem {
  const out: string[] = [];
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let start = 0;
  for (let n = 1; start < bytes.length; n++) {
    let end = bytes.indexOf(0x0a, start);
    const next = end < 0 ? bytes.length : end + 1;
    if (end < 0) end = bytes.length;
    let raw = bytes.subarray(start, end);
    start = next;
    if (raw.length && raw[raw.length - 1] === 0x0d) raw = raw.subarray(0, raw.length - 1);
    if (raw.length >= MAX_LINE_BYTES) return { problem: 'envFileLongLine', line: n };
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch {
      return { problem: 'envFileUtf8', line: n };
    }
    if (n === 1 && text.startsWith('\ufeff')) text = text.slice(1);
    const line = text.replace(GO_LEADING_SPACE, '');
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (!key) return { problem: 'envFileNoKey', part: line, line: n };
    if (/[ \t]/.test(key)) return { problem: 'envFileKeySpace', part: key, line: n };
    if (eq >= 0) out.push(line);
    else {
      const value = lookup(key);
      if (value !== undefined) out.push(`${key}=${value}`);
    }
  }
  return out;
}

/**
 * `-v` syntax: "name:/data", "/host:/data:ro", "./rel:/data" (relative to `base`), or a container
 * path alone ("/data") for an anonymous volume, as `docker run -v /data` makes.
 */
export function parseMount(text: string, base: string): MountSpec | RunProblem {
  const parts = text.trim().split(':');
  if (parts.length === 1 && parts[0].startsWith('/')) return { type: 'volume', source: '', target: parts[0], readOnly: false };
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) return { problem: 'mountSyntax', part: text.trim() };
  const [source, target, options] = parts;
  if (!target.startsWith('/')) return { problem: 'mountTarget', part: target };
  if (options !== undefined && options !== 'ro' && options !== 'rw') return { problem: 'mountOption', part: options };
  const isPath = source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
  if (!isPath && !VOLUME_NAME.test(source)) return { problem: 'mountSyntax', part: source };
  return {
    type: isPath ? 'bind' : 'volume',
    source: isPath ? path.resolve(base, source) : source,
    target,
    readOnly: options === 'ro',
  };
}

export function parseRestart(text: string): { name: RestartPolicy; maximumRetryCount?: number } | RunProblem {
  const t = text.trim() || 'no';
  const m = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(t);
  if (!m || (m[2] !== undefined && m[1] !== 'on-failure')) return { problem: 'restart', part: t };
  return { name: m[1] as RestartPolicy, maximumRetryCount: m[2] === undefined ? undefined : Number(m[2]) };
}

/** Splits a command into argv like a shell would, but never runs one: operators and unclosed quotes are refused. */
export function parseCommand(text: string): string[] | RunProblem | undefined {
  if (!text.trim()) return undefined;
  const words = shellWords(text);
  if (Array.isArray(words)) return words;
  return words.problem === 'operator' ? { problem: 'command', part: words.op } : { problem: 'commandQuote', part: words.quote };
}

/**
 * Ports sent with a run on this network. Host networking shares the host's ports, so the engine
 * ignores published ones (with only a warning in its answer): send none, and say which were dropped.
 */
export function portsForNetwork<T>(network: string | undefined, ports: T[]): { ports: T[]; ignored: T[] } {
  return network === 'host' ? { ports: [], ignored: ports } : { ports, ignored: [] };
}
