import type { Logger } from '../logger.js';
import type { Cloud } from '../model/cloud.js';
import { startSimulator, type RunningSimulator } from '../simulator/start-simulator.js';
import type { RealismConfig } from '../simulator/realism.js';
import type { Collector } from '../collect/collector.js';
import { createHttpsGetter } from '../collect/dns/https-getter.js';
import type { ClientFactoryDeps, CreatedClients } from '../collect/live/create-clients.js';
import { liveCollector } from '../collect/live/live-collector.js';
import { collectionDeadline } from '../collect/deadline.js';
import { createSimulatorClients } from './simulator-clients.js';

export interface SimulatorCollectorOptions {
  readonly dir: string;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly extraDomains?: readonly string[];
  readonly realism?: RealismConfig;
  /** Transport tuning (tests, benchmark). */
  readonly clients?: Pick<ClientFactoryDeps, 'graph' | 'exchange'>;
  /** Called once the simulator runs, with it (tests read its stats). */
  readonly onStarted?: (sim: RunningSimulator) => void;
  /**
   * Serve the folder verbatim and audit it as of its capture time. By default it is served as
   * of the run's clock (every time moved by now − capturedAt), so a demo stays true every day.
   */
  readonly asCaptured?: boolean;
  /** The simulated tenant's cloud (`--cloud`); else the folder's manifest says, else `global`. */
  readonly cloud?: Cloud;
  /** The collection deadline in milliseconds (collect/deadline.ts); none when absent (tests, benchmark). */
  readonly deadlineMs?: number;
}

/**
 * `audit --simulate DIR` (and `--demo`): starts the simulated tenant in-process on free loopback
 * ports and audits it over real HTTP and DNS, exactly as a tenant: @azure/identity client-secret
 * auth against its TLS token endpoint, whose generated CA only these clients trust, and MTA-STS
 * policies fetched over TLS from its policy hosts.
 */
export function simulatorCollector(options: SimulatorCollectorOptions): Collector {
  let sim: RunningSimulator | undefined;
  let created: CreatedClients | undefined;
  return {
    mode: 'simulate',
    async collect(request) {
      // One instant for both sides: the folder is served as of it and the audit's windows end at it.
      const at = options.now();
      sim = await startSimulator({
        dir: options.dir,
        logger: options.logger,
        ...(options.realism ? { realism: options.realism } : {}),
        ...(options.asCaptured ? {} : { servedAt: at }),
      });
      // As captured, the audit judges as of the capture time, or a look-back window ending today
      // would see none of the folder's activity.
      const asOf = options.asCaptured ? new Date(sim.capturedAt) : at;
      options.onStarted?.(sim);
      created = createSimulatorClients(sim, {
        logger: options.logger,
        dns: true,
        ...options.clients,
        ...(options.deadlineMs !== undefined ? { signal: collectionDeadline(options.deadlineMs) } : {}),
      });
      // MTA-STS policies are fetched for real over TLS: the simulator's DNS points mta-sts.<domain>
      // at its own HTTPS server, whose certificate (and no other) these fetches trust.
      const https = createHttpsGetter({
        ...(created.clients.dns ? { resolver: created.clients.dns } : {}),
        port: sim.policyHttps.port,
        ca: sim.caCertificatePem,
      });
      return liveCollector({
        mode: 'simulate',
        tenantId: sim.tenantId,
        clientId: sim.credentials.clientId,
        clients: { ...created.clients, https },
        extraDomains: options.extraDomains ?? [],
        now: () => asOf,
        cloud: options.cloud ?? sim.cloud ?? 'global',
        authenticate: () => created?.authenticate() ?? Promise.resolve(),
      }).collect(request);
    },
    async close() {
      await created?.close();
      await sim?.close();
    },
  };
}
