// Plain Engine API calls over the unix socket: the raw-HTTP baseline and the fixture work. No
// dockerode here, so the baseline measures the socket and JSON.parse and nothing else.
import * as http from 'http';

export const BENCH_LABEL = 'berth.bench';
export const BENCH_BASE_IMAGE = 'berth-bench/busybox:latest';

// One agent for fixture work, so creating 1,000 containers does not open 1,000 sockets.
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export function engineRequest<T = unknown>(socket: string, method: string, path: string, body?: unknown, opts: { fresh?: boolean } = {}): Promise<{ status: number; json: T }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        socketPath: socket,
        method,
        path,
        // The baseline opens a fresh connection per call, as a cold client does.
        agent: opts.fresh ? false : agent,
        headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const status = res.statusCode ?? 0;
          if (status >= 400) return reject(new Error(`${method} ${path}: ${status} ${text.trim()}`));
          resolve({ status, json: (text ? JSON.parse(text) : undefined) as T });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** The baseline for (a): one cold GET /containers/json?all=1, parsed. Returns how many came back. */
export async function rawListContainers(socket: string): Promise<number> {
  const { json } = await engineRequest<unknown[]>(socket, 'GET', '/containers/json?all=1', undefined, { fresh: true });
  return json.length;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface ContainerSpec {
  name: string;
  composeProject?: string;
}

/** Creates labelled, never-started `sleep` containers from the bench base image; returns their ids. */
export function createContainers(socket: string, specs: readonly ContainerSpec[], concurrency = 8): Promise<string[]> {
  return inBatches(specs, concurrency, async (s) => {
    const labels: Record<string, string> = { [BENCH_LABEL]: '1' };
    if (s.composeProject) labels['com.docker.compose.project'] = s.composeProject;
    const { json } = await engineRequest<{ Id: string }>(socket, 'POST', `/containers/create?name=${encodeURIComponent(s.name)}`, {
      Image: BENCH_BASE_IMAGE,
      Cmd: ['sleep', '3600'],
      Labels: labels,
      StopTimeout: 1,
    });
    return json.Id;
  });
}

/** Removes every container and image labelled berth.bench (and nothing else). */
export async function removeBenchResources(socket: string): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ label: [BENCH_LABEL] }));
  const { json: containers } = await engineRequest<{ Id: string }[]>(socket, 'GET', `/containers/json?all=1&filters=${filters}`);
  await inBatches(containers, 8, (c) => engineRequest(socket, 'DELETE', `/containers/${c.Id}?force=1&v=1`).catch(() => undefined));
  const { json: images } = await engineRequest<{ Id: string }[]>(socket, 'GET', `/images/json?filters=${filters}`);
  await inBatches(images, 8, (i) => engineRequest(socket, 'DELETE', `/images/${i.Id}?force=1`).catch(() => undefined));
}
