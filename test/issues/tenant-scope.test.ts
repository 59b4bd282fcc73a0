import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/evaluate/fingerprint.js';
import { parseFingerprint } from '../../src/issues/marker.js';
import { createOctokit, octokitIssuesApi } from '../../src/issues/octokit-issues-api.js';
import { syncIssues, type SyncSettings } from '../../src/issues/sync.js';
import { memoryLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import type { Report } from '../../src/report/report.js';
import { tenantLabel } from '../../src/report/tenant-label.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { demoPolicy, report, result, users, shown } from './report-fixture.js';
import { FAST_PACING as FAST } from '../helpers/fast-issues-client.js';

const REPO = { owner: 'msp', repo: 'customers' };
const FABRIKAM_ID = '0b5d7a1e-3c2f-4e6a-9d8b-7f1e2c3a4b5c';
const CONTOSO = tenantLabel(null, 'Contoso');
const FABRIKAM = tenantLabel(FABRIKAM_ID, 'Fabrikam');

let f: FakeGitHub | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

/** The same results in another tenant: same targets, other fingerprints (they hash the tenant ID). */
function inFabrikam(rep: Report): Report {
  const results = rep.results.map(
    (r): Result => ({ ...r, fingerprint: fingerprint(r.control, FABRIKAM_ID, r.target) }),
  );
  return {
    ...rep,
    run: { ...rep.run, tenantId: FABRIKAM_ID },
    snapshot: { ...rep.snapshot, tenantId: FABRIKAM_ID },
    results,
  };
}

async function sync(fake: FakeGitHub, rep: Report, settings: Partial<SyncSettings> = {}) {
  const logger = memoryLogger();
  const api = octokitIssuesApi(
    createOctokit({ token: 'test-token', baseUrl: fake.apiUrl, logger, pacing: FAST }),
    REPO,
  );
  return syncIssues(
    api,
    shown(rep),
    demoPolicy(),
    {
      mode: 'on',
      repo: REPO,
      labels: [],
      maxNewIssues: 20,
      dashboard: true,
      ...settings,
    },
    { logger, now: () => new Date() },
  );
}

const issuesOf = (fake: FakeGitHub, tenant: string) =>
  [...fake.issues.values()].filter((i) => i.labels.includes(tenant));
const open = (fake: FakeGitHub, tenant: string) => issuesOf(fake, tenant).filter((i) => i.state === 'open');

describe('two tenants syncing into one repository', () => {
  it("label their own issues and dashboards, never close or update the other's, and each rerun writes nothing", async () => {
    f = await startFakeGitHub({ owner: 'msp', repo: 'customers' });
    const fake = f;
    const contoso = report(users(3));
    const fabrikam = inFabrikam(report(users(2)));

    await sync(fake, contoso, { tenant: CONTOSO });
    await sync(fake, fabrikam, { tenant: FABRIKAM });
    // Three findings + a dashboard for Contoso, two + a dashboard for Fabrikam; each pinned.
    expect(open(fake, CONTOSO)).toHaveLength(4);
    expect(open(fake, FABRIKAM)).toHaveLength(3);
    expect(issuesOf(fake, CONTOSO).filter((i) => i.labels.includes(FABRIKAM))).toEqual([]);
    expect(
      [...fake.issues.values()]
        .map((i) => i.title)
        .filter((t) => t.startsWith('[mailwarden] Dashboard'))
        .sort(),
    ).toEqual(['[mailwarden] Dashboard (contoso)', '[mailwarden] Dashboard (fabrikam)']);
    expect(fake.pinned).toHaveLength(2);
    expect(fake.labels.has('tenant:contoso') && fake.labels.has('tenant:fabrikam')).toBe(true);

    // Reruns of each, in turn: zero writes.
    for (const [rep, tenant] of [
      [contoso, CONTOSO],
      [fabrikam, FABRIKAM],
      [contoso, CONTOSO],
    ] as const) {
      const mark = fake.requests.length;
      const again = await sync(fake, rep, { tenant });
      expect(again.plan.operations, tenant).toEqual([]);
      expect(fake.writes(mark), tenant).toEqual([]);
    }

    // Contoso fixes everything: only Contoso's issues close; Fabrikam's stay open and untouched.
    const fabrikamBefore = JSON.stringify(issuesOf(fake, FABRIKAM));
    const fixed = report(users(3).map((r) => result({ target: r.target, status: 'pass' })));
    const closing = await sync(fake, fixed, { tenant: CONTOSO });
    expect(closing.closed).toBe(3);
    expect(open(fake, CONTOSO).map((i) => i.title)).toEqual(['[mailwarden] Dashboard (contoso)']);
    expect(JSON.stringify(issuesOf(fake, FABRIKAM))).toBe(fabrikamBefore);

    // A run with no tenant label (a single-tenant setup) leaves both tenants' issues alone.
    const mark = fake.requests.length;
    const single = await sync(fake, report([]), { dashboard: false });
    expect(single.plan.operations).toEqual([]);
    expect(fake.writes(mark)).toEqual([]);
  });

  it("gives each tenant its own rollup past max-new-issues; the other tenant's rollup never stands in for it", async () => {
    f = await startFakeGitHub({ owner: 'msp', repo: 'customers' });
    const fake = f;
    await sync(fake, report(users(3)), { tenant: CONTOSO, maxNewIssues: 1, dashboard: false });
    await sync(fake, inFabrikam(report(users(3))), { tenant: FABRIKAM, maxNewIssues: 1, dashboard: false });
    const rollups = [...fake.issues.values()].filter((i) => i.body?.includes('<!-- mailwarden:rollup -->'));
    expect(rollups.map((i) => [i.title, i.labels.filter((l) => l.startsWith('tenant:'))]).sort()).toEqual([
      ['[mailwarden] Findings waiting for an issue (contoso)', ['tenant:contoso']],
      ['[mailwarden] Findings waiting for an issue (fabrikam)', ['tenant:fabrikam']],
    ]);
    expect(rollups.every((i) => i.state === 'open')).toBe(true);
  });

  it("adopts a tenant's issues opened before the label was configured, without duplicates", async () => {
    f = await startFakeGitHub({ owner: 'msp', repo: 'customers' });
    const fake = f;
    const contoso = report(users(2));
    await sync(fake, contoso, { dashboard: false });
    expect(fake.issues.size).toBe(2);
    // Another tenant's old, unlabelled issue: its fingerprint is not ours, so it is left alone.
    const foreign = fake.seed({
      title: 'old',
      body: `<!-- mailwarden:fingerprint=${'f'.repeat(32)} -->`,
      labels: ['mailwarden'],
    });
    const labelled = await sync(fake, contoso, { tenant: CONTOSO, dashboard: false });
    expect(labelled.plan.operations.map((o) => o.kind)).toEqual(['update', 'update']);
    expect(fake.issues.size).toBe(3);
    expect(
      issuesOf(fake, CONTOSO)
        .map((i) => parseFingerprint(i.body))
        .sort(),
    ).toEqual(contoso.results.map((r) => r.fingerprint).sort());
    expect(fake.issues.get(foreign.number)?.labels).toEqual(['mailwarden']);
    const mark = fake.requests.length;
    await sync(fake, contoso, { tenant: CONTOSO, dashboard: false });
    expect(fake.writes(mark)).toEqual([]);
  });

  it('keeps existing single-tenant repositories unchanged: no tenant label, the usual dashboard title', async () => {
    f = await startFakeGitHub({ owner: 'msp', repo: 'customers' });
    const fake = f;
    await sync(fake, report(users(1)));
    expect([...fake.issues.values()].map((i) => i.title).sort()).toEqual([
      '[mailwarden] Dashboard',
      '[mailwarden] MFA registration coverage: user000@contosohealth.example',
    ]);
    expect([...fake.labels].some((l) => l.startsWith('tenant:'))).toBe(false);
  });
});
