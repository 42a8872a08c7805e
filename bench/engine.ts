// The benchmark's own dockerd: its own socket, data, exec root and bridge, so 1,000 containers never
// touch the engine the tests share. Its subnet differs from a test's empty engine (198.18.250.0/24)
// so both can run at once.
import { startEmptyEngine, type EmptyEngine } from '../test/support/emptyEngine';

export type BenchEngine = Pick<EmptyEngine, 'socket' | 'stop'>;

export function startBenchEngine(bridgeCidr = process.env.BENCH_BRIDGE_CIDR ?? '198.18.251.1/24'): Promise<BenchEngine> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark starts its own dockerd, which needs root');
  return startEmptyEngine({ bridgeCidr });
}
