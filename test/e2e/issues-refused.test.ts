import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { simulatorCollector } from '../../src/entry/simulator-collector.js';
import { createOctokit, octokitIssuesApi } from '../../src/issues/octokit-issues-api.js';
import { memoryLogger, silentLogger } from '../../src/logger.js';
import { DEMO_TENANT_DIR } from '../../src/paths.js';
import type { Report } from '../../src/report/report.js';
import { EXIT } from '../../src/run/exit-codes.js';
import type { IssuesClientFactory } from '../../src/run/publish-report.js';
import { runAudit } from '../../src/run/run-audit.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/github-server.js';
import { tempDir } from '../helpers/temp.js';

/*
 * A token that may read issues but not write them (a workflow without `issues: write`): the
 * first refused write stops the stage, one message names the permission, the report is still
 * written, and the run exits 5 even with --fail-on none.
 */

const NOW = new Date('2026-12-04T09:00:00Z');
const WRITES = ['issues/create', 'issues/update', 'issues/create-comment', 'issues/create-label'];

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startFakeGitHub();
});
afterAll(async () => {
  await fake.close();
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

describe('GitHub refuses every issue write (no issues: write)', () => {
  it('stops at the first 403, names the permission once, keeps the report and exits 5 with fail-on none', async () => {
    for (const operation of WRITES) fake.inject({ operation, status: 403, forbidden: true, times: 10_000 });
    const dir = await tempDir();
    const reportPath = path.join(dir, 'report.json');
    const settings = auditSettings(
      [
        '--demo',
        '--fail-on',
        'none',
        '--issues',
        'on',
        '--repo',
        'contoso/it-audit',
        '--github-api-url',
        fake.apiUrl,
        '--report-json',
        reportPath,
      ],
      { GITHUB_TOKEN: 'test-token' },
    );
    const collector = simulatorCollector({ dir: DEMO_TENANT_DIR, logger: silentLogger, now: () => NOW });
    const logger = memoryLogger();
    const since = fake.requests.length;
    const outcome = await runAudit(settings, {
      logger,
      now: () => NOW,
      collector,
      issuesClient: issuesClient(),
    }).finally(() => collector.close?.());

    expect(outcome.exitCode).toBe(EXIT.issues);
    // One write was tried and refused; nothing after it (the demo plans 60-odd creates).
    const tried = fake.requests.slice(since).filter((r) => r.method === 'POST' || r.method === 'PATCH');
    expect(tried.map((r) => `${r.operation} ${r.status}`)).toEqual(['issues/create-label 403']);
    expect(outcome.issues?.plan.operations.length).toBeGreaterThan(20);
    expect(outcome.issues?.outcome.applied.every((a) => a.status === 'skipped')).toBe(true);
    // One message, naming the permission.
    const named = logger.lines.filter((l) => l.includes('issues: write'));
    expect(named).toHaveLength(1);
    expect(named[0]).toMatch(
      /^error: GitHub refused to write issues \(HTTP 403: Resource not accessible by integration.*\): the token needs `issues: write`/,
    );
    expect(outcome.issuesError).toBe(outcome.issues?.outcome.refused);
    expect(outcome.summaryMarkdown).toContain('**Stopped:** GitHub refused to write issues');
    const planned = outcome.issues?.plan.operations.length ?? 0;
    expect(outcome.summaryMarkdown).toContain(
      `${planned} planned writes were not attempted: GitHub refused an earlier one.`,
    );
    expect(outcome.summaryMarkdown).not.toContain('created by another run');
    // The report is written all the same, with the audit's findings.
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as Report;
    expect(report.results.filter((r) => r.status === 'fail').length).toBeGreaterThan(20);
  });
});
