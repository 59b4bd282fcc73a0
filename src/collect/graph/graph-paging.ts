import { errorMessage } from '../../errors.js';
import { backoffDelay } from './backoff.js';
import { GraphShapeError } from './graph-api.js';
import { BodyReadError, endpointOf, failure, isRecord, networkFailure, readJson } from './graph-errors.js';
import type { GraphWire } from './graph-wiring.js';
import { PageRecordSplitter, PageSyntaxError, type SplitPage } from './page-record-splitter.js';

/*
 * Paging: a collection's pages by `@odata.nextLink` (checked: absolute, on our origin, never
 * seen before), parsed whole or, for the sign-in log, streamed and split record by record.
 */

/** One GET, its JSON body. */
export async function getJson(wire: GraphWire, path: string): Promise<unknown> {
  const response = await wire.sdkGet(path);
  if (!response.ok) throw await failure(wire.logger, 'GET', path, response);
  return readJson(response, endpointOf(path));
}

/** Every page of a collection, following `@odata.nextLink` exactly. */
export async function* pages(wire: GraphWire, path: string): AsyncGenerator<readonly unknown[]> {
  const endpoint = endpointOf(path);
  const seen = new Set<string>();
  let response = await wire.sdkGet(path);
  let url = `${wire.versionRoot}${path}`;
  for (let page = 0; ; page += 1) {
    if (!response.ok) throw await failure(wire.logger, 'GET', url, response);
    const body = await readJson(response, endpoint);
    if (!isRecord(body))
      throw new GraphShapeError(endpoint, '(body)', `is ${body === null ? 'null' : typeof body}, expected an object`);
    const value = body.value;
    if (value === undefined) throw new GraphShapeError(endpoint, 'value', 'is missing');
    if (!Array.isArray(value))
      throw new GraphShapeError(endpoint, 'value', `is ${value === null ? 'null' : typeof value}, expected an array`);
    yield value as readonly unknown[];
    const next = nextLinkOf(wire, endpoint, body['@odata.nextLink'], seen, page);
    if (next === undefined) return;
    url = next;
    response = await wire.exactGet(next);
  }
}

/** The page's `@odata.nextLink`, checked: absolute, on our Graph origin, never seen before. */
function nextLinkOf(
  wire: GraphWire,
  endpoint: string,
  next: unknown,
  seen: Set<string>,
  page: number,
): string | undefined {
  if (next === undefined || next === null) return undefined;
  if (typeof next !== 'string') throw new GraphShapeError(endpoint, '@odata.nextLink', 'is not a string');
  let nextUrl: URL;
  try {
    nextUrl = new URL(next);
  } catch {
    throw new GraphShapeError(endpoint, '@odata.nextLink', 'is not an absolute URL');
  }
  // Our token goes only to the Graph origin we were configured with.
  if (nextUrl.origin !== wire.origin)
    throw new GraphShapeError(endpoint, '@odata.nextLink', `points to another origin (${nextUrl.origin})`);
  if (seen.has(next))
    throw new GraphShapeError(endpoint, '@odata.nextLink', `repeats an earlier link after ${page + 1} pages`);
  seen.add(next);
  return next;
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
 * One page with its body streamed and split record by record. A body that fails part way is
 * fetched again with backoff, as the throttling middleware retries a network error.
 */
async function streamedPage(wire: GraphWire, path: string, url: string, first: boolean): Promise<SplitPage> {
  const endpoint = endpointOf(url);
  for (let attempt = 0; ; attempt += 1) {
    const response = first ? await wire.sdkGet(path, true) : await wire.exactGet(url, true);
    if (!response.ok) throw await failure(wire.logger, 'GET', url, response);
    try {
      return await splitBody(response, endpoint);
    } catch (error: unknown) {
      if (!(error instanceof BodyReadError)) throw error;
      if (attempt >= wire.maxRetries) throw networkFailure(wire.logger, 'GET', url, error);
      const delay = backoffDelay(attempt, wire.backoff);
      wire.logger.debug(
        `Graph ${endpoint}: body failed (${error.message}); retry ${attempt + 1}/${wire.maxRetries} in ${delay} ms`,
      );
      await wire.sleep(delay);
    }
  }
}

/**
 * Like `pages`, but each page's body is read as a stream and its `value` parsed record by
 * record (page-record-splitter.ts): for the sign-in log, whose 1,000-record pages are about
 * 400 KB each. Errors are the same: a non-2xx answer, a body that is not JSON or is cut short.
 */
export async function* recordPages(wire: GraphWire, path: string): AsyncGenerator<readonly unknown[]> {
  const endpoint = endpointOf(path);
  const seen = new Set<string>();
  let url = `${wire.versionRoot}${path}`;
  for (let page = 0; ; page += 1) {
    const { records, members } = await streamedPage(wire, path, url, page === 0);
    if (records === undefined) {
      const value = members.get('value');
      if (value === undefined) throw new GraphShapeError(endpoint, 'value', 'is missing');
      throw new GraphShapeError(endpoint, 'value', `is ${value === null ? 'null' : typeof value}, expected an array`);
    }
    yield records;
    const next = nextLinkOf(wire, endpoint, members.get('@odata.nextLink'), seen, page);
    if (next === undefined) return;
    url = next;
  }
}
