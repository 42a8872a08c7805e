// Applies engine events to the stores: at most one engine request per event, coalesced per
// object, so a burst (kill, die, stop) for one container costs two requests, not three.
import type { EngineClient } from '../contract/client';
import type { ContainerRecord, EngineEvent, ImageRecord, NetworkRecord, VolumeRecord } from '../contract/records';
import type { Store } from '../model/store';

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
  /**
   * When each object was last deleted, in event order. An inspect that was in flight when the
   * delete arrived can answer with the object as it was: its answer must not bring it back.
   */
  private readonly deletedAt = new Map<string, number>();
  private seq = 0;
  private disposed = false;

  constructor(
    private readonly client: EngineClient,
    private readonly stores: AppliedStores,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /**
   * The connection this applier served is gone. The stores now hold another engine's objects (or
   * none): answers still in flight from the old engine must not land in them.
   */
  dispose(): void {
    this.disposed = true;
    this.again.clear();
  }

  apply(e: EngineEvent): void {
    if (this.disposed) return;
    const { containers } = this.stores;
    if (e.type === 'container') {
      if (e.action === 'destroy') return this.deleted(`c:${e.id}`, () => containers.remove(e.id));
      if (QUIET_CONTAINER_ACTIONS.has(e.action)) return;
      return this.refetchContainer(e.id);
    }
    if (e.type === 'image') {
      if (e.action === 'delete') return this.deleted(`i:${e.id}`, () => this.stores.images.remove(e.id));
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
      if (e.action === 'destroy') return this.deleted(`v:${e.id}`, () => this.stores.volumes.remove(e.id));
      if (e.action === 'create') return this.refetch(`v:${e.id}`, async (valid) => this.upsertOrRemove(this.stores.volumes, e.id, await this.client.volume(e.id), valid));
      // mount/unmount change only which containers use it: their own events say so.
      return;
    }
    if (e.type === 'network') {
      if (e.action === 'destroy') return this.deleted(`n:${e.id}`, () => this.stores.networks.remove(e.id));
      if (e.action === 'create') return this.refetch(`n:${e.id}`, async (valid) => this.upsertOrRemove(this.stores.networks, e.id, await this.client.network(e.id), valid));
      // connect/disconnect change the container's networks, which only its inspect shows.
      const container = e.attributes.container;
      if ((e.action === 'connect' || e.action === 'disconnect') && container) this.refetchContainer(container);
    }
  }

  private deleted(key: string, remove: () => void): void {
    if (this.inFlight.size) this.deletedAt.set(key, ++this.seq);
    remove();
  }

  private upsertOrRemove<T extends { id: string }>(store: Store<T>, id: string, rec: T | undefined, valid: () => boolean): void {
    if (rec && valid()) store.upsert(rec);
    else if (!rec && !this.disposed) store.remove(id);
  }

  private refetchContainer(id: string): void {
    this.refetch(`c:${id}`, async (valid) => this.upsertOrRemove(this.stores.containers, id, await this.client.container(id), valid));
  }

  private refetchImage(idOrRef: string): void {
    this.refetch(`i:${idOrRef}`, async (valid) => {
      const rec = await this.client.image(idOrRef);
      // Keyed by what the event named; the record's own id decides whether it was deleted since.
      if (rec && valid(`i:${rec.id}`)) this.stores.images.upsert(rec);
      else if (!rec && !this.disposed && idOrRef.startsWith('sha256:')) this.stores.images.remove(idOrRef);
    });
  }

  /** Waits until no refetch is pending (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight.values()]);
  }

  private refetch(key: string, fetch: (valid: (deletedKey?: string) => boolean) => Promise<void>): void {
    if (this.inFlight.has(key)) {
      this.again.add(key);
      return;
    }
    const run = async (): Promise<void> => {
      do {
        const started = ++this.seq;
        // False once the object was deleted after this fetch began: its answer is stale.
        const valid = (deletedKey = key) => !this.disposed && (this.deletedAt.get(deletedKey) ?? 0) < started;
        try {
          this.requests++;
          await fetch(valid);
        } catch (err) {
          this.onError(err);
        }
      } while (this.again.delete(key));
      // In the same turn as the last check: an event arriving later finds no fetch in flight and
      // starts one, rather than marking one that has already finished (and being lost).
      this.inFlight.delete(key);
      // Deletions only matter to fetches in flight; with none left, forget them.
      if (!this.inFlight.size) this.deletedAt.clear();
    };
    this.inFlight.set(key, run());
  }
}
