import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { DEMO_POLICY_PATH } from '../../src/paths.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import type { Report } from '../../src/report/report.js';
import { tenantLabel } from '../../src/report/tenant-label.js';
import { runAudit } from '../../src/run/run-audit.js';
import { startSimulator } from '../../src/simulator/start-simulator.js';
import { simulatorClients, simulatorLiveCollector } from '../helpers/simulator-clients.js';
import { tempDir } from '../helpers/temp.js';

const NOW = new Date('2026-11-27T06:00:00Z');
const OTHER_TENANT = '0b5d7a1e-3c2f-4e6a-9d8b-7f1e2c3a4b5c';

/** The demo tenant under another tenant ID: the same mailboxes, rules and findings, another customer. */
async function secondTenant(): Promise<string> {
  const dir = path.join(await tempDir(), 'fabrikam');
  await cp('demo/contoso-health', dir, { recursive: true });
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, unknown>;
  await writeFile(manifestFile, JSON.stringify({ ...manifest, tenantId: OTHER_TENANT }));
  return dir;
}

async function auditOver(dir: string): Promise<Report> {
  const sim = await startSimulator({ dir });
  const created = simulatorClients(sim);
  try {
    const collector = simulatorLiveCollector(sim, created, NOW);
    const settings = {
      policyPath: DEMO_POLICY_PATH,
      target: { kind: 'demo' as const },
      saveSnapshotDir: undefined,
      only: ['forwarding' as const, 'mfa' as const],
      reportJsonPath: undefined,
      summaryMarkdownPath: undefined,
      failOn: 'none' as const,
      debug: false,
    };
    return (await runAudit(settings, { logger: silentLogger, now: () => NOW, collector })).report;
  } finally {
    await created.close();
    await sim.close();
  }
}

describe('several tenants from one workflow', () => {
  it('gives the same finding in two simulated tenants two fingerprints and two tenant labels, and never merges them', async () => {
    const [contoso, fabrikam] = await Promise.all([auditOver('demo/contoso-health'), auditOver(await secondTenant())]);
    expect(contoso.run.tenantId).not.toBe(fabrikam.run.tenantId);
    const key = (r: Report['results'][number]) => `${r.control} ${r.target} ${r.status}`;
    // The same tenant data gives the same verdicts...
    expect(fabrikam.results.map(key).sort()).toEqual(contoso.results.map(key).sort());
    expect(contoso.results.some((r) => r.status === 'fail')).toBe(true);
    // ...under fingerprints (issue keys) that never collide.
    const contosoPrints = new Set(contoso.results.map((r) => r.fingerprint));
    expect(fabrikam.results.filter((r) => contosoPrints.has(r.fingerprint))).toEqual([]);
    expect(tenantLabel(contoso.run.tenantId)).not.toBe(tenantLabel(fabrikam.run.tenantId));
    expect(tenantLabel(fabrikam.run.tenantId, 'Fabrikam Health')).toBe('tenant:fabrikam-health');
    // Partial reports of different tenants are refused, never combined.
    expect(() =>
      mergeReports([
        { file: 'contoso.json', report: contoso },
        { file: 'fabrikam.json', report: fabrikam },
      ]),
    ).toThrow(/has tenant/);
  });
});
