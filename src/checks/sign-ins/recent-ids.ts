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
  private readonly seen = new Map<string, number>();
  private readonly queueIds: string[] = [];
  private readonly queueTimes: number[] = [];
  private head = 0;

  constructor(
    private readonly horizonMs: number,
    private readonly maxIds: number,
  ) {}

  /** `true` when `id` was already seen; otherwise remembers it. */
  seenBefore(id: string, time: number): boolean {
    this.evict(time);
    if (this.seen.has(id)) return true;
    this.seen.set(id, time);
    this.queueIds.push(id);
    this.queueTimes.push(time);
    return false;
  }

  get size(): number {
    return this.seen.size;
  }

  private evict(now: number): void {
    while (this.head < this.queueIds.length) {
      const time = this.queueTimes[this.head] ?? now;
      if (Math.abs(now - time) <= this.horizonMs && this.seen.size < this.maxIds) break;
      const id = this.queueIds[this.head] ?? '';
      // Only forget the ID if this queue entry is the one that recorded it.
      if (this.seen.get(id) === time) this.seen.delete(id);
      this.head++;
    }
    // Compact the queue now and then so the arrays do not grow with the stream.
    if (this.head > 65_536 && this.head * 2 > this.queueIds.length) {
      this.queueIds.splice(0, this.head);
      this.queueTimes.splice(0, this.head);
      this.head = 0;
    }
  }
}
