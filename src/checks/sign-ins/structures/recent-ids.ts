/**
 * Remembers the IDs of recently read sign-ins so that an event delivered twice (windows that
 * overlap, or a page boundary that shifted while Graph was paging newest-first) counts once.
 *
 * Memory is bounded: an ID is forgotten once the stream has moved more than `horizonMs` away
 * from the event's time, or when more than `maxIds` are held. Streams come in time order
 * (Graph pages newest first, snapshots keep that order), so a duplicate arrives while its
 * original is still near the stream's position; a duplicate further away than that would be
 * counted twice, which only makes a detector more sensitive, never blind.
 */
export class RecentIds {
  private readonly seen = new Set<string>();
  /** The remembered IDs in the order they came, as a ring of `maxIds` slots (no array shifting). */
  private readonly queueIds: (string | undefined)[];
  private readonly queueTimes: Float64Array;
  private head = 0;

  constructor(
    private readonly horizonMs: number,
    private readonly maxIds: number,
  ) {
    this.queueIds = new Array<string | undefined>(maxIds).fill(undefined);
    this.queueTimes = new Float64Array(maxIds);
  }

  /** `true` when `id` was already seen; otherwise remembers it. */
  seenBefore(id: string, time: number): boolean {
    this.evict(time);
    if (this.seen.has(id)) return true;
    // Every remembered ID has exactly one slot, so the ring is never fuller than `seen`.
    const tail = (this.head + this.seen.size) % this.maxIds;
    this.seen.add(id);
    this.queueIds[tail] = id;
    this.queueTimes[tail] = time;
    return false;
  }

  get size(): number {
    return this.seen.size;
  }

  private evict(now: number): void {
    while (this.seen.size > 0) {
      const time = this.queueTimes[this.head] ?? now;
      if (Math.abs(now - time) <= this.horizonMs && this.seen.size < this.maxIds) break;
      this.seen.delete(this.queueIds[this.head] ?? '');
      this.queueIds[this.head] = undefined;
      this.head = (this.head + 1) % this.maxIds;
    }
  }
}
