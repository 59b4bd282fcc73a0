import { errorMessage } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { GraphRequestError, GraphShapeError } from './graph-api.js';

/*
 * How the Graph transport turns answers into errors: a non-2xx answer into a GraphRequestError
 * with Graph's code and request-id (logged, never a token), a missing answer into a network
 * failure, a body that is not the JSON expected into a GraphShapeError naming the field.
 */

/** A streamed body that failed part way (reset, timeout, cut short): retried like a network error. */
export class BodyReadError extends Error {
  override readonly name = 'BodyReadError';
}

interface GraphErrorBody {
  readonly error?: {
    readonly code?: unknown;
    readonly message?: unknown;
    readonly innerError?: { readonly 'request-id'?: unknown };
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The endpoint of a URL or path, without the version segment, for messages. */
export function endpointOf(url: string): string {
  const parsed = new URL(url, 'https://graph.invalid/');
  return parsed.pathname.replace(/^\/(v1\.0|beta)(?=\/)/, '');
}

/** The body as JSON; an empty body is `undefined`, anything else that is not JSON a GraphShapeError. */
export async function readJson(response: Response, endpoint: string): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GraphShapeError(endpoint, '(body)', `is not JSON (HTTP ${response.status}, ${text.length} bytes)`);
  }
}

/** Turns a non-2xx response into a GraphRequestError, logging the request-id (never a token). */
export async function failure(
  logger: Logger,
  method: string,
  url: string,
  response: Response,
): Promise<GraphRequestError> {
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
  // Debug only: the source's status carries the failure, shown once per cause (report/source-problems.ts).
  logger.debug(
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

/** A request that got no HTTP answer (reset, timeout, DNS): status 0, logged. */
export function networkFailure(logger: Logger, method: string, url: string, error: unknown): GraphRequestError {
  const endpoint = endpointOf(url);
  logger.debug(`Graph ${method} ${endpoint} failed: ${errorMessage(error)}`);
  return new GraphRequestError(`request failed: ${errorMessage(error)}`, 0, 'RequestFailed', endpoint);
}
