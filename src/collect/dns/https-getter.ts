import type { HttpsGetter } from '../../mailauth/domain-lookups.js';
import type { HttpsFetch } from '../../snapshot/dns-types.js';

/** Policies are small (RFC 8461 §3.3 suggests 64 KB as a limit); more is not a policy. */
const MAX_BODY = 64 * 1024;

/**
 * A live HTTPS GET for the MTA-STS policy. Redirects are not followed (RFC 8461 §3.3) and the
 * outcome, success or not, is data for the snapshot: status 0 with `error` when no HTTP answer came.
 */
export function createHttpsGetter(options: { timeoutMs?: number; fetch?: typeof fetch } = {}): HttpsGetter {
  const fetcher = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (url: string): Promise<HttpsFetch> => {
    try {
      const response = await fetcher(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      const contentType = response.headers.get('content-type') ?? undefined;
      const buffer = Buffer.from(await response.arrayBuffer());
      if (buffer.length > MAX_BODY) return { status: response.status, ...(contentType ? { contentType } : {}), error: `body of ${buffer.length} bytes exceeds ${MAX_BODY}` };
      return { status: response.status, ...(contentType ? { contentType } : {}), body: buffer.toString('utf8') };
    } catch (error: unknown) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return { status: 0, error: `${error instanceof Error ? error.message : String(error)}${cause}` };
    }
  };
}
