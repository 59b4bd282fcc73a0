import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { errorMessage } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, RETRYABLE_STATUSES, type BackoffOptions } from './backoff.js';
import { endpointFamily, type EndpointFamily } from './endpoint-family.js';
import type { FamilyRateLimiter, Sleep } from './rate-limiter.js';
import type { RequestPacer } from './request-pacer.js';

export interface ThrottlingOptions {
  readonly limiter: FamilyRateLimiter;
  /** Graph's global per-app pace; `$batch` envelopes skip it (their items are paced one by one). */
  readonly pacer?: RequestPacer;
  readonly logger: Logger;
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  readonly backoff?: BackoffOptions;
  readonly sleep: Sleep;
  readonly now?: () => number;
  /** Called once per attempt that reached the server, for metrics (the benchmark counts requests). */
  readonly onAttempt?: (family: EndpointFamily, status: number | 'network-error') => void;
}

function urlOf(context: Context): string {
  return typeof context.request === 'string' ? context.request : context.request.url;
}

function pathForLog(url: string): string {
  const parsed = new URL(url, 'https://graph.invalid/');
  return parsed.pathname;
}

/**
 * Our throttling and retry middleware, between the SDK's AuthenticationHandler and the HTTP
 * handler. The SDK's RetryHandler is not used: it does not retry network errors (msgraph-sdk-
 * javascript#330), knows nothing of Graph's per-family limits, and cannot hold back a family
 * that sends no Retry-After (Conditional Access, Identity Protection).
 *
 * - Admission: every attempt waits for its family's limiter (rate, concurrency, per mailbox).
 * - Retries: 429, 503, 504 and network errors, after Retry-After (seconds, maybe fractional)
 *   or exponential backoff with jitter; a 429 also pauses its whole family.
 * - After the last retry the final response (or network error) is passed up unchanged.
 */
export class ThrottlingRetryMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly options: ThrottlingOptions) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error('ThrottlingRetryMiddleware needs a next middleware');
    const { limiter, logger, maxRetries, sleep } = this.options;
    const now = this.options.now ?? Date.now;
    const url = urlOf(context);
    const { family, key } = endpointFamily(url);
    for (let attempt = 0; ; attempt += 1) {
      context.response = undefined;
      const release = await limiter.acquire(family, key);
      if (family !== 'batch') await this.options.pacer?.take(1);
      let failure: unknown;
      try {
        await next.execute(context);
      } catch (error: unknown) {
        failure = error;
      } finally {
        release();
      }
      const response = context.response as Response | undefined;
      this.options.onAttempt?.(family, failure === undefined && response ? response.status : 'network-error');
      if (failure === undefined && response && !RETRYABLE_STATUSES.has(response.status)) return;
      if (attempt >= maxRetries) {
        if (failure !== undefined) throw failure;
        return;
      }
      const retryAfter = response ? parseRetryAfter(response.headers.get('retry-after'), now()) : undefined;
      const delay = retryAfter ?? backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF);
      if (response?.status === 429) {
        limiter.pause(family, now() + delay);
        // Reports and Identity Protection have small limits of their own; only a 429 elsewhere
        // can be the global one.
        if (family === 'outlook' || family === 'directory') this.options.pacer?.throttled();
      }
      // Drain the body we are discarding so the connection can be reused.
      if (response) await response.arrayBuffer().catch(() => undefined);
      const requestId = response?.headers.get('request-id');
      const cause =
        failure !== undefined ? `network error (${errorMessage(failure)})` : `HTTP ${response?.status ?? '?'}`;
      logger.debug(
        `Graph ${pathForLog(url)}: ${cause}${requestId ? ` request-id ${requestId}` : ''}; retry ${attempt + 1}/${maxRetries} in ${delay} ms${retryAfter !== undefined ? ' (Retry-After)' : ''}`,
      );
      await sleep(delay);
    }
  }
}
