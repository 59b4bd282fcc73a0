const MINUTE = 60_000;

function grown<T extends Float64Array | Int32Array>(array: T, size: number, make: (n: number) => T): T {
  if (size <= array.length) return array;
  const next = make(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

/** One kept success: a real sign-in, standing for its slot's successes in its minute. */
export interface MinuteSuccess {
  readonly slot: number;
  readonly time: number;
  readonly user: number;
  readonly ip: string | null;
}

/**
 * One successful sign-in per slot (a source, a user) and UTC minute, kept in typed arrays while
 * an incremental run folds (about 24 bytes each). The spray and fatigue detectors only ask "did
 * this slot succeed in a time bucket overlapping [t1, t2]" (BucketMarks), with buckets of whole
 * minutes from a window start on a whole minute: one real success per minute answers it for any
 * later window, so these are what they carry of successes. Graph pages come newest first, so a
 * slot's successes of one minute arrive together and the first is kept.
 */
export class MinuteSuccesses {
  private size = 0;
  private slots = new Int32Array(1024);
  private times = new Float64Array(1024);
  private users = new Int32Array(1024);
  private readonly ips: (string | null)[] = [];
  /** The last minute kept per slot, +1 (0: none). */
  private lastMinute = new Float64Array(1024);

  add(slot: number, time: number, user: number, ip: string | null): void {
    const minute = Math.floor(time / MINUTE) + 1;
    this.lastMinute = grown(this.lastMinute, slot + 1, (n) => new Float64Array(n));
    if (this.lastMinute[slot] === minute) return;
    this.lastMinute[slot] = minute;
    const at = this.size++;
    this.slots = grown(this.slots, this.size, (n) => new Int32Array(n));
    this.times = grown(this.times, this.size, (n) => new Float64Array(n));
    this.users = grown(this.users, this.size, (n) => new Int32Array(n));
    this.slots[at] = slot;
    this.times[at] = time;
    this.users[at] = user;
    this.ips[at] = ip;
  }

  get count(): number {
    return this.size;
  }

  *entries(): Generator<MinuteSuccess> {
    for (let k = 0; k < this.size; k++) {
      yield { slot: this.slots[k] ?? 0, time: this.times[k] ?? 0, user: this.users[k] ?? 0, ip: this.ips[k] ?? null };
    }
  }
}

/**
 * Whether `time` lies within `[t − before, t + after]` of some time `t` in `sorted` (ascending),
 * by binary search.
 */
export function near(sorted: readonly number[], time: number, before: number, after: number): boolean {
  // The first t ≥ time − after: if it is also ≤ time + before, time is within reach of it.
  let lo = 0;
  let hi = sorted.length;
  const from = time - after;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && (sorted[lo] ?? 0) <= time + before;
}
