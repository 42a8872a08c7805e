// The Containers view's shape as data: children per parent, and which elements to re-render after
// a store change. VS Code re-renders a fired element together with everything expanded under it
// (a fired group re-renders all its rows), and firing the root re-renders every row, so firing
// the narrowest parents matters at 1,000 containers. vscode-free, for unit tests.
import { publishedPorts } from './format';
import { arrangeContainers, groupValue, type ContainerGroup, type GroupBy, type SortBy } from './grouping';
import type { ContainerRecord } from '../contract/records';
import { changedParents, ROOT, type ChildMap } from './treeDiff';
import { portKey } from './treeKeys';

export interface ContainerTree {
  /** ROOT → groups then ungrouped ids; group → its ids; id → port keys (only with ports). */
  children: ChildMap;
  groups: Map<string, ContainerGroup>;
  /** Each shown container's parent: a group key, or ROOT. */
  parents: Map<string, string>;
  /** The top-level containers' records, by id. */
  loose: Map<string, ContainerRecord>;
}

export function containerTree(list: readonly ContainerRecord[], groupBy: GroupBy, sortBy: SortBy): ContainerTree {
  const { groups, loose } = arrangeContainers(list, groupBy, sortBy);
  const children: ChildMap = new Map();
  const parents = new Map<string, string>();
  const add = (c: ContainerRecord, parent: string) => {
    parents.set(c.id, parent);
    const ports = publishedPorts(c);
    if (ports.length) children.set(c.id, ports.map((p) => portKey(c.id, p)));
    return c.id;
  };
  for (const g of groups) children.set(g.key, g.containers.map((c) => add(c, g.key)));
  children.set(ROOT, [...groups.map((g) => g.key), ...loose.map((c) => add(c, ROOT))]);
  return { children, groups: new Map(groups.map((g) => [g.key, g])), parents, loose: new Map(loose.map((c) => [c.id, c])) };
}

/** Where a container sits: its parent, its place in the sort, its port rows. */
function place(c: ContainerRecord, groupBy: GroupBy, sortBy: SortBy): string {
  return JSON.stringify([groupValue(c, groupBy), c.name, c.image, c.created, sortBy === 'state' ? c.state : '', publishedPorts(c).map((p) => portKey(c.id, p))]);
}

/**
 * The tree with updated records swapped in, when none of them moved (same parent, sort place and
 * ports, as a start or stop usually is): a state change then costs its group, not a re-sort of
 * every container. Undefined when one moved, or is not in the tree: rebuild then.
 */
export function patchTree(tree: ContainerTree, records: readonly ContainerRecord[], groupBy: GroupBy, sortBy: SortBy): ContainerTree | undefined {
  const groups = new Map(tree.groups);
  for (const next of records) {
    const parent = tree.parents.get(next.id);
    const g = parent === undefined ? undefined : groups.get(parent);
    const i = g ? g.containers.findIndex((c) => c.id === next.id) : -1;
    const prev = g ? g.containers[i] : tree.loose.get(next.id);
    if (!prev || place(prev, groupBy, sortBy) !== place(next, groupBy, sortBy)) return undefined;
    if (g) groups.set(g.key, { ...g, containers: g.containers.map((c, k) => (k === i ? next : c)) });
  }
  const loose = new Map(tree.loose);
  for (const next of records) if (loose.has(next.id)) loose.set(next.id, next);
  return { children: tree.children, groups, parents: tree.parents, loose };
}

/** What a group row shows besides its fixed label: its size and how many run. */
function groupText(g: ContainerGroup): string {
  return `${g.containers.filter((c) => c.state === 'running').length}/${g.containers.length}`;
}

/**
 * The elements to fire after `before` became `after`, or undefined for the whole tree (the top
 * level changed). A parent whose children changed (added, removed, moved, reordered, ports
 * changed) fires; a group whose counts changed fires; an `updated` row fires when `rowChanged`
 * says its text changed. A row under a fired parent is left out: VS Code re-renders it with it.
 */
export function refreshTargets(before: ContainerTree, after: ContainerTree, updated: readonly string[], rowChanged: (id: string) => boolean): string[] | undefined {
  const fire = new Set<string>();
  for (const parent of changedParents(before.children, after.children)) {
    if (parent === ROOT) return undefined;
    // A parent that is gone (a removed container's ports) is covered by its own parent's change.
    if (after.groups.has(parent) || after.parents.has(parent)) fire.add(parent);
  }
  for (const [key, g] of after.groups) {
    const was = before.groups.get(key);
    if (was && groupText(was) !== groupText(g)) fire.add(key);
  }
  for (const id of updated) {
    const parent = after.parents.get(id);
    if (parent !== undefined && rowChanged(id)) fire.add(id);
  }
  return [...fire].filter((key) => !fire.has(after.parents.get(key) ?? ROOT));
}
