// What the bench engine holds: a busybox base image, 1,000 distinct tagged images and the
// containers, every one labelled berth.bench=1.
import Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BENCH_BASE_IMAGE, BENCH_LABEL, createContainers, engineRequest, inBatches } from './engineHttp';

function busyboxPath(): string {
  for (const p of ['/bin/busybox', '/usr/bin/busybox']) if (fs.existsSync(p)) return p;
  throw new Error('busybox-static is not installed (apt-get install busybox-static)');
}

/** Builds the base image from the host's static busybox; nothing is pulled. */
export async function buildBaseImage(socket: string): Promise<void> {
  const docker = new Docker({ socketPath: socket });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-build-'));
  try {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["sh"]\n');
    fs.copyFileSync(busyboxPath(), path.join(dir, 'busybox'));
    const stream = await docker.buildImage({ context: dir, src: ['Dockerfile', 'busybox'] }, { t: BENCH_BASE_IMAGE, labels: { [BENCH_LABEL]: '1' }, rm: true, forcerm: true });
    const out: { error?: string }[] = await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null, res: { error?: string }[]) => (err ? reject(err) : resolve(res))));
    const failed = out.find((o) => o.error);
    if (failed) throw new Error(`building ${BENCH_BASE_IMAGE} failed: ${failed.error}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * 1,000 distinct images tagged berth-bench/tN:latest. Each is a commit of one never-started
 * container with its own label, so every tag is its own image id (as on a real machine), not
 * 1,000 names for one id. Commits add no layer data, so this takes seconds, not a build each.
 */
export async function makeImageTags(socket: string, count: number): Promise<void> {
  const [seed] = await createContainers(socket, [{ name: 'berth-bench-image-seed' }]);
  try {
    await inBatches(
      Array.from({ length: count }, (_, i) => i),
      8,
      (i) =>
        engineRequest(socket, 'POST', `/commit?container=${seed}&repo=berth-bench/t${i}&tag=latest&pause=0`, {
          Image: BENCH_BASE_IMAGE,
          Cmd: ['sleep', '3600'],
          Labels: { [BENCH_LABEL]: '1', 'berth.bench.n': String(i) },
        }),
    );
  } finally {
    await engineRequest(socket, 'DELETE', `/containers/${seed}?force=1`);
  }
}
