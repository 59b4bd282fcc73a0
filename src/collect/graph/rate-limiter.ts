import type { EndpointFamily } from './endpoint-family.js';

/** How fast one family may be called. */
export interface FamilyLimit {
  /** At most `requests` request starts in any `windowMs` (sliding window). */
  readonly window?: { readonly requests: number; readonly windowMs: number };
  /** At most this many requests in flight per key (per mailbox for Outlook), and overall with `key` ''. */
  readonly concurrencyPerKey?: number;
  /** At most this many requests of the family in flight in total. */
  readonly concurrency: number;
}

/**
 * `$batch` envelopes in flight. Little's law: in-flight = rate x time in flight. Graph runs at
 * most 4 Outlook items of a batch at once (learn.microsoft.com/graph/throttling-limits, "Outlook
 * service limits"), so a batch of 20 takes about 5 item round trips: ~0.5 s at 100 ms each.
 * Reaching the global pace of 1,800 items/s (request-pacer.ts) then needs 1,800 x 0.5 / 20 = 45
 * batches; 96 keeps that rate with round trips up to 200 ms. The pacer, not this number,
 * holds the rate, so a larger pool costs only idle sockets.
 */
export const BATCHES_IN_FLIGHT = 96;

/** Sockets per origin: one per batch in flight, plus room for single requests (paging `/users`). */
export const DEFAULT_MAX_SOCKETS = BATCHES_IN_FLIGHT + 16;

/**
 * Our limits: Graph's documented ones, with windows counted from each response (see `slots`)
 * plus 20 ms, and a concurrency no larger than the window's allowance (learn.microsoft.com/graph/throttling-limits)
 * so that clock skew and latency never push us over: staying under the limit is cheaper than
 * waiting out a 429, and Conditional Access sends no Retry-After at all. Outlook has no window
 * here: one request per mailbox is far below its 10,000 per 10 minutes, and the global pace
 * (request-pacer.ts) bounds the total.
 */
export const DEFAULT_FAMILY_LIMITS: Readonly<Record<EndpointFamily, FamilyLimit>> = {
  'identity-reports': { window: { requests: 5, windowMs: 10_020 }, concurrency: 5 },
  'identity-protection': { window: { requests: 1, windowMs: 1_020 }, concurrency: 1 },
  outlook: { concurrencyPerKey: 4, concurrency: 16 },
  batch: { concurrency: BATCHES_IN_FLIGHT },
  directory: { concurrency: 8 },
};

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** A counting semaphore whose waiters are served in order. */
class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly size: number) {}

  async acquire(): Promise<() => void> {
    if (this.active < this.size) {
      this.active += 1;
    } else {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.active -= 1;
    };
  }

  get idle(): boolean {
    return this.active === 0 && this.waiters.length === 0;
  }
}

interface FamilyState {
  readonly limit: FamilyLimit;
  readonly concurrency: Semaphore;
  readonly perKey: Map<string, Semaphore>;
  /**
   * Requests that count against the sliding window: in flight (`end` Infinity) or finished less
   * than a window ago. A request counts until a window after its *response*: Graph checks the
   * limit somewhere between our send and its answer, so counting from the send could let two
   * requests land closer than the window when the first one was slow to arrive.
   */
  slots: { end: number }[];
  /** A 429 pauses the whole family until then (Graph: "wait before sending more requests"). */
  blockedUntil: number;
  /** Serialises the window bookkeeping so waiters are admitted in order. */
  gate: Promise<void>;
  /** Admissions queued on `gate`. */
  waiting: number;
}

const NO_SLOT: Promise<undefined> = Promise.resolve(undefined);

/**
 * Per-family admission control for Graph requests: a sliding-window rate, a concurrency cap and,
 * for Outlook, a per-mailbox cap. `acquire` resolves when the request may start and returns the
 * function that ends it.
 */
export class FamilyRateLimiter {
  private readonly families = new Map<EndpointFamily, FamilyState>();

  constructor(
    private readonly limits: Readonly<Record<EndpointFamily, FamilyLimit>> = DEFAULT_FAMILY_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {}

  private state(family: EndpointFamily): FamilyState {
    let state = this.families.get(family);
    if (!state) {
      const limit = this.limits[family];
      state = {
        limit,
        concurrency: new Semaphore(limit.concurrency),
        perKey: new Map(),
        slots: [],
        blockedUntil: 0,
        gate: Promise.resolve(),
        waiting: 0,
      };
      this.families.set(family, state);
    }
    return state;
  }

  /**
   * Admits one item of a `$batch`: its family's rate and its mailbox's concurrency, but not the
   * family's concurrency, because the items of one batch are in flight together and a batch of
   * 20 must not wait for permits that it holds itself.
   */
  async acquireBatchItem(family: EndpointFamily, key = ''): Promise<() => void> {
    return this.acquire(family, key, false);
  }

  /** Waits until a request of `family` (for mailbox `key`) may start; returns its release. */
  async acquire(family: EndpointFamily, key = '', familyConcurrency = true): Promise<() => void> {
    const state = this.state(family);
    let releaseKey: (() => void) | undefined;
    if (state.limit.concurrencyPerKey !== undefined && key !== '') {
      let semaphore = state.perKey.get(key);
      if (!semaphore) {
        semaphore = new Semaphore(state.limit.concurrencyPerKey);
        state.perKey.set(key, semaphore);
      }
      releaseKey = await semaphore.acquire();
    }
    const releaseFamily = familyConcurrency ? await state.concurrency.acquire() : () => undefined;
    let slot: { end: number } | undefined;
    try {
      slot = await this.admit(state);
    } catch (error: unknown) {
      // The wait was cut (the collection deadline): give back what was taken, or the next
      // request of the family would wait for it for ever.
      releaseFamily();
      releaseKey?.();
      throw error;
    }
    return () => {
      if (slot) slot.end = this.now();
      releaseFamily();
      if (releaseKey) {
        releaseKey();
        const semaphore = state.perKey.get(key);
        if (semaphore?.idle) state.perKey.delete(key);
      }
    };
  }

  /** Holds the family back until `until` (epoch ms), after a 429. */
  pause(family: EndpointFamily, until: number): void {
    const state = this.state(family);
    state.blockedUntil = Math.max(state.blockedUntil, until);
  }

  private admit(state: FamilyState): Promise<{ end: number } | undefined> {
    // Nothing to count and nobody waiting (Outlook items between 429s): admitted at once,
    // without a turn through the gate (one per batch item at thousands per second).
    if (!state.limit.window && state.waiting === 0 && state.blockedUntil <= this.now()) return NO_SLOT;
    state.waiting += 1;
    const turn = state.gate.then(async () => {
      for (;;) {
        const now = this.now();
        let wait = state.blockedUntil - now;
        const window = state.limit.window;
        if (window) {
          state.slots = state.slots.filter((s) => now - s.end < window.windowMs);
          if (state.slots.length >= window.requests) {
            const ends = state.slots.map((s) => s.end).filter((e) => Number.isFinite(e));
            // All counted requests still in flight (only $batch items bypass the concurrency cap): poll.
            wait = Math.max(wait, ends.length > 0 ? Math.min(...ends) + window.windowMs - now : 50);
          }
        }
        if (wait <= 0) {
          if (!window) return undefined;
          const slot = { end: Number.POSITIVE_INFINITY };
          state.slots.push(slot);
          return slot;
        }
        await this.sleep(wait);
      }
    });
    state.gate = turn.then(
      () => {
        state.waiting -= 1;
      },
      () => {
        state.waiting -= 1;
      },
    );
    return turn;
  }
}

/**
 * The least time `count` requests of each family need under `limits`: the bound the benchmark
 * compares the wall time with. Families run in parallel, so the bound is the slowest family.
 */
export function lowerBoundMs(
  counts: Readonly<Partial<Record<EndpointFamily, number>>>,
  limits: Readonly<Record<EndpointFamily, FamilyLimit>> = DEFAULT_FAMILY_LIMITS,
): number {
  let bound = 0;
  for (const [family, count] of Object.entries(counts) as [EndpointFamily, number][]) {
    const window = limits[family].window;
    if (!window || count <= window.requests) continue;
    bound = Math.max(bound, Math.ceil(count / window.requests - 1) * window.windowMs);
  }
  return bound;
}
