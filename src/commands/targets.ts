// What each view's rows stand for, and how the palette offers them: one kind per view, used by
// registerTargetCommand. Built once in activate() and shared by every command file.
import * as vscode from 'vscode';
import type { EngineSession } from '../session/engineSession';
import { browserUrl, connectionHint, portAddress } from '../model/connectionHint';
import { formatPort, portKey, shortId } from '../model/format';
import { COMPOSE_PROJECT_LABEL, compareNames } from '../model/grouping';
import type { ImageRow } from '../model/imageTree';
import type { ContainerRecord, NetworkRecord, PortRecord, VolumeRecord } from '../contract/records';
import type { ComposeProvider } from '../tree/compose/composeProvider';
import type { ContainersProvider } from '../tree/containers/containersProvider';
import { parseComposeKey } from '../model/composeTree';
import { containerStatusText } from '../tree/containers/statusText';
import type { ImagesProvider } from '../tree/images/imagesProvider';
import type { ResourceProvider } from '../tree/resourceProvider';
import { sizeText } from '../ui/locale';
import { networkPickDescription } from '../ui/networkText';
import type { TargetKind } from './register';

export interface PortTarget {
  container: ContainerRecord;
  port: PortRecord;
  url: string;
}

export interface Targets {
  containers: TargetKind<ContainerRecord>;
  /** Web ports of running containers: a port row, every web port of a container row, or a pick. */
  ports: TargetKind<PortTarget>;
  /** Every published port of running containers (databases too), for Copy Port Address. */
  addresses: TargetKind<PortTarget>;
  /** Compose projects: a project's group row, or a pick. */
  projects: TargetKind<string>;
  images: TargetKind<ImageRow>;
  /** What Run runs: a tag row's reference, a script's reference as given, or a pick of every tag. */
  imageRefs: TargetKind<string>;
  volumes: TargetKind<VolumeRecord>;
  networks: TargetKind<NetworkRecord>;
}

/** An image row's key (as the tree keys module's isImageRowKey), rather than a reference. */
const IMAGES_VIEW_KEY = /^(tag|dangling):/;

export function imageRowName(row: ImageRow): string {
  return row.tag ?? shortId(row.image.id);
}

/** The ports a browser plausibly gets an answer from: never postgres's 5432 or redis's 6379. */
function webPorts(c: ContainerRecord): PortTarget[] {
  if (c.state !== 'running') return [];
  return c.ports.flatMap((port) => {
    const url = browserUrl(c.image, port);
    return url ? [{ container: c, port, url }] : [];
  });
}

/** Every published port with the address to reach it (a URL for a web port, host:port else). */
function addressPorts(c: ContainerRecord): PortTarget[] {
  if (c.state !== 'running') return [];
  // Docker lists an all-interfaces binding twice (0.0.0.0 and ::): one address is enough.
  const seen = new Set<string>();
  return c.ports.flatMap((port) => {
    const url = portAddress(c.image, port);
    if (!url || seen.has(url.replace('[::1]', '127.0.0.1'))) return [];
    seen.add(url.replace('[::1]', '127.0.0.1'));
    return [{ container: c, port, url }];
  });
}

export function createTargets(session: EngineSession, trees: { containers: ContainersProvider; images: ImagesProvider; volumes: ResourceProvider<VolumeRecord>; networks: ResourceProvider<NetworkRecord>; compose?: ComposeProvider }): Targets {
  const byName = <R>(label: (r: R) => string) => (rs: R[]) => rs.sort((a, b) => compareNames(label(a), label(b)));
  const containers: TargetKind<ContainerRecord> = {
    rows: (key) => [session.containers.get(key)].filter((c): c is ContainerRecord => !!c),
    all: () => byName<ContainerRecord>((c) => c.name)(session.containers.all()),
    identity: (c) => c.id,
    item: (c) => ({ label: c.name, description: `${containerStatusText(c, Date.now())} · ${c.image}` }),
    placeHolder: (many) => (many ? vscode.l10n.t('Choose containers') : vscode.l10n.t('Choose a container')),
    empty: () => vscode.l10n.t('There are no containers on this engine.'),
  };
  const ports: TargetKind<PortTarget> = {
    rows(key) {
      const row = trees.containers.port(key);
      if (row) return webPorts(row.container).filter((p) => p.port === row.port);
      const c = session.containers.get(key);
      return c ? webPorts(c) : [];
    },
    all: () => containers.all().flatMap(webPorts),
    identity: (p) => portKey(p.container.id, p.port),
    item: (p) => ({ label: formatPort(p.port), description: p.container.name }),
    placeHolder: () => vscode.l10n.t('Choose a port to open'),
    empty: () => vscode.l10n.t('No running container publishes a web port.'),
    nothingUnder(key) {
      const row = trees.containers.port(key);
      if (row) return vscode.l10n.t('{0} is not a web port: use Copy Port Address to connect to it.', formatPort(row.port));
      const c = session.containers.get(key);
      return c ? vscode.l10n.t('{0} publishes no web port.', c.name) : undefined;
    },
  };
  const addresses: TargetKind<PortTarget> = {
    rows(key) {
      // A port row of the Containers or the Compose view (both key ports by container).
      const row = trees.containers.port(key);
      const url = row && portAddress(row.container.image, row.port);
      if (row) return url ? [{ container: row.container, port: row.port, url }] : [];
      const c = session.containers.get(key);
      return c ? addressPorts(c) : [];
    },
    all: () => containers.all().flatMap(addressPorts),
    identity: (p) => portKey(p.container.id, p.port),
    item: (p) => {
      const hint = connectionHint(p.container.image, p.port);
      return { label: hint && !hint.address.includes('://') ? `${hint.service}: ${hint.address}` : p.url, description: `${p.container.name} · ${formatPort(p.port)}` };
    },
    placeHolder: () => vscode.l10n.t('Choose a port to copy its address'),
    empty: () => vscode.l10n.t('No running container publishes a port.'),
    nothingUnder(key) {
      const c = session.containers.get(key);
      return c ? vscode.l10n.t('{0} publishes no port.', c.name) : undefined;
    },
  };
  const projects: TargetKind<string> = {
    // A Containers group row, or a Compose view project row (its logs merge every service's).
    rows: (key) => [trees.containers.group(key)?.label ?? (trees.compose?.row(key) && parseComposeKey(key)?.project)].filter((p): p is string => !!p),
    all: () => byName<string>((p) => p)([...new Set(session.containers.all().map((c) => c.labels[COMPOSE_PROJECT_LABEL]).filter((p): p is string => !!p))]),
    identity: (p) => p,
    item: (p) => ({ label: p }),
    placeHolder: () => vscode.l10n.t('Choose a Compose project'),
    empty: () => vscode.l10n.t('No container on this engine belongs to a Compose project.'),
  };
  const images: TargetKind<ImageRow> = {
    rows(key) {
      const under = trees.images.rowsUnder(key);
      if (under.length) return under;
      // A script's image reference or id rather than a row key.
      const image = session.images.all().find((i) => i.repoTags.includes(key) || i.id === key);
      return image ? [{ image, tag: image.repoTags.includes(key) ? key : image.repoTags[0] }] : [];
    },
    all: () =>
      byName<ImageRow>(imageRowName)(session.images.all().flatMap((image): ImageRow[] => (image.repoTags.length ? image.repoTags.map((tag) => ({ image, tag })) : [{ image }]))),
    identity: imageRowName,
    item: (row) => ({ label: imageRowName(row), description: sizeText(row.image.size) }),
    placeHolder: (many) => (many ? vscode.l10n.t('Choose images') : vscode.l10n.t('Choose an image')),
    empty: () => vscode.l10n.t('There are no images on this engine.'),
  };
  const imageRefs: TargetKind<string> = {
    rows(key) {
      const row = trees.images.row(key);
      if (row) return [row.tag ?? row.image.id];
      // Any other row key is a row that is gone; a reference is the engine's to resolve.
      return IMAGES_VIEW_KEY.test(key) ? [] : [key];
    },
    all: () => byName<string>((r) => r)(session.images.all().flatMap((i) => i.repoTags)),
    identity: (r) => r,
    item: (r) => ({ label: r }),
    placeHolder: () => vscode.l10n.t('Choose an image to run'),
    empty: () => vscode.l10n.t('There are no tagged images on this engine to run.'),
    nothingUnder: (key) => (IMAGES_VIEW_KEY.test(key) ? vscode.l10n.t('The image {0} no longer exists on this engine.', key.slice(key.indexOf(':') + 1)) : undefined),
  };
  const volumes: TargetKind<VolumeRecord> = {
    rows: (key) => [trees.volumes.record(key)].filter((v): v is VolumeRecord => !!v),
    all: () => byName<VolumeRecord>((v) => v.id)(session.volumes.all()),
    identity: (v) => v.id,
    item: (v) => ({ label: v.id, description: v.driver }),
    placeHolder: (many) => (many ? vscode.l10n.t('Choose volumes') : vscode.l10n.t('Choose a volume')),
    empty: () => vscode.l10n.t('There are no volumes on this engine.'),
  };
  const networks: TargetKind<NetworkRecord> = {
    rows: (key) => [trees.networks.record(key)].filter((n): n is NetworkRecord => !!n),
    all: () => byName<NetworkRecord>((n) => n.name)(session.networks.all()),
    identity: (n) => n.id,
    item: (n) => ({ label: n.name, description: networkPickDescription(n) }),
    placeHolder: (many) => (many ? vscode.l10n.t('Choose networks') : vscode.l10n.t('Choose a network')),
    empty: () => vscode.l10n.t('There are no networks on this engine.'),
  };
  return { containers, ports, addresses, projects, images, imageRefs, volumes, networks };
}
