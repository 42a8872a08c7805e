// How the Containers view arranges rows: grouping (Compose project, state, image) and order.
import type { ContainerRecord } from '../contract/records';
import { containerGroupKey } from './treeKeys';

export type GroupBy = 'none' | 'composeProject' | 'state' | 'image';
export type SortBy = 'created' | 'name' | 'state';

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';

export interface ContainerGroup {
  /** Stable tree id: group:<groupBy>:<value>. */
  key: string;
  label: string;
  containers: ContainerRecord[];
}

const STATE_ORDER = ['running', 'restarting', 'paused', 'created', 'exited', 'removing', 'dead'];

/**
 * Names compare as people read them: numbers by value (web-2 before web-10), in the user's locale
 * (undefined: the runtime's, which VS Code sets to its display language). Base sensitivity would
 * make "Web" and "web" equal, so accents and case still order ties.
 */
const collator = new Intl.Collator(undefined, { numeric: true });
export const compareNames = (a: string, b: string): number => collator.compare(a, b);

export function sortContainersBy(list: readonly ContainerRecord[], sortBy: SortBy): ContainerRecord[] {
  return [...list].sort((a, b) => {
    if (sortBy === 'name') return compareNames(a.name, b.name);
    if (sortBy === 'state') return STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || compareNames(a.name, b.name);
    return b.created - a.created || compareNames(a.name, b.name);
  });
}

/** The group a container belongs to, or undefined when it stays at the top level. */
export function groupValue(c: ContainerRecord, groupBy: GroupBy): string | undefined {
  switch (groupBy) {
    case 'composeProject':
      return c.labels[COMPOSE_PROJECT_LABEL] || undefined;
    case 'state':
      return c.state;
    case 'image':
      return c.image;
    default:
      return undefined;
  }
}

/** Groups first (by label), then the ungrouped containers; each list in `sortBy` order. */
export function arrangeContainers(list: readonly ContainerRecord[], groupBy: GroupBy, sortBy: SortBy): { groups: ContainerGroup[]; loose: ContainerRecord[] } {
  const groups = new Map<string, ContainerGroup>();
  const loose: ContainerRecord[] = [];
  for (const c of sortContainersBy(list, sortBy)) {
    const value = groupValue(c, groupBy);
    if (value === undefined) {
      loose.push(c);
      continue;
    }
    const key = containerGroupKey(groupBy, value);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, label: value, containers: [] }));
    g.containers.push(c);
  }
  const ordered = [...groups.values()].sort((a, b) =>
    groupBy === 'state' ? STATE_ORDER.indexOf(a.label) - STATE_ORDER.indexOf(b.label) : compareNames(a.label, b.label),
  );
  return { groups: ordered, loose };
}
