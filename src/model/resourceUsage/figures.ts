// docker stats' figures from the engine's stats answer, computed exactly as the docker CLI does
// (cli/command/container/stats_helpers.go): CPU % from the deltas against the previous sample
// times the online CPUs, memory without the inactive page cache, network and block I/O summed.
import type { EngineCpuStats, EngineStats } from '../../contract/stats';

/** One stats answer reduced to the counters and levels Berth plots. */
export interface Reading {
  /** When the engine read it, ms since the epoch. */
  time: number;
  cpuTotal: number;
  systemTotal: number;
  onlineCpus: number;
  /** CPU % against the answer's own precpu_stats; undefined when it has none (one-shot). */
  cpuPercent?: number;
  memoryUsed: number;
  /** 0 when the engine gives none. */
  memoryLimit: number;
  rxBytes: number;
  txBytes: number;
  readBytes: number;
  writeBytes: number;
}

function onlineCpus(cpu: Partial<EngineCpuStats>): number {
  // The CLI falls back on the per-CPU list's length for engines that do not send online_cpus.
  return cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 0;
}

/** Δ container total ÷ Δ system total × online CPUs × 100; 0 unless both deltas are positive. */
export function cpuPercent(prevCpu: number, prevSystem: number, cur: Partial<EngineCpuStats>): number {
  const cpuDelta = (cur.cpu_usage?.total_usage ?? 0) - prevCpu;
  const systemDelta = (cur.system_cpu_usage ?? 0) - prevSystem;
  if (systemDelta > 0 && cpuDelta > 0) return (cpuDelta / systemDelta) * onlineCpus(cur) * 100;
  return 0;
}

/** Usage less the inactive page cache: total_inactive_file on cgroup v1, inactive_file on v2. */
export function memoryUsed(mem: EngineStats['memory_stats']): number {
  const usage = mem.usage ?? 0;
  const stats = mem.stats ?? {};
  if ('total_inactive_file' in stats) {
    if (stats.total_inactive_file < usage) return usage - stats.total_inactive_file;
  } else if ((stats.inactive_file ?? 0) < usage) {
    return usage - (stats.inactive_file ?? 0);
  }
  return usage;
}

export function networkTotals(s: EngineStats): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    rx += n.rx_bytes;
    tx += n.tx_bytes;
  }
  return { rx, tx };
}

/** Bytes read and written over every device, by the operation's first letter as the CLI does. */
export function blockTotals(s: EngineStats): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = e.op.charAt(0);
    if (op === 'r' || op === 'R') read += e.value;
    else if (op === 'w' || op === 'W') write += e.value;
  }
  return { read, write };
}

export function toReading(s: EngineStats): Reading {
  const pre = s.precpu_stats;
  const hasPre = !!pre?.system_cpu_usage && pre.cpu_usage !== undefined;
  const net = networkTotals(s);
  const block = blockTotals(s);
  return {
    time: Date.parse(s.read),
    cpuTotal: s.cpu_stats.cpu_usage.total_usage,
    systemTotal: s.cpu_stats.system_cpu_usage ?? 0,
    onlineCpus: onlineCpus(s.cpu_stats),
    cpuPercent: hasPre ? cpuPercent(pre.cpu_usage?.total_usage ?? 0, pre.system_cpu_usage ?? 0, s.cpu_stats) : undefined,
    memoryUsed: memoryUsed(s.memory_stats),
    memoryLimit: s.memory_stats.limit ?? 0,
    rxBytes: net.rx,
    txBytes: net.tx,
    readBytes: block.read,
    writeBytes: block.write,
  };
}

/** One plotted point: levels, and rates in bytes per second; null where it cannot be known yet. */
export interface UsagePoint {
  /** Whole seconds since the epoch (uPlot's time axis). */
  t: number;
  cpu: number | null;
  mem: number | null;
  memLimit: number | null;
  rx: number | null;
  tx: number | null;
  read: number | null;
  write: number | null;
}

export const METRICS = ['cpu', 'mem', 'memLimit', 'rx', 'tx', 'read', 'write'] as const;
export type Metric = (typeof METRICS)[number];

function rate(prev: number | undefined, cur: number, seconds: number): number | null {
  // A counter that went down was reset by a restart: no rate across it.
  if (prev === undefined || seconds <= 0 || cur < prev) return null;
  return (cur - prev) / seconds;
}

/**
 * The point for a reading, with rates against the previous one of the same run. CPU comes from
 * the answer's own precpu_stats when it has them (a stream), as docker stats reads it, else from
 * the previous reading (one-shot answers carry no precpu_stats).
 */
export function toPoint(cur: Reading, prev: Reading | undefined): UsagePoint {
  const seconds = prev ? (cur.time - prev.time) / 1000 : 0;
  let cpu: number | null = cur.cpuPercent ?? null;
  if (cpu === null && prev) {
    cpu = cpuPercent(prev.cpuTotal, prev.systemTotal, { cpu_usage: { total_usage: cur.cpuTotal }, system_cpu_usage: cur.systemTotal, online_cpus: cur.onlineCpus });
  }
  return {
    t: Math.round(cur.time / 1000),
    cpu,
    mem: cur.memoryUsed,
    memLimit: cur.memoryLimit || null,
    rx: rate(prev?.rxBytes, cur.rxBytes, seconds),
    tx: rate(prev?.txBytes, cur.txBytes, seconds),
    read: rate(prev?.readBytes, cur.readBytes, seconds),
    write: rate(prev?.writeBytes, cur.writeBytes, seconds),
  };
}
