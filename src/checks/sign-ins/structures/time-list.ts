import { insertAt } from './insert-at.js';

/**
 * Up to `limit` event times (with an optional payload each), kept sorted and keeping the
 * newest when full. This is the per-user and per-source memory of the detectors: bounded
 * whatever the number of events, and independent of the order the events arrive in.
 */
export class TimeList<P = undefined> {
  private timeList: number[] = [];
  /** Only allocated when payloads are given: MFA keeps bare times for every user. */
  private payloadList: P[] | undefined;
  /** Every time offered, kept or not. */
  total = 0;

  constructor(private readonly limit: number) {}

  get times(): readonly number[] {
    return this.timeList;
  }

  get payloads(): readonly P[] {
    return this.payloadList ?? [];
  }

  add(time: number, payload?: P): void {
    this.total++;
    const times = this.timeList;
    const n = times.length;
    if (n === this.limit && time <= (times[0] ?? -Infinity)) return;
    // Streams are mostly in order (Graph: newest first), so search from the end.
    let at = n;
    while (at > 0 && (times[at - 1] ?? 0) > time) at--;
    this.timeList = insertAt(times, at, time);
    if (payload !== undefined || this.payloadList !== undefined)
      this.payloadList = insertAt(this.payloadList ?? [], at, payload as P);
    if (this.timeList.length > this.limit) {
      this.timeList.shift();
      this.payloadList?.shift();
    }
  }
}

/**
 * The densest stretch of at most `spanMs` in sorted `times`, counted by distinct keys: the
 * sliding window behind "at least N distinct users within M minutes".
 */
export function densestWindow<K>(
  times: readonly number[],
  keys: readonly K[],
  spanMs: number,
): {
  readonly distinct: number;
  readonly from: number;
  readonly to: number;
  readonly first: number;
  readonly last: number;
} {
  const counts = new Map<K, number>();
  let best = { distinct: 0, from: 0, to: 0, first: 0, last: -1 };
  let left = 0;
  for (let right = 0; right < times.length; right++) {
    const key = keys[right] as K;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    while ((times[right] ?? 0) - (times[left] ?? 0) > spanMs) {
      const leftKey = keys[left] as K;
      const count = (counts.get(leftKey) ?? 1) - 1;
      if (count === 0) counts.delete(leftKey);
      else counts.set(leftKey, count);
      left++;
    }
    if (counts.size > best.distinct) {
      best = { distinct: counts.size, from: times[left] ?? 0, to: times[right] ?? 0, first: left, last: right };
    }
  }
  return best;
}
