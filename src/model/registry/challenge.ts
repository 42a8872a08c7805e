// The registry HTTP API's small grammars: a `WWW-Authenticate` challenge (RFC 7235, as Docker
// Distribution and token servers send it) and a `Link: <…>; rel="next"` page link.

export interface Challenge {
  /** Lower case: 'basic' or 'bearer' (anything else is kept as sent). */
  scheme: string;
  params: Record<string, string>;
}

/** Every challenge in a header value: `Bearer realm="…",service="…",scope="a:b:pull,push"`. */
export function parseChallenges(header: string | undefined): Challenge[] {
  if (!header) return [];
  const out: Challenge[] = [];
  let i = 0;
  const s = header;
  const skip = (re: RegExp) => {
    while (i < s.length && re.test(s[i])) i++;
  };
  while (i < s.length) {
    skip(/[\s,]/);
    const start = i;
    while (i < s.length && /[^\s,=]/.test(s[i])) i++;
    if (i === start) break;
    const scheme = s.slice(start, i).toLowerCase();
    const challenge: Challenge = { scheme, params: {} };
    out.push(challenge);
    // Parameters: name=value or name="quoted, value", separated by commas, until the next scheme.
    for (;;) {
      skip(/\s/);
      const save = i;
      while (i < s.length && /[^\s,=]/.test(s[i])) i++;
      const name = s.slice(save, i).toLowerCase();
      skip(/\s/);
      if (!name || s[i] !== '=') {
        i = save;
        break;
      }
      i++;
      skip(/\s/);
      let value = '';
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          value += s[i++];
        }
        i++;
      } else {
        const vs = i;
        while (i < s.length && s[i] !== ',') i++;
        value = s.slice(vs, i).trim();
      }
      challenge.params[name] = value;
      skip(/\s/);
      if (s[i] === ',') i++;
      else break;
    }
  }
  return out;
}

/** The target of the `rel="next"` link in a Link header, or undefined. */
export function nextLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!m) continue;
    const rels = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2]);
    if (rels && rels[1].split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}

/** The `last` query parameter of a next link ("/v2/_catalog?last=b&n=100" → "b"). */
export function lastOf(link: string): string | undefined {
  try {
    return new URL(link, 'http://registry.invalid').searchParams.get('last') ?? undefined;
  } catch {
    return undefined;
  }
}
