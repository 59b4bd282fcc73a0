import type { EndpointFamily } from './endpoint-family.js';
import type { ThrottlingConfig } from './realism.js';
import { directoryBudget } from './resource-units.js';

/** Counts requests in a sliding window by keeping their times (limits here are small). */
class SlidingWindow {
  private readonly times: number[] = [];
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Records the request if under the limit; else returns ms until a slot frees. */
  take(now: number): number {
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - this.windowMs) this.times.shift();
    if (this.times.length < this.limit) {
      this.times.push(now);
      return 0;
    }
    return (this.times[0] ?? now) + this.windowMs - now;
  }
}

/** A fixed-window counter, for large limits and many keys (2,000/s global; 10,000/10 min per mailbox). */
class FixedWindow {
  private start = 0;
  private count = 0;
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  take(now: number): number {
    if (now - this.start >= this.windowMs) {
      this.start = now;
      this.count = 0;
    }
    if (this.count < this.limit) {
      this.count++;
      return 0;
    }
    return this.start + this.windowMs - now;
  }
}

/** A sliding window over weighted requests (resource units), for the directory's budget. */
class CostWindow {
  private readonly spent: { readonly at: number; readonly cost: number }[] = [];
  private total = 0;
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Spends `cost` if the window has room; else returns ms until enough has expired. */
  take(now: number, cost: number): number {
    while (this.spent.length > 0 && (this.spent[0]?.at ?? 0) <= now - this.windowMs)
      this.total -= this.spent.shift()?.cost ?? 0;
    if (this.total + cost <= this.limit) {
      this.spent.push({ at: now, cost });
      this.total += cost;
      return 0;
    }
    let freed = this.limit - this.total;
    for (const entry of this.spent) {
      freed += entry.cost;
      if (freed >= cost) return entry.at + this.windowMs - now;
    }
    return this.windowMs;
  }
}

/** The outcome of asking for a slot: admitted (with a release for Outlook), or throttled. */
export type Admission =
  | { readonly admitted: true; release(): void }
  | {
      readonly admitted: false;
      /** Seconds for `Retry-After`, or undefined where Graph sends none (Identity Protection, CA). */
      readonly retryAfterSeconds: number | undefined;
      readonly message: string;
      /** Extra response headers Graph sends with this 429 (the directory's throttle scope). */
      readonly headers?: Readonly<Record<string, string>>;
    };

const NOTHING = (): void => undefined;

/**
 * Graph's documented throttling per family (learn.microsoft.com/graph/throttling-limits). One
 * instance per simulated tenant, so "per tenant" limits hold across all clients.
 */
export class Throttle {
  private readonly reports;
  private readonly identityProtection;
  private readonly global;
  private readonly directory;
  private readonly mailboxWindows = new Map<string, FixedWindow>();
  private readonly inFlight = new Map<string, number>();
  peakMailboxConcurrency = 0;

  /** `tenantUsers` sizes the directory's resource-unit budget when the config gives none. */
  constructor(
    private readonly config: ThrottlingConfig,
    tenantUsers = 0,
  ) {
    this.directory = config.directory
      ? new CostWindow(config.directory.limit ?? directoryBudget(tenantUsers), config.directory.windowMs)
      : undefined;
    this.reports = config.reports ? new SlidingWindow(config.reports.limit, config.reports.windowMs) : undefined;
    this.identityProtection = config.identityProtection
      ? new SlidingWindow(config.identityProtection.limit, config.identityProtection.windowMs)
      : undefined;
    this.global = config.global ? new FixedWindow(config.global.limit, config.global.windowMs) : undefined;
  }

  /**
   * Asks for a slot. In `observe` mode a request over the allowance is reported (so it is
   * counted) but still admitted; the caller tells the two apart by `mode`.
   */
  admit(family: EndpointFamily, mailbox: string | undefined, now = Date.now(), resourceUnits = 1): Admission {
    if (this.config.mode === 'off') return { admitted: true, release: NOTHING };
    const globalWait = this.global?.take(now) ?? 0;
    if (globalWait > 0)
      return {
        admitted: false,
        retryAfterSeconds: Math.max(globalWait / 1000, 0.001),
        message: 'Application is over its global request limit.',
      };
    if (family === 'directory' && this.directory) {
      const wait = this.directory.take(now, resourceUnits);
      if (wait > 0) {
        return {
          admitted: false,
          retryAfterSeconds: Math.max(wait / 1000, 0.001),
          message: 'Application is over its resource unit limit.',
          headers: {
            'x-ms-throttle-scope': 'Tenant_Application/ReadWrite',
            'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
          },
        };
      }
    }
    if (family === 'reports' && this.reports) {
      const wait = this.reports.take(now);
      if (wait > 0)
        return {
          admitted: false,
          retryAfterSeconds: Math.max(wait / 1000, 0.001),
          message: 'Too many requests to identity and access reports.',
        };
    }
    if ((family === 'identityProtection' || family === 'conditionalAccess') && this.identityProtection) {
      // The documented limit is shared by Identity Protection and Conditional Access, with no Retry-After.
      const wait = this.identityProtection.take(now);
      if (wait > 0)
        return {
          admitted: false,
          retryAfterSeconds: undefined,
          message: 'Too many requests to Identity Protection or Conditional Access.',
        };
    }
    if (family === 'outlook' && mailbox !== undefined && this.config.outlook) {
      const { concurrency, limit, windowMs } = this.config.outlook;
      const current = this.inFlight.get(mailbox) ?? 0;
      if (current >= concurrency) {
        return { admitted: false, retryAfterSeconds: 1, message: 'Application is over its MailboxConcurrency limit.' };
      }
      let window = this.mailboxWindows.get(mailbox);
      if (window === undefined) {
        window = new FixedWindow(limit, windowMs);
        this.mailboxWindows.set(mailbox, window);
      }
      const wait = window.take(now);
      if (wait > 0)
        return {
          admitted: false,
          retryAfterSeconds: Math.ceil(wait / 1000),
          message: 'Application is over its mailbox request limit.',
        };
      this.inFlight.set(mailbox, current + 1);
      this.peakMailboxConcurrency = Math.max(this.peakMailboxConcurrency, current + 1);
      let released = false;
      return {
        admitted: true,
        release: () => {
          if (released) return;
          released = true;
          const left = (this.inFlight.get(mailbox) ?? 1) - 1;
          if (left <= 0) this.inFlight.delete(mailbox);
          else this.inFlight.set(mailbox, left);
        },
      };
    }
    return { admitted: true, release: NOTHING };
  }

  get mode(): ThrottlingConfig['mode'] {
    return this.config.mode;
  }
}
