// Docker's rules for names users type: containers and volumes ([a-zA-Z0-9][a-zA-Z0-9_.-]+, as
// daemon/names.go's RestrictedNamePattern), and what the engine accepts for a network name.

const RESTRICTED = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export type NameProblem = 'empty' | 'pattern' | 'taken';

/** A container or volume name (a leading slash, as the engine lists container names, is allowed). */
export function objectNameProblem(name: string, taken: Iterable<string>): NameProblem | undefined {
  const bare = name.startsWith('/') ? name.slice(1) : name;
  if (!bare) return 'empty';
  if (!RESTRICTED.test(bare)) return 'pattern';
  for (const t of taken) if (t === bare) return 'taken';
  return undefined;
}

/** A network name: the engine takes most text, but not blanks or nothing (and one name once). */
export function networkNameProblem(name: string, taken: Iterable<string>): NameProblem | undefined {
  if (!name) return 'empty';
  if (/\s|\//.test(name)) return 'pattern';
  for (const t of taken) if (t === name) return 'taken';
  return undefined;
}

/**
 * `key=value` items separated by spaces (driver options, labels): the pairs, or the first item that
 * is not one. Spaces, not commas: an NFS volume's `o=addr=10.0.0.1,rw` holds commas.
 */
export function parsePairs(text: string): { pairs: Record<string, string> } | { bad: string } {
  const pairs: Record<string, string> = {};
  for (const raw of text.split(/\s+/)) {
    const item = raw.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq <= 0) return { bad: item };
    pairs[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return { pairs };
}
