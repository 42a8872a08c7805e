// A fixed-capacity ring: the oldest entry goes when a new one arrives at capacity, so a
// container's history costs the same after ten minutes as after ten hours.
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (capacity < 1) throw new Error('a ring needs room for one entry');
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const end = (this.start + this.count) % this.capacity;
    this.items[end] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Replaces the newest entry (or pushes into an empty ring). */
  replaceLast(item: T): void {
    if (!this.count) this.push(item);
    else this.items[(this.start + this.count - 1) % this.capacity] = item;
  }

  /** The newest entry. */
  last(): T | undefined {
    return this.count ? this.items[(this.start + this.count - 1) % this.capacity] : undefined;
  }

  /** Drops entries from the oldest while `old` says so. */
  dropWhile(old: (item: T) => boolean): void {
    while (this.count && old(this.items[this.start] as T)) {
      this.items[this.start] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }
}
