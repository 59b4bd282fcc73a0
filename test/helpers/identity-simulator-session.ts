import { afterEach } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { RealismConfig } from '../../src/simulator/realism.js';
import { type RunningSimulator, startSimulator } from '../../src/simulator/start-simulator.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import { writeSnapshotFolder } from '../../src/snapshot/write-folder.js';
import { type IdentityTenant, identityPolicyText, tenantSnapshot } from './identity-tenant.js';
import { simulatorClients, simulatorLiveCollector } from './simulator-clients.js';
import { tempDir } from './temp.js';

/**
 * An identity tenant (test/helpers/identity-tenant.ts) served by the simulator, read back through
 * the production collectors over HTTP and judged under the identity policy, at a fixed clock.
 * Everything started is closed after each test, last first.
 */
export function identitySimulatorSession(now: Date, sources: readonly SourceId[]) {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });
  const policy = () => parsePolicy(identityPolicyText(), 'identity.json', now).policy;
  return {
    /** Runs `step` after the test, before anything started earlier is closed. */
    defer(step: () => Promise<void>): void {
      cleanup.push(step);
    },
    /** Writes the tenant (with P2 licences) as a snapshot folder and serves it. */
    async serve(t: IdentityTenant, realism?: RealismConfig): Promise<RunningSimulator> {
      const dir = await tempDir();
      await writeSnapshotFolder(dir, tenantSnapshot({ ...t, p2: true }));
      const sim = await startSimulator({ dir, ...(realism ? { realism } : {}) });
      cleanup.push(() => sim.close());
      return sim;
    },
    /** Collects the session's sources from the simulator through the production clients. */
    async collect(sim: RunningSimulator): Promise<Snapshot> {
      const created = simulatorClients(sim);
      cleanup.push(created.close);
      return simulatorLiveCollector(sim, created, now).collect({
        sources: new Set(sources),
        policy: policy(),
        logger: silentLogger,
      });
    },
    async judge(snapshot: Snapshot): Promise<readonly Result[]> {
      return (await evaluate(snapshot, policy(), { now, domains: [] })).results;
    },
  };
}
