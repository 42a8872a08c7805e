// Docker health checks as Kubernetes probes: an httpGet when the check is a plain HTTP fetch of a
// published port on the container itself (curl -f / wget -q of http://localhost:<port>/path),
// else an exec of the same command.
import { shellWords } from '../shellWords';
import type { WorkloadHealth, WorkloadPort } from './workload';

export type Probe = Record<string, unknown>;

const LOCAL_URL = /^http:\/\/(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d+))?(\/[^\s]*)?$/;
/** Options that only make the fetch quiet or fail on an HTTP error: the fetch stays plain. */
const CURL_FLAGS = /^-[fsSL]+$|^--(fail|silent|show-error|location)$/;
const WGET_FLAGS = /^-q+$|^--(quiet|spider)$|^-(q?O-|O)$|^-qO$/;

/** The command line a check runs ("curl -f http://localhost/ || exit 1"). */
function checkLine(test: readonly string[]): string[] | undefined {
  const [kind, ...rest] = test;
  if (kind === 'CMD') return [...rest];
  if (kind !== 'CMD-SHELL' || rest.length !== 1) return undefined;
  const words = shellWords(rest[0].replace(/\s*\|\|\s*(exit\s+1|false)\s*$/, ''));
  return Array.isArray(words) ? words : undefined;
}

/** The port and path of a plain HTTP fetch of the container itself, if the check is one. */
export function httpCheck(test: readonly string[]): { port: number; path: string } | undefined {
  const words = checkLine(test);
  if (!words?.length) return undefined;
  const [program, ...args] = words;
  const name = program.split('/').pop();
  const flags = name === 'curl' ? CURL_FLAGS : name === 'wget' ? WGET_FLAGS : undefined;
  if (!flags) return undefined;
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    // "-o /dev/null" and "-O /dev/null" / "-O -" discard the body.
    if ((a === '-o' || a === '--output' || a === '-O' || a === '-qO') && (args[i + 1] === '/dev/null' || args[i + 1] === '-')) {
      i++;
      continue;
    }
    if (flags.test(a)) continue;
    if (url !== undefined || a.startsWith('-')) return undefined;
    url = a;
  }
  const m = url ? LOCAL_URL.exec(url) : undefined;
  if (!m) return undefined;
  return { port: m[2] ? Number(m[2]) : 80, path: m[3] ?? '/' };
}

/** The probe for a health check (undefined when disabled), shared by readiness and liveness. */
export function probeFor(h: WorkloadHealth, ports: readonly WorkloadPort[]): Probe | undefined {
  if (!h.test.length || h.test[0] === 'NONE') return undefined;
  const http = httpCheck(h.test);
  const published = http && ports.some((p) => p.protocol === 'tcp' && p.containerPort === http.port && p.published);
  let action: Probe;
  if (http && published) action = { httpGet: { path: http.path, port: http.port } };
  else if (h.test[0] === 'CMD-SHELL') action = { exec: { command: ['/bin/sh', '-c', h.test.slice(1).join(' ')] } };
  else action = { exec: { command: h.test[0] === 'CMD' ? h.test.slice(1) : [...h.test] } };
  const probe: Probe = { ...action };
  if (h.startPeriodSeconds) probe.initialDelaySeconds = h.startPeriodSeconds;
  // Docker's defaults where the check leaves them out (Kubernetes' own timeout is 1 s).
  probe.periodSeconds = h.intervalSeconds ?? 30;
  probe.timeoutSeconds = h.timeoutSeconds ?? 30;
  probe.failureThreshold = h.retries ?? 3;
  return probe;
}
