// Units for the panel's figures: percentages, sizes and rates in the locale's words.
import { formatSize } from '../format';
import type { UsagePoint } from './figures';

export function percentText(v: number | null | undefined, locale: string): string {
  if (v === null || v === undefined) return '–';
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: v < 10 ? 1 : 0 }).format(v)}\u00a0%`;
}

export function sizeText(v: number | null | undefined, locale: string): string {
  return v === null || v === undefined ? '–' : formatSize(v, locale);
}

export function rateText(v: number | null | undefined, locale: string): string {
  return v === null || v === undefined ? '–' : `${formatSize(v, locale)}/s`;
}

/** A running container's row: "12% · 85 MB" ("12 % · 85 Mo"), CPU rounded as docker stats shows it. */
export function rowUsageText(p: UsagePoint, locale: string): string {
  const cpu = p.cpu === null ? '–' : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(p.cpu)}${locale.startsWith('fr') ? '\u00a0' : ''}%`;
  return `${cpu} · ${sizeText(p.mem, locale)}`;
}
