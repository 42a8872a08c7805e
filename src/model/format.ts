// Text formatting shared by the views. Pure and locale-aware, so it is unit-tested without vscode.
import type { ContainerRecord, PortRecord } from './records';

/** Sizes as the docker CLI prints them: decimal units, 3 significant digits ("4.19MB"). */
export function formatSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  const text = i === 0 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
  return `${text}${units[i]}`;
}

/** "127.0.0.1:8080 → 80/tcp" for a published port, "80/tcp" for an exposed one. */
export function formatPort(p: PortRecord): string {
  const inside = `${p.containerPort}/${p.protocol}`;
  if (p.hostPort === undefined) return inside;
  const ip = p.hostIp ?? '0.0.0.0';
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return `${host}:${p.hostPort} → ${inside}`;
}

export function publishedPorts(c: ContainerRecord): PortRecord[] {
  return c.ports.filter((p) => p.hostPort !== undefined);
}

/** Age in the user's language: "3 days ago" / "il y a 3 jours". */
export function formatAge(epochSeconds: number, nowMs: number, locale: string): string {
  const seconds = Math.round(epochSeconds - nowMs / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  const steps: [number, Intl.RelativeTimeFormatUnit][] = [
    [60, 'second'],
    [3600, 'minute'],
    [86400, 'hour'],
    [86400 * 7, 'day'],
    [86400 * 30, 'week'],
    [86400 * 365, 'month'],
  ];
  let divisor = 1;
  for (const [limit, unit] of steps) {
    if (abs < limit) return rtf.format(Math.sign(seconds) * Math.round(abs / divisor), unit);
    divisor = limit;
  }
  return rtf.format(Math.sign(seconds) * Math.round(abs / (86400 * 365)), 'year');
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** The address to open for a published port: https for 443 and 8443, localhost for wildcard binds. */
export function portUrl(p: PortRecord): string | undefined {
  if (p.hostPort === undefined || p.protocol !== 'tcp') return undefined;
  const scheme = p.containerPort === 443 || p.containerPort === 8443 ? 'https' : 'http';
  const ip = p.hostIp ?? '0.0.0.0';
  const host = ip === '0.0.0.0' || ip === '::' || ip === '' ? 'localhost' : ip.includes(':') ? `[${ip}]` : ip;
  return `${scheme}://${host}:${p.hostPort}/`;
}

/** Stable tree id of a published port row under its container. */
export function portKey(containerId: string, p: PortRecord): string {
  return `${containerId}/port/${p.hostIp ?? ''}:${p.hostPort ?? ''}/${p.containerPort}/${p.protocol}`;
}
