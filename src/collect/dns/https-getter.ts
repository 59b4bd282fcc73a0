import { request } from 'node:https';
import { isIP } from 'node:net';
import type { HttpsGetter } from '../../mailauth/domain-lookups.js';
import type { HttpsFetch } from '../../snapshot/dns-types.js';
import type { DnsResolver } from '../../snapshot/dns-resolver.js';

/** Policies are small (RFC 8461 §3.3 suggests 64 KB as a limit); more is not a policy. */
const MAX_BODY = 64 * 1024;

export interface HttpsGetterOptions {
  readonly timeoutMs?: number;
  /**
   * Resolves the host (A, then AAAA) through this resolver instead of the system's: the
   * simulated tenant's DNS, which points the policy hosts at its own loopback server.
   */
  readonly resolver?: DnsResolver;
  /** Port to connect to instead of 443 (the simulated tenant's HTTPS server). */
  readonly port?: number;
  /** CA (PEM) trusted for these fetches only, in place of the system roots (the simulator's). */
  readonly ca?: string;
}

/** The first address for `host` in the resolver's A (then AAAA) answer, or why there is none. */
async function resolveHost(resolver: DnsResolver, host: string): Promise<{ address: string } | { error: string }> {
  const outcomes: string[] = [];
  for (const type of ['A', 'AAAA']) {
    const answer = await resolver.resolve(host, type);
    const address = answer.records.find(
      (r) => r.type === type && typeof r.data === 'string' && isIP(r.data) !== 0,
    )?.data;
    if (answer.rcode === 'NOERROR' && typeof address === 'string') return { address };
    outcomes.push(`${type} ${answer.rcode === 'NOERROR' ? 'NODATA' : answer.rcode}`);
  }
  return { error: `cannot resolve ${host} (${outcomes.join(', ')})` };
}

/**
 * A live HTTPS GET for the MTA-STS policy. Redirects are not followed and the certificate must
 * be valid for the policy host (RFC 8461 §3.3); the outcome, success or not, is data for the
 * snapshot: status 0 with `error` when no HTTP answer came.
 */
export function createHttpsGetter(options: HttpsGetterOptions = {}): HttpsGetter {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (url: string): Promise<HttpsFetch> => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return { status: 0, error: `not a URL: ${url}` };
    }
    if (target.protocol !== 'https:') return { status: 0, error: `not an https URL: ${url}` };
    const host = target.hostname;
    let address: string | undefined;
    if (options.resolver !== undefined) {
      const resolved = await resolveHost(options.resolver, host);
      if ('error' in resolved) return { status: 0, error: resolved.error };
      address = resolved.address;
    }
    return new Promise<HttpsFetch>((resolve) => {
      let settled = false;
      const done = (result: HttpsFetch): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = request({
        // Connect to the resolved address, but present and verify the policy host's name (SNI, RFC 6125).
        host: address ?? host,
        servername: host,
        port: options.port ?? (target.port === '' ? 443 : Number(target.port)),
        path: `${target.pathname}${target.search}`,
        method: 'GET',
        headers: { host: target.host, accept: 'text/plain' },
        agent: false,
        ...(options.ca !== undefined ? { ca: options.ca } : {}),
      });
      const timer = setTimeout(() => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('error', (error: Error) => {
        const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
        done({ status: 0, error: `${error.message}${cause}` });
      });
      req.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const header = response.headers['content-type'];
        const meta = { status, ...(typeof header === 'string' ? { contentType: header } : {}) };
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) {
            done({ ...meta, error: `body exceeds ${MAX_BODY} bytes` });
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (error: Error) => done({ status: 0, error: error.message }));
        response.on('end', () => done({ ...meta, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.end();
    });
  };
}
