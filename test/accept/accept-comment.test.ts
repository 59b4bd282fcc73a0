import { afterEach, describe, expect, it } from 'vitest';
import { handleAcceptComment, type AcceptOutcome } from '../../src/accept/accept-comment.js';
import { parseCommentEvent } from '../../src/accept/comment-event.js';
import { octokitAcceptApi } from '../../src/accept/octokit-accept-api.js';
import { ACCEPT_REPLY_MARKER } from '../../src/accept/render-accept.js';
import { ConfigurationError } from '../../src/errors.js';
import { memoryLogger } from '../../src/logger.js';
import { parseFingerprint, parseState } from '../../src/issues/marker.js';
import { createOctokit, octokitIssuesApi } from '../../src/issues/octokit-issues-api.js';
import { syncIssues } from '../../src/issues/sync.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { Result } from '../../src/model/result.js';
import { startFakeGitHub, type FakeGitHub, type FakeRole } from '../fakes/github-server.js';
import { allElements, comments, parseHtml, renderGfm, scannedText } from '../helpers/gfm.js';
import { demoPolicy, report, result, shown } from '../issues/report-fixture.js';
import { FAST_PACING as FAST } from '../helpers/fast-issues-client.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const REPO = { owner: 'contoso', repo: 'it-audit' };
const POLICY_PATH = 'policies/contoso.json';
const ROLES: Record<string, FakeRole> = {
  alice: 'write',
  maya: 'maintain',
  ada: 'admin',
  trish: 'triage',
  rita: 'read',
};

/** A policy as its owners keep it: their key order, notes for auditors, 4-space indents, one exception. */
const POLICY = `{
    "id": "contoso",
    "title": "Contoso mail policy",
    "version": "3.1.0",
    "description": "Approved by the CISO on 2026-10-01; notes in each description are for auditors.",
    "controls": {
        "forwarding.inbox-rules": { "enabled": true, "description": "No forwarding out, except partners.", "partnerDomains": ["fabrikam.example"] },
        "mfa.registration":       { "enabled": true, "minPercent": 100 }
    },
    "exceptions": [
        {"control": "mfa.registration", "target": "breakglass@contoso.example", "reason": "break-glass account, sealed envelope", "approvedBy": "CISO", "expires": "2027-01-31"}
    ],
    "settings": { "maxExceptionDays": 200, "minExceptionReasonLength": 20, "description": "Half a year and a bit; reasons that say why." }
}
`;

const RULE_TARGET = 'adele@contoso.example/AQAAAJ5dZqA=';

function forwardingFinding(target = RULE_TARGET): Result {
  return result({
    control: 'forwarding.inbox-rules',
    target,
    message: `Inbox rule forwards mail outside the organisation (${target})`,
    evidence: { mailbox: 'adele@contoso.example', forwardTo: ['archive@vendor.example'] },
  });
}

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

interface Repo {
  readonly f: FakeGitHub;
  /** The finding issue the nightly sync opened. */
  readonly issue: number;
  readonly fingerprint: string;
}

/** A repository as the nightly run leaves it: the policy on main, one finding issue opened by the real sync. */
async function repository(
  options: { findings?: readonly Result[]; redact?: 'never' | 'always'; policy?: string; tenant?: string } = {},
): Promise<Repo> {
  const f = await startFakeGitHub({ collaborators: ROLES });
  fakes.push(f);
  f.pushFile(POLICY_PATH, options.policy ?? POLICY);
  const findings = options.findings ?? [forwardingFinding()];
  const logger = memoryLogger();
  const issuesApi = octokitIssuesApi(
    createOctokit({ token: 'test-token', baseUrl: f.apiUrl, logger, pacing: FAST }),
    REPO,
  );
  const synced = await syncIssues(
    issuesApi,
    shown(report(findings), options.redact === 'always' ? 'k' : undefined),
    demoPolicy(),
    {
      mode: 'on',
      repo: REPO,
      labels: [],
      maxNewIssues: 20,
      dashboard: false,
      ...(options.tenant ? { tenant: `tenant:${options.tenant}` } : {}),
    },
    { logger, now: () => NOW },
  );
  expect(synced.outcome.failures).toEqual([]);
  const [first] = [...f.issues.values()];
  const fingerprint = parseFingerprint(first?.body);
  if (!first || !fingerprint) throw new Error('the sync opened no finding issue');
  return { f, issue: first.number, fingerprint };
}

let commentIds = 100;

/** An `issue_comment` payload as GitHub sends it, reduced to the fields the workflow reads (and a few it must not). */
function payload(
  issue: number,
  body: string,
  login: string,
  extra: { action?: string; userType?: string; onPullRequest?: boolean } = {},
) {
  const id = ++commentIds;
  return {
    action: extra.action ?? 'created',
    issue: {
      number: issue,
      title: '[mailwarden] Inbox rule forwarding: ceo@contoso.example',
      ...(extra.onPullRequest
        ? { pull_request: { url: 'https://api.github.com/repos/contoso/it-audit/pulls/1' } }
        : {}),
    },
    comment: {
      id,
      body,
      html_url: `https://github.com/contoso/it-audit/issues/${issue}#issuecomment-${id}`,
      user: { login, type: extra.userType ?? 'User' },
    },
    repository: { full_name: 'contoso/it-audit' },
  };
}

async function comment(
  repo: Repo,
  body: string,
  login = 'alice',
  extra: Parameters<typeof payload>[3] & { issue?: number; now?: Date; policyPath?: string } = {},
): Promise<AcceptOutcome> {
  const logger = memoryLogger();
  const api = octokitAcceptApi(
    createOctokit({ token: 'test-token', baseUrl: repo.f.apiUrl, logger, pacing: FAST }),
    REPO,
  );
  const event = parseCommentEvent(payload(extra.issue ?? repo.issue, body, login, extra), 'issue_comment');
  return handleAcceptComment(
    event,
    api,
    { policyPath: extra.policyPath ?? POLICY_PATH },
    { logger, now: () => extra.now ?? NOW },
  );
}

/** Replies on an issue, each checked to start with the marker that makes the workflow ignore them. */
function replies(repo: Repo, issue = repo.issue): string[] {
  const all = repo.f.issues.get(issue)?.comments ?? [];
  const ours = all.filter((c) => c.startsWith(ACCEPT_REPLY_MARKER));
  return ours;
}

/** Operations of the writes made since `mark`, in order. */
function writeOps(repo: Repo, mark: number): string[] {
  return repo.f.writes(mark).map((w) => w.operation);
}

const ACCEPT =
  "/mailwarden accept until 2027-03-31 because the finance team's archive vendor needs this forward; ticket CHG-1234";

describe('/mailwarden accept on a finding issue, against the fake GitHub', () => {
  it('a writer accepts: one branch, one commit, one pull request, one reply; main is untouched', async () => {
    const repo = await repository();
    const mark = repo.f.requests.length;
    const outcome = await comment(repo, ACCEPT);

    const branch = `mailwarden/accept/${repo.fingerprint}`;
    expect(outcome).toEqual({
      kind: 'opened',
      pullRequest: { number: expect.any(Number), htmlUrl: expect.stringMatching(/\/contoso\/it-audit\/pull\/\d+$/) },
      branch,
    });
    if (outcome.kind !== 'opened') throw new Error('not opened');
    expect(writeOps(repo, mark)).toEqual([
      'git/create-ref',
      'repos/create-or-update-file-contents',
      'pulls/create',
      'issues/create-comment',
    ]);
    // 7 reads and 4 writes in all (docs/risk-acceptance.md gives these figures).
    expect(repo.f.requests.length - mark).toBe(11);
    // The permission was asked for the commenter, before anything else was read.
    expect(repo.f.requests.slice(mark)[0]).toMatchObject({
      operation: 'repos/get-collaborator-permission-level',
      path: '/repos/contoso/it-audit/collaborators/alice/permission',
    });

    // main keeps the old policy; the branch holds it plus one entry, and validates.
    expect(repo.f.fileText(POLICY_PATH)).toBe(POLICY);
    const edited = repo.f.fileText(POLICY_PATH, branch) ?? '';
    const { policy } = parsePolicy(edited, POLICY_PATH, NOW);
    expect(policy.exceptions).toHaveLength(2);
    expect(policy.exceptions[1]).toEqual({
      control: 'forwarding.inbox-rules',
      target: RULE_TARGET,
      reason: "the finance team's archive vendor needs this forward",
      approvedBy: 'alice',
      expires: '2027-03-31',
      ticket: 'CHG-1234',
      pointer: '/exceptions/1',
    });
    // Byte for byte: the old file is the new one with the inserted entry taken out.
    const insertedAt = edited.indexOf(',\n        {\n            "control": "forwarding.inbox-rules"');
    const insertedEnd = edited.indexOf('\n    ],');
    expect(edited.slice(0, insertedAt) + edited.slice(insertedEnd)).toBe(POLICY);
    expect(repo.f.git.log(branch).map((c) => c.message.split('\n')[0])).toEqual([
      `mailwarden: accept forwarding.inbox-rules until 2027-03-31 (#${repo.issue})`,
      `Update ${POLICY_PATH}`,
      'Initial commit',
    ]);

    const pull = repo.f.pulls.get(outcome.pullRequest.number);
    expect(pull).toMatchObject({ head: branch, base: 'main', state: 'open' });
    expect(pull?.title).toBe(`[mailwarden] Accept risk: forwarding.inbox-rules on ${RULE_TARGET} until 2027-03-31`);
    const body = pull?.body ?? '';
    expect(body).toContain(`#${repo.issue}`);
    expect(body).toContain('CHG-1234');
    expect(body).toContain('"approvedBy": "alice"');
    // The pull request never looks like a finding issue to the nightly sync.
    expect(parseFingerprint(body)).toBeUndefined();
    expect(parseState(body)).toBeUndefined();

    expect(replies(repo)).toHaveLength(1);
    expect(replies(repo)[0]).toContain(`[#${outcome.pullRequest.number}](${outcome.pullRequest.htmlUrl})`);
  });

  it.each([
    ['maya', 'maintain', true],
    ['ada', 'admin', true],
    ['trish', 'triage', false],
    ['rita', 'read', false],
    ['stranger', 'no collaborator', false],
  ])('%s (%s) may accept: %s', async (login, _role, allowed) => {
    const repo = await repository();
    const mark = repo.f.requests.length;
    const outcome = await comment(repo, ACCEPT, login);
    if (allowed) {
      expect(outcome.kind).toBe('opened');
      return;
    }
    expect(outcome).toEqual({ kind: 'refused', why: 'permission' });
    // One reply, nothing else: no branch, no file, no pull request, and the issue was not even read.
    expect(writeOps(repo, mark)).toEqual(['issues/create-comment']);
    expect(repo.f.requests.slice(mark).map((r) => r.operation)).toEqual([
      'repos/get-collaborator-permission-level',
      'issues/create-comment',
    ]);
    expect([...repo.f.git.branches.keys()]).toEqual(['main']);
    expect(replies(repo)[0]).toMatch(/write, maintain or admin access/);
    expect(replies(repo)[0]).toContain(`\`${login}\``);
  });

  it.each([
    ['/mailwarden accept', /expiry is missing/],
    ['/mailwarden accept until 2027-03-31', /reason is missing/],
    ['/mailwarden accept until 31/03/2027 because the archive vendor needs it', /calendar date/],
    ['/mailwarden accept for 90d because the archive vendor needs it;ticket', /ticket is empty/],
    ['/mailwarden accpet for 90d because the archive vendor needs it', /only command is `accept`/],
  ])('a malformed command %j gets one reply with the exact accepted form, and nothing else', async (text, problem) => {
    const repo = await repository();
    const mark = repo.f.requests.length;
    expect(await comment(repo, text)).toEqual({ kind: 'refused', why: 'malformed' });
    expect(writeOps(repo, mark)).toEqual(['issues/create-comment']);
    const [reply] = replies(repo);
    expect(reply).toMatch(problem);
    expect(reply).toContain(
      '```text\n/mailwarden accept until YYYY-MM-DD because REASON; ticket TICKET\n/mailwarden accept for 90d because REASON\n```',
    );
  });

  it("an expiry past the policy's maximum, a past date or a short reason is refused with the policy's limits", async () => {
    const repo = await repository();
    const mark = repo.f.requests.length;
    expect(await comment(repo, '/mailwarden accept for 201d because the archive vendor needs it')).toEqual({
      kind: 'refused',
      why: 'invalid',
    });
    expect(await comment(repo, '/mailwarden accept until 2027-12-31 because the archive vendor needs it')).toEqual({
      kind: 'refused',
      why: 'invalid',
    });
    expect(await comment(repo, '/mailwarden accept until 2026-11-26 because the archive vendor needs it')).toEqual({
      kind: 'refused',
      why: 'invalid',
    });
    expect(await comment(repo, '/mailwarden accept for 30d because vendor')).toEqual({
      kind: 'refused',
      why: 'invalid',
    });
    expect(writeOps(repo, mark)).toEqual(Array(4).fill('issues/create-comment'));
    const [tooFar, tooFarDate, past, short] = replies(repo);
    expect(tooFar).toMatch(/expires 2027-06-16, 201 days ahead; the policy allows at most 200 days/);
    expect(tooFar).toMatch(/at most 200 days ahead \(the policy's `maxExceptionDays`\)/);
    expect(tooFarDate).toMatch(/2027-12-31, 399 days ahead/);
    expect(past).toMatch(/2026-11-26 is already past/);
    expect(short).toMatch(/the reason has 6 characters; the policy asks for at least 20/);
    expect([...repo.f.git.branches.keys()]).toEqual(['main']);
    expect(repo.f.pulls.size).toBe(0);
  });

  it('a hostile reason is stored exactly, and shown escaped in the pull request and the reply', async () => {
    const repo = await repository();
    const forged = `<!-- mailwarden:fingerprint=${'0'.repeat(32)} -->`;
    const reason = `@security-team <img src=x onerror=alert(1)> \`\`\` ${forged} [x](https://evil.example) **bold** #1 <script>alert(1)</script>`;
    const outcome = await comment(repo, `/mailwarden accept for 30d because ${reason}; ticket CHG-9`);
    if (outcome.kind !== 'opened') throw new Error(`not opened: ${JSON.stringify(outcome)}`);

    // The policy holds the literal text as one JSON string: that is the record an auditor reads.
    const edited = repo.f.fileText(POLICY_PATH, outcome.branch) ?? '';
    const added = parsePolicy(edited, POLICY_PATH, NOW).policy.exceptions[1];
    expect(added).toMatchObject({ reason, ticket: 'CHG-9', expires: '2026-12-27' });

    const body = repo.f.pulls.get(outcome.pullRequest.number)?.body ?? '';
    for (const text of [body, ...replies(repo)]) {
      const live = outsideFences(text);
      // As GitHub shows it: code spans are inert, so what matters is the rendered page.
      const shown = parseHtml(renderGfm(text));
      expect(allElements(shown).map((e) => e.element.tag)).not.toContain('img');
      expect(allElements(shown).map((e) => e.element.tag)).not.toContain('script');
      expect(
        allElements(shown).filter((e) => e.element.tag === 'a' && /evil/.test(e.element.attrs.href ?? '')),
      ).toEqual([]);
      expect(scannedText(shown)).not.toMatch(/@(?!\u200d)[A-Za-z]/);
      expect(comments(shown).filter((c) => c.includes('fingerprint=0000'))).toEqual([]);
      expect(live).not.toContain(forged);
      // Only our own first-line markers open an HTML comment.
      expect(live.split('\n').filter((l) => l.includes('<!--'))).toEqual(
        live.startsWith('<!--') ? [live.split('\n')[0]] : [],
      );
    }
    // The marker in the reason changed nothing: control and target are the issue's.
    expect(added).toMatchObject({ control: 'forwarding.inbox-rules', target: RULE_TARGET });
    // The fenced entry is valid JSON with the exact reason, and its fence is not broken.
    const json = /```json\n([\s\S]*?)\n```/.exec(body)?.[1] ?? '';
    expect((JSON.parse(json) as { reason: string }).reason).toBe(reason);
  });

  it('a repeat accept on the same finding updates the open pull request instead of opening another', async () => {
    const repo = await repository();
    const first = await comment(repo, ACCEPT);
    if (first.kind !== 'opened') throw new Error('not opened');
    const mark = repo.f.requests.length;
    const second = await comment(
      repo,
      '/mailwarden accept for 60d because the vendor contract was renewed until January; ticket CHG-2000',
      'maya',
    );
    expect(second).toEqual({ kind: 'updated', pullRequest: first.pullRequest, branch: first.branch });
    expect(writeOps(repo, mark)).toEqual([
      'repos/create-or-update-file-contents',
      'pulls/update',
      'issues/create-comment',
      'issues/create-comment',
    ]);
    expect(repo.f.pulls.size).toBe(1);
    const exceptions = parsePolicy(repo.f.fileText(POLICY_PATH, first.branch) ?? '', POLICY_PATH, NOW).policy
      .exceptions;
    // Still one entry for the finding, now the second request's.
    expect(exceptions.filter((e) => e.control === 'forwarding.inbox-rules')).toEqual([
      expect.objectContaining({
        approvedBy: 'maya',
        expires: '2027-01-26',
        reason: 'the vendor contract was renewed until January',
        ticket: 'CHG-2000',
      }),
    ]);
    // Two commits on the branch, one per request: the review sees both.
    expect(
      repo.f.git
        .log(first.branch)
        .slice(0, 2)
        .map((c) => c.message.split('\n')[0]),
    ).toEqual([
      `mailwarden: accept forwarding.inbox-rules until 2027-01-26 (#${repo.issue})`,
      `mailwarden: accept forwarding.inbox-rules until 2027-03-31 (#${repo.issue})`,
    ]);
    const pull = repo.f.pulls.get(first.pullRequest.number);
    expect(pull?.body).toContain('the vendor contract was renewed until January');
    expect(pull?.title).toMatch(/until 2027-01-26$/);
    expect(repo.f.issues.get(first.pullRequest.number)?.comments).toHaveLength(1);
    expect(replies(repo)[1]).toMatch(/^<!-- mailwarden:accept-reply -->\nUpdated \[#\d+\]/);

    // The same request again changes nothing but says so.
    const markAgain = repo.f.requests.length;
    const third = await comment(
      repo,
      '/mailwarden accept for 60d because the vendor contract was renewed until January; ticket CHG-2000',
      'maya',
    );
    expect(third.kind).toBe('unchanged');
    expect(writeOps(repo, markAgain)).toEqual(['issues/create-comment']);
  });

  it('after a pull request was closed unmerged, a new accept starts its branch again from main', async () => {
    const repo = await repository();
    const first = await comment(repo, ACCEPT);
    if (first.kind !== 'opened') throw new Error('not opened');
    const pull = repo.f.pulls.get(first.pullRequest.number);
    if (pull) pull.state = 'closed';
    repo.f.pushFile('README.md', 'moved on\n');
    const second = await comment(repo, '/mailwarden accept for 30d because a shorter window, as the review asked');
    if (second.kind !== 'opened') throw new Error(`not opened: ${JSON.stringify(second)}`);
    expect(second.pullRequest.number).not.toBe(first.pullRequest.number);
    const log = repo.f.git.log(second.branch);
    expect(log[1]?.sha).toBe(repo.f.git.branches.get('main'));
    expect(log[0]?.message).toMatch(/until 2026-12-27/);
  });

  it("reads control and target from the issue's marker, never from its title or the comment", async () => {
    const repo = await repository();
    const issue = repo.f.issues.get(repo.issue);
    if (!issue) throw new Error('no issue');
    // A person retitles the issue to name another control and a more sensitive target.
    issue.title = '[mailwarden] MFA registration coverage: ceo@contoso.example';
    const outcome = await comment(
      repo,
      '/mailwarden accept for 30d because control mfa.registration target ceo@contoso.example is fine',
    );
    if (outcome.kind !== 'opened') throw new Error('not opened');
    const added = parsePolicy(repo.f.fileText(POLICY_PATH, outcome.branch) ?? '', POLICY_PATH, NOW).policy
      .exceptions[1];
    expect(added).toMatchObject({ control: 'forwarding.inbox-rules', target: RULE_TARGET });
    expect(repo.f.pulls.get(outcome.pullRequest.number)?.title).not.toContain('ceo@');
  });

  it('an issue that no longer fails, has no marker or no label, or hides its target gets a reply and no change', async () => {
    const closed = await repository();
    closed.f.closeByHand(closed.issue);
    const mark = closed.f.requests.length;
    expect(await comment(closed, ACCEPT)).toEqual({ kind: 'refused', why: 'not-failing' });
    expect(writeOps(closed, mark)).toEqual(['issues/create-comment']);
    expect(replies(closed)[0]).toMatch(/not failing any more/);

    const repo = await repository();
    const plain = repo.f.seed({
      title: 'Question about forwarding',
      body: 'Who approved this?',
      labels: ['mailwarden'],
    });
    expect(await comment(repo, ACCEPT, 'alice', { issue: plain.number })).toEqual({
      kind: 'refused',
      why: 'no-marker',
    });
    // A marker pasted into an issue without the label (anyone can open an issue) is not a finding.
    const pasted = repo.f.seed({ title: 'Copy', body: repo.f.issues.get(repo.issue)?.body ?? '', labels: [] });
    expect(await comment(repo, ACCEPT, 'alice', { issue: pasted.number })).toEqual({
      kind: 'refused',
      why: 'no-marker',
    });
    expect(replies(repo, plain.number)[0]).toMatch(/not a mailwarden finding issue/);

    const redacted = await repository({
      findings: [forwardingFinding('adele@contoso.example')],
      redact: 'always',
    });
    expect(await comment(redacted, ACCEPT)).toEqual({ kind: 'refused', why: 'pseudonymised' });
    expect(replies(redacted)[0]).toMatch(/pseudonymised/);
    for (const r of [closed, repo, redacted]) {
      expect([...r.f.git.branches.keys()]).toEqual(['main']);
      expect(r.f.pulls.size).toBe(0);
    }
  });

  it('bots, its own replies, edits, pull request comments and other comments are ignored without a request', async () => {
    const repo = await repository();
    const mark = repo.f.requests.length;
    const ignored = [
      await comment(repo, ACCEPT, 'github-actions[bot]', { userType: 'Bot' }),
      await comment(repo, ACCEPT, 'renovate[bot]'),
      await comment(repo, `${ACCEPT_REPLY_MARKER}\n${ACCEPT}`, 'alice'),
      await comment(repo, ACCEPT, 'alice', { action: 'edited' }),
      await comment(repo, ACCEPT, 'alice', { onPullRequest: true }),
      await comment(repo, 'Thanks, I will look at /mailwarden accept tomorrow', 'alice'),
    ];
    expect(ignored.map((o) => o.kind)).toEqual(Array(6).fill('ignored'));
    expect(repo.f.requests.length).toBe(mark);
  });

  it('when GitHub refuses the pull request, the requester is told why, and a new comment converges', async () => {
    const repo = await repository();
    // A repository that does not let Actions open pull requests answers 403.
    repo.f.inject({ operation: 'pulls/create', status: 403, forbidden: true, times: 1 });
    await expect(comment(repo, ACCEPT)).rejects.toMatchObject({ status: 403 });
    const [failed] = replies(repo);
    expect(failed).toMatch(/could not open or update the pull request: GitHub answered 403/);
    expect(failed).toMatch(/Allow GitHub Actions to create and approve pull requests/);
    expect(repo.f.pulls.size).toBe(0);

    // The branch and its commit are left; the next request starts the branch again and opens the pull request.
    const again = await comment(repo, ACCEPT);
    if (again.kind !== 'opened') throw new Error(`not opened: ${JSON.stringify(again)}`);
    expect(
      repo.f.git
        .log(again.branch)
        .map((c) => c.message.split('\n')[0])
        .slice(0, 2),
    ).toEqual([`mailwarden: accept forwarding.inbox-rules until 2027-03-31 (#${repo.issue})`, `Update ${POLICY_PATH}`]);
  });

  it('a request the policy on main already holds (merged, not yet audited) opens nothing', async () => {
    const repo = await repository();
    const first = await comment(repo, ACCEPT);
    if (first.kind !== 'opened') throw new Error('not opened');
    repo.f.mergePull(first.pullRequest.number);
    const mark = repo.f.requests.length;
    expect(await comment(repo, ACCEPT)).toEqual({ kind: 'refused', why: 'already-accepted' });
    expect(writeOps(repo, mark)).toEqual(['issues/create-comment']);
    expect(replies(repo).at(-1)).toMatch(/already holds exactly this exception/);
  });

  it("with one policy per tenant, the issue's tenant label picks the file; without one label, nothing changes", async () => {
    const repo = await repository({ tenant: 'fabrikam' });
    repo.f.pushFile('policies/fabrikam.json', POLICY.replace('Contoso mail policy', 'Fabrikam mail policy'));
    const perTenant = { policyPath: 'policies/{tenant}.json' };
    const outcome = await comment(repo, ACCEPT, 'alice', perTenant);
    if (outcome.kind !== 'opened') throw new Error(`not opened: ${JSON.stringify(outcome)}`);
    const fabrikam = parsePolicy(repo.f.fileText('policies/fabrikam.json', outcome.branch) ?? '', 'f.json', NOW).policy;
    expect(fabrikam.title).toBe('Fabrikam mail policy');
    expect(fabrikam.exceptions.map((e) => e.target)).toEqual(['breakglass@contoso.example', RULE_TARGET]);
    expect(repo.f.fileText(POLICY_PATH, outcome.branch)).toBe(POLICY);

    // An issue without its tenant label (or with a label no path may hold) is refused.
    const unlabelled = await repository();
    expect(await comment(unlabelled, ACCEPT, 'alice', perTenant)).toEqual({ kind: 'refused', why: 'no-tenant' });
    expect(replies(unlabelled)[0]).toMatch(/one policy file per tenant/);
    const odd = await repository({ tenant: 'fabrikam' });
    const issue = odd.f.issues.get(odd.issue);
    if (issue) issue.labels = issue.labels.map((l) => (l === 'tenant:fabrikam' ? 'tenant:../secrets' : l));
    expect(await comment(odd, ACCEPT, 'alice', perTenant)).toEqual({ kind: 'refused', why: 'no-tenant' });
    expect(odd.f.pulls.size + unlabelled.f.pulls.size).toBe(0);
  });

  it('a missing or invalid policy file is a configuration error, with one reply saying so', async () => {
    const repo = await repository();
    repo.f.pushFile(POLICY_PATH, POLICY.replace('"version": "3.1.0",', '"version": 3,'));
    await expect(comment(repo, ACCEPT)).rejects.toThrow(ConfigurationError);
    expect(replies(repo)[0]).toMatch(/cannot be read or is invalid/);
    expect(repo.f.pulls.size).toBe(0);
  });
});

/** Text outside fenced code blocks, where Markdown, HTML and mentions are live. */
function outsideFences(text: string): string {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) out.push(line);
  }
  expect(fenced).toBe(false);
  return out.join('\n');
}
