// Compose's variable interpolation (compose-go's template package): $$, $VAR, ${VAR}, and
// ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, ${VAR+alt}, where
// default, error and alt may themselves hold ${...}.

export type Lookup = (name: string) => string | undefined;

export type InterpolationFailure =
  | { code: 'variableRequired'; variable: string; message: string; offset: number }
  | { code: 'badInterpolation'; text: string; offset: number };

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/** End (index of the closing '}') of a ${...} body starting at `from`, nested ${...} skipped. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') i++;
    else if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** The interpolated text, or why it cannot be; offsets are into `text`. */
export function interpolate(text: string, lookup: Lookup): { value: string } | InterpolationFailure {
  if (!text.includes('$')) return { value: text };
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next !== '{') {
      const name = NAME.exec(text.slice(dollar + 1));
      // compose-go refuses a '$' that starts neither a name nor ${: "Invalid template".
      if (!name) return { code: 'badInterpolation', text: text.slice(dollar, dollar + 2), offset: dollar };
      out += lookup(name[0]) ?? '';
      i = dollar + 1 + name[0].length;
      continue;
    }
    const close = closingBrace(text, dollar + 2);
    if (close < 0) return { code: 'badInterpolation', text: text.slice(dollar), offset: dollar };
    const body = text.slice(dollar + 2, close);
    const name = NAME.exec(body);
    if (!name) return { code: 'badInterpolation', text: text.slice(dollar, close + 1), offset: dollar };
    const rest = body.slice(name[0].length);
    const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
    if (rest && !op) return { code: 'badInterpolation', text: text.slice(dollar, close + 1), offset: dollar };
    const value = lookup(name[0]);
    const wordStart = dollar + 2 + name[0].length + (op?.length ?? 0);
    // The word (default, message, alternative) is interpolated only when it is used.
    const word = (): { value: string } | InterpolationFailure => {
      const r = interpolate(text.slice(wordStart, close), lookup);
      return 'code' in r ? { ...r, offset: r.offset + wordStart } : r;
    };
    const emptyCounts = op?.startsWith(':') ?? false;
    const missing = value === undefined || (emptyCounts && value === '');
    let piece: string;
    if (!op) piece = value ?? '';
    else if (op.endsWith('-')) {
      if (!missing) piece = value as string;
      else {
        const w = word();
        if ('code' in w) return w;
        piece = w.value;
      }
    } else if (op.endsWith('?')) {
      if (!missing) piece = value as string;
      else {
        const w = word();
        if ('code' in w) return w;
        return { code: 'variableRequired', variable: name[0], message: w.value, offset: dollar };
      }
    } else {
      if (missing) piece = '';
      else {
        const w = word();
        if ('code' in w) return w;
        piece = w.value;
      }
    }
    out += piece;
    i = close + 1;
  }
  return { value: out };
}
