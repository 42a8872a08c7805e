// Tree element keys, built and read here only. Providers, commands and tests pass these strings
// around (VS Code hands them back to commands), so their shapes must agree everywhere:
//   Containers: `group:<groupBy>:<value>`, the container id, `<id>/port/<ip>:<host>/<port>/<proto>`
//   Images:     `repo:<repository>`, `tag:<reference>`, `dangling:<image id>`, `group:dangling`
// vscode-free, so model code and unit tests use it too.
import type { PortRecord } from '../contract/records';

const GROUP = 'group:';
const PORT = '/port/';
const TAG = 'tag:';
const DANGLING = 'dangling:';
const REPO = 'repo:';

/** The Images view's group of untagged images. */
export const DANGLING_GROUP = `${GROUP}dangling`;

/** A Containers view group: a Compose project, a state or an image. */
export function containerGroupKey(groupBy: string, value: string): string {
  return `${GROUP}${groupBy}:${value}`;
}

export function isGroupKey(key: string): boolean {
  return key.startsWith(GROUP);
}

/** Stable tree id of a published port row under its container. */
export function portKey(containerId: string, p: PortRecord): string {
  return `${containerId}${PORT}${p.hostIp ?? ''}:${p.hostPort ?? ''}/${p.containerPort}/${p.protocol}`;
}

/** The container id a port row belongs to, or undefined for any other key. */
export function portOwner(key: string): string | undefined {
  const at = key.indexOf(PORT);
  return at > 0 ? key.slice(0, at) : undefined;
}

/** An image row: one per tag, or the image itself when it has none. */
export function imageRowKey(row: { image: { id: string }; tag?: string }): string {
  return row.tag ? `${TAG}${row.tag}` : `${DANGLING}${row.image.id}`;
}

/** Whether a key names an image row (as VS Code passes it to a command), rather than a reference. */
export function isImageRowKey(key: string): boolean {
  return key.startsWith(TAG) || key.startsWith(DANGLING);
}

export function repositoryKey(repository: string): string {
  return `${REPO}${repository}`;
}
