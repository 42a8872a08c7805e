// Text formatting shared by the views. Pure and locale-aware, so it is unit-tested without vscode.
import type { ContainerRecord, PortRecord } from '../contract/records';

const SIZE_UNITS: Record<string, string[]> = {
  en: ['B', 'kB', 'MB', 'GB', 'TB', 'PB'],
  // French writes octets: "1,99 Mo".
  fr: ['o', 'ko', 'Mo', 'Go', 'To', 'Po'],
};
const sizeFormats = new Map<string, Intl.NumberFormat>();

/**
 * Sizes in Docker's decimal units (1 MB = 1000 kB) with 3 significant digits, as the docker CLI
 * counts them, but written the locale's way: "1.99 MB", "1,99 Mo". A no-break space keeps the
 * number and its unit on one line.
 */
export function formatSize(bytes: number, locale: string): string {
  const units = SIZE_UNITS[locale.split('-')[0].toLowerCase()] ?? SIZE_UNITS.en;
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  // Rounded first, as the CLI does, so 999.7 kB reads "1000 kB" in every language.
  const rounded = i === 0 ? Math.round(value) : Number(value.toPrecision(3));
  let f = sizeFormats.get(locale);
  if (!f) sizeFormats.set(locale, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })));
  return `${f.format(rounded)}\u00a0${units[i]}`;
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
