// Which parents' child lists changed between two renders, so a provider re-renders only those.

/** Children by parent key; the root is ''. */
export type ChildMap = Map<string, readonly string[]>;

export const ROOT = '';

export function changedParents(before: ChildMap, after: ChildMap): string[] {
  const out: string[] = [];
  for (const [parent, kids] of after) {
    const old = before.get(parent);
    if (!old || old.length !== kids.length || old.some((k, i) => k !== kids[i])) out.push(parent);
  }
  for (const parent of before.keys()) if (!after.has(parent)) out.push(parent);
  return out;
}
