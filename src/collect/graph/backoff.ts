/** Statuses worth retrying: throttled (429), unavailable (503), gateway timeout (504). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export interface BackoffOptions {
  /** First delay without Retry-After. */
  readonly baseMs: number;
  /** Longest single delay. */
  readonly maxMs: number;
  /** Uniform [0, 1), injectable so tests are deterministic. */
  readonly random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 32_000, random: Math.random };

/**
 * Parses Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Graph sends seconds,
 * sometimes fractional (the throttling doc's own sample is `2.128`), which the RFC grammar does
 * not allow but we honour. Returns milliseconds, or undefined when absent or unusable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Exponential backoff with jitter (AWS "equal jitter"): half the exponential delay plus a random
 * half, so retries from parallel requests spread out but never come back immediately.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(exp / 2 + (options.random() * exp) / 2);
}
