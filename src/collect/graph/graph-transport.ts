import type { TokenCredential } from '@azure/identity';
import { AuthenticationHandler, Client, ResponseType, type Context } from '@microsoft/microsoft-graph-client';
import { MiddlewareControl } from '@microsoft/microsoft-graph-client/lib/src/middleware/MiddlewareControl.js';
import { errorMessage } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, type BackoffOptions } from './backoff.js';
import { CachedTokenAuthenticationProvider } from './cached-token-credential.js';
import { endpointFamily, type EndpointFamily } from './endpoint-family.js';
import {
  GraphRequestError,
  GraphShapeError,
  type BatchItemRequest,
  type BatchItemResponse,
  type GraphApi,
} from './graph-api.js';
import { NodeHttpHandler, StreamedBody } from './https-handler.js';
import { PageRecordSplitter, PageSyntaxError, type SplitPage } from './page-record-splitter.js';
import { isLoopbackHttp, LoopbackBearerMiddleware } from './loopback-bearer-middleware.js';
import {
  DEFAULT_FAMILY_LIMITS,
  DEFAULT_MAX_SOCKETS,
  FamilyRateLimiter,
  realSleep,
  type FamilyLimit,
  type Sleep,
} from './rate-limiter.js';
import { DEFAULT_GLOBAL_PACE, RequestPacer, type PaceLimit } from './request-pacer.js';
import { ThrottlingRetryMiddleware } from './throttling-middleware.js';

/** Graph's documented maximum of requests in one JSON batch (learn.microsoft.com/graph/json-batching). */
export const MAX_BATCH_SIZE = 20;

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
}

/** A Graph client with `close()` for the sockets it keeps alive. */
export interface GraphTransport extends GraphApi {
  recordPages(path: string): AsyncIterable<readonly unknown[]>;
  close(): void;
}

/** A streamed body that failed part way (reset, timeout, cut short): retried like a network error. */
class BodyReadError extends Error {
  override readonly name = 'BodyReadError';
}

interface GraphErrorBody {
  readonly error?: {
    readonly code?: unknown;
    readonly message?: unknown;
    readonly innerError?: { readonly 'request-id'?: unknown };
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function endpointOf(url: string): string {
  const parsed = new URL(url, 'https://graph.invalid/');
  return parsed.pathname.replace(/^\/(v1\.0|beta)(?=\/)/, '');
}

async function readJson(response: Response, endpoint: string): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GraphShapeError(endpoint, '(body)', `is not JSON (HTTP ${response.status}, ${text.length} bytes)`);
  }
}

/** Reads a streamed page body chunk by chunk into the splitter; the whole body never becomes one string. */
async function splitBody(response: Response, endpoint: string): Promise<SplitPage> {
  const splitter = new PageRecordSplitter();
  const reader = response.body?.getReader();
  let done = reader === undefined;
  try {
    while (reader && !done) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error: unknown) {
        throw new BodyReadError(errorMessage(error));
      }
      done = chunk.done;
      if (chunk.value) splitter.push(chunk.value);
    }
    return splitter.end();
  } catch (error: unknown) {
    if (!(error instanceof PageSyntaxError)) throw error;
    // As readJson reads an empty body.
    if (error.empty) throw new GraphShapeError(endpoint, '(body)', 'is undefined, expected an object');
    throw new GraphShapeError(endpoint, '(body)', `is not JSON (HTTP ${response.status}: ${error.message})`);
  } finally {
    // A reader that stops early frees the socket.
    if (reader && !done) await reader.cancel().catch(() => undefined);
  }
}

/**
 * The Graph transport: @microsoft/microsoft-graph-client with our middleware chain
 * (AuthenticationHandler with a cached-token AuthenticationProvider → ThrottlingRetryMiddleware →
 * NodeHttpHandler). Paging follows `@odata.nextLink` exactly; `$batch` retries 429 items.
 */
export function createGraphTransport(options: GraphTransportOptions): GraphTransport {
  const { logger } = options;
  const base = new URL(options.baseUrl);
  const origin = base.origin;
  const versionRoot = `${origin}/v1.0`;
  const sleep = options.sleep ?? realSleep;
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

  /** Turns a non-2xx response into a GraphRequestError, logging the request-id (never a token). */
  async function failure(method: string, url: string, response: Response): Promise<GraphRequestError> {
    const endpoint = endpointOf(url);
    let body: unknown;
    try {
      body = await readJson(response, endpoint);
    } catch {
      body = undefined;
    }
    const error = isRecord(body) ? (body as GraphErrorBody).error : undefined;
    const code = typeof error?.code === 'string' ? error.code : `HTTP${response.status}`;
    const message = typeof error?.message === 'string' ? error.message : response.statusText;
    const innerId = error?.innerError?.['request-id'];
    const requestId = response.headers.get('request-id') ?? (typeof innerId === 'string' ? innerId : undefined);
    logger.warning(
      `Graph ${method} ${endpoint} failed: HTTP ${response.status} ${code}${requestId ? ` (request-id ${requestId})` : ''}`,
    );
    return new GraphRequestError(
      `HTTP ${response.status} ${code}: ${message}`,
      response.status,
      code,
      endpoint,
      requestId ?? undefined,
    );
  }

  function networkFailure(method: string, url: string, error: unknown): GraphRequestError {
    const endpoint = endpointOf(url);
    logger.warning(`Graph ${method} ${endpoint} failed: ${errorMessage(error)}`);
    return new GraphRequestError(`request failed: ${errorMessage(error)}`, 0, 'RequestFailed', endpoint);
  }

  /** A relative path through the SDK's request builder. */
  async function sdkGet(path: string, streamed = false): Promise<Response> {
    try {
      const request = client.api(path).responseType(ResponseType.RAW);
      if (streamed) request.middlewareOptions([new StreamedBody()]);
      return (await request.get()) as Response;
    } catch (error: unknown) {
      throw networkFailure('GET', path, error);
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
      throw networkFailure('GET', url, error);
    }
    if (!context.response) throw networkFailure('GET', url, new Error('no response'));
    return context.response;
  }

  async function getJson(path: string): Promise<unknown> {
    const response = await sdkGet(path);
    if (!response.ok) throw await failure('GET', path, response);
    return readJson(response, endpointOf(path));
  }

  async function* pages(path: string): AsyncGenerator<readonly unknown[]> {
    const endpoint = endpointOf(path);
    const seen = new Set<string>();
    let response = await sdkGet(path);
    let url = `${versionRoot}${path}`;
    for (let page = 0; ; page += 1) {
      if (!response.ok) throw await failure('GET', url, response);
      const body = await readJson(response, endpoint);
      if (!isRecord(body))
        throw new GraphShapeError(endpoint, '(body)', `is ${body === null ? 'null' : typeof body}, expected an object`);
      const value = body.value;
      if (value === undefined) throw new GraphShapeError(endpoint, 'value', 'is missing');
      if (!Array.isArray(value))
        throw new GraphShapeError(endpoint, 'value', `is ${value === null ? 'null' : typeof value}, expected an array`);
      yield value as readonly unknown[];
      const next = nextLinkOf(endpoint, body['@odata.nextLink'], seen, page);
      if (next === undefined) return;
      url = next;
      response = await exactGet(next);
    }
  }

  /** The page's `@odata.nextLink`, checked: absolute, on our Graph origin, never seen before. */
  function nextLinkOf(endpoint: string, next: unknown, seen: Set<string>, page: number): string | undefined {
    if (next === undefined || next === null) return undefined;
    if (typeof next !== 'string') throw new GraphShapeError(endpoint, '@odata.nextLink', 'is not a string');
    let nextUrl: URL;
    try {
      nextUrl = new URL(next);
    } catch {
      throw new GraphShapeError(endpoint, '@odata.nextLink', 'is not an absolute URL');
    }
    // Our token goes only to the Graph origin we were configured with.
    if (nextUrl.origin !== origin)
      throw new GraphShapeError(endpoint, '@odata.nextLink', `points to another origin (${nextUrl.origin})`);
    if (seen.has(next))
      throw new GraphShapeError(endpoint, '@odata.nextLink', `repeats an earlier link after ${page + 1} pages`);
    seen.add(next);
    return next;
  }

  /**
   * One page with its body streamed and split record by record. A body that fails part way is
   * fetched again with backoff, as the throttling middleware retries a network error.
   */
  async function streamedPage(path: string, url: string, first: boolean): Promise<SplitPage> {
    const endpoint = endpointOf(url);
    for (let attempt = 0; ; attempt += 1) {
      const response = first ? await sdkGet(path, true) : await exactGet(url, true);
      if (!response.ok) throw await failure('GET', url, response);
      try {
        return await splitBody(response, endpoint);
      } catch (error: unknown) {
        if (!(error instanceof BodyReadError)) throw error;
        if (attempt >= maxRetries) throw networkFailure('GET', url, error);
        const delay = backoffDelay(attempt, backoff);
        logger.debug(
          `Graph ${endpoint}: body failed (${error.message}); retry ${attempt + 1}/${maxRetries} in ${delay} ms`,
        );
        await sleep(delay);
      }
    }
  }

  /**
   * Like `pages`, but each page's body is read as a stream and its `value` parsed record by
   * record (page-record-splitter.ts): for the sign-in log, whose 1,000-record pages are about
   * 400 KB each. Errors are the same: a non-2xx answer, a body that is not JSON or is cut short.
   */
  async function* recordPages(path: string): AsyncGenerator<readonly unknown[]> {
    const endpoint = endpointOf(path);
    const seen = new Set<string>();
    let url = `${versionRoot}${path}`;
    for (let page = 0; ; page += 1) {
      const { records, members } = await streamedPage(path, url, page === 0);
      if (records === undefined) {
        const value = members.get('value');
        if (value === undefined) throw new GraphShapeError(endpoint, 'value', 'is missing');
        throw new GraphShapeError(endpoint, 'value', `is ${value === null ? 'null' : typeof value}, expected an array`);
      }
      yield records;
      const next = nextLinkOf(endpoint, members.get('@odata.nextLink'), seen, page);
      if (next === undefined) return;
      url = next;
    }
  }

  async function postBatch(items: readonly BatchItemRequest[]): Promise<readonly BatchItemResponse[]> {
    // The documented request shape (learn.microsoft.com/graph/json-batching), built directly:
    // the SDK's BatchRequestContent builds a fetch Request per item only to take it apart again.
    if (items.length > MAX_BATCH_SIZE)
      throw new Error(`batch: at most ${MAX_BATCH_SIZE} requests per $batch, got ${items.length}`);
    const body = {
      requests: items.map((item) => ({
        id: item.id,
        method: item.method,
        url: item.url,
        ...(item.headers && Object.keys(item.headers).length > 0 ? { headers: item.headers } : {}),
      })),
    };
    let response: Response;
    try {
      response = (await client.api('/$batch').responseType(ResponseType.RAW).post(body)) as Response;
    } catch (error: unknown) {
      throw networkFailure('POST', '/$batch', error);
    }
    if (!response.ok) throw await failure('POST', '/$batch', response);
    // Not BatchResponseContent: it re-wraps each item in a fetch Response and JSON-encodes the
    // body only when the item header is spelled exactly `Content-Type`; item headers are
    // case-insensitive, so we read the documented JSON shape directly.
    const json = await readJson(response, '/$batch');
    if (!isRecord(json)) throw new GraphShapeError('/$batch', '(body)', 'is not an object');
    const responses = json.responses;
    if (!Array.isArray(responses)) {
      throw new GraphShapeError('/$batch', 'responses', responses === undefined ? 'is missing' : 'is not an array');
    }
    const out: BatchItemResponse[] = [];
    for (const [index, item] of responses.entries()) {
      if (!isRecord(item) || typeof item.id !== 'string' || typeof item.status !== 'number') {
        throw new GraphShapeError('/$batch', `responses[${index}]`, 'lacks a string id or a numeric status');
      }
      const headers: Record<string, string> = {};
      if (isRecord(item.headers)) {
        for (const [k, v] of Object.entries(item.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
      }
      out.push({ id: item.id, status: item.status, headers, body: item.body });
    }
    return out;
  }

  /** Runs `tasks` with at most `limit` in flight. */
  async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
    const results: T[] = new Array<T>(tasks.length);
    let nextIndex = 0;
    const workers = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      for (;;) {
        const index = nextIndex;
        nextIndex += 1;
        const task = tasks[index];
        if (task === undefined) return;
        results[index] = await task();
      }
    });
    await Promise.all(workers);
    return results;
  }

  /** Sends one batch of ≤20 after admitting each item through its family's limiter. */
  async function sendChunk(chunk: readonly BatchItemRequest[]): Promise<readonly BatchItemResponse[]> {
    const releases: (() => void)[] = [];
    try {
      for (const item of chunk) {
        const { family, key } = endpointFamily(item.url);
        if (family !== 'directory') releases.push(await limiter.acquireBatchItem(family, key));
      }
      // Each item counts against the global limit; the envelope itself does not.
      if (pacer) await pacer.take(chunk.length);
      return await postBatch(chunk);
    } finally {
      for (const release of releases) release();
    }
  }

  async function batch(requests: readonly BatchItemRequest[]): Promise<readonly BatchItemResponse[]> {
    const ids = new Set<string>();
    for (const r of requests) {
      if (ids.has(r.id)) throw new Error(`batch: duplicate request id ${r.id}`);
      ids.add(r.id);
    }
    const done = new Map<string, BatchItemResponse>();
    let pending = [...requests];
    for (let round = 0; pending.length > 0; round += 1) {
      const chunks: BatchItemRequest[][] = [];
      for (let i = 0; i < pending.length; i += MAX_BATCH_SIZE) chunks.push(pending.slice(i, i + MAX_BATCH_SIZE));
      const answered = (
        await pool(
          chunks.map((chunk) => () => sendChunk(chunk)),
          4,
        )
      ).flat();
      const throttled: BatchItemResponse[] = [];
      for (const item of answered) {
        if (!ids.has(item.id)) throw new GraphShapeError('/$batch', `responses[id=${item.id}]`, 'answers no request');
        if (item.status === 429 && round < maxRetries) throttled.push(item);
        else done.set(item.id, item);
      }
      for (const r of pending) {
        if (!done.has(r.id) && !throttled.some((t) => t.id === r.id)) {
          throw new GraphShapeError('/$batch', 'responses', `has no answer for request ${r.id}`);
        }
      }
      if (throttled.length === 0) break;
      // Graph: retry the failed items in a new batch after the longest Retry-After among them.
      const now = Date.now();
      const waits = throttled.map((t) => parseRetryAfter(t.headers?.['retry-after'], now));
      const known = waits.filter((w): w is number => w !== undefined);
      const wait = known.length > 0 ? Math.max(...known) : backoffDelay(round, backoff);
      // Graph: after a 429, wait Retry-After before sending more (learn.microsoft.com/graph/throttling,
      // "Best practices"). Holding back the throttled items' families, not only these items, stops
      // the other batches in flight from running into the same full window.
      const families = new Set(
        throttled.map((t) => endpointFamily(requests.find((r) => r.id === t.id)?.url ?? '').family),
      );
      for (const family of families) limiter.pause(family, now + wait);
      // Reports and Identity Protection have small limits of their own; only a 429 elsewhere
      // can be the global one, which other runs of the app may share (see request-pacer.ts).
      if (families.has('outlook') || families.has('directory')) pacer?.throttled();
      logger.debug(`Graph $batch: ${throttled.length} items throttled; retrying them in ${wait} ms`);
      await sleep(wait);
      const retry = new Set(throttled.map((t) => t.id));
      pending = pending.filter((r) => retry.has(r.id));
    }
    return requests.map((r) => {
      const item = done.get(r.id);
      if (!item) throw new GraphShapeError('/$batch', 'responses', `has no answer for request ${r.id}`);
      return item;
    });
  }

  return {
    get: getJson,
    pages,
    recordPages,
    batch,
    close: () => httpHandler.destroy(),
  };
}
