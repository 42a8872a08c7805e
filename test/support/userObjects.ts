// A developer's own objects on the shared engine, simulated: before the layers run, `npm test`
// creates unlabelled "user" containers, images, volumes and networks (one of each kind running or
// in use), records a fingerprint of them, and after every layer checks that they are all still
// there, unchanged. Every prune and every cleanup in the tests is proven label-scoped by this.
//
// CLI: node out/test/support/userObjects.js create|check|remove <state.json>
//   create  makes the objects and writes their fingerprint to <state.json>
//   check   compares the engine with <state.json>; exit 1 and names each difference
//   remove  removes this run's objects (by their own label only) and deletes <state.json>
//
// None of them carries berth.test, nor inherits it: the images are built FROM scratch with busybox
// copied in, not FROM the labelled test base image, since containers inherit their image's labels.
// They carry berth.user-sim=<run id> instead, which only `remove` uses.
import type Docker from 'dockerode';
import * as fs from 'fs';
import { buildImage, busyboxPath, requireEngine, TEST_LABEL, testDocker } from './testEngine';

export const USER_SIM_LABEL = 'berth.user-sim';

export interface UserObjects {
  runId: string;
  containers: Record<string, unknown>[];
  images: Record<string, unknown>[];
  volumes: Record<string, unknown>[];
  networks: Record<string, unknown>[];
}

function runFilter(runId: string): string {
  return JSON.stringify({ label: [`${USER_SIM_LABEL}=${runId}`] });
}

/** True when a user-sim run id names a process that has ended (a crashed run's leftovers). */
function runEnded(runId: string | undefined): boolean {
  if (!runId) return false;
  try {
    process.kill(Number(runId.split('-')[0]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

async function removeRun(docker: Docker, runId: string): Promise<void> {
  const filters = runFilter(runId);
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  // Children before parents: the spare image is built on the user base image.
  const images = await docker.listImages({ all: false, filters });
  for (let pass = 0; pass < 2; pass++) for (const i of images) await docker.getImage(i.Id).remove({ force: false }).catch(() => undefined);
}

/** Removes the objects of user-sim runs whose process has ended. */
async function removeStaleRuns(docker: Docker): Promise<void> {
  const runs = new Set<string>();
  const filters = JSON.stringify({ label: [USER_SIM_LABEL] });
  for (const c of await docker.listContainers({ all: true, filters })) runs.add(c.Labels?.[USER_SIM_LABEL] ?? '');
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) runs.add(v.Labels?.[USER_SIM_LABEL] ?? '');
  for (const n of await docker.listNetworks({ filters })) runs.add(n.Labels?.[USER_SIM_LABEL] ?? '');
  for (const i of await docker.listImages({ filters })) runs.add(i.Labels?.[USER_SIM_LABEL] ?? '');
  for (const run of runs) if (runEnded(run)) await removeRun(docker, run);
}

const BASE_DOCKERFILE = 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["sh"]\n';

export async function createUserObjects(docker: Docker): Promise<UserObjects> {
  await requireEngine(docker);
  await removeStaleRuns(docker);
  const runId = `${process.ppid}-${Math.random().toString(36).slice(2, 8)}`;
  const labels = { [USER_SIM_LABEL]: runId };
  const tagBase = `berth-user-sim/busybox:${runId}`;
  const tagSpare = `berth-user-sim/spare:${runId}`;
  // 3 images: one used by containers, one tagged and unused, one dangling (what a prune takes).
  await buildImage(docker, BASE_DOCKERFILE, tagBase, { busybox: busyboxPath() }, labels);
  await buildImage(docker, `FROM ${tagBase}\nLABEL berth.user-sim.kind=spare\n`, tagSpare, {}, labels);
  await buildImage(docker, `FROM ${tagBase}\nLABEL berth.user-sim.kind=dangling\n`, undefined, {}, labels);

  // 2 volumes: one mounted by a running container, one unused (what a volume prune takes).
  const volUsed = `berth-user-sim-data-${runId}`;
  const volSpare = `berth-user-sim-spare-${runId}`;
  await docker.createVolume({ Name: volUsed, Labels: labels });
  await docker.createVolume({ Name: volSpare, Labels: labels });
  // Networks: one a running container is attached to; and one unused, without which an unscoped
  // network prune would go unseen (a network in use cannot be pruned).
  const netUsed = `berth-user-sim-net-${runId}`;
  const netSpare = `berth-user-sim-spare-net-${runId}`;
  await docker.createNetwork({ Name: netUsed, Labels: labels, CheckDuplicate: true });
  await docker.createNetwork({ Name: netSpare, Labels: labels, CheckDuplicate: true });

  // 5 containers: two running (one with the volume and the network), one paused, one exited, one created.
  const make = (name: string, extra: Partial<Docker.ContainerCreateOptions> = {}) =>
    docker.createContainer({ name: `berth-user-sim-${name}-${runId}`, Image: tagBase, Cmd: ['sleep', '86400'], Labels: labels, StopTimeout: 1, ...extra });
  const app = await make('app', { HostConfig: { Binds: [`${volUsed}:/data`], NetworkMode: netUsed } });
  await app.start();
  const worker = await make('worker');
  await worker.start();
  const paused = await make('paused');
  await paused.start();
  await paused.pause();
  const exited = await make('exited', { Cmd: ['sh', '-c', 'exit 3'] });
  await exited.start();
  await exited.wait();
  await make('created');
  return fingerprint(docker, runId);
}

/** What must not change: ids, names, states, labels, tags, mounts, attachments. */
export async function fingerprint(docker: Docker, runId: string): Promise<UserObjects> {
  const filters = runFilter(runId);
  const containers = [];
  for (const c of await docker.listContainers({ all: true, filters })) {
    const i = await docker.getContainer(c.Id).inspect();
    containers.push({
      id: i.Id,
      name: i.Name,
      image: i.Image,
      state: i.State.Status,
      running: i.State.Running,
      paused: i.State.Paused,
      exitCode: i.State.ExitCode,
      startedAt: i.State.StartedAt,
      labels: i.Config.Labels,
      mounts: (i.Mounts ?? []).map((m) => `${m.Type}:${m.Name ?? m.Source}:${m.Destination}`).sort(),
      networks: Object.keys(i.NetworkSettings.Networks ?? {}).sort(),
    });
  }
  const images = (await docker.listImages({ all: false, filters })).map((i) => ({ id: i.Id, tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>').sort(), labels: i.Labels }));
  const volumes = ((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => ({ name: v.Name, driver: v.Driver, labels: v.Labels }));
  const networks = [];
  for (const n of await docker.listNetworks({ filters })) {
    const i = await docker.getNetwork(n.Id).inspect();
    networks.push({ id: i.Id, name: i.Name, driver: i.Driver, labels: i.Labels, containers: Object.keys(i.Containers ?? {}).sort() });
  }
  const byKey = (k: string) => (a: Record<string, unknown>, b: Record<string, unknown>) => String(a[k]).localeCompare(String(b[k]));
  return { runId, containers: containers.sort(byKey('name')), images: images.sort(byKey('id')), volumes: volumes.sort(byKey('name')), networks: networks.sort(byKey('name')) };
}

/** Every difference between the recorded objects and the engine's, one line each. */
export function compareUserObjects(before: UserObjects, now: UserObjects): string[] {
  const out: string[] = [];
  for (const kind of ['containers', 'images', 'volumes', 'networks'] as const) {
    const key = (o: Record<string, unknown>) => String(o.id ?? o.name);
    const label = (o: Record<string, unknown>) => `${kind.slice(0, -1)} ${String(o.name ?? (o.tags as string[] | undefined)?.[0] ?? o.id)}`;
    const nowByKey = new Map(now[kind].map((o) => [key(o), o]));
    for (const b of before[kind]) {
      const n = nowByKey.get(key(b));
      if (!n) {
        out.push(`${label(b)} is gone`);
        continue;
      }
      nowByKey.delete(key(b));
      for (const field of Object.keys(b)) {
        const was = JSON.stringify(b[field]);
        const is = JSON.stringify(n[field]);
        if (was !== is) out.push(`${label(b)}: ${field} was ${was}, now ${is}`);
      }
    }
    for (const extra of nowByKey.values()) out.push(`${label(extra)} appeared with this run's user-sim label`);
  }
  return out;
}

async function main(): Promise<void> {
  const [cmd, file] = process.argv.slice(2);
  if (!['create', 'check', 'remove'].includes(cmd) || !file) throw new Error('usage: userObjects <create|check|remove> <state.json>');
  const docker = testDocker();
  if (cmd === 'create') {
    const objects = await createUserObjects(docker);
    fs.writeFileSync(file, JSON.stringify(objects, null, 2));
    const leaked = objects.containers.filter((c) => (c.labels as Record<string, string> | undefined)?.[TEST_LABEL] !== undefined);
    if (leaked.length) throw new Error(`user objects carry ${TEST_LABEL}: ${leaked.map((c) => c.name).join(', ')}`);
    console.log(
      `user objects (label ${USER_SIM_LABEL}=${objects.runId}): ${objects.containers.length} containers, ${objects.images.length} images, ${objects.volumes.length} volumes, ${objects.networks.length} networks`,
    );
    return;
  }
  const before = JSON.parse(fs.readFileSync(file, 'utf8')) as UserObjects;
  if (cmd === 'check') {
    const diffs = compareUserObjects(before, await fingerprint(docker, before.runId));
    for (const d of diffs) console.log(`  changed: ${d}`);
    if (diffs.length) throw new Error(`${diffs.length} user object(s) changed: a test touched what it did not label`);
    console.log(`user objects unchanged: ${before.containers.length} containers, ${before.images.length} images, ${before.volumes.length} volumes, ${before.networks.length} networks`);
    return;
  }
  await removeRun(docker, before.runId);
  fs.rmSync(file, { force: true });
}

if (require.main === module) {
  main().catch((err) => {
    console.error((err as Error).message);
    process.exitCode = 1;
  });
}
