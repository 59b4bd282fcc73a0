import { createLiveClients, type CreatedClients } from '../../src/collect/live/create-clients.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';

/**
 * The production clients (Graph transport, Exchange admin API client, @azure/identity client
 * secret credential) pointed at a running simulator, trusting its CA explicitly.
 */
export function simulatorClients(
  sim: RunningSimulator,
  options: { logger?: Logger; exchangePageSize?: number } = {},
): CreatedClients {
  const graphOrigin = new URL(sim.graphUrl).origin;
  return createLiveClients(
    {
      kind: 'tenant',
      tenantId: sim.tenantId,
      clientId: sim.credentials.clientId,
      credentials: { kind: 'client-secret', secret: sim.credentials.clientSecret },
      cloud: 'global',
      endpoints: {
        graph: graphOrigin,
        authority: sim.authorityUrl,
        tokenExchangeAudience: 'api://AzureADTokenExchange',
        exchange: new URL(sim.exchangeUrl).origin,
      },
    },
    {
      logger: options.logger ?? silentLogger,
      ca: sim.caCertificatePem,
      graph: { backoff: { baseMs: 20, maxMs: 200, random: () => 0.5 } },
      exchange: {
        backoff: { baseMs: 20, maxMs: 200, random: () => 0.5 },
        ...(options.exchangePageSize !== undefined ? { maxPageSize: options.exchangePageSize } : {}),
      },
    },
  );
}
