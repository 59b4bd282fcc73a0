import { errorMessage } from '../../errors.js';
import { SOURCE_REQUIREMENTS } from '../../snapshot/source-requirements.js';
import type { GraphSourceId } from '../../snapshot/source-id.js';
import { LICENCE_NAMES, type SourceStatus } from '../../snapshot/source-status.js';
import type { SourceDataMap } from '../../snapshot/snapshot.js';
import type { Collected, CollectContext, SourceCollector } from '../live/source-collector.js';
import type { GraphApi } from './graph-api.js';
import { GraphRequestError, GraphShapeError } from './graph-api.js';

/** Graph's error code when the tenant lacks Entra ID P1/P2 (learn.microsoft.com, Entra "common errors"). */
const NOT_PREMIUM = 'Authentication_RequestFromNonPremiumTenantOrB2CTenant';
/** Graph's error code when the app lacks a permission. */
const DENIED = 'Authorization_RequestDenied';

/**
 * How a failed Graph read ends: a missing licence or permission is `not_licensed` /
 * `not_permitted` naming what to buy or grant; anything else is `failed` with the request-id.
 */
export function statusFromError(id: GraphSourceId, error: unknown): Exclude<SourceStatus, { status: 'ok' }> {
  const requirement = SOURCE_REQUIREMENTS[id];
  if (error instanceof GraphRequestError) {
    const ref = error.requestId ? ` (request-id ${error.requestId})` : '';
    if (error.status === 403 && error.code === NOT_PREMIUM) {
      const licence = requirement.licence ?? 'entra-id-p1';
      return {
        status: 'not_licensed',
        licence,
        reason: `${requirement.endpoint} needs ${LICENCE_NAMES[licence]}: Graph answered ${error.code}${ref}`,
      };
    }
    // Identity Protection without P2 answers a plain 403 whose message speaks of the licence
    // (graph-contract.md §10 q1: no documented code); only then is it a licence gap.
    if (
      error.status === 403 &&
      requirement.licence === 'entra-id-p2' &&
      error.code !== DENIED &&
      /licen[cs]|premium/i.test(error.message)
    ) {
      return {
        status: 'not_licensed',
        licence: 'entra-id-p2',
        reason: `${requirement.endpoint} needs ${LICENCE_NAMES['entra-id-p2']}: Graph answered HTTP 403 ${error.code}${ref}`,
      };
    }
    if (error.status === 403 && error.code === DENIED) {
      return {
        status: 'not_permitted',
        permission: requirement.permission,
        reason: `${requirement.endpoint} needs the Microsoft Graph application permission ${requirement.permission} with admin consent: Graph answered ${error.code}${ref}`,
      };
    }
    return { status: 'failed', reason: `${error.path}: ${error.message}${ref}` };
  }
  if (error instanceof GraphShapeError) return { status: 'failed', reason: error.message };
  return { status: 'failed', reason: `${requirement.endpoint}: ${errorMessage(error)}` };
}

/** Reads every page of a collection through `read`, which checks one item (`index` counts across pages). */
export async function readCollection<T>(
  graph: GraphApi,
  path: string,
  read: (item: unknown, index: number) => T,
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of graph.pages(path)) {
    for (const item of page) out.push(read(item, out.length));
  }
  return out;
}

/**
 * Wraps a Graph fetch as a source collector: no Graph client → `failed`; errors → statuses.
 * Collectors fetch and validate; they never judge.
 */
export function graphSource<K extends GraphSourceId>(
  id: K,
  fetch: (graph: GraphApi, context: CollectContext) => Promise<SourceDataMap[K]>,
  count: (data: SourceDataMap[K]) => number | undefined,
): SourceCollector<K> {
  return async (context): Promise<Collected<K>> => {
    const graph = context.clients.graph;
    if (!graph) return { status: { status: 'failed', reason: 'no Microsoft Graph client configured for this run' } };
    try {
      const data = await fetch(graph, context);
      const n = count(data);
      return { status: n === undefined ? { status: 'ok' } : { status: 'ok', count: n }, data };
    } catch (error: unknown) {
      const status = statusFromError(id, error);
      context.logger.debug(`${id}: ${status.reason}`);
      return { status };
    }
  };
}
