import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeApi } from '../../src/collect/exchange/exchange-api.js';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import { silentLogger } from '../../src/logger.js';
import { DEMO_POLICY_PATH } from '../../src/paths.js';
import type { Report } from '../../src/report/report.js';
import { runAudit } from '../../src/run/run-audit.js';
import type { Settings } from '../../src/run/settings.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator.js';
import { simulatorClients } from '../helpers/simulator-clients.js';
import { tempDir } from '../helpers/temp.js';

/**
 * The sign-in log is read while the late sources (DNS, hidden inbox rules) are collected, so
 * the identity-reports family, the run's floor, never waits on them. The Exchange client here
 * holds back `Get-InboxRule` until the simulator has served every identity-reports request the
 * run makes (counted by a run that saves a snapshot, which reads the log only after
 * collection): that can happen only if the sign-in log is read before collection ends.
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

function settings(saveSnapshotDir?: string): Settings {
  return {
    policyPath: DEMO_POLICY_PATH,
    target: { kind: 'demo' },
    saveSnapshotDir,
    only: undefined,
    reportJsonPath: undefined,
    summaryMarkdownPath: undefined,
    failOn: 'none',
    debug: false,
  };
}

async function audit(
  saveSnapshotDir: string | undefined,
  wrap?: (exchange: ExchangeApi) => ExchangeApi,
): Promise<{ report: Report; reports: number }> {
  const created = simulatorClients(sim);
  const before = sim.stats().requests.reports;
  try {
    const exchange = created.clients.exchange && wrap ? wrap(created.clients.exchange) : created.clients.exchange;
    const clients = { ...created.clients, ...(exchange ? { exchange } : {}) };
    const collector = liveCollector({
      mode: 'simulate',
      tenantId: sim.tenantId,
      clients,
      extraDomains: [],
      now: () => NOW,
    });
    const outcome = await runAudit(settings(saveSnapshotDir), { logger: silentLogger, now: () => NOW, collector });
    return { report: outcome.report, reports: sim.stats().requests.reports - before };
  } finally {
    await created.close();
  }
}

const verdicts = (report: Report) =>
  report.results.map((r) => `${r.control} ${r.target} ${r.status} ${r.severity} ${JSON.stringify(r.evidence)}`).sort();

describe('the sign-in log is read while late sources are collected', () => {
  it('serves every identity-reports request before hidden rules finish, with the same verdicts', async () => {
    const sequential = await audit(path.join(await tempDir(), 'snapshot'));
    expect(sequential.reports).toBeGreaterThan(1);

    let hiddenRuleCalls = 0;
    let servedFirst = false;
    // Every identity-reports request of the run (registration details and every sign-in page).
    const target = sim.stats().requests.reports + sequential.reports;
    const holdBack = (exchange: ExchangeApi): ExchangeApi => ({
      async invoke(cmdlet, parameters, options) {
        if (cmdlet === 'Get-InboxRule' && hiddenRuleCalls++ === 0) {
          const deadline = Date.now() + 20_000;
          while (!servedFirst && Date.now() < deadline) {
            servedFirst = sim.stats().requests.reports >= target;
            if (!servedFirst) await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
        return exchange.invoke(cmdlet, parameters, options);
      },
    });
    const overlapped = await audit(undefined, holdBack);
    expect(hiddenRuleCalls).toBeGreaterThan(0);
    expect(servedFirst).toBe(true);
    expect(overlapped.reports).toBe(sequential.reports);
    expect(verdicts(overlapped.report)).toEqual(verdicts(sequential.report));
  });
});
