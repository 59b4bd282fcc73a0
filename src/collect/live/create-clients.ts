import type { TokenCredential } from '@azure/identity';
import type { Logger } from '../../logger.js';
import type { TenantTarget } from '../../settings.js';
import { createGraphTransport, type GraphTransportOptions } from '../graph/graph-transport.js';
import type { LiveClients } from './clients.js';
import { createCredential } from './credentials.js';

/** What building the live clients needs besides settings. Each engineer's client adds its own. */
export interface ClientFactoryDeps {
  readonly logger: Logger;
  /** `core.getIDToken` in the Action, for GitHub OIDC federation. */
  readonly getIdToken?: (audience: string) => Promise<string>;
  /** Extra CA (PEM) trusted by these clients only: the simulator's. */
  readonly ca?: string;
  /** Transport tuning for tests and the benchmark. */
  readonly graph?: Partial<Pick<GraphTransportOptions, 'maxRetries' | 'requestTimeoutMs' | 'limits' | 'backoff' | 'sleep' | 'onAttempt'>>;
  /** A ready credential (tests); otherwise one is built from the target's settings. */
  readonly credential?: TokenCredential;
}

export interface CreatedClients {
  readonly clients: LiveClients;
  readonly credential: TokenCredential;
  close(): Promise<void>;
}

/**
 * Builds the live clients for a tenant (or the simulator posing as one) from settings: one
 * credential shared by every client, each asking for its own resource's scope.
 */
export function createLiveClients(target: TenantTarget, deps: ClientFactoryDeps): CreatedClients {
  const credential =
    deps.credential ??
    createCredential(target, {
      logger: deps.logger,
      ...(deps.getIdToken ? { getIdToken: deps.getIdToken } : {}),
      ...(deps.ca ? { authorityCa: deps.ca } : {}),
    });
  const graph = createGraphTransport({
    baseUrl: target.endpoints.graph,
    credential,
    logger: deps.logger,
    ...(deps.ca ? { ca: deps.ca } : {}),
    ...deps.graph,
  });
  return {
    clients: { graph },
    credential,
    close: async () => {
      graph.close();
    },
  };
}

