import { randomUUID } from 'node:crypto';

/** A response the simulator sends, before it is written to the socket or into a `$batch` item. */
export interface SimResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/**
 * Graph's error envelope, as in throttled-429-error.json and the json-batching doc:
 * `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`.
 */
export function graphError(
  status: number,
  code: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
  clientRequestId?: string,
): SimResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'content-type': 'application/json', 'request-id': requestId, ...headers },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': requestId,
          'client-request-id': clientRequestId ?? requestId,
        },
      },
    },
  };
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): SimResponse {
  return { status, headers: { 'content-type': 'application/json; odata.metadata=minimal', ...headers }, body };
}
