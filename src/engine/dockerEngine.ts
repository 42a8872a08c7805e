// The engine contract's implementation over dockerode: one Connection, and each job in its own
// module (containers, images, build, run, logs and execs, volumes and networks, events). Loaded
// on first connect (see ./index.ts), never in activate().
import type { AttachedRun, BuildRequest, ContainerAction, ContainerStateInfo, EngineClient, EventSubscription, ExecSession, ImageConfig, InspectKind, LogOptions, NewBinding, PruneOptions, RecreateBlocker, RunRequest } from '../contract/client';
import type { BuildMessage } from '../contract/build';
import type { Endpoint } from '../contract/endpoint';
import type { ContainerRecord, EngineEvent, EngineVersion, ImageRecord, NetworkRecord, PruneResult, VolumeRecord } from '../contract/records';
import { build } from './build';
import { Connection } from './connection';
import * as containers from './containers';
import { events } from './events';
import * as images from './images';
import * as logs from './logs';
import * as resources from './resources';
import * as run from './run';
import * as stats from './stats';
import type { EngineStats, StatsSubscription } from '../contract/stats';
import { swarmClient } from './swarm';
import * as transfer from './transfer';
import type { PullRequest, PushRequest, TransferMessage } from '../contract/transfer';
import { lifecycleClient } from './lifecycle';
import type { LifecycleClient } from '../contract/lifecycle';
import { layersClient } from './layers';
import type { LayersClient } from '../contract/layers';
import type { SwarmClient } from '../contract/swarm';
import { filesClient } from './files';
import type { FilesClient } from '../contract/files';

export class DockerEngine implements EngineClient {
  private readonly c: Connection;
  readonly swarm: SwarmClient;
  readonly files: FilesClient;
  readonly lifecycle: LifecycleClient;
  readonly layers: LayersClient;

  constructor(readonly endpoint: Endpoint) {
    this.c = new Connection(endpoint);
    this.swarm = swarmClient(this.c);
    this.files = filesClient(this.c);
    this.lifecycle = lifecycleClient(this.c);
    this.layers = layersClient(this.c);
  }

  ping(timeoutMs: number): Promise<EngineVersion> {
    return this.c.ping(timeoutMs);
  }
  listContainers(): Promise<ContainerRecord[]> {
    return containers.listContainers(this.c);
  }
  container(id: string): Promise<ContainerRecord | undefined> {
    return containers.container(this.c, id);
  }
  containerAction(id: string, action: ContainerAction): Promise<void> {
    return containers.containerAction(this.c, id, action);
  }
  removeContainer(id: string, force: boolean): Promise<void> {
    return containers.removeContainer(this.c, id, force);
  }
  resize(id: string, rows: number, cols: number): Promise<void> {
    return containers.resize(this.c, id, rows, cols);
  }
  containerState(id: string, signal?: AbortSignal): Promise<ContainerStateInfo | undefined> {
    return containers.containerState(this.c, id, signal);
  }
  recreateCheck(id: string): Promise<{ blockers: RecreateBlocker[]; running: boolean; name: string }> {
    return containers.recreateCheck(this.c, id);
  }
  publishPorts(id: string, add: NewBinding[]): Promise<string> {
    return containers.publishPorts(this.c, id, add);
  }
  listImages(): Promise<ImageRecord[]> {
    return images.listImages(this.c);
  }
  image(idOrRef: string): Promise<ImageRecord | undefined> {
    return images.image(this.c, idOrRef);
  }
  removeImage(ref: string): Promise<void> {
    return images.removeImage(this.c, ref);
  }
  pruneImages(opts?: PruneOptions): Promise<PruneResult> {
    return images.pruneImages(this.c, opts);
  }
  imageConfig(image: string): Promise<ImageConfig | undefined> {
    return images.imageConfig(this.c, image);
  }
  pull(req: PullRequest, onMessage: (m: TransferMessage) => void): Promise<void> {
    return transfer.pull(this.c, req, onMessage);
  }
  push(req: PushRequest, onMessage: (m: TransferMessage) => void): Promise<void> {
    return transfer.push(this.c, req, onMessage);
  }
  tag(image: string, reference: string): Promise<void> {
    return transfer.tag(this.c, image, reference);
  }
  saveImages(names: string[], signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    return transfer.saveImages(this.c, names, signal);
  }
  loadImages(tar: NodeJS.ReadableStream, onMessage: (m: TransferMessage) => void, signal?: AbortSignal): Promise<void> {
    return transfer.loadImages(this.c, tar, onMessage, signal);
  }
  build(req: BuildRequest, onMessage: (m: BuildMessage) => void): Promise<void> {
    return build(this.c, req, onMessage);
  }
  run(req: RunRequest): Promise<string> {
    return run.run(this.c, req);
  }
  runAttached(req: RunRequest): Promise<AttachedRun> {
    return run.runAttached(this.c, req);
  }
  logs(id: string, opts: LogOptions, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    return logs.logs(this.c, id, opts, signal);
  }
  execStatus(id: string, cmd: string[]): Promise<number> {
    return logs.execStatus(this.c, id, cmd);
  }
  execTty(id: string, cmd: string[], size?: { rows: number; cols: number }): Promise<ExecSession> {
    return logs.execTty(this.c, id, cmd, size);
  }
  listVolumes(): Promise<VolumeRecord[]> {
    return resources.listVolumes(this.c);
  }
  volume(name: string): Promise<VolumeRecord | undefined> {
    return resources.volume(this.c, name);
  }
  removeVolume(name: string): Promise<void> {
    return resources.removeVolume(this.c, name);
  }
  pruneVolumes(opts?: PruneOptions): Promise<PruneResult> {
    return resources.pruneVolumes(this.c, opts);
  }
  listNetworks(): Promise<NetworkRecord[]> {
    return resources.listNetworks(this.c);
  }
  network(id: string): Promise<NetworkRecord | undefined> {
    return resources.network(this.c, id);
  }
  removeNetwork(id: string): Promise<void> {
    return resources.removeNetwork(this.c, id);
  }
  pruneNetworks(opts?: PruneOptions): Promise<PruneResult> {
    return resources.pruneNetworks(this.c, opts);
  }
  inspect(kind: InspectKind, id: string): Promise<unknown> {
    return resources.inspect(this.c, kind, id);
  }
  events(sinceNano: number | undefined, onEvent: (e: EngineEvent) => void, filters?: Record<string, string[]>): Promise<EventSubscription> {
    return events(this.c, sinceNano, onEvent, filters);
  }
  statsOnce(id: string, signal?: AbortSignal): Promise<EngineStats | undefined> {
    return stats.statsOnce(this.c, id, signal);
  }
  statsStream(id: string, onStats: (s: EngineStats) => void): Promise<StatsSubscription | undefined> {
    return stats.statsStream(this.c, id, onStats);
  }
  forwardedSocket(): string | undefined {
    return this.c.forwardedSocket();
  }
  dispose(): void {
    this.c.dispose();
  }
}
