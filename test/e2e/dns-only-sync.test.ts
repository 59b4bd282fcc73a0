import { afterAll, describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { createCollector } from '../../src/entry/create-collector.js';
import { simulatorCollector } from '../../src/entry/simulator-collector.js';
import { isDashboard, parseFingerprint } from '../../src/issues/marker.js';
import { createOctokit, octokitIssuesApi } from '../../src/issues/octokit-issues-api.js';
import { memoryLogger, silentLogger } from '../../src/logger.js';
import { DEMO_TENANT_DIR } from '../../src/paths.js';
import { parseHistory } from '../../src/report/history.js';
import type { IssuesClientFactory } from '../../src/run/publish-report.js';
import { runAudit } from '../../src/run/run-audit.js';
import { startSimulator } from '../../src/simulator/start-simulator.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/github-server.js';

/*
 * Modes reconcile only what they ran. One repository holds the issues of the nightly tenant
 * audit; a DNS-only audit of the same domains then runs against it (the README's one-minute path).
 * It must leave every tenant issue as it is, agree with the tenant run on the domain findings'
 * keys, and keep the dashboard's areas it did not audit.
 */

const NOW = new Date('2026-12-04T09:00:00Z');
const env = { GITHUB_TOKEN: 'test-token' };
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

function issuesClient(): IssuesClientFactory {
  return (s) =>
    octokitIssuesApi(
      createOctokit({
        token: s.token,
        baseUrl: s.apiUrl,
        logger: silentLogger,
        pacing: { writeMs: 0, notificationMs: 0, retryBaseMs: 1 },
      }),
      s.repo,
    );
}

const issueFlags = (fake: FakeGitHub) => [
  '--fail-on',
  'none',
  '--issues',
  'on',
  '--max-new-issues',
  '200',
  '--repo',
  'contoso/it-audit',
  '--github-api-url',
  fake.apiUrl,
];

describe('a tenant sync, then a DNS-only sync in the same repository', () => {
  it('writes nothing to the tenant issues, shares the domain findings keys, and keeps the dashboard areas', async () => {
    const fake = await startFakeGitHub();
    closers.push(() => fake.close());

    // The nightly tenant audit (the demo, through the simulator), syncing its issues.
    const tenantCollector = simulatorCollector({ dir: DEMO_TENANT_DIR, logger: silentLogger, now: () => NOW });
    const tenant = await runAudit(auditSettings(['--demo', ...issueFlags(fake)], env), {
      logger: memoryLogger(),
      now: () => NOW,
      collector: tenantCollector,
      issuesClient: issuesClient(),
    }).finally(() => tenantCollector.close?.());
    expect(tenant.issuesError).toBeUndefined();
    const findingIssues = () => [...fake.issues.values()].filter((i) => parseFingerprint(i.body) !== undefined);
    const before = new Map(findingIssues().map((i) => [i.number, JSON.stringify(i)]));
    expect(before.size).toBeGreaterThan(50);
    const dashboard = [...fake.issues.values()].find((i) => isDashboard(i.body));
    const tenantDay = parseHistory(dashboard?.body).history.days.at(-1);
    expect(tenantDay?.a.mfa?.[1]).toBeGreaterThan(0);

    // The DNS-only audit of the same domains, asking the simulated tenant's DNS server.
    const sim = await startSimulator({ dir: DEMO_TENANT_DIR, servedAt: NOW });
    closers.push(() => sim.close());
    const domains = tenant.report.snapshot.domains ?? [];
    expect(domains.length).toBeGreaterThan(2);
    const settings = auditSettings(
      [
        '--domains',
        domains.join(','),
        '--dns-server',
        `${sim.dns.host}:${sim.dns.port}`,
        '--policy',
        'demo/demo-policy.json',
        ...issueFlags(fake),
      ],
      env,
    );
    const since = fake.requests.length;
    const dnsOnly = await runAudit(settings, {
      logger: memoryLogger(),
      now: () => NOW,
      collector: createCollector(settings.target, settings.dns, { logger: silentLogger, now: () => NOW }),
      issuesClient: issuesClient(),
    });
    expect(dnsOnly.issuesError).toBeUndefined();
    expect(dnsOnly.report.run.mode).toBe('dns-only');
    // dkim.signing needs Exchange: absent from a DNS-only run, not an error.
    expect(dnsOnly.report.controls.map((c) => c.control)).not.toContain('dkim.signing');
    expect(dnsOnly.report.results.filter((r) => r.control === 'dkim.signing')).toEqual([]);

    // The same domain finding has the same key in both modes.
    const tenantKeys = new Set(tenant.report.results.filter((r) => r.area === 'email-auth').map((r) => r.fingerprint));
    const failing = dnsOnly.report.results.filter((r) => r.status === 'fail');
    expect(failing.length).toBeGreaterThan(5);
    for (const r of failing) expect(tenantKeys.has(r.fingerprint), `${r.control} ${r.target}`).toBe(true);

    // No write to any finding issue: no close, no recreate, no comment.
    const dashboardNumber = dashboard?.number;
    const writes = fake.writes(since).filter((w) => !w.path.endsWith(`/issues/${dashboardNumber}`));
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([]);
    expect(new Map(findingIssues().map((i) => [i.number, JSON.stringify(i)]))).toEqual(before);
    expect(dnsOnly.issues?.plan.operations).toEqual([]);

    // The dashboard keeps the areas the DNS-only run did not audit, with the tenant run's counts.
    const after = [...fake.issues.values()].find((i) => isDashboard(i.body));
    const day = parseHistory(after?.body).history.days.at(-1);
    for (const area of ['mfa', 'forwarding', 'legacy-auth', 'sign-ins'] as const)
      expect(day?.a[area], area).toEqual(tenantDay?.a[area]);
    expect(after?.body).toContain('| MFA coverage (as of 2026-12-04, not audited by this run) |');
  });
});
