// How to reach a published port of a well-known service from this machine: "postgres:
// 127.0.0.1:5433", or the address for a web port. The container port says which protocol speaks
// there (a database image publishing 5432 speaks postgres whatever its name); the image's entry in
// the port catalogue says which of its ports are web ones.
import type { PortRecord } from '../contract/records';
import { cataloguePorts } from './ports';

/** Container ports whose protocol is known by its number, by the name clients use for it. */
const BY_PORT: Readonly<Record<number, string>> = {
  5432: 'postgres',
  3306: 'mysql',
  1433: 'mssql',
  1521: 'oracle',
  6379: 'redis',
  27017: 'mongodb',
  5672: 'amqp',
  11211: 'memcached',
  9042: 'cassandra',
  2181: 'zookeeper',
  9092: 'kafka',
  4222: 'nats',
};

const WEB_PORTS = new Set([80, 443, 3000, 5000, 8000, 8080, 8443, 8888, 9000, 9090, 9200, 15672]);

export interface ConnectionHint {
  /** 'postgres', 'redis', … or 'http' / 'https' for a web port. */
  service: string;
  /** host:port to connect to from this machine; a URL for web ports. */
  address: string;
}

/** Image names (the repository's last part) of services that speak no HTTP on any port. */
const NON_WEB_IMAGES = /^(postgres(ql)?|postgis|mysql|mariadb|mssql|mongo(db)?|redis|valkey|memcached|cassandra|zookeeper|kafka|nats|oracle)([-_].*)?$/;

function catalogued(image: string): number[] {
  try {
    return cataloguePorts(image);
  } catch {
    // An image reference the grammar refuses (an id) has no catalogue entry.
    return [];
  }
}

/** The image's repository's last part, without tag or digest ("bitnami/postgresql:16" → "postgresql"). */
function imageBase(image: string): string {
  const path = image.split('@')[0].toLowerCase();
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last.replace(/:[^:]*$/, '');
}

/** The address a published port is reached at from this machine: a port on every interface answers on loopback. */
function hostAddress(p: PortRecord): string {
  const ip = p.hostIp ?? '0.0.0.0';
  const host = ip === '0.0.0.0' || ip === '' ? '127.0.0.1' : ip === '::' ? '[::1]' : ip.includes(':') ? `[${ip}]` : ip;
  return `${host}:${p.hostPort}`;
}

/**
 * What a published port speaks, for menus: 'http'/'https' where a browser plausibly gets an
 * answer, 'tcp' where a well-known other protocol speaks (the port is a database's, or the image
 * is one: a postgres image answers postgres on any port), 'udp' for UDP/SCTP, undefined when not
 * published. An unknown TCP port of an unknown image is taken as web: that is what most
 * development servers publish (3001, 4200, 5173…).
 */
export function portKind(image: string, p: PortRecord): 'http' | 'https' | 'tcp' | 'udp' | undefined {
  if (p.hostPort === undefined) return undefined;
  if (p.protocol !== 'tcp') return 'udp';
  const scheme = p.containerPort === 443 || p.containerPort === 8443 ? 'https' : 'http';
  if (BY_PORT[p.containerPort]) return 'tcp';
  const fromCatalogue = catalogued(image);
  if (WEB_PORTS.has(p.containerPort) || (fromCatalogue.includes(p.containerPort) && !fromCatalogue.some((n) => BY_PORT[n]))) return scheme;
  // rabbitmq's 15672 is web (above), its 5672 and 25672 are not.
  if (fromCatalogue.some((n) => BY_PORT[n]) || NON_WEB_IMAGES.test(imageBase(image))) return 'tcp';
  return scheme;
}

/** The URL to open in a browser, only where the port plausibly speaks HTTP. */
export function browserUrl(image: string, p: PortRecord): string | undefined {
  const kind = portKind(image, p);
  return kind === 'http' || kind === 'https' ? `${kind}://${hostAddress(p)}/` : undefined;
}

/** What Copy Address puts on the clipboard: the URL of a web port, else host:port. */
export function portAddress(image: string, p: PortRecord): string | undefined {
  if (p.hostPort === undefined) return undefined;
  return browserUrl(image, p) ?? hostAddress(p);
}

/** The hint for a published TCP port, or undefined when its service is not a well-known one. */
export function connectionHint(image: string, p: PortRecord): ConnectionHint | undefined {
  if (p.hostPort === undefined || p.protocol !== 'tcp') return undefined;
  const address = hostAddress(p);
  const known = BY_PORT[p.containerPort];
  if (known) return { service: known, address };
  const fromCatalogue = catalogued(image);
  if (WEB_PORTS.has(p.containerPort) || fromCatalogue.includes(p.containerPort)) {
    const scheme = p.containerPort === 443 || p.containerPort === 8443 ? 'https' : 'http';
    return { service: scheme, address: `${scheme}://${address}/` };
  }
  // An unknown port of a database image: the image names its protocol.
  const base = imageBase(image).match(NON_WEB_IMAGES)?.[1];
  if (base) return { service: base === 'postgresql' || base === 'postgis' ? 'postgres' : base === 'mongo' ? 'mongodb' : base, address };
  return undefined;
}
