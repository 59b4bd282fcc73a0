/**
 * How long to wait before retrying a throttled or failed request. A `Retry-After` header wins
 * (seconds, possibly fractional, or an HTTP date: RFC 9110 §10.2.3); otherwise exponential
 * backoff with full jitter, capped, so that many clients retrying at once spread out.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null,
  random: () => number,
  now: () => number,
  baseMs = 1000,
  capMs = 60_000,
): number {
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, capMs);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.min(Math.max(0, date - now()), capMs);
  }
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

/** Statuses worth retrying: throttling and transient gateway errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}
