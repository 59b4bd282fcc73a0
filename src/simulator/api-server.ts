import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../logger.js';
import { isJsonObject } from '../model/json.js';
import type { SourceId } from '../snapshot/source-id.js';
import type { Licence } from '../snapshot/source-status.js';
import type { EndpointFamily } from './endpoint-family.js';
import { ExchangeService, exchangeError, CMDLET_SOURCES } from './exchange-service.js';
import type { Chaos } from './faults.js';
import { graphError, jsonResponse, type SimResponse } from './graph-error.js';
import type { GraphRequest, GraphRoute, GraphService, GraphVersion } from './graph-service.js';
import { readBody, send, sleep } from './http-util.js';
import { decodeJwt, verifyJwtSignature } from './jwt.js';
import { EXCHANGE_AUDIENCES, EXCHANGE_PERMISSION, GRAPH_AUDIENCES, type IssuedToken } from './login-service.js';
import type { FaultKind } from './realism.js';
import { resourceUnits } from './resource-units.js';
import type { StatsRecorder } from './stats.js';
import type { SimulatedTenant } from './tenant-data.js';
import type { Throttle } from './throttle.js';

export interface ApiServerDeps {
  readonly tenant: SimulatedTenant;
  readonly graph: GraphService;
  readonly exchange: ExchangeService;
  readonly throttle: Throttle;
  readonly chaos: Chaos;
  readonly stats: StatsRecorder;
  readonly tokenKey: KeyObject;
  readonly graphOrigin: string;
  readonly exchangeOrigin: string;
  readonly licences: Readonly<Record<Licence, boolean | null>>;
  readonly logger: Logger;
  readonly stallMs: number | undefined;
}

/** Graph's maximum number of requests in one JSON batch (json-batching doc). */
export const MAX_BATCH_REQUESTS = 20;
/** Graph runs at most 4 Outlook items of a batch in parallel; we apply it to all items. */
const BATCH_PARALLELISM = 4;

const REPORT_SOURCES: ReadonlySet<SourceId> = new Set(['graph.signIns', 'graph.userRegistrationDetails']);
const P2_SOURCES: ReadonlySet<SourceId> = new Set(['graph.riskyUsers', 'graph.riskDetections']);
/** PIM without P2 answers 400 AadPremiumLicenseRequired (github.com/maester365/maester/issues/1421). */
const PIM_SOURCES: ReadonlySet<SourceId> = new Set(['graph.roleEligibilityScheduleInstances']);

/** A request body as JSON; `undefined` when it is too large or does not parse (the callers answer 400). */
async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const text = await readBody(request);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The HTTP side of the simulated tenant: Graph v1.0 (single requests and `$batch`) and the
 * Exchange admin API, behind bearer-token checks, throttling, licence and permission faults,
 * latency and injected network faults.
 */
export class ApiServer {
  private readonly tokens = new Map<string, IssuedToken & { tenantId: string }>();
  /** Sockets held open by a stalled-body fault; destroyed on close. */
  readonly stalled = new Set<Socket>();

  constructor(private readonly deps: ApiServerDeps) {}

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${request.socket.localPort ?? 0}`);
    try {
      if (url.pathname === '/v1.0/$batch' || url.pathname === '/v1.0/%24batch') {
        if (request.method !== 'POST')
          return this.finish(
            response,
            graphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
          );
        return await this.batch(request, response, url);
      }
      if (url.pathname.startsWith('/v1.0/')) return await this.graphGet(request, response, url, 'v1.0');
      // Beta serves only the sign-in log's beta-only fields (graph-service.ts); the rest is a 400.
      if (url.pathname.startsWith('/beta/')) return await this.graphGet(request, response, url, 'beta');
      // The counters, for a benchmark driving the simulator in another process (loopback only,
      // like every listener here); not part of Graph, so not counted in any family.
      if (url.pathname === '/_stats' && request.method === 'GET')
        return send(response, {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: this.deps.stats.snapshot(),
        });
      const exchange = /^\/adminapi\/beta\/([^/]+)\/InvokeCommand$/i.exec(url.pathname);
      if (exchange !== null)
        return await this.invokeCommand(request, response, url, decodeURIComponent(exchange[1] ?? ''));
      this.deps.stats.value.requests.unknown++;
      return this.finish(response, graphError(404, 'NotFound', `The simulated tenant does not serve ${url.pathname}.`));
    } catch (error: unknown) {
      this.deps.logger.error(
        `simulator: ${request.method ?? 'GET'} ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!response.headersSent)
        this.finish(
          response,
          graphError(500, 'InternalServerError', 'The simulated tenant failed to serve this request.'),
        );
      else response.destroy();
    }
  }

  private finish(response: ServerResponse, result: SimResponse): void {
    this.deps.stats.status(result.status);
    send(response, result);
  }

  /** Bearer token of the simulator's own issuing, for the right audience and tenant. */
  private authenticate(
    request: IncomingMessage,
    service: 'graph' | 'exchange',
  ): (IssuedToken & { tenantId: string }) | SimResponse {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const unauthorized = (message: string): SimResponse =>
      service === 'graph'
        ? graphError(401, 'InvalidAuthenticationToken', message, {
            'www-authenticate': 'Bearer realm="", error="invalid_token"',
          })
        : {
            ...exchangeError(401, 'Unauthorized', 'System.UnauthorizedAccessException', message),
            headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' },
          };
    if (match === null) return unauthorized('Access token is empty.');
    const raw = match[1] ?? '';
    let token = this.tokens.get(raw);
    if (token === undefined) {
      const jwt = decodeJwt(raw);
      if (jwt === undefined) return unauthorized('IDX14100: JWT is not well formed.');
      if (!verifyJwtSignature(jwt, this.deps.tokenKey))
        return unauthorized('Access token validation failure. Invalid signature.');
      const { aud, exp, roles, tid } = jwt.payload;
      if (typeof aud !== 'string' || typeof exp !== 'number' || typeof tid !== 'string')
        return unauthorized('Access token validation failure.');
      token = {
        audience: aud,
        expiresAt: exp * 1000,
        roles: Array.isArray(roles) ? roles.map(String) : [],
        tenantId: tid,
      };
      if (this.tokens.size > 1000) this.tokens.clear();
      this.tokens.set(raw, token);
    }
    if (token.expiresAt <= Date.now()) return unauthorized('Lifetime validation failed, the token is expired.');
    const audiences =
      service === 'graph'
        ? [this.deps.graphOrigin, ...GRAPH_AUDIENCES]
        : [this.deps.exchangeOrigin, ...EXCHANGE_AUDIENCES];
    if (!audiences.includes(token.audience)) return unauthorized('Access token validation failure. Invalid audience.');
    if (token.tenantId !== this.deps.tenant.tenantId)
      return unauthorized('Access token validation failure. Invalid tenant.');
    return token;
  }

  private licenceFault(source: SourceId): SimResponse | undefined {
    if (REPORT_SOURCES.has(source) && this.deps.licences['entra-id-p1'] === false) {
      return graphError(
        403,
        'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
        "Neither tenant is B2C or tenant doesn't have premium license",
      );
    }
    // No source records the exact body Graph sends without P2 (graph-contract.md §10 q1): a plain 403.
    if (P2_SOURCES.has(source) && this.deps.licences['entra-id-p2'] === false) {
      return graphError(403, 'Forbidden', 'Your tenant is not licensed for this feature.');
    }
    if (PIM_SOURCES.has(source) && this.deps.licences['entra-id-p2'] === false) {
      return graphError(
        400,
        'AadPremiumLicenseRequired',
        'The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.',
      );
    }
    return undefined;
  }

  /** A source the snapshot does not hold as `ok` is served as the failure it recorded. */
  private sourceFault(source: SourceId, service: 'graph' | 'exchange'): SimResponse | undefined {
    const status = this.deps.tenant.status(source);
    const make = (code: number, graphCode: string, message: string): SimResponse =>
      service === 'graph'
        ? graphError(code, graphCode, message)
        : exchangeError(code, graphCode, 'Microsoft.Exchange.Simulator.SourceException', message);
    if (status === undefined)
      return make(404, 'ResourceNotFound', `The simulated tenant's snapshot has no data for ${source}.`);
    switch (status.status) {
      case 'ok':
        return undefined;
      case 'failed':
        return make(500, 'UnknownError', `The snapshot recorded a failure for ${source}: ${status.reason}`);
      case 'not_permitted':
        return make(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      case 'not_licensed':
        return (
          this.licenceFault(source) ??
          make(
            403,
            status.licence === 'entra-id-p1' ? 'Authentication_RequestFromNonPremiumTenantOrB2CTenant' : 'Forbidden',
            status.reason,
          )
        );
    }
  }

  private admit(
    family: EndpointFamily,
    mailbox: string | undefined,
    resourceUnits = 1,
  ): { release: () => void } | SimResponse {
    const admission = this.deps.throttle.admit(family, mailbox, Date.now(), resourceUnits);
    if (admission.admitted) return admission;
    const stats = this.deps.stats.value;
    stats.overAllowance[family]++;
    if (this.deps.throttle.mode !== 'enforce') return { release: () => undefined };
    stats.throttled[family]++;
    const headers: Record<string, string> = { ...admission.headers };
    if (admission.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(Number(admission.retryAfterSeconds.toFixed(3)));
    const result = graphError(429, 'TooManyRequests', 'Please retry again later.', headers);
    const body = result.body as { error: { innerError: Record<string, string> } };
    body.error.innerError.code = '429';
    body.error.innerError.status = '429';
    body.error.innerError.message = admission.message;
    return result;
  }

  /**
   * One Graph GET after authentication: permission, licence, source status, throttling,
   * latency, then the data. Shared by single requests and `$batch` items.
   */
  private async serveGraph(
    route: GraphRoute | undefined,
    request: GraphRequest,
    token: IssuedToken,
  ): Promise<SimResponse> {
    if (route === undefined) {
      const segment = request.path.split('/').filter((s) => s !== '')[0] ?? '';
      return graphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
    }
    if (!route.permissions.some((p) => token.roles.includes(p))) {
      return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    }
    const fault = this.licenceFault(route.source) ?? this.sourceFault(route.source, 'graph');
    if (fault !== undefined) return fault;
    // Directory reads are priced in resource units, reported in x-ms-resource-unit (throttling-limits doc).
    const units = route.family === 'directory' ? resourceUnits(route.source, request.params) : undefined;
    const slot = this.admit(route.family, route.mailbox, units);
    if ('status' in slot) return slot;
    try {
      const delay = this.deps.chaos.latency(route.family);
      this.deps.stats.value.latencyMs[route.family] += delay;
      if (delay > 0) await sleep(delay);
      const result = await this.deps.graph.serve(route, request);
      return units === undefined
        ? result
        : { ...result, headers: { ...result.headers, 'x-ms-resource-unit': String(units) } };
    } finally {
      slot.release();
      this.deps.stats.value.peakMailboxConcurrency = Math.max(
        this.deps.stats.value.peakMailboxConcurrency,
        this.deps.throttle.peakMailboxConcurrency,
      );
    }
  }

  private async graphGet(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    version: GraphVersion,
  ): Promise<void> {
    const path = url.pathname.slice(`/${version}`.length);
    const route = request.method === 'GET' ? this.deps.graph.route(decodeURIComponent(path), version) : undefined;
    const family = route?.family ?? 'unknown';
    this.deps.stats.value.requests[family]++;
    if (request.method !== 'GET')
      return this.finish(
        response,
        graphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
      );
    const token = this.authenticate(request, 'graph');
    if ('status' in token) return this.finish(response, token);
    const drawn = this.drawFault(family, url, response);
    if (drawn === undefined) return;
    const { fault } = drawn;
    const graphRequest: GraphRequest = {
      path: decodeURIComponent(path),
      ...(version === 'beta' ? { version } : {}),
      params: url.searchParams,
      clientRequestId: request.headers['client-request-id'] as string | undefined,
    };
    const served = this.replaceValues(await this.serveGraph(route, graphRequest, token), family, url);
    this.write(response, this.loopNextLink(served, fault, url), fault);
  }

  /** `replaceValue` faults: a value of the served body swapped for another (a wrong type, a null). */
  private replaceValues(result: SimResponse, family: EndpointFamily, url: URL): SimResponse {
    const rules = this.deps.chaos.replacements(family, `${url.pathname}${url.search}`);
    if (rules.length === 0 || result.status !== 200 || !isJsonObject(result.body)) return result;
    const body = structuredClone(result.body) as Record<string, unknown>;
    for (const rule of rules) {
      const keys = (rule.pointer ?? '')
        .split('/')
        .slice(1)
        .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
      const last = keys.pop();
      let target: unknown = body;
      for (const key of keys)
        target = typeof target === 'object' && target !== null ? (target as Record<string, unknown>)[key] : undefined;
      if (last === undefined || typeof target !== 'object' || target === null) continue;
      (target as Record<string, unknown>)[last] = rule.value ?? null;
      this.deps.stats.value.faults.replaceValue++;
    }
    return { ...result, body: body as SimResponse['body'] };
  }

  /**
   * Draws the fault injected into one request (Graph, `$batch` envelope or Exchange). A reset or
   * a 503/504 ends the request here and gives `undefined`; any other fault is returned, for the
   * response to carry.
   */
  private drawFault(
    family: EndpointFamily,
    url: URL,
    response: ServerResponse,
  ): { readonly fault: FaultKind | undefined } | undefined {
    const fault = this.deps.chaos.fault(family, `${url.pathname}${url.search}`);
    if (this.networkFault(fault, response)) return undefined;
    const statusFault = this.statusFault(fault);
    if (statusFault !== undefined) {
      this.finish(response, statusFault);
      return undefined;
    }
    return { fault };
  }

  /** A `loopingNextLink` fault points a page's `@odata.nextLink` back at the page itself. */
  private loopNextLink(result: SimResponse, fault: FaultKind | undefined, url: URL): SimResponse {
    if (fault !== 'loopingNextLink' || result.status !== 200 || !isJsonObject(result.body)) return result;
    this.deps.stats.value.faults.loopingNextLink++;
    return { ...result, body: { ...result.body, '@odata.nextLink': url.toString() } };
  }

  /** A reset closes the socket without a response; true when the request is dealt with. */
  private networkFault(fault: FaultKind | undefined, response: ServerResponse): boolean {
    if (fault !== 'reset') return false;
    this.deps.stats.value.faults.reset++;
    response.socket?.resetAndDestroy();
    return true;
  }

  private statusFault(fault: FaultKind | undefined): SimResponse | undefined {
    if (fault === 'status503') {
      this.deps.stats.value.faults.status503++;
      return graphError(503, 'ServiceUnavailable', 'Service Unavailable', { 'retry-after': '1' });
    }
    if (fault === 'status504') {
      this.deps.stats.value.faults.status504++;
      return graphError(504, 'GatewayTimeout', 'Gateway Timeout');
    }
    if (fault === 'status429') {
      // A throttling answer the client must wait out: used for families whose limits Microsoft
      // does not publish (the Exchange admin API), where it cannot be modelled from a limit.
      this.deps.stats.value.faults.status429++;
      return graphError(429, 'TooManyRequests', 'Too many requests; retry later.', { 'retry-after': '1' });
    }
    // Refusals of one endpoint (a Graph beta route that is withdrawn, changed or not offered to the tenant).
    if (fault === 'status400') {
      this.deps.stats.value.faults.status400++;
      return graphError(400, 'BadRequest', 'The request is not supported by this endpoint.');
    }
    if (fault === 'status403') {
      this.deps.stats.value.faults.status403++;
      return graphError(403, 'Forbidden', 'The endpoint refused the request.');
    }
    if (fault === 'status404') {
      this.deps.stats.value.faults.status404++;
      return graphError(404, 'NotFound', 'Resource not found for the segment.');
    }
    return undefined;
  }

  /** Writes a response, damaged as a `stall` or `malformedJson` fault asks. */
  private write(response: ServerResponse, result: SimResponse, fault: FaultKind | undefined): void {
    if (fault === 'malformedJson' && result.status === 200) {
      this.deps.stats.value.faults.malformedJson++;
      const text = JSON.stringify(result.body);
      const cut = `${text.slice(0, Math.max(1, Math.floor(text.length / 2)))}\u0000}`;
      this.deps.stats.status(result.status);
      response.writeHead(200, { ...result.headers, 'content-length': Buffer.byteLength(cut) });
      response.end(cut);
      return;
    }
    if (fault === 'stall' && result.status === 200) {
      this.deps.stats.value.faults.stall++;
      const text = JSON.stringify(result.body);
      this.deps.stats.status(result.status);
      response.writeHead(200, { ...result.headers, 'content-length': Buffer.byteLength(text) });
      // Half the body, then silence: the client must time out rather than wait for ever.
      response.write(text.slice(0, Math.floor(text.length / 2)));
      const socket = response.socket;
      if (socket !== null) {
        this.stalled.add(socket);
        socket.once('close', () => this.stalled.delete(socket));
        if (this.deps.stallMs !== undefined) setTimeout(() => socket.destroy(), this.deps.stallMs).unref();
      }
      return;
    }
    this.finish(response, result);
  }

  private async batch(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const stats = this.deps.stats.value;
    stats.requests.batch++;
    stats.batches++;
    const token = this.authenticate(request, 'graph');
    if ('status' in token) return this.finish(response, token);
    const drawn = this.drawFault('batch', url, response);
    if (drawn === undefined) return;
    const { fault } = drawn;
    const body = await readJsonBody(request);
    const invalid = (message: string): void => this.finish(response, graphError(400, 'BadRequest', message));
    if (!isJsonObject(body) || !Array.isArray(body.requests)) return invalid('Invalid batch payload format.');
    const items = body.requests;
    if (items.length === 0) return invalid('Invalid batch payload format: no requests.');
    if (items.length > MAX_BATCH_REQUESTS) return invalid(`Number of requests cannot exceed ${MAX_BATCH_REQUESTS}.`);
    const ids = new Set<string>();
    for (const item of items) {
      if (
        !isJsonObject(item) ||
        typeof item.id !== 'string' ||
        typeof item.method !== 'string' ||
        typeof item.url !== 'string'
      ) {
        return invalid('Each batch request needs id, method and url.');
      }
      if (ids.has(item.id)) return invalid(`Batch request id '${item.id}' is not unique.`);
      ids.add(item.id);
    }
    for (const item of items) {
      const deps = isJsonObject(item) ? item.dependsOn : undefined;
      if (deps !== undefined && (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string' || !ids.has(d)))) {
        return invalid('dependsOn must list ids of requests in the same batch.');
      }
    }

    const results = new Map<string, Promise<SimResponse>>();
    const responses: { id: string; status: number; headers: Record<string, string>; body: unknown }[] = [];
    let running = 0;
    const waiting: (() => void)[] = [];
    const acquire = async (): Promise<void> => {
      if (running < BATCH_PARALLELISM) {
        running++;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
    };
    const releaseSlot = (): void => {
      running--;
      waiting.shift()?.();
    };
    const itemIds = items.map((i) => String((i as { id: string }).id));
    const byId = new Map(items.map((i) => [String((i as { id: string }).id), i as Record<string, unknown>]));
    // Dependencies resolve lazily, so any order within the batch works; a cycle is refused below.
    const visiting = new Set<string>();
    const run = (id: string): Promise<SimResponse> => {
      const existing = results.get(id);
      if (existing !== undefined) return existing;
      if (visiting.has(id)) return Promise.resolve(graphError(400, 'BadRequest', 'dependsOn forms a cycle.'));
      visiting.add(id);
      const item = byId.get(id) ?? {};
      const deps = Array.isArray(item.dependsOn) ? (item.dependsOn as string[]) : [];
      const depPromises = deps.map((d) => run(d));
      const promise = (async (): Promise<SimResponse> => {
        const depResults = await Promise.all(depPromises);
        if (depResults.some((r) => r.status >= 400))
          return graphError(424, 'FailedDependency', 'A request this one depends on failed.');
        await acquire();
        try {
          return await this.batchItem(item, token);
        } finally {
          releaseSlot();
        }
      })();
      results.set(id, promise);
      return promise;
    };
    await Promise.all(
      itemIds.map(async (id) => {
        const result = await run(id);
        responses.push({ id, status: result.status, headers: { ...result.headers }, body: result.body });
      }),
    );
    this.write(response, jsonResponse(200, { responses }), fault);
  }

  private async batchItem(item: Record<string, unknown>, token: IssuedToken): Promise<SimResponse> {
    const stats = this.deps.stats.value;
    stats.batchItems++;
    const method = String(item.method).toUpperCase();
    let relative = String(item.url);
    if (/^https?:\/\//i.test(relative)) return graphError(400, 'BadRequest', 'Batch request URLs must be relative.');
    if (!relative.startsWith('/')) relative = `/${relative}`;
    const url = new URL(relative, 'http://batch.invalid');
    const route = method === 'GET' ? this.deps.graph.route(decodeURIComponent(url.pathname)) : undefined;
    const family = route?.family ?? 'unknown';
    stats.requests[family]++;
    if (method !== 'GET')
      return graphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
    const fault = this.deps.chaos.fault(family, relative, ['status503', 'status504']);
    const result =
      this.statusFault(fault) ??
      (await this.serveGraph(route, { path: decodeURIComponent(url.pathname), params: url.searchParams }, token));
    this.deps.stats.status(result.status);
    return result;
  }

  private async invokeCommand(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    tenant: string,
  ): Promise<void> {
    this.deps.stats.value.requests.exchange++;
    if (request.method !== 'POST') {
      return this.finish(
        response,
        exchangeError(405, 'MethodNotAllowed', 'System.NotSupportedException', 'InvokeCommand takes POST.'),
      );
    }
    const token = this.authenticate(request, 'exchange');
    if ('status' in token) return this.finish(response, token);
    if (!token.roles.includes(EXCHANGE_PERMISSION)) {
      return this.finish(
        response,
        exchangeError(
          403,
          'Forbidden',
          'System.UnauthorizedAccessException',
          `The app lacks the ${EXCHANGE_PERMISSION} permission or an Exchange role.`,
        ),
      );
    }
    const initialDomains = (this.deps.tenant.collection('graph.domains') ?? [])
      .filter((d) => d.isInitial === true)
      .map((d) => String(d.id).toLowerCase());
    if (
      tenant.toLowerCase() !== this.deps.tenant.tenantId.toLowerCase() &&
      !initialDomains.includes(tenant.toLowerCase())
    ) {
      return this.finish(
        response,
        exchangeError(
          404,
          'NotFound',
          'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
          `Tenant '${tenant}' was not found.`,
        ),
      );
    }
    const drawn = this.drawFault('exchange', url, response);
    if (drawn === undefined) return;
    const { fault } = drawn;
    const body = await readJsonBody(request);
    const cmdlet = ExchangeService.cmdletOf(body);
    const source = cmdlet === undefined ? undefined : CMDLET_SOURCES[cmdlet.name.toLowerCase()];
    if (source !== undefined) {
      const sourceFault = this.sourceFault(source, 'exchange');
      if (sourceFault !== undefined) return this.finish(response, sourceFault);
    }
    const delay = this.deps.chaos.latency('exchange');
    this.deps.stats.value.latencyMs.exchange += delay;
    if (delay > 0) await sleep(delay);
    const prefer = `${request.headers.prefer ?? ''},${request.headers['x-prefer'] ?? ''}`;
    const pageSize = /odata\.maxpagesize=(\d+)/i.exec(prefer)?.[1];
    const result = this.deps.exchange.handle({
      tenant,
      body,
      maxPageSize: pageSize === undefined ? undefined : Math.max(1, Number(pageSize)),
      skiptoken: url.searchParams.get('$skiptoken') ?? undefined,
    });
    this.write(response, this.loopNextLink(result, fault, url), fault);
  }
}
