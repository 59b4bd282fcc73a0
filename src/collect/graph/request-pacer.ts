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
 * learn.microsoft.com/graph/json-batching, "Throttling"). We pace starts at 1,800/s with a burst
 * of 100, so no second ever sees more than 1,900 starts. The other 5% absorbs jitter: batch
 * items reach the server spread over the batch's run time, and a server that stalls admits a
 * backlog at once. (At 1,900/s the benchmark saw 0-2% of items throttled on a loaded machine;
 * at 1,800/s none.) A sliding window held until each response, as for the small limits in
 * rate-limiter.ts, would pace far below the limit: a batch is in flight for ~0.5 s.
 */
export const DEFAULT_GLOBAL_PACE: PaceLimit = { perSecond: 1_800, burst: 100 };

/** After a 429 the pace drops to this share of itself, at most once per second... */
const CUT = 0.75;
/** ...never below this share of the configured pace... */
const FLOOR = 0.25;
/** ...and climbs back by this share of the configured pace per second without a 429. */
const RECOVERY_PER_SECOND = 0.1;

/**
 * A token bucket over request starts, shared by every request of one transport (single GETs
 * and batch items alike; batch envelopes are not requests of their own). Waiters are served in
 * order, so a batch asking for 20 is never starved by single requests asking for 1.
 *
 * The global limit is per app across all tenants, so other runs of the same app (the shards of
 * a matrix, another tenant's audit) share it unseen. A 429 therefore also slows this pace
 * (multiplicative decrease, additive increase), and 429s stay rare however many runs share it.
 */
export class RequestPacer {
  private tokens: number;
  private last: number;
  private rate: number;
  private lastCut = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: PaceLimit,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {
    this.tokens = limit.burst;
    this.last = now();
    this.rate = limit.perSecond;
  }

  /** Requests per second allowed now (the configured pace, or less after recent 429s). */
  get currentRate(): number {
    return this.rate;
  }

  /** Graph answered 429: slow down (one cut per second, however many items one event throttled). */
  throttled(): void {
    const now = this.now();
    if (now - this.lastCut < 1000) return;
    this.lastCut = now;
    this.rate = Math.max(this.limit.perSecond * FLOOR, this.rate * CUT);
  }

  /** Resolves when `count` requests may start (more than the burst are taken in turns). */
  take(count = 1): Promise<void> {
    const turn = this.queue.then(async () => {
      let left = count;
      while (left > 0) {
        const want = Math.min(left, this.limit.burst);
        for (;;) {
          const now = this.now();
          const elapsed = now - this.last;
          this.tokens = Math.min(this.limit.burst, this.tokens + (elapsed * this.rate) / 1000);
          if (this.rate < this.limit.perSecond && now - this.lastCut >= 1000) {
            this.rate = Math.min(
              this.limit.perSecond,
              this.rate + (this.limit.perSecond * RECOVERY_PER_SECOND * elapsed) / 1000,
            );
          }
          this.last = now;
          if (this.tokens >= want) break;
          await this.sleep(Math.ceil(((want - this.tokens) * 1000) / this.rate));
        }
        this.tokens -= want;
        left -= want;
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}
