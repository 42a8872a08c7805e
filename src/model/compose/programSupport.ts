// Which keys of the Compose Specification a Compose program version refuses, so that Berth can say
// so before running it (the program's own refusal is one line of schema jargon, then advice
// about file versions). docker-compose 1.x checks files against a 2021 schema: everything newer is
// "Unsupported config option" or "does not match any of the regexes: '^x-'". Every v1 entry
// below was refused by docker-compose 1.29.2 on this machine (its compose_spec.json, compared
// with the vendored schema, lists exactly these); v2 entries are the release that added the key.
import type { ParsedFile } from './parse';
import type { ComposePosition } from './problems';
import type { ComposeProgram } from './program';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v);

interface KeyRule {
  /** Where the key sits: '' top level, 'service', 'build' (a service's build), 'dependsOn' (one entry of depends_on), 'network', 'secret', 'config', 'mount' (a service volume, long form). */
  at: 'top' | 'service' | 'build' | 'dependsOn' | 'network' | 'secret' | 'config' | 'mount';
  key: string;
  /** The first docker-compose 1.x that accepts it; undefined: no 1.x does. */
  v1?: string;
  /** The first Compose v2 that accepts it; undefined: every v2 does. */
  v2?: string;
}

const RULES: KeyRule[] = [
  { at: 'top', key: 'name' },
  { at: 'top', key: 'include', v2: '2.20.0' },
  { at: 'top', key: 'models', v2: '2.38.0' },
  { at: 'service', key: 'profiles', v1: '1.28.0' },
  { at: 'service', key: 'develop', v2: '2.22.0' },
  { at: 'service', key: 'post_start', v2: '2.30.0' },
  { at: 'service', key: 'pre_stop', v2: '2.30.0' },
  { at: 'service', key: 'models', v2: '2.38.0' },
  ...['annotations', 'attach', 'cgroup', 'label_file', 'provider', 'gpus', 'pull_refresh_after', 'use_api_socket', 'uts'].map((key) => ({ at: 'service' as const, key })),
  ...['dockerfile_inline', 'entitlements', 'ssh', 'cache_to', 'no_cache', 'additional_contexts', 'pull', 'privileged', 'secrets', 'tags', 'ulimits', 'platforms'].map((key) => ({ at: 'build' as const, key })),
  { at: 'dependsOn', key: 'required' },
  { at: 'dependsOn', key: 'restart' },
  { at: 'network', key: 'enable_ipv4' },
  { at: 'secret', key: 'environment' },
  { at: 'config', key: 'content' },
  { at: 'config', key: 'environment' },
  { at: 'mount', key: 'image' },
];

export interface ProgramRefusal {
  /** The key as the file writes it ("name", "develop"). */
  key: string;
  /** Its JSON pointer ("/name", "/services/web/develop"). */
  pointer: string;
  file: string;
  start?: ComposePosition;
  /** The first version of this program's line that accepts it; undefined: none does (use Compose v2). */
  since?: string;
}

/** -1, 0 or 1 as version a is before, equal to or after b ("1.29.2" vs "1.28.0"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every [pointer, key, rule] the file's data holds that some program version refuses. */
function keysOf(data: Dict): [string, KeyRule][] {
  const out: [string, KeyRule][] = [];
  const check = (obj: unknown, base: string, at: KeyRule['at']) => {
    if (!isDict(obj)) return;
    for (const r of RULES) if (r.at === at && r.key in obj) out.push([`${base}/${r.key}`, r]);
  };
  check(data, '', 'top');
  const named = (section: string, at: KeyRule['at']) => {
    const all = data[section];
    if (isDict(all)) for (const [n, def] of Object.entries(all)) check(def, `/${section}/${escapePointer(n)}`, at);
  };
  named('networks', 'network');
  named('secrets', 'secret');
  named('configs', 'config');
  if (isDict(data.services))
    for (const [n, svc] of Object.entries(data.services)) {
      if (!isDict(svc)) continue;
      const base = `/services/${escapePointer(n)}`;
      check(svc, base, 'service');
      check(svc.build, `${base}/build`, 'build');
      if (isDict(svc.depends_on)) for (const [d, entry] of Object.entries(svc.depends_on)) check(entry, `${base}/depends_on/${escapePointer(d)}`, 'dependsOn');
      if (Array.isArray(svc.volumes)) svc.volumes.forEach((m, i) => check(m, `${base}/volumes/${i}`, 'mount'));
    }
  return out;
}

/**
 * The keys of these files that this program refuses, in file order; none when its version is
 * unknown or it is not Docker's Compose (podman compose has rules of its own).
 */
export function programRefusals(program: ComposeProgram, files: readonly ParsedFile[]): ProgramRefusal[] {
  if (!program.version || program.kind === 'podman') return [];
  const major = Number(program.version.split('.')[0]);
  const out: ProgramRefusal[] = [];
  for (const f of files) {
    if (!f.data) continue;
    for (const [pointer, rule] of keysOf(f.data)) {
      const since = major === 1 ? rule.v1 : rule.v2;
      const refused = major === 1 ? !rule.v1 || compareVersions(program.version, rule.v1) < 0 : !!rule.v2 && compareVersions(program.version, rule.v2) < 0;
      if (!refused) continue;
      out.push({ key: rule.key, pointer, file: f.file, start: f.locate(pointer, true)?.start, since });
    }
  }
  return out;
}
