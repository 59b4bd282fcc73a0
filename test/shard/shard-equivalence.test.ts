import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { DEMO_POLICY_PATH } from '../../src/paths.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import type { Report } from '../../src/report/report.js';
import { runAudit } from '../../src/run/run-audit.js';
import type { Settings } from '../../src/run/settings.js';
import { isShardedControl, SHARD_SCOPE_SOURCES, SHARDED_SOURCES, type Shard } from '../../src/snapshot/shard.js';
import { CONTROLS } from '../../src/controls/catalog.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator.js';
import { simulatorClients, simulatorLiveCollector } from '../helpers/simulator-clients.js';

/**
 * Sharding end to end: each shard audits the simulated tenant over HTTP with the production
 * clients (real login, $batch, InvokeCommand), and merging the partial reports gives exactly
 * the verdicts of the unsharded run.
 */
const TENANT = 'demo/contoso-health';
const NOW = new Date('2026-11-27T06:00:00Z');

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ dir: TENANT });
});
afterAll(async () => {
  await sim.close();
});

async function audit(shard?: Shard): Promise<{ report: Report; outlook: number }> {
  const created = simulatorClients(sim);
  const before = sim.stats().requests.outlook;
  try {
    const settings: Settings = {
      policyPath: DEMO_POLICY_PATH,
      target: { kind: 'demo' },
      saveSnapshotDir: undefined,
      only: undefined,
      reportJsonPath: undefined,
      summaryMarkdownPath: undefined,
      failOn: 'none',
      debug: false,
      ...(shard ? { shard } : {}),
    };
    const collector = simulatorLiveCollector(sim, created, NOW);
    const outcome = await runAudit(settings, { logger: silentLogger, now: () => NOW, collector });
    return { report: outcome.report, outlook: sim.stats().requests.outlook - before };
  } finally {
    await created.close();
  }
}

const verdicts = (report: Report) =>
  report.results.map((r) => `${r.control} ${r.target} ${r.status} ${r.severity} ${r.fingerprint}`).sort();

describe('sharded audit through the simulator', () => {
  let whole: { report: Report; outlook: number };
  const partials = new Map<number, { file: string; report: Report }[]>();
  beforeAll(async () => {
    whole = await audit();
  });

  for (const count of [1, 3, 8]) {
    it(`merging ${count} shard${count > 1 ? 's' : ''} gives the unsharded verdicts`, async () => {
      const parts: { file: string; report: Report }[] = [];
      let outlook = 0;
      for (let index = 1; index <= count; index++) {
        const part = await audit({ index, count });
        expect(part.report.snapshot.shard).toEqual({ index, count });
        outlook += part.outlook;
        if (index > 1) {
          // Shards after the first read only the per-mailbox sources, what scopes them, and what
          // the per-mailbox controls judge their mailboxes with; and judge only those controls.
          const sharded = CONTROLS.filter((c) => isShardedControl(c.sources));
          const judgedWith = new Set(sharded.flatMap((c) => [...c.sources, ...(c.optionalSources ?? [])]));
          for (const id of Object.keys(part.report.snapshot.sources)) {
            expect(
              SHARDED_SOURCES.has(id as never) || SHARD_SCOPE_SOURCES.has(id as never) || judgedWith.has(id as never),
              id,
            ).toBe(true);
          }
          expect(part.report.controls.map((c) => c.control).sort()).toEqual(
            sharded
              .map((c) => c.id)
              .filter((id) => whole.report.controls.some((c) => c.control === id))
              .sort(),
          );
        }
        parts.push({ file: `shard-${index}.json`, report: part.report });
      }
      partials.set(count, parts);
      // Every mailbox's rules were read once, by exactly one shard; each shard asks once whether
      // it may read folder names (graph.mailFolders), so the extra shards add one request each.
      expect(outlook).toBe(whole.outlook + (count - 1));
      const merged = mergeReports(parts);
      expect(verdicts(merged)).toEqual(verdicts(whole.report));
      expect(merged.summary).toEqual(whole.report.summary);
      // Reasons carry request IDs, which differ from run to run.
      const outcomes = (r: Report) => r.controls.map((c) => `${c.control} ${c.status}`);
      expect(outcomes(merged)).toEqual(outcomes(whole.report));
    });
  }

  it('keeps a failed shard as an error, never as a pass', async () => {
    const parts = partials.get(3);
    if (!parts) throw new Error('the 3-shard case did not run');
    const broken = parts.map((p, i) =>
      i !== 2
        ? p
        : {
            ...p,
            report: {
              ...p.report,
              results: p.report.results.map((r) =>
                r.control === 'forwarding.concealment-rules'
                  ? { ...r, status: 'error' as const, message: 'rules unreadable' }
                  : r,
              ),
            },
          },
    );
    const merged = mergeReports(broken);
    const concealment = merged.results.filter((r) => r.control === 'forwarding.concealment-rules');
    expect(concealment.some((r) => r.status === 'error')).toBe(true);
    expect(concealment.some((r) => r.status === 'pass')).toBe(false);
  });
});
