import type { GraphApi } from './graph-api.js';
import { batch } from './graph-batching.js';
import { getJson, pages, recordPages } from './graph-paging.js';
import { type GraphTransportOptions, wireGraphClient } from './graph-wiring.js';

/** A Graph client with `close()` for the sockets it keeps alive. */
export interface GraphTransport extends GraphApi {
  recordPages(path: string): AsyncIterable<readonly unknown[]>;
  close(): void;
}

/**
 * The Graph transport, assembled from its parts: the wiring (graph-wiring.ts: the SDK client
 * and our middleware chain), errors (graph-errors.ts), paging (graph-paging.ts: `@odata.nextLink`
 * exactly, pages parsed whole or record by record) and batching (graph-batching.ts: `$batch`,
 * retrying 429 items).
 */
export function createGraphTransport(options: GraphTransportOptions): GraphTransport {
  const wire = wireGraphClient(options);
  return {
    get: (path) => getJson(wire, path),
    pages: (path) => pages(wire, path),
    recordPages: (path) => recordPages(wire, path),
    batch: (requests) => batch(wire, requests),
    close: () => wire.close(),
  };
}
