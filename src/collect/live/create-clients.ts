import type { TokenCredential } from '@azure/identity';
import type { Logger } from '../../logger.js';
import type { TenantTarget } from './tenant-target.js';
import { DnsClient } from '../dns/dns-client.js';
import type { DnsServer } from '../dns/server-address.js';
import { exchangeClient, type ExchangeClientOptions } from '../exchange/exchange-client.js';
import { nodeFetch } from '../exchange/node-fetch.js';
import { createGraphTransport } from '../graph/graph-transport.js';
import type { GraphTransportOptions } from '../graph/graph-wiring.js';
import type { LiveClients } from './clients.js';
import { errorMessage, isConfigurationError } from '../../errors.js';
import { beforeDeadline } from '../deadline.js';
import { AuthenticationFailure, describeAuthFailure } from './auth-failure.js';
import { createCredential } from './credentials.js';
import type { IdTokenClaims } from './id-token-claims.js';

/** What building the live clients needs besides settings. Each engineer's client adds its own. */
export interface ClientFactoryDeps {
  readonly logger: Logger;
  /** `core.getIDToken` in the Action, for GitHub OIDC federation. */
  readonly getIdToken?: (audience: string) => Promise<string>;
  /** Extra CA (PEM) trusted by these clients only: the simulator's. */
  readonly ca?: string;
  /** Transport tuning for tests and the benchmark. */
  readonly graph?: Partial<
    Pick<
      GraphTransportOptions,
      'maxRetries' | 'requestTimeoutMs' | 'limits' | 'backoff' | 'sleep' | 'onAttempt' | 'maxSockets' | 'globalPace'
    >
  >;
  /** Exchange admin API client tuning for tests and the benchmark. */
  readonly exchange?: Partial<Pick<ExchangeClientOptions, 'maxRetries' | 'backoff' | 'sleep' | 'maxPageSize'>>;
  /** DNS servers to ask (the simulator's); without them no DNS client is built here. */
  readonly dnsServers?: readonly DnsServer[];
  /** A ready credential (tests); otherwise one is built from the target's settings. */
  readonly credential?: TokenCredential;
  /** The collection deadline (collect/deadline.ts), watched by every request, sleep and token request. */
  readonly signal?: AbortSignal;
}

export interface CreatedClients {
  readonly clients: LiveClients;
  readonly credential: TokenCredential;
  /**
   * Signs in once for Graph before any tenant source is read; a refusal throws an
   * AuthenticationFailure carrying the one message that names the cause and the fix.
   */
  authenticate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the live clients for a tenant (or the simulator posing as one) from settings: one
 * credential shared by every client, each asking for its own resource's scope.
 */
export function createLiveClients(target: TenantTarget, deps: ClientFactoryDeps): CreatedClients {
  let idToken: IdTokenClaims | undefined;
  const built =
    deps.credential ??
    createCredential(target, {
      logger: deps.logger,
      ...(deps.getIdToken ? { getIdToken: deps.getIdToken } : {}),
      ...(deps.ca ? { authorityCa: deps.ca } : {}),
      onIdToken: (claims) => {
        // As azure/login does: the claims Entra matches against the federated credential, once.
        if (idToken === undefined)
          deps.logger.info(
            `GitHub OIDC token: issuer ${claims.issuer}, subject ${claims.subject}, audience ${claims.audience}`,
          );
        idToken = claims;
      },
    });
  const { signal } = deps;
  // A token request that stalls (the login endpoint) is cut by the deadline like any request.
  const credential: TokenCredential = signal
    ? {
        getToken: (scopes, options) =>
          beforeDeadline(built.getToken(scopes, { ...options, abortSignal: signal }), signal),
      }
    : built;
  const graphScope = `${new URL(target.endpoints.graph).origin}/.default`;
  const authenticate = async (): Promise<void> => {
    try {
      const token = await credential.getToken(graphScope);
      if (!token) throw new Error(`no token for ${graphScope}`);
    } catch (error: unknown) {
      if (isConfigurationError(error)) throw error;
      throw new AuthenticationFailure(
        describeAuthFailure(errorMessage(error), {
          credentials: target.credentials.kind,
          authority: target.endpoints.authority,
          tenantId: target.tenantId,
          clientId: target.clientId,
          ...(idToken ? { idToken } : {}),
        }),
      );
    }
  };
  const graph = createGraphTransport({
    baseUrl: target.endpoints.graph,
    credential,
    logger: deps.logger,
    ...(deps.ca ? { ca: deps.ca } : {}),
    ...(signal ? { signal } : {}),
    ...deps.graph,
  });
  // The Exchange admin API takes a token for its own host (`https://outlook.office365.com/.default`
  // in the global cloud; the per-cloud host comes from clouds.ts).
  const exchangeFetch = nodeFetch({ timeoutMs: 100_000, ...(deps.ca ? { ca: deps.ca } : {}) });
  const exchangeScope = `${new URL(target.endpoints.exchange).origin}/.default`;
  const exchange = exchangeClient({
    baseUrl: target.endpoints.exchange,
    tenant: target.tenantId,
    getToken: async () => {
      const token = await credential.getToken(exchangeScope);
      if (!token) throw new Error(`no token for ${exchangeScope}`);
      return token.token;
    },
    logger: deps.logger,
    fetch: exchangeFetch,
    ...(signal ? { signal } : {}),
    ...deps.exchange,
  });
  return {
    clients: {
      graph,
      exchange,
      ...(deps.dnsServers && deps.dnsServers.length > 0 ? { dns: new DnsClient({ servers: deps.dnsServers }) } : {}),
    },
    credential,
    authenticate,
    close: async () => {
      graph.close();
      exchangeFetch.destroy();
    },
  };
}
