// The inputs of a run, checked before anything is created: name, environment, mounts, restart
// policy and command. Pure, so each rule is unit-tested.
import { parse as parseShell } from 'shell-quote';
import * as path from 'path';

export type RestartPolicy = 'no' | 'always' | 'unless-stopped' | 'on-failure';

export interface MountSpec {
  type: 'volume' | 'bind';
  /** Volume name, or an absolute host path for a bind mount. */
  source: string;
  target: string;
  readOnly: boolean;
}

export type RunProblem =
  | { problem: 'nameSyntax'; part: string }
  | { problem: 'nameTaken'; part: string }
  | { problem: 'envNoEquals'; part: string; line: number }
  | { problem: 'envEmptyKey'; part: string; line: number }
  | { problem: 'mountSyntax'; part: string }
  | { problem: 'mountTarget'; part: string }
  | { problem: 'mountOption'; part: string }
  | { problem: 'restart'; part: string }
  | { problem: 'command'; part: string };

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

/** `-v` syntax: "name:/data", "/host:/data:ro", "./rel:/data" (relative to `base`). */
export function parseMount(text: string, base: string): MountSpec | RunProblem {
  const parts = text.trim().split(':');
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

/** Splits a command into argv like a shell would, but never runs one: operators are refused. */
export function parseCommand(text: string): string[] | RunProblem | undefined {
  if (!text.trim()) return undefined;
  const out: string[] = [];
  for (const token of parseShell(text, (key) => `$${key}`)) {
    if (typeof token !== 'string') return { problem: 'command', part: 'op' in token ? String(token.op) : text };
    out.push(token);
  }
  return out;
}
