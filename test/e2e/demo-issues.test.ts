import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { folderCollector } from '../../src/collect/folder-collector.js';
import { parseFingerprint } from '../../src/issues/marker.js';
import { memoryLogger } from '../../src/logger.js';
import { DEMO_TENANT_DIR } from '../../src/paths.js';
import { runAudit } from '../../src/run/run-audit.js';
import type { Report } from '../../src/report/report.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { fastIssuesClient } from '../helpers/fast-issues-client.js';

let f: FakeGitHub | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

describe('audit --demo --issues on, against a fake GitHub', () => {
  it('opens one issue per failing finding; a rerun of the demo makes zero writes; SARIF is written', async () => {
    f = await startFakeGitHub();
    const fake = f;
    const dir = await tempDir();
    const reportPath = path.join(dir, 'report.json');
    const env = { GITHUB_TOKEN: 'test-token' };
    // A cap above the demo's findings, so the first run opens them all and the rerun has nothing to do.
    const args = [
      '--demo',
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
    ];
    const settings = auditSettings(
      [
        ...args,
        '--report-json',
        reportPath,
        '--sarif',
        path.join(dir, 'out.sarif'),
        '--summary-md',
        path.join(dir, 's.md'),
      ],
      env,
    );
    // The CLI's own wiring with the real Octokit, paced fast: the production pacing (3 s a create)
    // would make this test take minutes as the demo tenant grows.
    const deps = {
      logger: memoryLogger(),
      now: () => new Date('2026-11-27T12:00:00Z'),
      collector: folderCollector(DEMO_TENANT_DIR, () => new Date('2026-11-27T12:00:00Z'), 'simulate'),
      issuesClient: fastIssuesClient(),
    };
    const first = await runAudit(settings, deps);
    expect(first.issuesError).toBeUndefined();
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as Report;
    const failing = report.results.filter((r) => r.status === 'fail');
    expect(failing.length).toBeGreaterThan(0);
    const findingIssues = [...fake.issues.values()].filter((i) => !i.body?.startsWith('<!-- mailwarden:dashboard -->'));
    expect(findingIssues.map((i) => parseFingerprint(i.body)).sort()).toEqual(failing.map((r) => r.fingerprint).sort());
    expect(first.issues?.dashboard?.status).toBe('created');
    expect(first.issues?.opened).toBe(failing.length);
    const firstCalls = fake.requests.length;
    expect(await readFile(path.join(dir, 's.md'), 'utf8')).toMatch(/Opened \[#1\]\(http/);
    const sarif = JSON.parse(await readFile(path.join(dir, 'out.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]?.results).toHaveLength(failing.length);

    const second = await runAudit(auditSettings(args, env), {
      ...deps,
      collector: folderCollector(DEMO_TENANT_DIR, () => new Date('2026-11-27T12:00:00Z'), 'simulate'),
    });
    expect(second.issuesError).toBeUndefined();
    const rerun = fake.requests.slice(firstCalls);
    expect(fake.writes(firstCalls)).toEqual([]);
    // Printed for the closing note: API calls per demo run.
    console.log(`demo: ${failing.length} failing findings; API calls: first run ${firstCalls}, rerun ${rerun.length}`);
    // Repository, issue list, and the dashboard's pin state (GraphQL).
    expect(rerun.length).toBe(3);
    expect(fake.pinned).toHaveLength(1);
  });

  it('without a token the report is still written and the error is clear (exit 5)', async () => {
    const dir = await tempDir();
    const reportPath = path.join(dir, 'report.json');
    const run = await runCli(
      [
        'audit',
        '--demo',
        '--fail-on',
        'none',
        '--issues',
        'on',
        '--repo',
        'contoso/it-audit',
        '--report-json',
        reportPath,
      ],
      { env: {} },
    );
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/GITHUB_TOKEN/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect((JSON.parse(await readFile(reportPath, 'utf8')) as Report).results.length).toBeGreaterThan(0);
  });

  it('a forbidden repository is a clear error, and the report is still written', async () => {
    f = await startFakeGitHub();
    f.setRepoAccess('forbidden');
    const dir = await tempDir();
    const reportPath = path.join(dir, 'report.json');
    const run = await runCli(
      [
        'audit',
        '--demo',
        '--fail-on',
        'none',
        '--issues',
        'on',
        '--repo',
        'contoso/it-audit',
        '--github-api-url',
        f.apiUrl,
        '--report-json',
        reportPath,
      ],
      {
        env: { GITHUB_TOKEN: 'test-token' },
      },
    );
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/Cannot read the repository contoso\/it-audit/);
    expect(run.stderr).not.toContain('test-token');
    expect(f.writes()).toEqual([]);
    await readFile(reportPath, 'utf8');
  });

  it('rejects bad issues flags as usage errors', async () => {
    expect((await runCli(['audit', '--demo', '--issues', 'maybe'])).code).toBe(2);
    expect((await runCli(['audit', '--demo', '--repo', 'not a repo', '--issues', 'on'])).code).toBe(2);
    expect((await runCli(['audit', '--demo', '--max-new-issues', '-1'])).code).toBe(2);
  });
});
