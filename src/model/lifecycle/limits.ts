// Update…: a running container's restart policy and memory and CPU limits, as typed ("512m",
// "1.5"), checked before the engine is asked (a memory limit below the current usage would have
// the kernel refuse it half-way through).

export interface Limits {
  restart: { name: string; maximumRetryCount?: number };
  /** Bytes; 0 is no limit. */
  memory: number;
  /** Memory plus swap in bytes; 0 unset, -1 unlimited. */
  memorySwap: number;
  /** CPUs in billionths; 0 is no limit. */
  nanoCpus: number;
}

export interface LimitsChange {
  restart?: { name: string; maximumRetryCount?: number };
  memory?: number;
  memorySwap?: number;
  nanoCpus?: number;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** "512m", "1.5g", "1024k", "268435456": bytes (binary units, as docker's --memory), or undefined. */
export function parseMemory(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[m[2].toLowerCase()]);
}

/** "1.5" CPUs: billionths, or undefined. */
export function parseCpus(text: string): number | undefined {
  if (!/^\d+(\.\d+)?$/.test(text.trim())) return undefined;
  return Math.round(Number(text) * 1e9);
}

/** "no", "always", "unless-stopped", "on-failure" or "on-failure:5", as docker's --restart. */
export function parseRestart(text: string): { name: string; maximumRetryCount?: number } | undefined {
  const m = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(text.trim());
  if (!m || (m[2] && m[1] !== 'on-failure')) return undefined;
  return m[2] ? { name: m[1], maximumRetryCount: Number(m[2]) } : { name: m[1] };
}

/** Bytes as docker's --memory takes them, shortest first: 268435456 -> "256m". */
export function memoryArg(bytes: number): string {
  for (const [unit, size] of [['g', 1024 ** 3], ['m', 1024 ** 2], ['k', 1024]] as const) if (bytes % size === 0) return `${bytes / size}${unit}`;
  return String(bytes);
}

export function restartText(r: { name: string; maximumRetryCount?: number }): string {
  const name = r.name || 'no';
  return name === 'on-failure' && r.maximumRetryCount ? `${name}:${r.maximumRetryCount}` : name;
}

export type LimitProblem =
  | { kind: 'memoryText'; value: string }
  | { kind: 'memoryTooSmall'; min: number }
  | { kind: 'memoryBelowUsage'; limit: number; usage: number }
  | { kind: 'cpusText'; value: string }
  | { kind: 'cpusRange'; max: number }
  | { kind: 'restartText'; value: string }
  | { kind: 'autoRemove' };

/** The engine's floor for a memory limit (6 MB, daemon's linuxMinMemory). */
export const MIN_MEMORY = 6 * 1024 * 1024;

export function memoryProblem(text: string, usage: number | undefined): LimitProblem | undefined {
  if (!text.trim()) return undefined;
  const bytes = parseMemory(text);
  if (bytes === undefined) return { kind: 'memoryText', value: text };
  if (bytes < MIN_MEMORY) return { kind: 'memoryTooSmall', min: MIN_MEMORY };
  if (usage !== undefined && bytes < usage) return { kind: 'memoryBelowUsage', limit: bytes, usage };
  return undefined;
}

export function cpusProblem(text: string, hostCpus: number): LimitProblem | undefined {
  if (!text.trim()) return undefined;
  const n = parseCpus(text);
  if (n === undefined) return { kind: 'cpusText', value: text };
  if (n < 1e7 || n > hostCpus * 1e9) return { kind: 'cpusRange', max: hostCpus };
  return undefined;
}

/** What to send: only what changes. A new memory limit takes swap along (twice the memory, as docker run does, or unlimited when it was). */
export function limitsChange(before: Limits, typed: { restart?: string; memory?: string; cpus?: string }): LimitsChange {
  const change: LimitsChange = {};
  const restart = typed.restart ? parseRestart(typed.restart) : undefined;
  if (restart && restartText(restart) !== restartText(before.restart)) change.restart = restart;
  const memory = typed.memory?.trim() ? parseMemory(typed.memory) : undefined;
  if (memory !== undefined && memory !== before.memory) {
    change.memory = memory;
    change.memorySwap = before.memorySwap === -1 ? -1 : memory * 2;
  }
  const cpus = typed.cpus?.trim() ? parseCpus(typed.cpus) : undefined;
  if (cpus !== undefined && cpus !== before.nanoCpus) change.nanoCpus = cpus;
  return change;
}

/** The engine's refusal "unable to set memory limit to X (current usage: Y…" as figures, when it is that. */
export function memoryRefusal(message: string): { limit: number; usage: number } | undefined {
  const m = /unable to set memory limit to (\d+) \(current usage: (\d+)/.exec(message);
  return m ? { limit: Number(m[1]), usage: Number(m[2]) } : undefined;
}
