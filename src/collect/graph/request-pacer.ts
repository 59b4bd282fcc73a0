import { realSleep, type Sleep } from './rate-limiter.js';

/** A steady request rate with a small burst allowance. */
export interface PaceLimit {
  /** Requests started per second, on average. */
  readonly perSecond: number;
  /** Requests that may start at once after a pause (the bucket's size). */
  readonly burst: number;
}

/**
 * Graph's global limit is 2,000 requests per second per app, and every item of a JSON batch
 * counts as a request (learn.microsoft.com/graph/throttling-limits, "Global limits";
 * learn.microsoft.com/graph/json-batching, "Throttling"). We pace starts at 1,900/s with a burst
 * of 100, so no second ever sees more than 2,000 starts: sending evenly keeps the server's
 * window under the limit even though batch items reach it spread over the batch's run time,
 * where a sliding window held until each response would pace far below the limit.
 */
export const DEFAULT_GLOBAL_PACE: PaceLimit = { perSecond: 1_900, burst: 100 };

/**
 * A token bucket over request starts, shared by every request of one transport (single GETs
 * and batch items alike; batch envelopes are not requests of their own). Waiters are served in
 * order, so a batch asking for 20 is never starved by single requests asking for 1.
 */
export class RequestPacer {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: PaceLimit,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {
    this.tokens = limit.burst;
    this.last = now();
  }

  /** Resolves when `count` requests may start (more than the burst are taken in turns). */
  take(count = 1): Promise<void> {
    const turn = this.queue.then(async () => {
      let left = count;
      while (left > 0) {
        const want = Math.min(left, this.limit.burst);
        for (;;) {
          const now = this.now();
          this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) * this.limit.perSecond) / 1000);
          this.last = now;
          if (this.tokens >= want) break;
          await this.sleep(Math.ceil(((want - this.tokens) * 1000) / this.limit.perSecond));
        }
        this.tokens -= want;
        left -= want;
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}
