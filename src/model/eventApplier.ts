// Applies engine events to the stores: at most one engine request per event, coalesced per
// object, so a burst (kill, die, stop) for one container costs two requests, not three.
import type { EngineClient } from '../engine/index';
import type { ContainerRecord, EngineEvent, ImageRecord } from './records';
import type { Store } from './store';

/** Container actions that change nothing Berth shows. */
const QUIET_CONTAINER_ACTIONS = new Set(['exec_create', 'exec_start', 'exec_die', 'exec_detach', 'attach', 'detach', 'resize', 'top', 'commit', 'copy', 'archive-path', 'extract-to-dir', 'export']);

export class EventApplier {
  /** Engine requests made for events, for the benchmark and the tests. */
  requests = 0;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    private readonly client: EngineClient,
    private readonly containers: Store<ContainerRecord>,
    private readonly images: Store<ImageRecord>,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  apply(e: EngineEvent): void {
    if (e.type === 'container') {
      if (e.action === 'destroy') return this.containers.remove(e.id);
      if (QUIET_CONTAINER_ACTIONS.has(e.action)) return;
      return this.refetch(`c:${e.id}`, async () => {
        const rec = await this.client.container(e.id);
        if (rec) this.containers.upsert(rec);
        else this.containers.remove(e.id);
      });
    }
    if (e.type === 'image') {
      if (e.action === 'delete') return this.images.remove(e.id);
      if (e.action === 'push' || e.action === 'save') return;
      this.refetchImage(e.id);
      // A tag that moves to a new image sends no untag for the old one: refetch its old holder.
      const ref = e.attributes.name;
      if (e.action === 'tag' && ref) {
        const previous = this.images.all().find((i) => i.id !== e.id && i.repoTags.includes(ref));
        if (previous) this.refetchImage(previous.id);
      }
    }
  }

  private refetchImage(idOrRef: string): void {
    this.refetch(`i:${idOrRef}`, async () => {
      const rec = await this.client.image(idOrRef);
      if (rec) this.images.upsert(rec);
      else if (idOrRef.startsWith('sha256:')) this.images.remove(idOrRef);
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
