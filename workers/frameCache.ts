// Least-recently-used cache of decoded frames, bounded by bytes rather than entries so a
// 2048² float stack and a 256² uint16 stack both get a sensible number of frames.

export class LruCache<K, V> {
  private readonly map = new Map<K, { value: V; bytes: number }>();
  private used = 0;

  constructor(
    readonly budgetBytes: number,
    private readonly sizeOf: (v: V) => number,
  ) {}

  get(key: K): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    // Map keeps insertion order: re-inserting marks the entry as most recent.
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  set(key: K, value: V): void {
    const bytes = this.sizeOf(value);
    this.delete(key);
    if (bytes > this.budgetBytes) return;
    this.map.set(key, { value, bytes });
    this.used += bytes;
    for (const [k, e] of this.map) {
      if (this.used <= this.budgetBytes) break;
      this.map.delete(k);
      this.used -= e.bytes;
    }
  }

  delete(key: K): void {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.used -= hit.bytes;
    }
  }

  /** Drops every key for which `pred` holds (e.g. all frames of a closed stack). */
  deleteWhere(pred: (key: K) => boolean): void {
    for (const k of [...this.map.keys()]) if (pred(k)) this.delete(k);
  }

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.used;
  }
}
