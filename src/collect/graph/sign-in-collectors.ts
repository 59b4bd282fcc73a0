import type { RiskDetection, RiskyUser, SignIn } from '../../snapshot/graph-types.js';
import type { PageStream } from '../../snapshot/snapshot.js';
import type { SourceStatus } from '../../snapshot/source-status.js';
import { SOURCE_REQUIREMENTS } from '../../snapshot/source-requirements.js';
import type { Collected, CollectContext, SourceCollectors } from '../live/source-collector.js';
import { GraphRequestError, GraphShapeError, type GraphApi, type GraphVersion } from './graph-api.js';
import { readCollection, statusFromError } from './graph-source.js';
import { checkOf, recordCheck } from '../../snapshot/shape-check.js';
import { SIGN_IN_BETA_SCHEMA } from '../../snapshot/schemas/graph-schemas.js';
import { itemReader } from './item-reader.js';
import { fetchWindow, signInLogVersion } from '../../policy/collection-scope.js';
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

/**
 * Read only from the beta log, for sign-ins.device-code: the flow fields exist only in beta
 * (learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta); the app and device name
 * what the policy may allow. Asking v1.0 for them is a 400.
 */
export const BETA_SIGN_IN_FIELDS = [
  'appId',
  'deviceDetail',
  'authenticationProtocol',
  'originalTransferMethod',
] as const;

/** `$top` maximum for signIns (learn.microsoft.com/graph/api/signin-list). */
export const SIGN_IN_PAGE_SIZE = 1000;

export function signInsPath(start: Date, end: Date, version: GraphVersion = 'v1.0'): string {
  const fields = version === 'beta' ? [...SIGN_IN_FIELDS, ...BETA_SIGN_IN_FIELDS] : SIGN_IN_FIELDS;
  return (
    `/auditLogs/signIns?$filter=createdDateTime ge ${odataTime(start)} and createdDateTime le ${odataTime(end)}` +
    `&$select=${fields.join(',')}&$top=${SIGN_IN_PAGE_SIZE}`
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

/**
 * Checks every sign-in of a page against the sign-in schema before a detector reads it: the
 * same check a replay makes, about 40 ns a record (JSON.parse of it costs microseconds). A wrong
 * type is a GraphShapeError naming the page and the pointer, so the stream fails and its
 * controls are `error` with the span covered so far, never judged by truthiness.
 */
function checkPage(page: readonly unknown[], pageNumber: number, version: GraphVersion): readonly SignIn[] {
  const check = version === 'beta' ? checkOf(SIGN_IN_BETA_SCHEMA) : recordCheck('graph.signIns');
  for (let i = 0; i < page.length; i++) {
    const problem = check(page[i]);
    if (problem)
      throw new GraphShapeError(
        '/auditLogs/signIns',
        `page ${pageNumber}: /value/${i}${problem.pointer}`,
        problem.message,
      );
  }
  return page as readonly SignIn[];
}

/**
 * HTTP answers by which Graph refuses an endpoint itself (a bad request, forbidden, not found, not
 * implemented) rather than failing for the moment: a beta route may be changed or withdrawn at any
 * time (learn.microsoft.com/graph/versioning-and-support#beta-version), so only these send the
 * sign-in log back to v1.0. A throttled, failed or unreachable read is a failure, as before.
 */
const REFUSALS: ReadonlySet<number> = new Set([400, 403, 404, 405, 410, 501]);

/** What a refusal of the beta sign-in log said, for the source status and the device-code result. */
function betaRefusal(error: unknown): string | undefined {
  if (!(error instanceof GraphRequestError) || !REFUSALS.has(error.status)) return undefined;
  const ref = error.requestId ? ` (request-id ${error.requestId})` : '';
  return `GET /beta/auditLogs/signIns answered ${error.message}${ref}`;
}

/** The window's log from one Graph version, as a lazily fetched page stream; the first page is fetched here. */
async function openSignIns(
  context: CollectContext,
  graph: GraphApi,
  window: { readonly start: Date; readonly end: Date },
  version: GraphVersion,
): Promise<{ first: IteratorResult<readonly unknown[]>; stream: PageStream<SignIn> }> {
  // Pages of about 400 KB: parsed record by record where the transport can (graph-transport.ts).
  const path = signInsPath(window.start, window.end, version);
  const iterator = (graph.recordPages ? graph.recordPages(path, version) : graph.pages(path, version))[
    Symbol.asyncIterator
  ]();
  const first = await iterator.next();
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
        yield checkPage(result.value, pages, version);
        result = await next;
      }
      context.logger.info(
        `graph.signIns: read ${pages} page(s) from ${version} for ${odataTime(window.start)} to ${odataTime(window.end)}`,
      );
    },
  };
  return { first, stream };
}

/**
 * The sign-in log of the window as a lazily fetched page stream. The first page is fetched
 * here, so a missing licence or permission is a source status before any check runs; every
 * later page is fetched as the detectors ask for the one before it, so the window is never
 * held in memory. A page that cannot be fetched throws during iteration, which the engine reports as
 * `error` with the span covered so far.
 *
 * When the policy asks for the beta log and beta refuses it, the log is read from v1.0 instead:
 * every detector but sign-ins.device-code reads v1.0's fields, and the status's `betaRefused`
 * says why device-code cannot be judged. When v1.0 fails too, the source fails as before.
 */
async function collectSignIns(context: CollectContext): Promise<Collected<'graph.signIns'>> {
  const graph = context.clients.graph;
  if (!graph) return { status: { status: 'failed', reason: 'no Microsoft Graph client configured for this run' } };
  const whole = fetchWindow(context.policy, 'graph.signIns', context.now);
  // An incremental run reads only from its state's read start; the carried state holds the rest.
  const window = context.signInsFrom ? { start: context.signInsFrom, end: whole.end } : whole;
  const version = signInLogVersion(context.policy);
  try {
    const { stream } = await openSignIns(context, graph, window, version);
    return { status: version === 'beta' ? { status: 'ok', graphApi: 'beta' } : { status: 'ok' }, data: stream };
  } catch (error: unknown) {
    const refused = version === 'beta' ? betaRefusal(error) : undefined;
    if (refused === undefined) {
      const status = statusFromError('graph.signIns', error);
      context.logger.debug(`graph.signIns: ${status.reason}`);
      return { status };
    }
    context.logger.warning(`graph.signIns: ${refused}; reading the sign-in log from v1.0 instead`);
    try {
      const { stream } = await openSignIns(context, graph, window, 'v1.0');
      return { status: { status: 'ok', betaRefused: refused }, data: stream };
    } catch (fallbackError: unknown) {
      const status = statusFromError('graph.signIns', fallbackError);
      context.logger.debug(`graph.signIns: ${status.reason}`);
      return { status: { ...status, reason: `${status.reason} (after ${refused})` } };
    }
  }
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
      context.logger.debug(`${id}: ${status.reason}`);
      return { status };
    }
  };
}

type Item = Readonly<Record<string, unknown>>;
const optional = <T>(value: unknown): T | null => (value as T | undefined) ?? null;

function projectRiskyUser(o: Item): RiskyUser {
  return {
    id: o.id as string,
    userPrincipalName: optional<string>(o.userPrincipalName),
    userDisplayName: optional<string>(o.userDisplayName),
    // Evolvable enums: an unknown value is kept as a string and judged by the check.
    riskLevel: optional<string>(o.riskLevel) ?? 'none',
    riskState: optional<string>(o.riskState) ?? 'none',
    riskDetail: optional<string>(o.riskDetail),
    riskLastUpdatedDateTime: optional<string>(o.riskLastUpdatedDateTime),
  };
}

function projectDetection(o: Item): RiskDetection {
  const location = o.location as Item | null | undefined;
  return {
    id: o.id as string,
    userId: optional<string>(o.userId),
    userPrincipalName: optional<string>(o.userPrincipalName),
    riskEventType: optional<string>(o.riskEventType),
    riskLevel: optional<string>(o.riskLevel),
    riskState: optional<string>(o.riskState),
    detectedDateTime: optional<string>(o.detectedDateTime),
    // The docs' own sample carries an invalid address ("123.456.7.89"): kept as text, never parsed here.
    ipAddress: optional<string>(o.ipAddress),
    location: location
      ? {
          city: optional<string>(location.city),
          state: optional<string>(location.state),
          countryOrRegion: optional<string>(location.countryOrRegion),
        }
      : null,
  };
}

/** Sign-in log and Identity Protection sources, keyed by source ID. */
export const signInCollectors: SourceCollectors = {
  'graph.signIns': collectSignIns,
  'graph.riskyUsers': identityProtectionSource('graph.riskyUsers', (graph) =>
    readCollection(
      graph,
      RISKY_USERS_PATH,
      itemReader('graph.riskyUsers', '/identityProtection/riskyUsers', projectRiskyUser),
    ),
  ),
  'graph.riskDetections': identityProtectionSource('graph.riskDetections', (graph, context) => {
    const window = fetchWindow(context.policy, 'graph.riskDetections', context.now);
    const read = itemReader('graph.riskDetections', '/identityProtection/riskDetections', projectDetection);
    return readCollection(graph, riskDetectionsPath(window.start), read);
  }),
};
