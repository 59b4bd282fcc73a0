import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { octokitAcceptApi } from '../../src/accept/octokit-accept-api.js';
import { runAcceptAction } from '../../src/action/run-accept-action.js';
import { auditSettings } from '../../src/cli/audit.js';
import { folderCollector } from '../../src/collect/folder-collector.js';
import { parseState } from '../../src/issues/marker.js';
import { createOctokit } from '../../src/issues/octokit-issues-api.js';
import { memoryLogger, silentLogger } from '../../src/logger.js';
import { DEMO_TENANT_DIR } from '../../src/paths.js';
import type { Report } from '../../src/report/report.js';
import { runAudit } from '../../src/run/run-audit.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { tempDir } from '../helpers/temp.js';
import { FAST_PACING as FAST, fastIssuesClient } from '../helpers/fast-issues-client.js';

// The demo snapshot was captured 2026-11-27T06:00Z; the audit and the comment happen the same day.
const NOW = new Date('2026-11-27T12:00:00Z');
const POLICY_IN_REPO = 'policies/demo.json';

let f: FakeGitHub | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function audit(fake: FakeGitHub, policyFile: string, reportPath: string, gitSha?: string) {
  const settings = auditSettings(
    [
      '--demo',
      '--policy',
      policyFile,
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
      '--report-json',
      reportPath,
    ],
    { GITHUB_TOKEN: 'test-token' },
  );
  const outcome = await runAudit(settings, {
    logger: silentLogger,
    now: () => NOW,
    collector: folderCollector(DEMO_TENANT_DIR, () => NOW, 'simulate'),
    // GITHUB_SHA of the nightly job: the commit of main it checked out.
    ...(gitSha ? { runContext: { repository: 'contoso/it-audit', gitSha } } : {}),
    issuesClient: fastIssuesClient(),
  });
  expect(outcome.issuesError).toBeUndefined();
  return JSON.parse(await readFile(reportPath, 'utf8')) as Report;
}

describe('risk acceptance end to end: nightly run, comment, pull request, merge, nightly run', () => {
  it('a merged accept turns the finding into excepted and the next run closes its issue citing the policy commit', async () => {
    f = await startFakeGitHub({ collaborators: { 'security-lead': 'maintain' } });
    const fake = f;
    const dir = await tempDir();
    const policyFile = path.join(dir, 'demo.json');
    const policyText = await readFile('demo/demo-policy.json', 'utf8');
    await writeFile(policyFile, policyText);
    fake.pushFile(POLICY_IN_REPO, policyText);

    // Night 1: the demo tenant's findings become issues.
    const first = await audit(fake, policyFile, path.join(dir, 'r1.json'));
    const finding = first.results.find((r) => r.status === 'fail' && r.control === 'forwarding.inbox-rules');
    if (!finding) throw new Error('the demo has no failing inbox-rule forwarding finding');
    const issue = [...fake.issues.values()].find((i) => parseState(i.body)?.target === finding.target);
    if (!issue) throw new Error('no issue carries the finding in its marker');
    expect(parseState(issue.body)?.control).toBe('forwarding.inbox-rules');

    // Morning: the security lead accepts it in a comment; the Action runs on the event.
    const eventPath = path.join(dir, 'event.json');
    await writeFile(
      eventPath,
      JSON.stringify({
        action: 'created',
        issue: { number: issue.number, title: issue.title },
        comment: {
          id: 9001,
          body: '/mailwarden accept for 90d because the archive vendor contract requires this forward; ticket CHG-1234',
          html_url: `https://github.com/contoso/it-audit/issues/${issue.number}#issuecomment-9001`,
          user: { login: 'security-lead', type: 'User' },
        },
      }),
    );
    const outputs = new Map<string, string>();
    const inputs: Record<string, string> = { policy: POLICY_IN_REPO, 'github-token': 'test-token' };
    const logger = memoryLogger();
    const accepted = await runAcceptAction({
      getInput: (name) => inputs[name] ?? '',
      env: {
        GITHUB_EVENT_NAME: 'issue_comment',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: 'contoso/it-audit',
        GITHUB_API_URL: fake.apiUrl,
      },
      logger,
      now: () => NOW,
      api: (token, apiUrl, repo) =>
        octokitAcceptApi(createOctokit({ token, baseUrl: apiUrl, logger, pacing: FAST }), repo),
      setOutput: (name, value) => outputs.set(name, value),
    });
    if (accepted.kind !== 'opened') throw new Error(`not opened: ${JSON.stringify(accepted)}`);
    expect(Object.fromEntries(outputs)).toEqual({
      result: 'opened',
      'pull-request-number': String(accepted.pullRequest.number),
      'pull-request-url': accepted.pullRequest.htmlUrl,
    });
    // Not accepted yet: main is unchanged until the pull request is merged.
    expect(fake.fileText(POLICY_IN_REPO)).toBe(policyText);
    expect(issue.state).toBe('open');

    // A reviewer merges; the nightly job checks out main and runs again.
    fake.mergePull(accepted.pullRequest.number);
    const merged = fake.fileText(POLICY_IN_REPO) ?? '';
    expect(merged).not.toBe(policyText);
    await writeFile(policyFile, merged);
    const mainSha = fake.git.branches.get('main') ?? '';
    const second = await audit(fake, policyFile, path.join(dir, 'r2.json'), mainSha);

    const judged = second.results.find((r) => r.fingerprint === finding.fingerprint);
    expect(judged).toMatchObject({
      status: 'excepted',
      exception: { approvedBy: 'security-lead', expires: '2027-02-25', ticket: 'CHG-1234', expired: false },
    });
    expect(second.exceptions.applied).toEqual([
      expect.objectContaining({ control: 'forwarding.inbox-rules', target: finding.target }),
    ]);
    expect(issue.state).toBe('closed');
    const closing = issue.comments.at(-1) ?? '';
    expect(closing).toMatch(/^Closed: the risk is accepted in the policy file/);
    expect(closing).toContain('the archive vendor contract requires this forward');
    expect(closing).toContain(`sha256 \`${second.policy.sha256.slice(0, 12)}\`, at commit ${mainSha}`);
    // That commit merged the pull request's branch, whose head is the commit that added the entry.
    const mergeCommit = fake.git.commits.get(mainSha);
    const added = fake.git.commits.get(mergeCommit?.parents[1] ?? '');
    expect(mergeCommit?.message).toBe(
      `Merge pull request #${accepted.pullRequest.number} from contoso/${accepted.branch}`,
    );
    expect(added?.message.split('\n')[0]).toBe(
      `mailwarden: accept forwarding.inbox-rules until 2027-02-25 (#${issue.number})`,
    );
    // Every other finding issue is as it was: one acceptance, one close.
    const closed = [...fake.issues.values()].filter((i) => !i.pull_request && i.state === 'closed');
    expect(closed.map((i) => i.number)).toEqual([issue.number]);
  });
});
