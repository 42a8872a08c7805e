// Containers: list, inspect, lifecycle actions, remove, resize, and Publish Port…'s recreate.
import type Docker from 'dockerode';
import type { ContainerAction, ContainerStateInfo, NewBinding, RecreateBlocker } from '../contract/client';
import type { ContainerRecord } from '../contract/records';
import type { Connection } from './connection';
import { inspectToContainerRecord, toContainerRecord } from './convert';
import { classifyError, EngineError } from './errors';
import { recreateBlockers, recreateOptions } from './recreate';

export function listContainers(c: Connection): Promise<ContainerRecord[]> {
  return c.call(async (d) => {
    const listed = await d.listContainers({ all: true });
    const at = Date.now();
    return listed.map((x) => toContainerRecord(x, at));
  });
}

export function container(c: Connection, id: string): Promise<ContainerRecord | undefined> {
  return c.orMissing(async (d) => inspectToContainerRecord(await d.getContainer(id).inspect(), Date.now()));
}

export async function containerAction(c: Connection, id: string, action: ContainerAction): Promise<void> {
  try {
    const target = c.docker.getContainer(id);
    await (target[action] as (opts: object) => Promise<unknown>).call(target, {});
  } catch (err) {
    const e = classifyError(err);
    // 304: already in the asked state, which is what the user wanted.
    if (e.statusCode === 304) return;
    throw e;
  }
}

export function removeContainer(c: Connection, id: string, force: boolean): Promise<void> {
  return c.call((d) => d.getContainer(id).remove({ force, v: false }));
}

export function resize(c: Connection, id: string, rows: number, cols: number): Promise<void> {
  return c.call((d) => d.getContainer(id).resize({ h: rows, w: cols }) as Promise<void>);
}

export function containerState(c: Connection, id: string, signal?: AbortSignal): Promise<ContainerStateInfo | undefined> {
  return c.orMissing(async (d) => {
    const info = await d.getContainer(id).inspect({ abortSignal: signal } as Docker.ContainerInspectOptions);
    const known = (t: string | undefined) => (t && !t.startsWith('0001') ? t : undefined);
    return { name: info.Name.replace(/^\//, ''), tty: !!info.Config.Tty, running: info.State.Running, exitCode: info.State.ExitCode, finishedAt: known(info.State.FinishedAt), startedAt: known(info.State.StartedAt) };
  });
}

export async function recreateCheck(c: Connection, id: string): Promise<{ blockers: RecreateBlocker[]; running: boolean; name: string }> {
  const info = await c.call((d) => d.getContainer(id).inspect());
  return { blockers: recreateBlockers(info), running: info.State.Running, name: info.Name.replace(/^\//, '') };
}

export async function publishPorts(c: Connection, id: string, add: NewBinding[]): Promise<string> {
  const docker = c.docker;
  const old = docker.getContainer(id);
  const info = await c.call(() => old.inspect());
  const blockers = recreateBlockers(info);
  if (blockers.length) throw new EngineError('other', `cannot recreate ${info.Name.slice(1)}: ${blockers.map((b) => b.kind).join(', ')}`);
  const { create, connect } = recreateOptions(info, add);
  const name = create.name as string;
  const wasRunning = info.State.Running;
  await c.call(async () => {
    if (wasRunning) await old.stop();
    await old.rename({ name: `${name}-berth-replaced-${Date.now().toString(36)}` });
  });
  let created: Docker.Container | undefined;
  try {
    created = await docker.createContainer(create);
    for (const n of connect) await docker.getNetwork(n.network).connect({ Container: created.id, EndpointConfig: { Aliases: n.aliases } });
    if (wasRunning) await created.start();
  } catch (err) {
    // Put the original back exactly as it was: name, then state.
    await created?.remove({ force: true, v: false }).catch(() => undefined);
    await old.rename({ name }).catch(() => undefined);
    if (wasRunning) await old.start().catch(() => undefined);
    const e = classifyError(err);
    throw new EngineError(e.code, `${e.message} (${name} was restored as it was)`, e.statusCode);
  }
  await c.call(() => old.remove({ v: false }));
  return created.id;
}
