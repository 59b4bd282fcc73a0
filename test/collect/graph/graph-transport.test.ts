import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphRequestError, GraphShapeError } from '../../../src/collect/graph/graph-api.js';
import { statusFromError } from '../../../src/collect/graph/graph-source.js';
import { createGraphTransport, type GraphTransport } from '../../../src/collect/graph/graph-transport.js';
import { silentLogger } from '../../../src/logger.js';
import { fakeCredential } from '../../helpers/fake-credential.js';
import { startTlsServer, type LoopbackTlsServer } from '../../helpers/tls-server.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly auth: string | undefined;
  readonly at: number;
}

let server: LoopbackTlsServer | undefined;
let transport: GraphTransport | undefined;
afterEach(async () => {
  transport?.close();
  await server?.close();
  server = undefined;
  transport = undefined;
});

async function setup(handler: Handler, options: { maxRetries?: number; timeoutMs?: number } = {}) {
  const seen: Seen[] = [];
  server = await startTlsServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, at: Date.now() });
      handler(req, res, body);
    });
  });
  transport = createGraphTransport({
    baseUrl: server.origin,
    credential: fakeCredential('tok-123'),
    logger: silentLogger,
    ca: server.ca,
    maxRetries: options.maxRetries ?? 4,
    requestTimeoutMs: options.timeoutMs ?? 5_000,
    backoff: { baseMs: 40, maxMs: 400, random: () => 0.5 },
  });
  return { seen, origin: server.origin, graph: transport };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function all(iterable: AsyncIterable<readonly unknown[]>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const page of iterable) out.push(...page);
  return out;
}

describe('Graph transport over loopback TLS', () => {
  it('sends the bearer token and follows @odata.nextLink exactly as given', async () => {
    let origin = '';
    const {
      seen,
      graph,
      origin: o,
    } = await setup((req, res) => {
      if (req.url === '/v1.0/users?$select=id&$top=2') {
        json(res, 200, {
          value: [{ id: 'a' }, { id: 'b' }],
          '@odata.nextLink': `${origin}/v1.0/users?z=1&$skiptoken=X%2BY%3D&$top=2`,
        });
      } else if (req.url === '/v1.0/users?z=1&$skiptoken=X%2BY%3D&$top=2') {
        json(res, 200, { value: [{ id: 'c' }] });
      } else json(res, 404, { error: { code: 'Request_ResourceNotFound', message: req.url } });
    });
    origin = o;
    expect(await all(graph.pages('/users?$select=id&$top=2'))).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect(seen.map((s) => s.url)).toEqual([
      '/v1.0/users?$select=id&$top=2',
      '/v1.0/users?z=1&$skiptoken=X%2BY%3D&$top=2',
    ]);
    expect(seen.every((s) => s.auth === 'Bearer tok-123')).toBe(true);
  });

  it('retries 429 after a fractional Retry-After, and 503 and a reset connection with backoff', async () => {
    let n = 0;
    const { seen, graph } = await setup((req, res) => {
      n += 1;
      if (n === 1) json(res, 429, { error: { code: 'TooManyRequests' } }, { 'retry-after': '0.3' });
      else if (n === 2) json(res, 503, { error: { code: 'ServiceUnavailable' } });
      else if (n === 3) req.socket.destroy();
      else json(res, 200, { id: '00000000-0000-0000-0000-000000000005', isEnabled: true });
    });
    expect(await graph.get('/policies/identitySecurityDefaultsEnforcementPolicy')).toMatchObject({ isEnabled: true });
    expect(seen).toHaveLength(4);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(290);
  });

  it('holds Conditional Access to one request per second and backs off a 429 without Retry-After', async () => {
    let n = 0;
    const { seen, graph } = await setup((_req, res) => {
      n += 1;
      if (n === 2) json(res, 429, { error: { code: 'TooManyRequests' } });
      else json(res, 200, { value: [] });
    });
    await Promise.all([1, 2, 3].map(() => all(graph.pages('/identity/conditionalAccess/policies'))));
    expect(seen).toHaveLength(4);
    const gaps = seen.slice(1).map((s, i) => s.at - seen[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(950);
  });

  it('gives up after maxRetries with a GraphRequestError carrying the request-id', async () => {
    const { seen, graph } = await setup(
      (_req, res) => json(res, 504, { error: { code: 'GatewayTimeout', message: 'x' } }, { 'request-id': 'rid-1' }),
      {
        maxRetries: 2,
      },
    );
    const error = await graph.get('/domains').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 504, code: 'GatewayTimeout', requestId: 'rid-1', path: '/domains' });
    expect(seen).toHaveLength(3);
  });

  it('maps 403 codes to not_licensed and not_permitted naming the licence and the permission', async () => {
    const { graph } = await setup((req, res) =>
      req.url?.startsWith('/v1.0/reports')
        ? json(res, 403, {
            error: { code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', message: 'no premium' },
          })
        : json(res, 403, { error: { code: 'Authorization_RequestDenied', message: 'denied' } }),
    );
    const licence = await all(graph.pages('/reports/authenticationMethods/userRegistrationDetails')).catch(
      (e: unknown) => e,
    );
    expect(statusFromError('graph.userRegistrationDetails', licence)).toMatchObject({
      status: 'not_licensed',
      licence: 'entra-id-p1',
    });
    const denied = await all(graph.pages('/roleManagement/directory/roleAssignments')).catch((e: unknown) => e);
    expect(statusFromError('graph.roleAssignments', denied)).toMatchObject({
      status: 'not_permitted',
      permission: 'RoleManagement.Read.Directory, GroupMember.Read.All',
    });
  });

  it('reports a missing value, a null value and malformed JSON as shape errors naming endpoint and field', async () => {
    const { graph } = await setup((req, res) => {
      if (req.url?.startsWith('/v1.0/domains')) json(res, 200, { '@odata.context': 'x' });
      else if (req.url?.startsWith('/v1.0/users')) json(res, 200, { value: null });
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"value": [');
      }
    });
    await expect(all(graph.pages('/domains'))).rejects.toMatchObject({
      name: 'GraphShapeError',
      endpoint: '/domains',
      field: 'value',
    });
    await expect(all(graph.pages('/users'))).rejects.toBeInstanceOf(GraphShapeError);
    await expect(all(graph.pages('/policies/authenticationStrengthPolicies'))).rejects.toMatchObject({
      field: '(body)',
    });
  });

  it('recordPages: reads pages record by record from the streamed body, as pages does', async () => {
    let origin = '';
    const {
      graph,
      origin: o,
      seen,
    } = await setup((req, res) => {
      if (req.url?.includes('skiptoken=2')) json(res, 200, { value: [{ id: 'c', text: 'x"}]\\' }] });
      else {
        // Written in small pieces, so records straddle chunks.
        const body = JSON.stringify({
          '@odata.context': 'ctx',
          value: [{ id: 'a', n: [1, { b: 2 }] }, { id: 'b' }],
          '@odata.nextLink': `${origin}/v1.0/auditLogs/signIns?$skiptoken=2`,
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < body.length; i += 7) res.write(body.slice(i, i + 7));
        res.end();
      }
    });
    origin = o;
    const streamed = await all(graph.recordPages('/auditLogs/signIns?$top=2'));
    expect(streamed).toEqual(await all(graph.pages('/auditLogs/signIns?$top=2')));
    expect(streamed).toEqual([{ id: 'a', n: [1, { b: 2 }] }, { id: 'b' }, { id: 'c', text: 'x"}]\\' }]);
    expect(seen.map((s) => s.auth)).toEqual(Array(4).fill('Bearer tok-123'));
  });

  it('recordPages: malformed JSON, a missing or null value and a body cut short are errors, never a partial page', async () => {
    let cut = 0;
    const { graph } = await setup((req, res) => {
      if (req.url?.startsWith('/v1.0/domains')) json(res, 200, { '@odata.context': 'x' });
      else if (req.url?.startsWith('/v1.0/users')) json(res, 200, { value: null });
      else if (req.url?.startsWith('/v1.0/groups')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"value": [{"id":1}');
      } else if (req.url?.startsWith('/v1.0/contacts')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"value": [{"id":1}]} trailing');
      } else {
        // Announces more than it sends, then drops the connection: the first two times only.
        cut++;
        const body = '{"value":[{"id":1},{"id":2}]}';
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(cut <= 2 ? body.length + 10 : body.length),
        });
        if (cut <= 2) {
          res.write(body.slice(0, 12));
          setTimeout(() => res.socket?.destroy(), 20);
        } else res.end(body);
      }
    });
    await expect(all(graph.recordPages('/domains'))).rejects.toMatchObject({
      name: 'GraphShapeError',
      endpoint: '/domains',
      field: 'value',
    });
    await expect(all(graph.recordPages('/users'))).rejects.toBeInstanceOf(GraphShapeError);
    await expect(all(graph.recordPages('/groups'))).rejects.toMatchObject({ name: 'GraphShapeError', field: '(body)' });
    await expect(all(graph.recordPages('/contacts'))).rejects.toMatchObject({
      name: 'GraphShapeError',
      field: '(body)',
    });
    // Cut short twice, then whole: retried like a reset connection.
    expect(await all(graph.recordPages('/auditLogs/signIns'))).toEqual([{ id: 1 }, { id: 2 }]);
    expect(cut).toBe(3);
  });

  it('recordPages: a body cut short on every attempt, or stalled, fails the page', async () => {
    const { graph } = await setup(
      (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"value":[{"id":1},');
        if (req.url?.startsWith('/v1.0/auditLogs')) setTimeout(() => res.socket?.destroy(), 10);
      },
      { maxRetries: 1, timeoutMs: 300 },
    );
    await expect(all(graph.recordPages('/auditLogs/signIns'))).rejects.toBeInstanceOf(GraphRequestError);
    await expect(all(graph.recordPages('/domains'))).rejects.toBeInstanceOf(GraphRequestError);
  });

  it('refuses a nextLink that loops or leaves the Graph origin', async () => {
    let origin = '';
    const { graph, origin: o } = await setup((req, res) => {
      if (req.url?.startsWith('/v1.0/domains'))
        json(res, 200, { value: [1], '@odata.nextLink': `${origin}/v1.0/domains?$skiptoken=same` });
      else json(res, 200, { value: [1], '@odata.nextLink': 'https://evil.example/v1.0/users' });
    });
    origin = o;
    await expect(all(graph.pages('/domains'))).rejects.toMatchObject({ field: '@odata.nextLink' });
    await expect(all(graph.pages('/users'))).rejects.toMatchObject({ field: '@odata.nextLink' });
  });

  it('splits $batch into batches of at most 20 and re-batches 429 items after the longest Retry-After', async () => {
    const sizes: number[] = [];
    const throttledOnce = new Set<string>();
    const { graph } = await setup((_req, res, body) => {
      const { requests } = JSON.parse(body) as { requests: { id: string; url: string }[] };
      sizes.push(requests.length);
      json(res, 200, {
        responses: requests.map((r) => {
          if (Number(r.id) % 7 === 0 && !throttledOnce.has(r.id)) {
            throttledOnce.add(r.id);
            return {
              id: r.id,
              status: 429,
              headers: { 'Retry-After': r.id === '7' ? '0.4' : '0.1' },
              body: { error: { code: 'TooManyRequests' } },
            };
          }
          return { id: r.id, status: 200, headers: { 'Content-Type': 'application/json' }, body: { url: r.url } };
        }),
      });
    });
    const requests = Array.from({ length: 45 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET' as const,
      url: `/users/u${i + 1}/mailFolders/inbox/messageRules`,
    }));
    const started = Date.now();
    const answers = await graph.batch(requests);
    expect(answers.map((a) => a.status)).toEqual(requests.map(() => 200));
    expect(answers[6]).toMatchObject({ id: '7', body: { url: '/users/u7/mailFolders/inbox/messageRules' } });
    expect(sizes.slice(0, 3).sort((a, b) => a - b)).toEqual([5, 20, 20]);
    expect(sizes.slice(3)).toEqual([6]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });
});
