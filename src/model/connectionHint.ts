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

/** The hint for a published TCP port, or undefined when its service is not a well-known one. */
export function connectionHint(image: string, p: PortRecord): ConnectionHint | undefined {
  if (p.hostPort === undefined || p.protocol !== 'tcp') return undefined;
  const ip = p.hostIp ?? '0.0.0.0';
  // A port bound on every interface is reached on loopback from here.
  const host = ip === '0.0.0.0' || ip === '' ? '127.0.0.1' : ip === '::' ? '[::1]' : ip.includes(':') ? `[${ip}]` : ip;
  const address = `${host}:${p.hostPort}`;
  const known = BY_PORT[p.containerPort];
  if (known) return { service: known, address };
  let fromCatalogue: number[] = [];
  try {
    fromCatalogue = cataloguePorts(image);
  } catch {
    // An image reference the grammar refuses (an id) has no catalogue entry.
  }
  if (WEB_PORTS.has(p.containerPort) || fromCatalogue.includes(p.containerPort)) {
    const scheme = p.containerPort === 443 || p.containerPort === 8443 ? 'https' : 'http';
    return { service: scheme, address: `${scheme}://${address}/` };
  }
  return undefined;
}
