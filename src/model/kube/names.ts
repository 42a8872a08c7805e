// Kubernetes names. Object names here are DNS-1035 labels (lowercase letters, digits and '-',
// starting with a letter, ending with a letter or digit, at most 63): a Service needs that, and
// one rule for every kind keeps a workload's Deployment, Service, ConfigMap and Secret alike.

export const MAX_LABEL = 63;
/** Room kept for the longest suffix a workload's objects get ('-secret'). */
const SUFFIX_ROOM = 7;

const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export function isDnsLabel(name: string): boolean {
  return name.length <= MAX_LABEL && DNS_1035.test(name);
}

/** "My_App.1" -> "my-app-1"; "1st" -> "app-1st"; "" or "__" -> "app". */
export function toDnsLabel(name: string, max = MAX_LABEL): string {
  let s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!s) s = 'app';
  if (!/^[a-z]/.test(s)) s = `app-${s}`;
  return s.slice(0, max).replace(/-+$/, '');
}

/** Hands out converted names, unique within one export: a second "my-app" becomes "my-app-2". */
export class NameRegistry {
  private readonly taken = new Set<string>();
  /** Original -> converted, for every name that had to change. */
  readonly renamed = new Map<string, string>();

  /** A workload's base name, short enough for its suffixed objects. */
  workload(original: string): string {
    return this.claim(original, MAX_LABEL - SUFFIX_ROOM);
  }

  claim(original: string, max = MAX_LABEL): string {
    const base = toDnsLabel(original, max);
    let name = base;
    for (let n = 2; this.taken.has(name); n++) {
      const suffix = `-${n}`;
      name = `${base.slice(0, max - suffix.length).replace(/-+$/, '')}${suffix}`;
    }
    this.taken.add(name);
    if (name !== original) this.renamed.set(original, name);
    return name;
  }
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A label or annotation key: [prefix/]name, the prefix a DNS subdomain. */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

/** A ConfigMap or Secret key. */
export function isConfigKey(key: string): boolean {
  return key.length > 0 && key.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(key);
}
