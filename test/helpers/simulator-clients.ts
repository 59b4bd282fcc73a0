import type { Collector } from '../../src/collect/collector.js';
import type { CreatedClients } from '../../src/collect/live/create-clients.js';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import { createSimulatorClients } from '../../src/entry/simulator-clients.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';

/**
 * The production clients pointed at a running simulator (src/entry/simulator-clients.ts), with
 * short back-offs for tests.
 */
export function simulatorClients(
  sim: RunningSimulator,
  options: { logger?: Logger; exchangePageSize?: number } = {},
): CreatedClients {
  return createSimulatorClients(sim, {
    logger: options.logger ?? silentLogger,
    graph: { backoff: { baseMs: 20, maxMs: 200, random: () => 0.5 } },
    exchange: {
      backoff: { baseMs: 20, maxMs: 200, random: () => 0.5 },
      ...(options.exchangePageSize !== undefined ? { maxPageSize: options.exchangePageSize } : {}),
    },
  });
}

/** The live collector over a running simulator's clients, at a fixed clock, with no extra domains. */
export function simulatorLiveCollector(sim: RunningSimulator, created: CreatedClients, now: Date): Collector {
  return liveCollector({
    mode: 'simulate',
    tenantId: sim.tenantId,
    clients: created.clients,
    extraDomains: [],
    now: () => now,
  });
}
