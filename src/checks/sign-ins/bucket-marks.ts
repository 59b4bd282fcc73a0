/**
 * "Did key K have an event between t1 and t2?" for many keys (users, sources) at once, in
 * fixed memory: each key gets a bitmap of time buckets over the look-back window, all held in
 * one typed array. About 40 bytes per key however many events arrive, in any order.
 *
 * Buckets are 5 minutes, or longer when the window would need more than MAX_BUCKETS (a 30-day
 * look-back gets 2.25-hour buckets), so answers are exact to one bucket.
 */
export const MAX_BUCKETS = 320;
const MIN_BUCKET_MS = 5 * 60_000;

export class BucketMarks {
  readonly bucketMs: number;
  private readonly wordsPerKey: number;
  private words: Int32Array;
  private readonly slots = new Map<string, number>();

  constructor(
    private readonly start: number,
    private readonly end: number,
  ) {
    const span = Math.max(1, end - start);
    this.bucketMs = Math.max(MIN_BUCKET_MS, Math.ceil(span / MAX_BUCKETS));
    this.wordsPerKey = Math.ceil((Math.floor(span / this.bucketMs) + 1) / 32);
    this.words = new Int32Array(this.wordsPerKey * 4096);
  }

  /** The key's slot number (dense, from 0), created on first use. */
  slot(key: string): number {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(key, slot);
      if ((slot + 1) * this.wordsPerKey > this.words.length) {
        const grown = new Int32Array(this.words.length * 2);
        grown.set(this.words);
        this.words = grown;
      }
    }
    return slot;
  }

  /** The slot of a key seen before, or `undefined`. */
  find(key: string): number | undefined {
    return this.slots.get(key);
  }

  private bucket(time: number): number {
    return Math.floor((Math.min(Math.max(time, this.start), this.end) - this.start) / this.bucketMs);
  }

  mark(key: string, time: number): number {
    const slot = this.slot(key);
    const bucket = this.bucket(time);
    const at = slot * this.wordsPerKey + (bucket >> 5);
    this.words[at] = (this.words[at] ?? 0) | (1 << (bucket & 31));
    return slot;
  }

  /** Whether the key had an event in a bucket overlapping `[from, to]`. */
  any(key: string, from: number, to: number): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined || to < this.start || from > this.end) return false;
    const base = slot * this.wordsPerKey;
    for (let b = this.bucket(from), last = this.bucket(to); b <= last; b++) {
      if (((this.words[base + (b >> 5)] ?? 0) >>> (b & 31)) & 1) return true;
    }
    return false;
  }
}
