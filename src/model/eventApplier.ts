// Applies engine events to the stores: at most one engine request per event, coalesced per
// object, so a burst (kill, die, stop) for one container costs two requests, not three.
import type { EngineClient } from '../engine/index';
import type { ContainerRecord, EngineEvent, ImageRecord, NetworkRecord, VolumeRecord } from './records';
import type { Store } from './store';

/** Container actions that change nothing Berth shows. */
const QUIET_CONTAINER_ACTIONS = new Set(['exec_create', 'exec_start', 'exec_die', 'exec_detach', 'attach', 'detach', 'resize', 'top', 'commit', 'copy', 'archive-path', 'extract-to-dir', 'export']);

export interface AppliedStores {
  containers: Store<ContainerRecord>;
  images: Store<ImageRecord>;
  volumes: Store<VolumeRecord>;
  networks: Store<NetworkRecord>;
}

export class EventApplier {
  /** Engine requests made for events, for the benchmark and the tests. */
  requests = 0;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    private readonly client: EngineClient,
    private readonly stores: AppliedStores,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  apply(e: EngineEvent): void {
    const { containers } = this.stores;
    if (e.type === 'container') {
      if (e.action === 'destroy') return containers.remove(e.id);
      if (QUIET_CONTAINER_ACTIONS.has(e.action)) return;
      return this.refetchContainer(e.id);
    }
    if (e.type === 'image') {
      if (e.action === 'delete') return this.stores.images.remove(e.id);
      if (e.action === 'push' || e.action === 'save') return;
      this.refetchImage(e.id);
      // A tag that moves to a new image sends no untag for the old one: refetch its old holder.
      const ref = e.attributes.name;
      if (e.action === 'tag' && ref) {
        const previous = this.stores.images.all().find((i) => i.id !== e.id && i.repoTags.includes(ref));
        if (previous) this.refetchImage(previous.id);
      }
      return;
    }
    if (e.type === 'volume') {
      if (e.action === 'destroy') return this.stores.volumes.remove(e.id);
      if (e.action === 'create') return this.refetch(`v:${e.id}`, async () => this.upsertOrRemove(this.stores.volumes, e.id, await this.client.volume(e.id)));
      // mount/unmount change only which containers use it: their own events say so.
      return;
    }
    if (e.type === 'network') {
      if (e.action === 'destroy') return this.stores.networks.remove(e.id);
      if (e.action === 'create') return this.refetch(`n:${e.id}`, async () => this.upsertOrRemove(this.stores.networks, e.id, await this.client.network(e.id)));
      // connect/disconnect change the container's networks, which only its inspect shows.
      const container = e.attributes.container;
      if ((e.action === 'connect' || e.action === 'disconnect') && container) this.refetchContainer(container);
    }
  }

  private upsertOrRemove<T extends { id: string }>(store: Store<T>, id: string, rec: T | undefined): void {
    if (rec) store.upsert(rec);
    else store.remove(id);
  }

  private refetchContainer(id: string): void {
    this.refetch(`c:${id}`, async () => this.upsertOrRemove(this.stores.containers, id, await this.client.container(id)));
  }

  private refetchImage(idOrRef: string): void {
    this.refetch(`i:${idOrRef}`, async () => {
      const rec = await this.client.image(idOrRef);
      if (rec) this.stores.images.upsert(rec);
      else if (idOrRef.startsWith('sha256:')) this.stores.images.remove(idOrRef);
    });
  }

  /** Waits until no refetch is pending (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight.values()]);
  }

  private refetch(key: string, fetch: () => Promise<void>): void {
    if (this.inFlight.has(key)) {
      this.again.add(key);
      return;
    }
    const run = async (): Promise<void> => {
      try {
        this.requests++;
        await fetch();
      } catch (err) {
        this.onError(err);
      }
      if (this.again.delete(key)) return run();
    };
    this.inFlight.set(
      key,
      run().finally(() => this.inFlight.delete(key)),
    );
  }
}
