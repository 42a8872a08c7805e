// Tree keys and URIs of container files, shared by the always-loaded tree and the files bundle.
// A Files node is `files:<container id>`; an entry is `file:<container id>:<path>`.

export const FILES_SCHEME = 'berth-container';

export function filesKey(containerId: string): string {
  return `files:${containerId}`;
}

export function fileKey(containerId: string, path: string): string {
  return `file:${containerId}:${path}`;
}

/** The container and path a Files node ('/') or an entry stands for. */
export function parseFileKey(key: string): { containerId: string; path: string } | undefined {
  if (key.startsWith('files:')) return { containerId: key.slice(6), path: '/' };
  const m = /^file:([^:]+):(\/.*)$/s.exec(key);
  return m ? { containerId: m[1], path: m[2] } : undefined;
}

export function isFileKey(key: string): boolean {
  return key.startsWith('files:') || key.startsWith('file:');
}

/** The parent row of a Files node or an entry. */
export function fileKeyParent(key: string): string | undefined {
  const k = parseFileKey(key);
  if (!k) return undefined;
  if (key.startsWith('files:')) return k.containerId;
  const dir = k.path.slice(0, k.path.lastIndexOf('/')) || '/';
  return dir === '/' ? filesKey(k.containerId) : fileKey(k.containerId, dir);
}
