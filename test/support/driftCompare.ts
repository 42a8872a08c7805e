// Issue 14: Berth's four trees against the engine's own lists, for this run's objects only (the
// engine is shared). Containers: id, name, state, published ports and the Compose group it sits
// under; images: id and tag rows (dangling ones included); volumes and networks: id, name and
// which containers use each.
// Returns every difference, one line each; empty when the trees match.
import type Docker from 'dockerode';
import type { ContainerRecord, ImageRecord, NetworkRecord, PortRecord, VolumeRecord } from '../../src/contract/records';
import { COMPOSE_PROJECT_LABEL, runFilter } from './churn';
import { TEST_RUN, TEST_RUN_LABEL } from './testEngine';

/** The parts of Berth's providers the comparison reads (structural, so no vscode import here). */
export interface BerthTrees {
  containers: {
    getChildren(el?: string): string[];
    record(id: string): ContainerRecord | undefined;
    getTreeItem(id: string): { label?: string | { label: string }; contextValue?: string; collapsibleState?: number };
    group(key: string): { containers: readonly ContainerRecord[] } | undefined;
    port(key: string): { container: ContainerRecord; port: PortRecord } | undefined;
  };
  images: { getChildren(el?: string): string[]; row(key: string): { image: ImageRecord; tag?: string } | undefined };
  volumes: { getChildren(el?: string): string[]; record(id: string): VolumeRecord | undefined; usersOf(id: string): ContainerRecord[] };
  networks: { getChildren(el?: string): string[]; record(id: string): NetworkRecord | undefined; usersOf(id: string): ContainerRecord[] };
}

const ours = (labels: Record<string, string> | undefined) => labels?.[TEST_RUN_LABEL] === TEST_RUN;
const portText = (ip: string | undefined, host: number | undefined, inside: number, proto: string) => `${ip ?? ''}:${host ?? ''}->${inside}/${proto}`;

/** One line per object: what a user reads off the tree for it. */
function containerLine(name: string, state: string, group: string, ports: string[]): string {
  return `name=${name} state=${state} group=${group || '-'} ports=[${[...ports].sort().join(',')}]`;
}

function resourceLine(name: string, users: string[]): string {
  return `${name} users=[${users.map((id) => id.slice(0, 12)).sort().join(',')}]`;
}

function diffMaps(kind: string, engine: Map<string, string>, berth: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [id, want] of engine) {
    const got = berth.get(id);
    if (got === undefined) out.push(`${kind} ${id.slice(0, 12)} missing from Berth (engine: ${want})`);
    else if (got !== want) out.push(`${kind} ${id.slice(0, 12)} differs: engine ${want}, Berth ${got}`);
  }
  for (const [id, got] of berth) if (!engine.has(id)) out.push(`${kind} ${id.slice(0, 12)} shown by Berth but not on the engine (${got})`);
  return out;
}

export async function engineLists(docker: Docker): Promise<{ containers: Map<string, string>; images: Map<string, string>; volumes: Map<string, string>; networks: Map<string, string> }> {
  const filters = runFilter();
  const [cs, imgs, vols, nets] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listImages({ filters }), docker.listVolumes({ filters }), docker.listNetworks({ filters })]);
  const containers = new Map<string, string>();
  for (const c of cs) {
    const ports = c.Ports.filter((p) => p.PublicPort).map((p) => portText(p.IP, p.PublicPort, p.PrivatePort, p.Type));
    containers.set(c.Id, containerLine(c.Names[0].replace(/^\//, ''), c.State, c.Labels[COMPOSE_PROJECT_LABEL] ?? '', ports));
  }
  const images = new Map<string, string>();
  for (const img of imgs) {
    const tags = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
    if (tags.length) for (const t of tags) images.set(`tag:${t}`, img.Id);
    else images.set(`dangling:${img.Id}`, img.Id);
  }
  // Membership: which containers use each volume and network (the rows count them, the tooltips name them).
  const usersOfVolume = (name: string) => cs.filter((c) => c.Mounts.some((m) => m.Type === 'volume' && m.Name === name)).map((c) => c.Id);
  const usersOfNetwork = (id: string) => cs.filter((c) => Object.values(c.NetworkSettings?.Networks ?? {}).some((n) => n.NetworkID === id)).map((c) => c.Id);
  const volumes = new Map<string, string>((vols.Volumes ?? []).map((v) => [v.Name, resourceLine(v.Driver, usersOfVolume(v.Name))]));
  const networks = new Map<string, string>(nets.map((n) => [n.Id, resourceLine(n.Name, usersOfNetwork(n.Id))]));
  return { containers, images, volumes, networks };
}

/** What Berth's trees show, walked from the roots as VS Code walks them. */
export function berthLists(t: BerthTrees): { containers: Map<string, string>; images: Map<string, string>; volumes: Map<string, string>; networks: Map<string, string> } {
  const containers = new Map<string, string>();
  const row = (id: string, group: string) => {
    const c = t.containers.record(id);
    if (!c || !ours(c.labels)) return;
    // The rendered row, not only the record behind it: its label, the state its contextValue
    // encodes (menus follow it), and port rows only when the row can expand to show them.
    const item = t.containers.getTreeItem(id);
    const name = typeof item.label === 'string' ? item.label : (item.label?.label ?? '?');
    const state = /^container:([a-z]+)/.exec(item.contextValue ?? '')?.[1] ?? `? (${item.contextValue})`;
    const ports = item.collapsibleState
      ? t.containers
          .getChildren(id)
          .map((k) => t.containers.port(k)?.port)
          .filter((p): p is PortRecord => !!p && p.hostPort !== undefined)
          .map((p) => portText(p.hostIp, p.hostPort, p.containerPort, p.protocol))
      : [];
    const line = containerLine(name, state, group, ports);
    containers.set(id, containers.has(id) ? `${containers.get(id)} AND AGAIN ${line}` : line);
  };
  for (const top of t.containers.getChildren()) {
    const group = t.containers.group(top);
    if (!group) {
      row(top, '');
      continue;
    }
    // A group row stands for a Compose project: its members are rows under it.
    const project = top.replace(/^group:composeProject:/, '');
    for (const id of t.containers.getChildren(top)) row(id, project);
  }
  const images = new Map<string, string>();
  for (const top of t.images.getChildren())
    for (const key of [top, ...t.images.getChildren(top)]) {
      const r = t.images.row(key);
      if (r && ours(r.image.labels)) images.set(key, r.image.id);
    }
  const volumes = new Map<string, string>();
  for (const id of t.volumes.getChildren()) {
    const v = t.volumes.record(id);
    if (v && ours(v.labels)) volumes.set(id, resourceLine(v.driver, t.volumes.usersOf(id).map((c) => c.id)));
  }
  const networks = new Map<string, string>();
  for (const id of t.networks.getChildren()) {
    const n = t.networks.record(id);
    // Compared by network id, as events keep it exact. A container connected but never started is
    // on a network by name only (no id yet), and the engine sends no event when a stopped
    // container is connected or disconnected from outside Berth: that membership is as fresh as
    // the last inspect, so it is left out here, on both sides.
    if (n && ours(n.labels)) networks.set(id, resourceLine(n.name, t.networks.usersOf(id).filter((c) => c.networks.includes(id)).map((c) => c.id)));
  }
  return { containers, images, volumes, networks };
}

/** Every difference between the engine's lists and Berth's trees for this run's objects. */
export async function treeDrift(docker: Docker, trees: BerthTrees): Promise<{ differences: string[]; counts: Record<string, number> }> {
  const engine = await engineLists(docker);
  const berth = berthLists(trees);
  const differences = [
    ...diffMaps('container', engine.containers, berth.containers),
    ...diffMaps('image row', engine.images, berth.images),
    ...diffMaps('volume', engine.volumes, berth.volumes),
    ...diffMaps('network', engine.networks, berth.networks),
  ];
  return { differences, counts: { containers: engine.containers.size, images: engine.images.size, volumes: engine.volumes.size, networks: engine.networks.size } };
}
