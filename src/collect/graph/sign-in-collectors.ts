import type { RiskDetection, RiskyUser, SignIn } from '../../snapshot/graph-types.js';
import type { PageStream } from '../../snapshot/snapshot.js';
import type { SourceStatus } from '../../snapshot/source-status.js';
import { SOURCE_REQUIREMENTS } from '../../snapshot/source-requirements.js';
import type { Collected, CollectContext, SourceCollectors } from '../live/source-collector.js';
import { GraphRequestError, GraphShapeError, type GraphApi } from './graph-api.js';
import { readCollection, statusFromError } from './graph-source.js';
import { ShapeReader } from './shape.js';
import { fetchWindow } from '../../policy/collection-scope.js';
import { odataTime } from './odata-time.js';

/*
 * Collectors of the sign-in log and Identity Protection. The transport keeps each family under
 * its documented limit (learn.microsoft.com/graph/throttling-limits): identity reports 5
 * requests per 10 s, Identity Protection 1 request per second with no Retry-After.
 */

/** The fields the detectors read; `$select` keeps pages small (signIn resource, v1.0). */
export const SIGN_IN_FIELDS = [
  'id',
  'createdDateTime',
  'userId',
  'userPrincipalName',
  'appDisplayName',
  'clientAppUsed',
  'ipAddress',
  'isInteractive',
  'status',
  'location',
  'conditionalAccessStatus',
  'riskLevelDuringSignIn',
] as const;

/** `$top` maximum for signIns (learn.microsoft.com/graph/api/signin-list). */
export const SIGN_IN_PAGE_SIZE = 1000;

export function signInsPath(start: Date, end: Date): string {
  return (
    `/auditLogs/signIns?$filter=createdDateTime ge ${odataTime(start)} and createdDateTime le ${odataTime(end)}` +
    `&$select=${SIGN_IN_FIELDS.join(',')}&$top=${SIGN_IN_PAGE_SIZE}`
  );
}

export const RISKY_USERS_PATH =
  '/identityProtection/riskyUsers?$select=id,userPrincipalName,userDisplayName,riskLevel,riskState,riskDetail,riskLastUpdatedDateTime';

/** riskDetections pages hold 20 by default and 500 at most (riskdetection-list). */
export function riskDetectionsPath(start: Date): string {
  return (
    `/identityProtection/riskDetections?$filter=detectedDateTime ge ${odataTime(start)}` +
    '&$select=id,userId,userPrincipalName,riskEventType,riskLevel,riskState,detectedDateTime,ipAddress,location&$top=500'
  );
}

function checkPage(page: readonly unknown[]): readonly SignIn[] {
  // Field-level problems are the detectors' to count and skip; a non-object is a broken response.
  page.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new GraphShapeError('/auditLogs/signIns', `value[${index}]`, 'is not an object');
    }
  });
  return page as readonly SignIn[];
}

/**
 * The sign-in log of the window as a lazily fetched page stream. The first page is fetched
 * here, so a missing licence or permission is a source status before any check runs; every
 * later page is fetched as the detectors ask for the one before it, so the window is never
 * held in memory. A page that cannot be fetched throws during iteration, which the engine reports as
 * `error` with the span covered so far.
 */
async function collectSignIns(context: CollectContext): Promise<Collected<'graph.signIns'>> {
  const graph = context.clients.graph;
  if (!graph) return { status: { status: 'failed', reason: 'no Microsoft Graph client configured for this run' } };
  const window = fetchWindow(context.policy, 'graph.signIns', context.now);
  // Pages of about 400 KB: parsed record by record where the transport can (graph-transport.ts).
  const path = signInsPath(window.start, window.end);
  const iterator = (graph.recordPages ? graph.recordPages(path) : graph.pages(path))[Symbol.asyncIterator]();
  let first: IteratorResult<readonly unknown[]>;
  try {
    first = await iterator.next();
  } catch (error: unknown) {
    const status = statusFromError('graph.signIns', error);
    context.logger.warning(`graph.signIns: ${status.reason}`);
    return { status };
  }
  let used = false;
  const stream: PageStream<SignIn> = {
    async *pages() {
      // Graph pages cannot be rewound; a second reader would silently see nothing.
      if (used) throw new Error('the live sign-in stream can be read only once; save a snapshot to read it again');
      used = true;
      let result = first;
      let pages = 0;
      while (result.done !== true) {
        pages++;
        // Read one page ahead: Graph (or the simulator) prepares the next page while the
        // detectors fold this one, so fetching and folding overlap. At most two pages are held.
        const next = iterator.next();
        // A reader that stops early leaves `next` unread; its failure must not go unhandled.
        next.catch(() => undefined);
        yield checkPage(result.value);
        result = await next;
      }
      context.logger.info(
        `graph.signIns: read ${pages} page(s) for ${odataTime(window.start)} to ${odataTime(window.end)}`,
      );
    },
  };
  return { status: { status: 'ok' }, data: stream };
}

/**
 * Identity Protection answers 403 without P2, with an error code no source documents and
 * that cannot be told from a missing permission, so a 403 that is not a plain permission
 * denial is reported as a missing licence, and the reason names both.
 */
function identityProtectionStatus(
  id: 'graph.riskyUsers' | 'graph.riskDetections',
  error: unknown,
): Exclude<SourceStatus, { status: 'ok' }> {
  const status = statusFromError(id, error);
  if (status.status === 'failed' && error instanceof GraphRequestError && error.status === 403) {
    const requirement = SOURCE_REQUIREMENTS[id];
    return {
      status: 'not_licensed',
      licence: 'entra-id-p2',
      reason: `${requirement.endpoint} answered 403 ${error.code}: the tenant needs Microsoft Entra ID P2, or the app needs ${requirement.permission}`,
    };
  }
  return status;
}

function identityProtectionSource<K extends 'graph.riskyUsers' | 'graph.riskDetections'>(
  id: K,
  fetch: (graph: GraphApi, context: CollectContext) => Promise<Extract<Collected<K>, { data: unknown }>['data']>,
) {
  return async (context: CollectContext): Promise<Collected<K>> => {
    const graph = context.clients.graph;
    if (!graph) return { status: { status: 'failed', reason: 'no Microsoft Graph client configured for this run' } };
    try {
      const data = await fetch(graph, context);
      return { status: { status: 'ok', count: (data as readonly unknown[]).length }, data } as Collected<K>;
    } catch (error: unknown) {
      const status = identityProtectionStatus(id, error);
      context.logger.warning(`${id}: ${status.reason}`);
      return { status };
    }
  };
}

function readRiskyUser(r: ShapeReader, item: unknown, at: string): RiskyUser {
  const o = r.object(item, at);
  return {
    id: r.string(o.id, `${at}.id`),
    userPrincipalName: r.optionalString(o.userPrincipalName, `${at}.userPrincipalName`),
    userDisplayName: r.optionalString(o.userDisplayName, `${at}.userDisplayName`),
    // Evolvable enums: an unknown value is kept as a string and judged by the check.
    riskLevel: r.optionalString(o.riskLevel, `${at}.riskLevel`) ?? 'none',
    riskState: r.optionalString(o.riskState, `${at}.riskState`) ?? 'none',
    riskDetail: r.optionalString(o.riskDetail, `${at}.riskDetail`),
    riskLastUpdatedDateTime: r.optionalString(o.riskLastUpdatedDateTime, `${at}.riskLastUpdatedDateTime`),
  };
}

function readDetection(r: ShapeReader, item: unknown, at: string): RiskDetection {
  const o = r.object(item, at);
  const location = r.optionalObject(o.location, `${at}.location`);
  return {
    id: r.string(o.id, `${at}.id`),
    userId: r.optionalString(o.userId, `${at}.userId`),
    userPrincipalName: r.optionalString(o.userPrincipalName, `${at}.userPrincipalName`),
    riskEventType: r.optionalString(o.riskEventType, `${at}.riskEventType`),
    riskLevel: r.optionalString(o.riskLevel, `${at}.riskLevel`),
    riskState: r.optionalString(o.riskState, `${at}.riskState`),
    detectedDateTime: r.optionalString(o.detectedDateTime, `${at}.detectedDateTime`),
    // The docs' own sample carries an invalid address ("123.456.7.89"): kept as text, never parsed here.
    ipAddress: r.optionalString(o.ipAddress, `${at}.ipAddress`),
    location: location
      ? {
          city: r.optionalString(location.city, `${at}.location.city`),
          state: r.optionalString(location.state, `${at}.location.state`),
          countryOrRegion: r.optionalString(location.countryOrRegion, `${at}.location.countryOrRegion`),
        }
      : null,
  };
}

/** Sign-in log and Identity Protection sources, keyed by source ID. */
export const signInCollectors: SourceCollectors = {
  'graph.signIns': collectSignIns,
  'graph.riskyUsers': identityProtectionSource('graph.riskyUsers', (graph) => {
    const r = new ShapeReader('/identityProtection/riskyUsers');
    return readCollection(graph, RISKY_USERS_PATH, (item, at) => readRiskyUser(r, item, at));
  }),
  'graph.riskDetections': identityProtectionSource('graph.riskDetections', (graph, context) => {
    const r = new ShapeReader('/identityProtection/riskDetections');
    const window = fetchWindow(context.policy, 'graph.riskDetections', context.now);
    return readCollection(graph, riskDetectionsPath(window.start), (item, at) => readDetection(r, item, at));
  }),
};
