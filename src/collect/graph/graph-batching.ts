import { ResponseType } from '@microsoft/microsoft-graph-client';
import { backoffDelay, parseRetryAfter } from './backoff.js';
import { endpointFamily } from './endpoint-family.js';
import { type BatchItemRequest, type BatchItemResponse, GraphShapeError } from './graph-api.js';
import { failure, isRecord, networkFailure, readJson } from './graph-errors.js';
import type { GraphWire } from './graph-wiring.js';

/** Graph's documented maximum of requests in one JSON batch (learn.microsoft.com/graph/json-batching). */
export const MAX_BATCH_SIZE = 20;

async function postBatch(wire: GraphWire, items: readonly BatchItemRequest[]): Promise<readonly BatchItemResponse[]> {
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
    response = (await wire.client.api('/$batch').responseType(ResponseType.RAW).post(body)) as Response;
  } catch (error: unknown) {
    throw networkFailure(wire.logger, 'POST', '/$batch', error);
  }
  if (!response.ok) throw await failure(wire.logger, 'POST', '/$batch', response);
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
async function sendChunk(wire: GraphWire, chunk: readonly BatchItemRequest[]): Promise<readonly BatchItemResponse[]> {
  const releases: (() => void)[] = [];
  try {
    for (const item of chunk) {
      const { family, key } = endpointFamily(item.url);
      if (family !== 'directory') releases.push(await wire.limiter.acquireBatchItem(family, key));
    }
    // Each item counts against the global limit; the envelope itself does not.
    if (wire.pacer) await wire.pacer.take(chunk.length);
    return await postBatch(wire, chunk);
  } finally {
    for (const release of releases) release();
  }
}

/**
 * Sends requests as JSON batches of at most 20, four batches in flight, each item admitted by its
 * family's limiter; items answered 429 are sent again in a new batch after the longest
 * Retry-After among them, up to the retry limit. Answers come back in request order.
 */
export async function batch(
  wire: GraphWire,
  requests: readonly BatchItemRequest[],
): Promise<readonly BatchItemResponse[]> {
  const { logger, maxRetries, backoff, limiter, pacer, sleep } = wire;
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
        chunks.map((chunk) => () => sendChunk(wire, chunk)),
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
