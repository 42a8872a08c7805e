// Test-only access to the real engine: a labelled base image built from busybox-static, labelled
// containers, and cleanup that touches nothing but what carries the test label.
import Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const TEST_LABEL = 'berth.test';
export const BASE_IMAGE = 'berth-test/busybox:latest';
/**
 * Which test run (process) made a resource. Test runs can share an engine (two CI jobs on one
 * machine, a developer's run beside CI): a run's cleanup leaves resources of another run that is
 * still alive, which would otherwise lose its containers mid-test. Resources with no run label,
 * or of a run that has ended, are removed by any run's cleanup as before.
 */
export const TEST_RUN_LABEL = 'berth.test.run';
export const TEST_RUN = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/** The labels for a test resource: the test label, and this run's. */
export function testLabels(): Record<string, string> {
  return { [TEST_LABEL]: '1', [TEST_RUN_LABEL]: TEST_RUN };
}

/** True when `labels` name another test run whose process is still alive. */
function ownedByAnotherLiveRun(labels: Record<string, string> | undefined): boolean {
  const run = labels?.[TEST_RUN_LABEL];
  if (!run || run === TEST_RUN) return false;
  try {
    process.kill(Number(run.split('-')[0]), 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function testDocker(socketPath = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock'): Docker {
  return new Docker({ socketPath });
}

/** Fails loudly when no engine answers: a missing engine is a test failure, never a skip. */
export async function requireEngine(docker: Docker): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(`No Docker engine answers for the tests (${(err as Error).message}). Start one: bash scripts/ensure-engine.sh`);
  }
}

export function busyboxPath(): string {
  for (const p of ['/bin/busybox', '/usr/bin/busybox']) if (fs.existsSync(p)) return p;
  throw new Error('busybox-static is not installed (apt-get install busybox-static)');
}

/** Builds an image through the Engine API and fails on an error inside the build stream. */
export async function buildImage(
  docker: Docker,
  dockerfile: string,
  tag: string | undefined,
  extraFiles: Record<string, string> = {},
  labels: Record<string, string> = testLabels(),
): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-test-build-'));
  try {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
    for (const [name, from] of Object.entries(extraFiles)) fs.copyFileSync(from, path.join(dir, name));
    const stream = await docker.buildImage(
      { context: dir, src: ['Dockerfile', ...Object.keys(extraFiles)] },
      { t: tag, labels, rm: true, forcerm: true },
    );
    const output: { error?: string; aux?: { ID?: string } }[] = await new Promise((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, res: { error?: string; aux?: { ID?: string } }[]) => (err ? reject(err) : resolve(res))),
    );
    const failed = output.find((o) => o.error);
    if (failed) throw new Error(`test image build failed: ${failed.error}`);
    const id = output.find((o) => o.aux?.ID)?.aux?.ID;
    if (!id) throw new Error('test image build reported no image id');
    return id;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function ensureBaseImage(docker: Docker): Promise<void> {
  try {
    await docker.getImage(BASE_IMAGE).inspect();
    return;
  } catch {
    // Not there yet: build it.
  }
  await buildImage(
    docker,
    'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["sh"]\n',
    BASE_IMAGE,
    { busybox: busyboxPath() },
    // Shared by every run, and inherited by every container made from it: no run label.
    { [TEST_LABEL]: '1' },
  );
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 7)}`;
}

/** A labelled web server with port 80 published on 127.0.0.1 at a random host port. */
export async function startWebContainer(docker: Docker, name = uniqueName('berth-test-web')): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name,
    Image: BASE_IMAGE,
    Cmd: ['sh', '-c', 'mkdir -p /www && echo berth > /www/index.html && exec httpd -f -p 80 -h /www'],
    Labels: testLabels(),
    ExposedPorts: { '80/tcp': {} },
    HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
  });
  await container.start();
  return container;
}

export async function createIdleContainer(docker: Docker, name = uniqueName('berth-test-idle'), start = true): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name,
    Image: BASE_IMAGE,
    Cmd: ['sleep', '3600'],
    Labels: testLabels(),
    StopTimeout: 1,
  });
  if (start) await container.start();
  return container;
}

/**
 * Removes labelled containers, volumes, networks, then images other than the cached base image,
 * except those of another test run still in progress (see TEST_RUN_LABEL).
 */
export async function cleanupTestResources(docker: Docker, opts: { keepBase?: boolean } = { keepBase: true }): Promise<void> {
  const filters = JSON.stringify({ label: [TEST_LABEL] });
  for (const c of await docker.listContainers({ all: true, filters })) {
    if (ownedByAnotherLiveRun(c.Labels)) continue;
    await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  }
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
    if (ownedByAnotherLiveRun(v.Labels)) continue;
    await docker.getVolume(v.Name).remove().catch(() => undefined);
  }
  for (const n of await docker.listNetworks({ filters })) {
    if (ownedByAnotherLiveRun(n.Labels)) continue;
    await docker.getNetwork(n.Id).remove().catch(() => undefined);
  }
  for (const img of await docker.listImages({ all: false, filters })) {
    if ((opts.keepBase && img.RepoTags?.includes(BASE_IMAGE)) || ownedByAnotherLiveRun(img.Labels)) continue;
    await docker.getImage(img.Id).remove({ force: true }).catch(() => undefined);
  }
}
