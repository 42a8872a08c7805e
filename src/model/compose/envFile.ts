// A project's `.env` as Compose reads it (compose-go's dotenv parser), which is not how
// `docker run --env-file` reads a file (model/runSpec.ts parseEnvFile):
// - an `export ` prefix is allowed; `KEY=value` and `KEY: value` both set KEY;
// - whitespace around the key and before the value is dropped;
// - 'single quotes': the text as is, may span lines;
// - "double quotes": \n \r \t \\ \" \$ escapes and ${VAR} expansion, may span lines;
// - unquoted: up to an inline comment (a '#' after whitespace), trailing whitespace dropped,
//   ${VAR} expanded;
// - after a closing quote only whitespace and a comment may follow;
// - a bare `KEY` takes its value from the environment and is left out when that has none;
// - empty lines and lines starting with '#' are skipped; a BOM and CRLF line ends are dropped.
// Expansion looks in the environment first, then at keys set earlier in the file.
import { interpolate, type Lookup } from './interpolate';

export interface EnvFileProblem {
  /** 1-based. */
  line: number;
  column: number;
  text: string;
}

export interface ComposeEnvFile {
  vars: Map<string, string>;
  problems: EnvFileProblem[];
}

const KEY = /^[A-Za-z0-9_.\-[\]]+/;

export function parseComposeEnvFile(content: string, environment: Lookup): ComposeEnvFile {
  const text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const vars = new Map<string, string>();
  const problems: EnvFileProblem[] = [];
  const lookup: Lookup = (name) => environment(name) ?? vars.get(name);
  const expand = (value: string): string => {
    const r = interpolate(value, lookup);
    return 'value' in r ? r.value : value;
  };
  let pos = 0;
  let line = 1;
  const lineStarts = (upTo: number) => {
    for (let k = pos; k < upTo; k++) if (text[k] === '\n') line++;
    pos = upTo;
  };
  while (pos < text.length) {
    const eol = text.indexOf('\n', pos);
    const lineEnd = eol < 0 ? text.length : eol;
    const raw = text.slice(pos, lineEnd);
    const lead = raw.length - raw.trimStart().length;
    let body = raw.trimStart();
    if (!body || body.startsWith('#')) {
      lineStarts(Math.min(text.length, lineEnd + 1));
      continue;
    }
    let col = lead + 1;
    const exp = /^export\s+/.exec(body);
    if (exp) {
      body = body.slice(exp[0].length);
      col += exp[0].length;
    }
    const key = KEY.exec(body)?.[0];
    const afterKey = key ? body.slice(key.length) : body;
    const sep = /^\s*([=:])\s*/.exec(afterKey);
    if (!key || (!sep && afterKey.trim() !== '' && !afterKey.trim().startsWith('#'))) {
      problems.push({ line, column: col, text: raw.trim() });
      lineStarts(Math.min(text.length, lineEnd + 1));
      continue;
    }
    if (!sep) {
      const inherited = environment(key);
      if (inherited !== undefined) vars.set(key, inherited);
      lineStarts(Math.min(text.length, lineEnd + 1));
      continue;
    }
    // Offset of the value in `text`: quoted values may run past this line.
    const valueStart = pos + lead + (exp?.[0].length ?? 0) + key.length + sep[0].length;
    const quote = text[valueStart];
    if (quote === "'" || quote === '"') {
      let end = valueStart + 1;
      for (; end < text.length; end++) {
        if (quote === '"' && text[end] === '\\') end++;
        else if (text[end] === quote) break;
      }
      if (end >= text.length) {
        problems.push({ line, column: col, text: raw.trim() });
        lineStarts(text.length);
        continue;
      }
      let value = text.slice(valueStart + 1, end);
      if (quote === '"') {
        value = expand(value.replace(/\\\$/g, '$$$$')).replace(/\\([nrt"\\])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[c] as string);
      }
      const restEnd = text.indexOf('\n', end);
      const rest = text.slice(end + 1, restEnd < 0 ? text.length : restEnd);
      if (rest.trim() && !rest.trim().startsWith('#')) problems.push({ line, column: col, text: raw.trim() });
      else vars.set(key, value);
      lineStarts(restEnd < 0 ? text.length : restEnd + 1);
      continue;
    }
    let value = text.slice(valueStart, lineEnd);
    const comment = /\s#/.exec(value);
    if (comment) value = value.slice(0, comment.index);
    vars.set(key, expand(value.trimEnd()));
    lineStarts(Math.min(text.length, lineEnd + 1));
  }
  return { vars, problems };
}
