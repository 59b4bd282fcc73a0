/**
 * "Did slot S have an event between t1 and t2?" for many slots (users, sources, numbered from
 * 0) at once, in fixed memory: each slot gets a bitmap of time buckets over the look-back
 * window, all held in one typed array. About 40 bytes per slot however many events arrive, in
 * any order.
 *
 * Buckets are 5 minutes, or longer when the window would need more than MAX_BUCKETS (a 30-day
 * look-back gets 2.25-hour buckets), so answers are exact to one bucket.
 */
export const MAX_BUCKETS = 320;
const MIN_BUCKET_MS = 5 * 60_000;

export class BucketMarks {
  readonly bucketMs: number;
  private readonly wordsPerSlot: number;
  private words: Int32Array;

  constructor(
    private readonly start: number,
    private readonly end: number,
  ) {
    const span = Math.max(1, end - start);
    this.bucketMs = Math.max(MIN_BUCKET_MS, Math.ceil(span / MAX_BUCKETS));
    this.wordsPerSlot = Math.ceil((Math.floor(span / this.bucketMs) + 1) / 32);
    this.words = new Int32Array(this.wordsPerSlot * 4096);
  }

  private bucket(time: number): number {
    return Math.floor((Math.min(Math.max(time, this.start), this.end) - this.start) / this.bucketMs);
  }

  mark(slot: number, time: number): void {
    const need = (slot + 1) * this.wordsPerSlot;
    if (need > this.words.length) {
      const grown = new Int32Array(Math.max(need, this.words.length * 2));
      grown.set(this.words);
      this.words = grown;
    }
    const bucket = this.bucket(time);
    const at = slot * this.wordsPerSlot + (bucket >> 5);
    this.words[at] = (this.words[at] ?? 0) | (1 << (bucket & 31));
  }

  /** Whether the slot had an event in a bucket overlapping `[from, to]`. */
  any(slot: number, from: number, to: number): boolean {
    if ((slot + 1) * this.wordsPerSlot > this.words.length || to < this.start || from > this.end) return false;
    const base = slot * this.wordsPerSlot;
    for (let b = this.bucket(from), last = this.bucket(to); b <= last; b++) {
      if (((this.words[base + (b >> 5)] ?? 0) >>> (b & 31)) & 1) return true;
    }
    return false;
  }
}
