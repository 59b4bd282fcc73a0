import { readFile } from 'node:fs/promises';
import { afterEach } from 'vitest';
import type { GraphApi } from '../../src/collect/graph/graph-api.js';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/policy.js';
import type { RealismConfig } from '../../src/simulator/realism.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import { simulatorClients } from './simulator-clients.js';

export const DEMO_DIR = 'demo/contoso-health';

export interface CollectOptions {
  readonly logger?: Logger;
  /** Exchange page size (`Prefer: odata.maxpagesize`), to force `@odata.nextLink` paging. */
  readonly exchangePageSize?: number;
  /** Wraps the production Graph client (e.g. to record the paths asked for). */
  readonly graph?: (graph: GraphApi) => GraphApi;
}

/**
 * Simulators started for one test file's tests and the production collectors run against them;
 * everything started is closed after each test, last first.
 */
export function simulatorSession(now: Date) {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });
  const demoPolicy = async (): Promise<Policy> =>
    parsePolicy(await readFile('demo/demo-policy.json', 'utf8'), 'demo/demo-policy.json', now).policy;
  return {
    demoPolicy,
    /** Serves `dir` (the demo by default) with the given realism. */
    async start(realism?: RealismConfig, dir = DEMO_DIR): Promise<RunningSimulator> {
      const sim = await startSimulator({ dir, ...(realism ? { realism } : {}) });
      cleanup.push(() => sim.close());
      return sim;
    },
    /** Collects `sources` from the simulator through the production clients, under the demo policy. */
    async collect(
      sim: RunningSimulator,
      sources: readonly SourceId[],
      options: CollectOptions = {},
    ): Promise<Snapshot> {
      const created = simulatorClients(
        sim,
        options.exchangePageSize !== undefined ? { exchangePageSize: options.exchangePageSize } : {},
      );
      cleanup.push(created.close);
      const graph = created.clients.graph;
      const clients = graph && options.graph ? { ...created.clients, graph: options.graph(graph) } : created.clients;
      const collector = liveCollector({
        mode: 'simulate',
        tenantId: sim.tenantId,
        clientId: sim.credentials.clientId,
        clients,
        extraDomains: [],
        now: () => now,
      });
      return collector.collect({
        sources: new Set(sources),
        policy: await demoPolicy(),
        logger: options.logger ?? silentLogger,
      });
    },
  };
}
