import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { DEMO_POLICY_PATH } from '../../src/paths.js';
import { tenantLabel } from '../../src/report/tenant-label.js';
import { runAudit, type RunOutcome } from '../../src/run/run-audit.js';
import type { IssuesSettings } from '../../src/run/settings.js';
import { startSimulator } from '../../src/simulator/start-simulator.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { simulatorClients, simulatorLiveCollector } from '../helpers/simulator-clients.js';
import { tempDir } from '../helpers/temp.js';
import { fastIssuesClient } from '../helpers/fast-issues-client.js';

/**
 * Two simulated tenants (the demo tenant under two tenant IDs) audited one after the other,
 * each syncing issues into the same repository with its own tenant label.
 */
const NOW = new Date('2026-11-27T06:00:00Z');
const OTHER_TENANT = '0b5d7a1e-3c2f-4e6a-9d8b-7f1e2c3a4b5c';
const issuesClient = fastIssuesClient();

let f: FakeGitHub | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function secondTenant(): Promise<string> {
  const dir = path.join(await tempDir(), 'fabrikam');
  await cp('demo/contoso-health', dir, { recursive: true });
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, unknown>;
  await writeFile(manifestFile, JSON.stringify({ ...manifest, tenantId: OTHER_TENANT }));
  return dir;
}

async function auditAndSync(dir: string, fake: FakeGitHub, tenantName: string): Promise<RunOutcome> {
  const sim = await startSimulator({ dir });
  const created = simulatorClients(sim);
  try {
    const issues: IssuesSettings = {
      mode: 'on',
      repo: { owner: 'contoso', repo: 'it-audit' },
      apiUrl: fake.apiUrl,
      token: 'test-token',
      labels: [],
      maxNewIssues: 100,
      redact: 'never',
      redactKey: undefined,
      tenantName,
    };
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
      issues,
    };
    const outcome = await runAudit(settings, { logger: silentLogger, now: () => NOW, collector, issuesClient });
    expect(outcome.issuesError).toBeUndefined();
    return outcome;
  } finally {
    await created.close();
    await sim.close();
  }
}

describe('two simulated tenants syncing into one repository', () => {
  it("each opens and keeps its own issues; neither closes the other's; each rerun makes zero writes", async () => {
    f = await startFakeGitHub();
    const fake = f;
    const fabrikamDir = await secondTenant();
    const contoso = await auditAndSync('demo/contoso-health', fake, 'contoso');
    const fabrikam = await auditAndSync(fabrikamDir, fake, 'fabrikam');
    const failing = (o: RunOutcome) => o.report.results.filter((r) => r.status === 'fail').length;
    expect(failing(contoso)).toBeGreaterThan(0);
    const of = (tenant: string) =>
      [...fake.issues.values()].filter((i) => i.labels.includes(tenantLabel(null, tenant)));
    // Each tenant: one issue per failing finding plus its dashboard, all open.
    expect(of('contoso').filter((i) => i.state === 'open')).toHaveLength(failing(contoso) + 1);
    expect(of('fabrikam').filter((i) => i.state === 'open')).toHaveLength(failing(fabrikam) + 1);
    expect(fake.issues.size).toBe(failing(contoso) + failing(fabrikam) + 2);

    for (const [dir, name] of [
      ['demo/contoso-health', 'contoso'],
      [fabrikamDir, 'fabrikam'],
    ] as const) {
      const mark = fake.requests.length;
      const again = await auditAndSync(dir, fake, name);
      expect(again.issues?.plan.operations, name).toEqual([]);
      expect(fake.writes(mark), name).toEqual([]);
    }
    expect([...fake.issues.values()].every((i) => i.state === 'open')).toBe(true);
  }, 120_000);
});
