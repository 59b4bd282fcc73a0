import { cp, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { folderCollector } from '../../src/collect/folder-collector.js';
import { planDashboard } from '../../src/issues/dashboard.js';
import type { ExistingIssue } from '../../src/issues/existing-issue.js';
import { shown } from './report-fixture.js';
import { BODY_LIMIT } from '../../src/issues/render.js';
import { memoryLogger } from '../../src/logger.js';
import { DEMO_POLICY_PATH, DEMO_TENANT_DIR } from '../../src/paths.js';
import { dayEntry, parseHistory, renderHistoryBlock, withDay, type History } from '../../src/report/history.js';
import { DASHBOARD_MARKER } from '../../src/report/summary-markdown.js';
import { runAudit, type RunOutcome } from '../../src/run/run-audit.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { mermaidBlocks, xychartParser } from '../helpers/mermaid.js';
import { tempDir } from '../helpers/temp.js';
import { report as fixtureReport, users } from './report-fixture.js';
import { fastIssuesClient } from '../helpers/fast-issues-client.js';

const GOLDEN_DIR = 'test/fixtures/dashboard';
const UPDATE = process.env.UPDATE_GOLDEN === '1';

let f: FakeGitHub | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

let parse: Awaited<ReturnType<typeof xychartParser>>;
beforeAll(async () => {
  parse = await xychartParser();
});

type Json = Record<string, unknown>;

/**
 * A copy of the demo tenant captured on `day`, changed by `mutate`. Only the capture time moves:
 * from 2026-11-29 on, the copy's sign-ins lie outside the look-back window, so the sign-in
 * detectors report `error` (an empty window concludes nothing) rather than passing.
 */
async function demoOn(day: string, mutate?: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(await tempDir(), 'tenant');
  await cp(DEMO_TENANT_DIR, dir, { recursive: true });
  const manifestPath = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Json;
  await writeFile(manifestPath, JSON.stringify({ ...manifest, capturedAt: `${day}T06:00:00.000Z` }, null, 2));
  await mutate?.(dir);
  return dir;
}

async function editJson(file: string, edit: (value: Json) => Json): Promise<void> {
  await writeFile(file, JSON.stringify(edit(JSON.parse(await readFile(file, 'utf8')) as Json), null, 2));
}

const everyoneRegistered = (dir: string) =>
  editJson(path.join(dir, 'graph/userRegistrationDetails.json'), (v) => ({
    ...v,
    value: (v.value as Json[]).map((u) => ({ ...u, isMfaRegistered: true, isMfaCapable: true })),
  }));

const noP1Licence = (dir: string) =>
  editJson(path.join(dir, 'manifest.json'), (m) => ({
    ...m,
    licences: { ...(m.licences as Json), 'entra-id-p1': false },
    sources: {
      ...(m.sources as Json),
      'graph.userRegistrationDetails': {
        status: 'not_licensed',
        licence: 'entra-id-p1',
        reason: 'The tenant has no Microsoft Entra ID P1 licence',
      },
    },
  }));

/** The demo policy with an exception for MFA registration that runs out on `expires`. */
async function policyWithException(expires: string): Promise<string> {
  const dir = await tempDir();
  const file = path.join(dir, 'policy.json');
  const policy = JSON.parse(await readFile(DEMO_POLICY_PATH, 'utf8')) as Json;
  await writeFile(
    file,
    JSON.stringify(
      {
        ...policy,
        exceptions: [
          {
            control: 'mfa.registration',
            target: 'tenant',
            reason: 'Registration campaign under way',
            approvedBy: 'CISO',
            expires,
          },
        ],
      },
      null,
      2,
    ),
  );
  return file;
}

async function runDemo(
  fake: FakeGitHub,
  day: string,
  tenantDir: string,
  policy = DEMO_POLICY_PATH,
): Promise<RunOutcome> {
  const settings = auditSettings(
    [
      '--snapshot',
      tenantDir,
      '--policy',
      policy,
      '--fail-on',
      'none',
      '--issues',
      'on',
      '--max-new-issues',
      '100',
      '--repo',
      'contoso/it-audit',
      '--github-api-url',
      fake.apiUrl,
    ],
    { GITHUB_TOKEN: 'test-token' },
  );
  const issuesClient = fastIssuesClient();
  const outcome = await runAudit(settings, {
    logger: memoryLogger(),
    now: () => new Date(`${day}T12:00:00Z`),
    collector: folderCollector(tenantDir, () => new Date(`${day}T12:00:00Z`)),
    issuesClient,
  });
  expect(outcome.issuesError).toBeUndefined();
  return outcome;
}

function dashboardOf(fake: FakeGitHub) {
  const found = [...fake.issues.values()].filter((i) => i.body?.startsWith(DASHBOARD_MARKER));
  expect(found).toHaveLength(1);
  return found[0]!;
}

async function golden(name: string, body: string): Promise<void> {
  const file = path.join(GOLDEN_DIR, `${name}.md`);
  if (UPDATE) {
    await mkdir(GOLDEN_DIR, { recursive: true });
    await writeFile(file, body);
  }
  expect(body).toBe(await readFile(file, 'utf8'));
}

function failingMfa(history: History): number[] {
  return history.days.map((d) => d.a.mfa?.[1] ?? -1);
}

describe('dashboard issue over a sequence of demo runs', () => {
  it('tracks first run, fix, regression, exception, expired exception and licence gap; one write a run at most', async () => {
    f = await startFakeGitHub({ htmlBase: 'https://github.com' });
    const fake = f;
    const steps: [string, string, () => Promise<RunOutcome>][] = [
      ['1-first-run', '2026-11-27', async () => runDemo(fake, '2026-11-27', await demoOn('2026-11-27'))],
      [
        '2-fixes',
        '2026-11-28',
        async () => runDemo(fake, '2026-11-28', await demoOn('2026-11-28', everyoneRegistered)),
      ],
      ['3-regression', '2026-11-29', async () => runDemo(fake, '2026-11-29', await demoOn('2026-11-29'))],
      [
        '4-exception',
        '2026-11-30',
        async () => runDemo(fake, '2026-11-30', await demoOn('2026-11-30'), await policyWithException('2026-11-30')),
      ],
      [
        '5-exception-expired',
        '2026-12-01',
        async () => runDemo(fake, '2026-12-01', await demoOn('2026-12-01'), await policyWithException('2026-11-30')),
      ],
      ['6-licence-gap', '2026-12-02', async () => runDemo(fake, '2026-12-02', await demoOn('2026-12-02', noP1Licence))],
    ];
    const mfaFailing: number[] = [];
    const registration: string[] = [];
    for (const [name, day, step] of steps) {
      const mark = fake.requests.length;
      const outcome = await step();
      const dashboard = dashboardOf(fake);
      const dashboardWrites = fake.requests
        .slice(mark)
        .filter(
          (r) =>
            r.status < 300 &&
            ((r.method === 'PATCH' && r.path.endsWith(`/issues/${dashboard.number}`)) ||
              (r.method === 'POST' && (r.body as Json | null)?.title === '[mailwarden] Dashboard')),
        );
      expect(dashboardWrites.length, name).toBeLessThanOrEqual(1);
      const body = dashboard.body ?? '';
      expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
      // The trend reflects each step: one entry per day, today's numbers from this run.
      const { history, status } = parseHistory(body);
      expect(status).toBe('ok');
      expect(history.days.at(-1)?.d).toBe(day);
      expect(history.days.at(-1)?.a.mfa).toEqual([
        outcome.report.summary.byArea.mfa.pass,
        outcome.report.summary.byArea.mfa.fail,
        outcome.report.summary.byArea.mfa.excepted,
        outcome.report.summary.byArea.mfa.error,
        outcome.report.summary.byArea.mfa.not_evaluable,
      ]);
      mfaFailing.push(outcome.report.summary.byArea.mfa.fail);
      registration.push(outcome.report.results.find((r) => r.control === 'mfa.registration')?.status ?? 'missing');
      expect(failingMfa(history)).toEqual(mfaFailing);
      // The job summary carries the same headline table and chart.
      expect(outcome.summaryMarkdown).toContain(body.split('### Posture\n\n')[1]?.split('\n\n')[0] ?? 'missing');
      for (const chart of mermaidBlocks(body)) expect(() => parse(chart)).not.toThrow();
      expect(mermaidBlocks(outcome.summaryMarkdown).length).toBeGreaterThan(0);
      await golden(name, body);
    }
    // Fix → MFA passes; regression fails again; the exception excepts it; expiry fails it again;
    // the licence gap makes it not evaluable (and never closes its issue).
    const mfa = parseHistory(dashboardOf(fake).body).history.days.map((d) => d.a.mfa);
    const [first] = mfa;
    expect(registration).toEqual(['fail', 'pass', 'fail', 'excepted', 'fail', 'not_evaluable']);
    expect(mfa[1]?.[1]).toBe((first?.[1] ?? 0) - 1);
    expect(mfa[2]).toEqual(first);
    expect([mfa[3]?.[1], mfa[3]?.[2]]).toEqual([(first?.[1] ?? 0) - 1, (first?.[2] ?? 0) + 1]);
    expect(mfa[4]).toEqual(first);
    expect(mfa[5]?.[4]).toBeGreaterThan(first?.[4] ?? 0);
    expect(dashboardOf(fake).body).toMatch(/userRegistrationDetails.*not_licensed.*Microsoft Entra ID P1 licence/);

    // A rerun on the same day with nothing changed writes nothing at all.
    const mark = fake.requests.length;
    await runDemo(fake, '2026-12-02', await demoOn('2026-12-02', noP1Licence));
    expect(fake.writes(mark)).toEqual([]);
    // Pinned once, by the first run, over the whole sequence.
    expect(fake.requests.filter((r) => r.operation === 'graphql/mutation')).toHaveLength(1);
    expect(fake.pinned).toEqual([dashboardOf(fake).number]);
  });

  it('a corrupt or hand-edited history block is reported in the job summary and restarted, never a crash', async () => {
    f = await startFakeGitHub({ htmlBase: 'https://github.com' });
    const fake = f;
    await runDemo(fake, '2026-11-27', await demoOn('2026-11-27'));
    const dashboard = dashboardOf(fake);
    dashboard.body = (dashboard.body ?? '').replace(
      /<!-- mailwarden:history=.*-->/,
      '<!-- mailwarden:history={"v":1,"days":[{"d":"2026-11-27","a":"hand edited"}]} -->',
    );
    const outcome = await runDemo(fake, '2026-11-28', await demoOn('2026-11-28'));
    expect(outcome.issues?.dashboard?.historyStatus).toBe('corrupt');
    expect(outcome.summaryMarkdown).toMatch(/history .*corrupt/i);
    expect(parseHistory(dashboardOf(fake).body).history.days.map((d) => d.d)).toEqual(['2026-11-28']);
    for (const broken of [
      '<!-- mailwarden:history={not json -->',
      '<!-- mailwarden:history={"v":9,"days":[]} -->',
      '',
    ]) {
      expect(parseHistory(`x\n${broken}\n`).status).toBe(broken === '' ? 'missing' : 'corrupt');
    }
  });

  it('trims the history oldest-first to stay within 65,536 characters', () => {
    const rep = fixtureReport(users(3), { capturedAt: '2036-01-01T06:00:00.000Z' });
    let history: History = { v: 1, days: [] };
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 3650; i++) {
      const d = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
      history = withDay(history, { ...dayEntry(rep, [1000 + i], [2000 + i]), d });
    }
    const current: ExistingIssue = {
      number: 1,
      title: '[mailwarden] Dashboard',
      body: `${DASHBOARD_MARKER}\n${renderHistoryBlock(history)}\n`,
      state: 'open',
      stateReason: null,
      labels: ['mailwarden'],
      htmlUrl: 'https://github.com/contoso/it-audit/issues/1',
      createdAt: '2026-01-01T00:00:00Z',
      closedAt: null,
    };
    const plan = planDashboard(
      { report: shown(rep), policy: { exceptions: [] }, issues: [current], opened: [], closed: [] },
      current,
    );
    expect(plan.body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(plan.trimmedDays).toBeGreaterThan(0);
    expect(plan.history.days.at(-1)?.d).toBe('2036-01-01');
    const kept = plan.history.days.length;
    // Oldest first: what is kept is the newest run of consecutive days, and one more would not fit.
    expect((plan.history.days[0]?.d ?? '') > (history.days[0]?.d ?? '')).toBe(true);
    expect(kept + plan.trimmedDays).toBe(history.days.length + 1);
    expect(parseHistory(plan.body).history.days).toHaveLength(kept);
  });

  it('the Mermaid parser rejects a broken chart (so the chart check can fail)', () => {
    expect(() => parse('xychart-beta\n  x-axis ["a", "b"]\n  line [1, 2')).toThrow();
  });
});
