// Holds engine objects keyed by id and reports exactly which ids changed on each update.
import { Emitter } from './emitter';

export interface StoreChange {
  added: string[];
  updated: string[];
  removed: string[];
}

export class Store<T extends { id: string }> {
  private readonly items = new Map<string, T>();
  private readonly changed = new Emitter<StoreChange>();
  readonly onDidChange = this.changed.event;

  /**
   * `merge` says what to keep when a record arrives for a known id (by default the new one);
   * `same` whether the kept record differs from the previous one.
   */
  constructor(
    private readonly merge: (prev: T, next: T) => T = (_prev, next) => next,
    private readonly same: (a: T, b: T) => boolean = (a, b) => JSON.stringify(a) === JSON.stringify(b),
  ) {}

  get size(): number {
    return this.items.size;
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  all(): T[] {
    return [...this.items.values()];
  }

  /** Replaces the whole content (a full resync) and reports only real differences. */
  replaceAll(records: readonly T[]): StoreChange {
    const change: StoreChange = { added: [], updated: [], removed: [] };
    const next = new Map(records.map((r) => [r.id, r]));
    for (const id of this.items.keys()) if (!next.has(id)) change.removed.push(id);
    for (const [id, arrived] of next) {
      const prev = this.items.get(id);
      const rec = prev ? this.merge(prev, arrived) : arrived;
      next.set(id, rec);
      if (!prev) change.added.push(id);
      else if (!this.same(prev, rec)) change.updated.push(id);
    }
    this.items.clear();
    for (const [id, rec] of next) this.items.set(id, rec);
    if (change.added.length || change.updated.length || change.removed.length) this.changed.fire(change);
    return change;
  }

  /** Adds or replaces one record; fires only when it differs from what was there. */
  upsert(arrived: T): void {
    const prev = this.items.get(arrived.id);
    const record = prev ? this.merge(prev, arrived) : arrived;
    if (prev && this.same(prev, record)) return;
    this.items.set(record.id, record);
    this.changed.fire(prev ? { added: [], updated: [record.id], removed: [] } : { added: [record.id], updated: [], removed: [] });
  }

  remove(id: string): void {
    if (this.items.delete(id)) this.changed.fire({ added: [], updated: [], removed: [id] });
  }

  clear(): void {
    this.replaceAll([]);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
