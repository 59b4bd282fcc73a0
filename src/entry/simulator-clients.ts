import type { TenantTarget } from '../collect/live/tenant-target.js';
import type { RunningSimulator } from '../simulator/start-simulator.js';
import { CLOUD_ENDPOINTS } from '../collect/live/clouds.js';
import { createLiveClients, type ClientFactoryDeps, type CreatedClients } from '../collect/live/create-clients.js';

/** The tenant settings of a running simulator: its tenant, its app registration, its loopback endpoints. */
export function simulatorTarget(sim: RunningSimulator): TenantTarget {
  return {
    kind: 'tenant',
    tenantId: sim.tenantId,
    clientId: sim.credentials.clientId,
    credentials: { kind: 'client-secret', secret: sim.credentials.clientSecret },
    cloud: 'global',
    endpoints: {
      graph: new URL(sim.graphUrl).origin,
      authority: sim.authorityUrl,
      tokenExchangeAudience: CLOUD_ENDPOINTS.global.tokenExchangeAudience,
      exchange: sim.exchangeUrl,
    },
  };
}

/**
 * The production clients (Graph transport, Exchange admin API client, @azure/identity
 * client-secret credential) pointed at a running simulator, trusting its CA and no other extra
 * one; with `dns`, also a DNS client asking the simulator's DNS server.
 */
export function createSimulatorClients(
  sim: RunningSimulator,
  deps: Omit<ClientFactoryDeps, 'ca' | 'dnsServers' | 'credential'> & { readonly dns?: boolean },
): CreatedClients {
  const { dns, ...rest } = deps;
  return createLiveClients(simulatorTarget(sim), {
    ...rest,
    ca: sim.caCertificatePem,
    ...(dns === true ? { dnsServers: [{ kind: 'dns', host: sim.dns.host, port: sim.dns.port }] } : {}),
  });
}
