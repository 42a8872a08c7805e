// Workloads as Kubernetes objects: per workload a Deployment, a Service for its ports, a ConfigMap
// for its environment and a Secret of placeholders for what looks secret; a PersistentVolumeClaim
// per named volume. Objects are built key by key in one fixed order, workloads sorted by name, so
// the same input always gives the same document.
import { looksSecret } from '../secrets';
import { isConfigKey, isLabelValue, isQualifiedName, NameRegistry } from './names';
import { note, KubeExportError, type Note } from './notes';
import { probeFor } from './probes';
import type { ExportInput, ExportOptions, Workload, WorkloadPort } from './workload';

export type KubeObject = Record<string, unknown>;

export interface Manifest {
  object: KubeObject;
  /** Said just above this object. */
  notes: Note[];
}

export interface KubeExport {
  /** Everything changed or not carried over, for the top of the document. */
  notes: Note[];
  manifests: Manifest[];
}

export const NAME_LABEL = 'app.kubernetes.io/name';
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
/** What a Secret's values are until the user puts the real ones in. */
export const SECRET_PLACEHOLDER = 'CHANGE-ME';
/** Kubernetes lists every port; a Docker range of thousands would bury the document. */
export const MAX_PORTS = 100;

/** A URL with a user and password in it ("postgres://app:pw@db/app") is a secret whatever its name. */
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^@\s]+@/i;

export function isSecretEntry(key: string, value: string | null): boolean {
  return looksSecret(key) || (value !== null && CREDENTIAL_URL.test(value));
}

const KI = 1024;

/** Bytes as a Kubernetes quantity: "512Mi", "1Gi", or plain bytes. */
export function memoryQuantity(bytes: number): string {
  for (const [unit, size] of [['Gi', KI ** 3], ['Mi', KI ** 2], ['Ki', KI]] as const) if (bytes % size === 0) return `${bytes / size}${unit}`;
  return String(bytes);
}

/** Cores as a Kubernetes quantity: 2 -> "2", 0.5 -> "500m". */
export function cpuQuantity(cpus: number): string {
  const milli = Math.max(1, Math.round(cpus * 1000));
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

const sortedRecord = <V>(r: Record<string, V>): Record<string, V> => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function upper(p: WorkloadPort['protocol']): string {
  return p.toUpperCase();
}

function resources(w: Workload): KubeObject | undefined {
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  if (w.limits.cpus) limits.cpu = cpuQuantity(w.limits.cpus);
  if (w.limits.memoryBytes) limits.memory = memoryQuantity(w.limits.memoryBytes);
  if (w.reservations.cpus) requests.cpu = cpuQuantity(w.reservations.cpus);
  if (w.reservations.memoryBytes) requests.memory = memoryQuantity(w.reservations.memoryBytes);
  if (!Object.keys(limits).length && !Object.keys(requests).length) return undefined;
  return { ...(Object.keys(limits).length ? { limits } : {}), ...(Object.keys(requests).length ? { requests } : {}) };
}

/** Docker's "uid[:gid]" as a securityContext; a user name has no Kubernetes equivalent. */
function securityContext(w: Workload, notes: Note[]): KubeObject | undefined {
  const ctx: KubeObject = {};
  if (w.user) {
    const m = /^(\d+)(?::(\d+))?$/.exec(w.user);
    if (m) Object.assign(ctx, { runAsUser: Number(m[1]), ...(m[2] ? { runAsGroup: Number(m[2]) } : {}) });
    else notes.push(note('unsupported', w.name, `user: ${w.user}`));
  }
  if (w.readOnlyRoot) ctx.readOnlyRootFilesystem = true;
  return Object.keys(ctx).length ? ctx : undefined;
}

/** Docker's --dns, --dns-search, --dns-option ("ndots:2") as a pod's dnsConfig, added to the cluster's own. */
function dnsConfig(dns: NonNullable<Workload['dns']>): KubeObject {
  const options = dns.options.map((o) => {
    const [name, value] = o.split(':');
    return value === undefined ? { name } : { name, value };
  });
  return { ...(dns.nameservers.length ? { nameservers: dns.nameservers } : {}), ...(dns.searches.length ? { searches: dns.searches } : {}), ...(options.length ? { options } : {}) };
}

/** Secret values worth looking for elsewhere, longest first, with their variable: not "1" or "true". */
function secretValuesOf(entries: readonly [string, string | null][]): [string, string][] {
  return entries
    .filter((e): e is [string, string] => e[1] !== null && isSecretEntry(e[0], e[1]) && (e[1].length >= 6 || (e[1].length >= 4 && /[^a-z]/i.test(e[1]))))
    .map(([k, v]): [string, string] => [v, k])
    .sort((a, b) => b[0].length - a[0].length);
}

/**
 * Replaces secret values written into a container's command, args or probes with a reference to
 * their variable: $(KEY) where Kubernetes expands it (command, args), $KEY inside `sh -c`, else
 * the placeholder. Returns the variables whose values were found.
 */
function scrubSecrets(container: KubeObject, secretValues: readonly [string, string][]): string[] {
  if (!secretValues.length) return [];
  const found = new Set<string>();
  const replace = (text: string, ref: (key: string) => string) => {
    let out = text;
    for (const [value, key] of secretValues)
      if (out.includes(value)) {
        found.add(key);
        out = out.split(value).join(ref(key));
      }
    return out;
  };
  const walk = (v: unknown, ref: (key: string) => string): unknown => {
    if (typeof v === 'string') return replace(v, ref);
    if (Array.isArray(v)) {
      const shell = v.length >= 3 && typeof v[0] === 'string' && /(^|\/)(ba|a|da)?sh$/.test(v[0]) && v[1] === '-c';
      return v.map((x, i) => walk(x, shell && i >= 2 ? (k) => `$${k}` : ref));
    }
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, ref)]));
    return v;
  };
  for (const field of ['command', 'args', 'readinessProbe', 'livenessProbe', 'workingDir']) {
    if (container[field] === undefined) continue;
    container[field] = walk(container[field], field === 'command' || field === 'args' ? (k) => `$(${k})` : () => SECRET_PLACEHOLDER);
  }
  return [...found].sort();
}

interface Claim {
  name: string;
  users: { workload: string; replicas: number }[];
}

/** Throws KubeExportError when nothing can be exported: no workload, or only builds with no image. */
export function checkExportable(input: ExportInput): void {
  if (!input.workloads.length) throw new KubeExportError('nothing', []);
  const imageless = input.workloads.filter((w) => !w.image);
  if (imageless.length === input.workloads.length) throw new KubeExportError('buildOnly', [imageless.map((w) => w.name).join(', '), String(imageless.length)]);
}

/** The manifests for an export. Throws KubeExportError when nothing can be exported. */
export function buildManifests(input: ExportInput, options: ExportOptions): KubeExport {
  checkExportable(input);

  const notes: Note[] = [];
  const workloads = [...input.workloads].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = new NameRegistry();
  const base = new Map(workloads.map((w) => [w, names.workload(w.name)]));
  const claimNames = new NameRegistry();
  const claims = new Map<string, Claim>();
  for (const w of workloads)
    for (const m of w.mounts)
      if (m.type === 'volume') {
        const c = claims.get(m.source) ?? { name: claimNames.claim(m.source), users: [] };
        if (!c.users.some((u) => u.workload === w.name)) c.users.push({ workload: w.name, replicas: w.replicas });
        claims.set(m.source, c);
      }
  for (const [from, to] of [...names.renamed, ...claimNames.renamed]) notes.push(note('renamed', from, to));

  const claimObjects: Manifest[] = [];
  for (const [, c] of [...claims].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const pods = c.users.reduce((n, u) => n + u.replicas, 0);
    const claimNotes = pods > 1 ? [note('sharedClaim', c.name, pods)] : [];
    notes.push(...claimNotes);
    claimObjects.push({
      object: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: c.name, labels: sortedRecord({ ...(input.partOf ? { [PART_OF_LABEL]: input.partOf } : {}) }) },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: options.volumeSize } } },
      },
      notes: claimNotes,
    });
  }
  if (!input.partOf) for (const m of claimObjects) delete (m.object.metadata as KubeObject).labels;

  const configs: Manifest[] = [];
  const secrets: Manifest[] = [];
  const services: Manifest[] = [];
  const deployments: Manifest[] = [];
  let anyNodePort = false;

  for (const w of workloads) {
    const name = base.get(w) ?? w.name;
    const wNotes: Note[] = [];
    const selector: Record<string, string> = { [NAME_LABEL]: name };
    const common: Record<string, string> = { ...selector, ...(input.partOf ? { [PART_OF_LABEL]: input.partOf } : {}) };

    // Labels where Kubernetes accepts them, else annotations, else a note.
    const labels: Record<string, string> = {};
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(w.labels)) {
      if (k in common) continue;
      if (isQualifiedName(k) && isLabelValue(v)) labels[k] = v;
      else if (isQualifiedName(k)) {
        annotations[k] = v;
        wNotes.push(note('labelAnnotation', w.name, k));
      } else wNotes.push(note('labelDropped', w.name, k));
    }
    const podLabels = sortedRecord({ ...labels, ...common });

    let image = w.image;
    if (w.built || !image) {
      // The name Compose v2 gives an image it builds.
      image ??= input.partOf ? `${input.partOf}-${w.name}` : name;
      wNotes.push(note('builtImage', w.name, image));
    }

    // Environment: plain values in a ConfigMap, secret-looking ones as placeholders in a Secret.
    const config: Record<string, string> = {};
    const secret: Record<string, string> = {};
    const direct: { name: string; value: string }[] = [];
    const entries = Object.entries(w.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const secretValues = secretValuesOf(entries);
    // A plain variable holding a secret's value ("JAVA_OPTS=-Dpw=…") is a secret too.
    const holdsSecret = (v: string | null) => v !== null && secretValues.some(([value]) => v.includes(value));
    for (const [k, v] of entries) {
      if (isSecretEntry(k, v) || holdsSecret(v)) {
        if (isConfigKey(k)) secret[k] = SECRET_PLACEHOLDER;
        else {
          direct.push({ name: k, value: SECRET_PLACEHOLDER });
          wNotes.push(note('badEnvKey', w.name, k));
        }
      } else if (!isConfigKey(k)) {
        direct.push({ name: k, value: v ?? '' });
        wNotes.push(note('badEnvKey', w.name, k));
      } else {
        config[k] = v ?? '';
        if (v === null) wNotes.push(note('envFromHost', w.name, k, `${name}-env`));
      }
    }
    const envFrom: KubeObject[] = [];
    if (Object.keys(config).length) {
      configs.push({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-env`, labels: sortedRecord(common) }, data: config }, notes: [] });
      envFrom.push({ configMapRef: { name: `${name}-env` } });
    }
    if (Object.keys(secret).length) {
      const secretKeys = Object.keys(secret);
      const secretNote = note(secretKeys.length === 1 ? 'secretEnvOne' : 'secretEnv', w.name, secretKeys.join(', '), `${name}-secret`);
      wNotes.push(secretNote);
      secrets.push({ object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${name}-secret`, labels: sortedRecord(common) }, type: 'Opaque', stringData: secret }, notes: [secretNote] });
      envFrom.push({ secretRef: { name: `${name}-secret` } });
    }

    // Ports: each (container port, protocol) once on the pod; the Service maps host port -> container port.
    let ports = w.ports;
    if (ports.length > MAX_PORTS) {
      wNotes.push(note('portsTrimmed', w.name, MAX_PORTS, ports.length));
      ports = ports.slice(0, MAX_PORTS);
    }
    const containerPorts: KubeObject[] = [];
    const seenContainer = new Set<string>();
    for (const p of ports) {
      const key = `${p.protocol}-${p.containerPort}`;
      if (seenContainer.has(key)) continue;
      seenContainer.add(key);
      containerPorts.push({ name: key, containerPort: p.containerPort, protocol: upper(p.protocol) });
    }
    // A Service's port is what clients in the cluster use: the container's port, as other services
    // reach it on a Compose network (db:5432), whatever host port Docker published it on.
    const servicePorts: KubeObject[] = [];
    const seenService = new Set<string>();
    const hostPorts: string[] = [];
    let published = false;
    for (const p of ports) {
      published ||= !!p.published;
      if (p.published && p.hostPort !== undefined) hostPorts.push(`${p.hostPortEnd !== undefined ? `${p.hostPort}-${p.hostPortEnd}` : p.hostPort}:${p.containerPort}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`);
      const key = `${p.protocol}-${p.containerPort}`;
      if (seenService.has(key)) continue;
      seenService.add(key);
      servicePorts.push({ name: key, port: p.containerPort, targetPort: p.containerPort, protocol: upper(p.protocol) });
    }
    if (published && hostPorts.length && options.serviceType === 'NodePort') wNotes.push(note('nodePortHost', w.name, [...new Set(hostPorts)].join(', ')));
    if (servicePorts.length) {
      const type = published ? options.serviceType : 'ClusterIP';
      anyNodePort ||= type === 'NodePort';
      services.push({ object: { apiVersion: 'v1', kind: 'Service', metadata: { name, labels: sortedRecord(common) }, spec: { type, selector, ports: servicePorts } }, notes: [] });
      for (const ip of w.loopback ?? []) if (published) wNotes.push(note('loopback', w.name, ip));
    }

    // Volumes: claims for named volumes, emptyDirs for anonymous ones and tmpfs, bind mounts in a note.
    const podVolumes: KubeObject[] = [];
    const mounts: KubeObject[] = [];
    w.mounts.forEach((m, i) => {
      if (m.type === 'volume') {
        const claim = claims.get(m.source)?.name ?? m.source;
        if (!podVolumes.some((v) => v.name === claim)) podVolumes.push({ name: claim, persistentVolumeClaim: { claimName: claim } });
        mounts.push({ name: claim, mountPath: m.target, ...(m.readOnly ? { readOnly: true } : {}) });
      } else if (m.type === 'anonymous' || m.type === 'tmpfs') {
        const vol = `${m.type === 'tmpfs' ? 'tmpfs' : 'scratch'}-${i + 1}`;
        podVolumes.push({ name: vol, emptyDir: m.type === 'tmpfs' ? { medium: 'Memory', ...(m.sizeBytes ? { sizeLimit: memoryQuantity(m.sizeBytes) } : {}) } : {} });
        mounts.push({ name: vol, mountPath: m.target, ...(m.readOnly ? { readOnly: true } : {}) });
        if (m.type === 'anonymous') wNotes.push(note('anonymousVolume', w.name, m.target));
      } else if (m.type === 'bind') wNotes.push(note('bindMount', w.name, m.source, m.target));
      else wNotes.push(note('unsupported', w.name, `mount ${m.source || m.target}`));
    });

    // Docker's --shm-size: a memory emptyDir of that size over /dev/shm, as Kubernetes has no shm setting.
    if (w.shmSizeBytes && !w.mounts.some((m) => m.target === '/dev/shm')) {
      podVolumes.push({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: memoryQuantity(w.shmSizeBytes) } });
      mounts.push({ name: 'dshm', mountPath: '/dev/shm' });
    }

    const container: KubeObject = { name, image };
    if (w.pullPolicy) container.imagePullPolicy = w.pullPolicy;
    if (w.entrypoint) container.command = w.entrypoint;
    if (w.command) container.args = w.command;
    if (w.workingDir) container.workingDir = w.workingDir;
    if (direct.length) container.env = direct;
    if (envFrom.length) container.envFrom = envFrom;
    if (containerPorts.length) container.ports = containerPorts;
    if (w.stdin) container.stdin = true;
    if (w.tty) container.tty = true;
    if (mounts.length) container.volumeMounts = mounts;
    const probe = w.health ? probeFor(w.health, ports) : undefined;
    if (w.health && !probe) wNotes.push(note('noHealthcheck', w.name));
    if (probe) {
      container.readinessProbe = probe;
      container.livenessProbe = probe;
    }
    const res = resources(w);
    if (res) container.resources = res;
    for (const key of scrubSecrets(container, secretValues)) wNotes.push(note('secretInCommand', w.name, key));
    const security = securityContext(w, wNotes);
    if (security) container.securityContext = security;

    if (w.restart && ['no', 'none', 'on-failure'].includes(w.restart)) wNotes.push(note('restartNever', w.name, w.restart));
    if (w.global) wNotes.push(note('global', w.name));
    if (w.dependsOn.length) wNotes.push(note('dependsOn', w.name, w.dependsOn.join(', ')));
    const networks = w.networks.filter((n) => n !== 'default');
    if (networks.length) wNotes.push(note('networks', w.name, networks.join(', ')));
    for (const u of w.unsupported) wNotes.push(note('unsupported', w.name, u));

    const metadata: KubeObject = { name, labels: podLabels };
    if (Object.keys(annotations).length) metadata.annotations = sortedRecord(annotations);
    deployments.push({
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: {
          replicas: w.replicas,
          // A ReadWriteOnce claim cannot be mounted by the new pod while the old one holds it on another node.
          ...(podVolumes.some((v) => 'persistentVolumeClaim' in v) ? { strategy: { type: 'Recreate' } } : {}),
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: podLabels },
            spec: {
              containers: [container],
              ...(w.dns ? { dnsConfig: dnsConfig(w.dns) } : {}),
              ...(podVolumes.length ? { volumes: podVolumes } : {}),
              // Docker's default is 10 s, Kubernetes' 30 s: only a stop timeout set apart is written.
              ...(w.stopGraceSeconds !== undefined && w.stopGraceSeconds !== 10 ? { terminationGracePeriodSeconds: w.stopGraceSeconds } : {}),
            },
          },
        },
      },
      notes: [],
    });
    notes.push(...wNotes);
  }
  if (anyNodePort) notes.push(note('nodePort'));
  return { notes, manifests: [...claimObjects, ...configs, ...secrets, ...services, ...deployments] };
}
