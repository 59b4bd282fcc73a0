import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Cloud } from '../model/cloud.js';
import { createPublicKey } from 'node:crypto';
import { type Logger, silentLogger } from '../logger.js';
import type { Licence } from '../snapshot/source-status.js';
import { ApiServer } from './api-server.js';
import { type ClientCredentials, generateKeys, type SimulatorCredentials } from './credentials.js';
import { startDnsServer } from './dns-server.js';
import { ExchangeService } from './exchange-service.js';
import { Chaos } from './faults.js';
import type { SimResponse } from './graph-error.js';
import { GraphService } from './graph-service.js';
import { readBody, send } from './http-util.js';
import { LoginService } from './login-service.js';
import { policyHosts, servePolicyHost, withPolicyHostAddresses } from './policy-hosts.js';
import { assertLoopback, LOOPBACK_HOST } from './loopback.js';
import type { RealismConfig } from './realism.js';
import { type SimulatorStats, StatsRecorder } from './stats.js';
import { loadTenant } from './tenant-data.js';
import { Throttle } from './throttle.js';

export interface SimulatorOptions {
  /** The snapshot folder to serve (docs/snapshot-format.md). */
  readonly dir: string;
  /**
   * Port of the Graph server; the others follow it (+1 Exchange, +2 login, +3 DNS, +4 policy hosts)
   * when set, else ephemeral.
   */
  readonly port?: number;
  readonly realism?: RealismConfig;
  /** The app registration to accept; by default a fixed demo client ID and secret, plus generated keys. */
  readonly credentials?: SimulatorCredentials;
  readonly logger?: Logger;
  /**
   * Serve the folder as of this time: every timestamp the folder holds (sign-ins, risk
   * detections, update times…) moves by servedAt − capturedAt, so look-back windows that end
   * at this clock see the captured activity. Absent: served verbatim, as captured.
   */
  readonly servedAt?: Date;
}

/** A simulated tenant serving on loopback. */
export interface RunningSimulator {
  /** Graph v1.0 base, e.g. `http://127.0.0.1:PORT/v1.0`. */
  readonly graphUrl: string;
  /** The `authorityHost` for @azure/identity (HTTPS, trust `caCertificatePem`). */
  readonly authorityUrl: string;
  /** Exchange admin API base: POST `{exchangeUrl}/adminapi/beta/{tenantId}/InvokeCommand`. */
  readonly exchangeUrl: string;
  readonly dns: { readonly host: typeof LOOPBACK_HOST; readonly port: number };
  /**
   * HTTPS server of the domains' policy hosts (`https://mta-sts.<domain>/.well-known/mta-sts.txt`,
   * RFC 8461 §3.3) with the folder's recorded answers. The simulator's DNS answers A 127.0.0.1
   * for those hosts; connect to this port and trust `caCertificatePem`.
   */
  readonly policyHttps: {
    readonly host: typeof LOOPBACK_HOST;
    readonly port: number;
    readonly hosts: readonly string[];
  };
  /** The self-signed certificate of the login server and the policy hosts, generated at start; trust it explicitly. */
  readonly caCertificatePem: string;
  readonly tenantId: string;
  /** The tenant's cloud, as the folder's manifest records it (absent in older folders). */
  readonly cloud?: Cloud;
  /** The folder's capture time (manifest `capturedAt`). */
  readonly capturedAt: string;
  /** The time the folder is served as of: `servedAt`, or `capturedAt` when served verbatim. */
  readonly servedAsOf: string;
  /** Credentials the simulated app registration accepts. */
  readonly credentials: ClientCredentials;
  stats(): SimulatorStats;
  close(): Promise<void>;
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK_HOST, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('listener has no address');
  assertLoopback(address.address);
  return address.port;
}

function tracked(server: Server): () => void {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return () => {
    for (const socket of sockets) socket.destroy();
  };
}

/**
 * Starts the simulated tenant on 127.0.0.1: Graph and the Exchange admin API over HTTP, Entra
 * ID login over HTTPS (MSAL refuses a non-https authority), DNS over UDP and TCP, and the
 * domains' MTA-STS policy hosts over HTTPS. A bad
 * snapshot folder throws a ConfigurationError before any port is opened.
 */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const logger = options.logger ?? silentLogger;
  const realism = options.realism ?? {};
  const tenant = await loadTenant(options.dir, options.servedAt ? { servedAt: options.servedAt } : {});
  const hosts = policyHosts(tenant.dns);
  const keys = await generateKeys(options.credentials, hosts);
  logger.secret(keys.client.clientSecret);
  const stats = new StatsRecorder();
  const basePort = options.port ?? 0;
  const portAt = (offset: number): number => (basePort === 0 ? 0 : basePort + offset);

  let graphServer: Server | undefined;
  let exchangeServer: Server | undefined;
  let loginServer: Server | undefined;
  let policyServer: Server | undefined;
  const closers: (() => void)[] = [];
  let api: ApiServer | undefined;
  let login: LoginService | undefined;
  const onApi = (request: Parameters<ApiServer['handle']>[0], response: Parameters<ApiServer['handle']>[1]): void => {
    if (api === undefined) {
      response.writeHead(503).end();
      return;
    }
    void api.handle(request, response);
  };
  try {
    graphServer = createHttpServer(onApi);
    exchangeServer = createHttpServer(onApi);
    loginServer = createHttpsServer({ key: keys.tls.key, cert: keys.tls.cert }, (request, response) => {
      void (async () => {
        stats.value.requests.login++;
        const url = new URL(request.url ?? '/', 'https://127.0.0.1');
        const text = request.method === 'POST' ? ((await readBody(request, 64 * 1024)) ?? '') : '';
        const result: SimResponse = (await login?.handle(request.method ?? 'GET', url, new URLSearchParams(text))) ?? {
          status: 503,
          headers: {},
          body: {},
        };
        if (url.pathname.endsWith('/oauth2/v2.0/token')) {
          if (result.status === 200) stats.value.tokens.issued++;
          else stats.value.tokens.refused++;
        }
        stats.status(result.status);
        send(response, result);
      })().catch((error: unknown) => {
        logger.error(`simulator login: ${error instanceof Error ? error.message : String(error)}`);
        response.destroy();
      });
    });
    const recordedHttps = tenant.dns?.https ?? {};
    policyServer = createHttpsServer({ key: keys.tls.key, cert: keys.tls.cert }, (request, response) => {
      stats.value.policyHostRequests++;
      servePolicyHost(recordedHttps, request, response);
    });
    closers.push(tracked(graphServer), tracked(exchangeServer), tracked(loginServer), tracked(policyServer));
    const graphPort = await listen(graphServer, portAt(0));
    const exchangePort = await listen(exchangeServer, portAt(1));
    const loginPort = await listen(loginServer, portAt(2));
    const policyPort = await listen(policyServer, portAt(4));
    const graphOrigin = `http://${LOOPBACK_HOST}:${graphPort}`;
    const exchangeOrigin = `http://${LOOPBACK_HOST}:${exchangePort}`;
    const authorityUrl = `https://${LOOPBACK_HOST}:${loginPort}`;
    const licences: Record<Licence, boolean | null> = { ...tenant.manifest.licences, ...realism.licences };
    const throttle = new Throttle(realism.throttling ?? { mode: 'off' }, tenant.collection('graph.users')?.length ?? 0);
    login = new LoginService({
      baseUrl: authorityUrl,
      tenantId: tenant.tenantId,
      registered: keys.registered,
      signing: keys.signing,
      graphOrigin,
      exchangeOrigin,
      missingPermissions: realism.missingPermissions ?? [],
    });
    api = new ApiServer({
      tenant,
      graph: new GraphService(tenant, `${graphOrigin}/v1.0`),
      exchange: new ExchangeService(tenant, exchangeOrigin, {
        defaultResultSize: realism.exchangeDefaultResultSize ?? 1000,
        defaultPageSize: 1000,
        missingCmdlets: realism.missingCmdlets ?? [],
      }),
      throttle,
      chaos: new Chaos(realism),
      stats,
      tokenKey: createPublicKey(keys.signing.publicKey),
      graphOrigin,
      exchangeOrigin,
      licences,
      logger,
      stallMs: realism.stallMs,
    });
    const dns = await startDnsServer(withPolicyHostAddresses(tenant.dns, hosts), stats, logger, portAt(3));
    const apiServer = api;
    const servers = [graphServer, exchangeServer, loginServer, policyServer];
    let closed = false;
    return {
      graphUrl: `${graphOrigin}/v1.0`,
      authorityUrl,
      exchangeUrl: exchangeOrigin,
      dns: { host: LOOPBACK_HOST, port: dns.port },
      policyHttps: { host: LOOPBACK_HOST, port: policyPort, hosts },
      caCertificatePem: keys.tls.cert,
      tenantId: tenant.tenantId,
      capturedAt: tenant.manifest.capturedAt,
      ...(tenant.manifest.cloud ? { cloud: tenant.manifest.cloud } : {}),
      servedAsOf: new Date(Date.parse(tenant.manifest.capturedAt) + tenant.shift.ms).toISOString(),
      credentials: keys.client,
      stats: () => stats.snapshot(),
      async close() {
        if (closed) return;
        closed = true;
        for (const socket of apiServer.stalled) socket.destroy();
        for (const close of closers) close();
        await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
        await dns.close();
        await tenant.close();
      },
    };
  } catch (error: unknown) {
    for (const close of closers) close();
    for (const server of [graphServer, exchangeServer, loginServer, policyServer]) server?.close();
    await tenant.close();
    throw error;
  }
}
