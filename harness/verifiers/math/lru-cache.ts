/** A bounded least-recently-used cache: the math checker keeps its parsed answers and verdicts here. */

/** A Map-backed LRU cache holding at most `capacity` entries. */
export class LruCache<Key, Value> {
  /** Largest number of entries kept; the least recently used entry is dropped past it. */
  readonly capacity: number;
  private readonly entries = new Map<Key, Value>();

  /** @param capacity maximum number of entries (at least 1). */
  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  /** The cached value, marked as most recently used; undefined when absent. */
  get(key: Key): Value | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Stores a value, dropping the least recently used entry when full. */
  set(key: Key, value: Value): void {
    if (this.entries.has(key)) this.entries.delete(key);
    else if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }

  /** Number of entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
  }
}
