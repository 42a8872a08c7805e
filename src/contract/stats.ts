// The engine's /containers/{id}/stats answer, as much of it as Berth reads. Types only. Field
// names are the engine's: the model computes docker stats' figures from them (model/resourceUsage).

export interface EngineCpuStats {
  cpu_usage: { total_usage: number; percpu_usage?: number[] | null };
  /** Absent on Windows and in a one-shot answer's precpu_stats. */
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface EngineBlkioEntry {
  major?: number;
  minor?: number;
  /** "Read"/"Write" (cgroup v1) or "read"/"write" (cgroup v2), among others. */
  op: string;
  value: number;
}

export interface EngineStats {
  /** When the engine read the figures (RFC 3339 with nanoseconds). */
  read: string;
  preread?: string;
  id?: string;
  name?: string;
  cpu_stats: EngineCpuStats;
  /** The previous sample's CPU figures: empty in a one-shot answer. */
  precpu_stats?: Partial<EngineCpuStats>;
  memory_stats: {
    usage?: number;
    limit?: number;
    /** cgroup v1: total_inactive_file among others; cgroup v2: inactive_file. */
    stats?: Record<string, number>;
  };
  /** Absent for a container without a network namespace of its own (--network host/none). */
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
  blkio_stats?: { io_service_bytes_recursive?: EngineBlkioEntry[] | null };
}

/** A followed stats stream: a sample about every second until closed or the container stops. */
export interface StatsSubscription {
  /** Settles once when the stream ends for any reason other than close(); with the error if any. */
  readonly ended: Promise<Error | undefined>;
  close(): void;
}
