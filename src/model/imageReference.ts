// Docker's image references: split into repository and tag (the one parser Berth has), and the
// grammar (distribution/reference) that rejects a bad tag as it is typed, naming the wrong part.

const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const MAX_NAME = 255;

export type ReferenceProblem =
  | 'empty'
  | 'digest'
  | 'uppercase'
  | 'pathComponent'
  | 'emptyComponent'
  | 'host'
  | 'port'
  | 'tag'
  | 'tagTooLong'
  | 'nameTooLong'
  | 'badDigest'
  | 'tagWithAllTags';

export interface ReferenceError {
  problem: ReferenceProblem;
  /** The offending part, as typed. */
  part: string;
}

/**
 * Splits "host:5000/team/app:1.2" into repository and tag: the tag is after the last ':' past the
 * last '/'; a digest reference ("app@sha256:…") has the digest as its tag; none means "latest".
 */
export function parseReference(ref: string): { repository: string; tag: string } {
  const at = ref.indexOf('@');
  const { name, tag } = splitTag(at >= 0 ? ref.slice(0, at) : ref);
  return { repository: name, tag: tag ?? (at >= 0 ? ref.slice(at + 1) : 'latest') };
}

/** A registry port ("host:5000/app") is not a tag: only a ':' after the last '/' starts one. */
function splitTag(ref: string): { name: string; tag?: string } {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? { name: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { name: ref };
}

/** Splits off a registry host the way Docker does: only when the first part looks like a host. */
function splitDomain(name: string): { domain?: string; path: string } {
  const slash = name.indexOf('/');
  if (slash < 0) return { path: name };
  const first = name.slice(0, slash);
  if (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first) return { path: name };
  return { domain: first, path: name.slice(slash + 1) };
}

function checkDomain(domain: string): ReferenceError | undefined {
  if (domain.startsWith('[')) return undefined; // an IPv6 literal; the engine checks it
  const [host, port, ...rest] = domain.split(':');
  if (rest.length || !host.split('.').every((c) => DOMAIN_COMPONENT.test(c))) return { problem: 'host', part: domain };
  if (port !== undefined && !/^[0-9]+$/.test(port)) return { problem: 'port', part: port };
  return undefined;
}

/** Validates a build tag ("name[:tag]"); returns undefined when Docker would accept it. */
export function checkTag(input: string): ReferenceError | undefined {
  const ref = input.trim();
  if (!ref) return { problem: 'empty', part: '' };
  if (ref.includes('@')) return { problem: 'digest', part: ref.slice(ref.indexOf('@')) };
  const { name, tag } = splitTag(ref);
  if (tag !== undefined) {
    if (tag.length > 128 && /^[\w][\w.-]*$/.test(tag)) return { problem: 'tagTooLong', part: tag };
    if (!TAG.test(tag)) return { problem: 'tag', part: tag };
  }
  if (name.length > MAX_NAME) return { problem: 'nameTooLong', part: name };
  const { domain, path } = splitDomain(name);
  if (domain) {
    const bad = checkDomain(domain);
    if (bad) return bad;
  }
  for (const component of path.split('/')) {
    if (!component) return { problem: 'emptyComponent', part: name };
    if (PATH_COMPONENT.test(component)) continue;
    if (PATH_COMPONENT.test(component.toLowerCase())) return { problem: 'uppercase', part: component };
    return { problem: 'pathComponent', part: component };
  }
  return undefined;
}

/** The tag to use: "latest" added when none is given, as the engine does. */
export function normalizeTag(input: string): string {
  const ref = input.trim();
  return splitTag(ref).tag !== undefined ? ref : `${ref}:latest`;
}

/** A repository name Docker accepts, made from a folder name: "My App" -> "my-app". */
export function repositoryFromFolder(folder: string): string {
  const cleaned = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .replace(/([._-])[._-]+/g, '$1');
  return cleaned || 'image';
}

/** The registry a reference names, as Docker reads it: "docker.io" when it names none. */
export function registryHost(ref: string): string {
  const name = ref.trim().split('@')[0];
  const { domain } = splitDomain(splitTag(name).name);
  return !domain || domain === 'index.docker.io' ? 'docker.io' : domain;
}

/** Whether a reference names its registry, rather than going to Docker Hub by default. */
export function namesRegistry(ref: string): boolean {
  return splitDomain(splitTag(ref.trim().split('@')[0]).name).domain !== undefined;
}

/**
 * Checks a reference to pull: name[:tag] or name@digest (sha256 with 64 hex digits); with allTags
 * the repository alone. Undefined when Docker would accept it.
 */
export function checkPullReference(input: string, allTags = false): ReferenceError | undefined {
  const ref = input.trim();
  const at = ref.indexOf('@');
  if (at >= 0) {
    if (allTags) return { problem: 'digest', part: ref.slice(at) };
    const digest = ref.slice(at + 1);
    if (!/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/.test(digest) || (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest))) return { problem: 'badDigest', part: digest };
    return checkTag(ref.slice(0, at));
  }
  if (allTags && splitTag(ref).tag !== undefined) return { problem: 'tagWithAllTags', part: splitTag(ref).tag ?? '' };
  return checkTag(ref);
}
