import { sleepUntilDeadline } from '../deadline.js';
import type { TokenCredential } from '@azure/identity';
import { AuthenticationHandler, Client, type Context, ResponseType } from '@microsoft/microsoft-graph-client';
import { MiddlewareControl } from '@microsoft/microsoft-graph-client/lib/src/middleware/MiddlewareControl.js';
import type { Logger } from '../../logger.js';
import { type BackoffOptions, DEFAULT_BACKOFF } from './backoff.js';
import { CachedTokenAuthenticationProvider } from './cached-token-credential.js';
import type { EndpointFamily } from './endpoint-family.js';
import { networkFailure } from './graph-errors.js';
import { NodeHttpHandler, StreamedBody } from './https-handler.js';
import { isLoopbackHttp, LoopbackBearerMiddleware } from './loopback-bearer-middleware.js';
import {
  DEFAULT_FAMILY_LIMITS,
  DEFAULT_MAX_SOCKETS,
  type FamilyLimit,
  FamilyRateLimiter,
  realSleep,
  type Sleep,
} from './rate-limiter.js';
import { DEFAULT_GLOBAL_PACE, type PaceLimit, RequestPacer } from './request-pacer.js';
import { ThrottlingRetryMiddleware } from './throttling-middleware.js';

/** Hosts the SDK's AuthenticationHandler already trusts with a token (its GRAPH_URLS). */
const SDK_GRAPH_HOSTS: ReadonlySet<string> = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'graph.microsoft.de',
  'microsoftgraph.chinacloudapi.cn',
  'canary.graph.microsoft.com',
]);

export interface GraphTransportOptions {
  /** Graph origin, e.g. `https://graph.microsoft.com` or the simulator's. */
  readonly baseUrl: string;
  readonly credential: TokenCredential;
  readonly logger: Logger;
  /** Extra CA to trust for this client only (simulator, private endpoint). */
  readonly ca?: string;
  readonly maxRetries?: number;
  readonly requestTimeoutMs?: number;
  /** Sockets kept per origin; each `$batch` in flight holds one (default `DEFAULT_MAX_SOCKETS`). */
  readonly maxSockets?: number;
  readonly limits?: Readonly<Record<EndpointFamily, FamilyLimit>>;
  /** Pace of all requests together (Graph's global per-app limit); `null` turns pacing off. */
  readonly globalPace?: PaceLimit | null;
  readonly backoff?: BackoffOptions;
  readonly sleep?: Sleep;
  /** Called once per attempt that reached (or failed to reach) the server; for metrics. */
  readonly onAttempt?: (family: EndpointFamily, status: number | 'network-error') => void;
  /** The collection deadline (collect/deadline.ts): requests and back-off sleeps stop when it passes. */
  readonly signal?: AbortSignal;
}

/**
 * The transport's wiring: @microsoft/microsoft-graph-client with our middleware chain
 * (AuthenticationHandler with a cached-token AuthenticationProvider → ThrottlingRetryMiddleware →
 * NodeHttpHandler), and the two ways into it: a relative path through the SDK's request builder,
 * and an absolute URL sent exactly as given.
 */
export interface GraphWire {
  readonly logger: Logger;
  readonly origin: string;
  /** `<origin>/v1.0`, the root of relative paths. */
  readonly versionRoot: string;
  readonly client: Client;
  readonly limiter: FamilyRateLimiter;
  readonly pacer: RequestPacer | undefined;
  readonly sleep: Sleep;
  readonly maxRetries: number;
  readonly backoff: BackoffOptions;
  sdkGet(path: string, streamed?: boolean): Promise<Response>;
  exactGet(url: string, streamed?: boolean): Promise<Response>;
  /** Frees the sockets kept alive. */
  close(): void;
}

export function wireGraphClient(options: GraphTransportOptions): GraphWire {
  const { logger } = options;
  const base = new URL(options.baseUrl);
  const origin = base.origin;
  const versionRoot = `${origin}/v1.0`;
  const sleep = sleepUntilDeadline(options.sleep ?? realSleep, options.signal);
  const maxRetries = options.maxRetries ?? 6;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const limiter = new FamilyRateLimiter(options.limits ?? DEFAULT_FAMILY_LIMITS, Date.now, sleep);
  const globalPace = options.globalPace === undefined ? DEFAULT_GLOBAL_PACE : options.globalPace;
  const pacer = globalPace === null ? undefined : new RequestPacer(globalPace, Date.now, sleep);
  const scope = `${origin}/.default`;

  const authProvider = new CachedTokenAuthenticationProvider(options.credential, [scope]);
  const auth = new AuthenticationHandler(authProvider);
  const throttling = new ThrottlingRetryMiddleware({
    limiter,
    ...(pacer ? { pacer } : {}),
    logger,
    maxRetries,
    backoff,
    sleep,
    ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
  });
  const httpHandler = new NodeHttpHandler({
    timeoutMs: options.requestTimeoutMs ?? 100_000,
    ...(options.ca ? { ca: options.ca } : {}),
    maxSockets: options.maxSockets ?? DEFAULT_MAX_SOCKETS,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  // The SDK attaches the token only to its own Graph hosts or to `customHosts` (host names only).
  const customHosts = SDK_GRAPH_HOSTS.has(base.hostname) ? undefined : new Set([base.hostname]);
  // The simulator serves Graph over plain HTTP on loopback, where the SDK attaches no token.
  const chain = isLoopbackHttp(origin)
    ? [auth, new LoopbackBearerMiddleware(authProvider), throttling, httpHandler]
    : [auth, throttling, httpHandler];
  const client = Client.initWithMiddleware({
    middleware: chain,
    baseUrl: origin,
    defaultVersion: 'v1.0',
    ...(customHosts ? { customHosts } : {}),
  });

  /** A relative path through the SDK's request builder. */
  async function sdkGet(path: string, streamed = false): Promise<Response> {
    try {
      const request = client.api(path).responseType(ResponseType.RAW);
      if (streamed) request.middlewareOptions([new StreamedBody()]);
      return (await request.get()) as Response;
    } catch (error: unknown) {
      throw networkFailure(logger, 'GET', path, error);
    }
  }

  /**
   * An absolute URL sent exactly as given, straight into the same middleware chain. Used for
   * `@odata.nextLink`: the SDK's GraphRequest re-parses a URL and rebuilds its query string,
   * which could reorder or drop parameters of an opaque skiptoken link.
   */
  async function exactGet(url: string, streamed = false): Promise<Response> {
    const context: Context = {
      request: url,
      options: { method: 'GET', headers: { Accept: 'application/json' } },
      ...(customHosts ? { customHosts } : {}),
      ...(streamed ? { middlewareControl: new MiddlewareControl([new StreamedBody()]) } : {}),
    };
    try {
      await auth.execute(context);
    } catch (error: unknown) {
      throw networkFailure(logger, 'GET', url, error);
    }
    if (!context.response) throw networkFailure(logger, 'GET', url, new Error('no response'));
    return context.response;
  }

  return {
    logger,
    origin,
    versionRoot,
    client,
    limiter,
    pacer,
    sleep,
    maxRetries,
    backoff,
    sdkGet,
    exactGet,
    close: () => httpHandler.destroy(),
  };
}
