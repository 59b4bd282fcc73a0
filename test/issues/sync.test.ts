import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/logger.js';
import type { IssuesApi } from '../../src/issues/github-api.js';
import { parseFingerprint, parseState } from '../../src/issues/marker.js';
import { createDisclosure } from '../../src/report/disclosure.js';
import type { RedactMode } from '../../src/report/redact.js';
import { decideDisclosure } from '../../src/run/disclosure-decision.js';
import { ISSUES_OFF } from '../../src/run/settings.js';
import { createOctokit, octokitIssuesApi } from '../../src/issues/octokit-issues-api.js';
import { RepositoryAccessError, syncIssues, type SyncSettings } from '../../src/issues/sync.js';
import type { Report } from '../../src/report/report.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { demoPolicy, report, result, users } from './report-fixture.js';
import { FAST_PACING as FAST } from '../helpers/fast-issues-client.js';

const REPO = { owner: 'contoso', repo: 'it-audit' };
const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function fake(options: Parameters<typeof startFakeGitHub>[0] = {}): Promise<FakeGitHub> {
  const f = await startFakeGitHub(options);
  fakes.push(f);
  return f;
}

function api(f: FakeGitHub, logger = memoryLogger()): IssuesApi {
  return octokitIssuesApi(createOctokit({ token: 'test-token', baseUrl: f.apiUrl, logger, pacing: FAST }), REPO);
}

async function sync(
  f: FakeGitHub,
  rep: Report,
  settings: Partial<SyncSettings> & { readonly redact?: RedactMode } = {},
  client?: IssuesApi,
) {
  const logger = memoryLogger();
  const issuesApi = client ?? api(f, logger);
  const { redact = 'never', ...sync } = settings;
  // The run's own redaction decision (the repository's visibility for `auto`), then the sync.
  const disclosure = createDisclosure();
  const access = await decideDisclosure(
    disclosure,
    { ...ISSUES_OFF, mode: 'on', repo: REPO, token: 'test-token', redact, redactKey: 'test-key' },
    { issuesClient: () => issuesApi },
    rep.run.tenantId,
  );
  const outcome = await syncIssues(
    issuesApi,
    disclosure.show(rep),
    demoPolicy(),
    {
      mode: 'on',
      repo: REPO,
      labels: [],
      maxNewIssues: 20,
      ...(access.repository ? { repository: access.repository } : {}),
      ...sync,
    },
    { logger, now: () => new Date() },
  );
  return { ...outcome, logger };
}

/** Writes made since `mark` requests were logged. */
function writesSince(f: FakeGitHub, mark: number) {
  return f.requests.slice(mark).filter((r) => r.method !== 'GET' && r.status < 300);
}

function fingerprints(f: FakeGitHub): string[] {
  return [...f.issues.values()].map(
    (i) => parseFingerprint(i.body) ?? (i.body?.includes('mailwarden:rollup') ? 'rollup' : 'none'),
  );
}

describe('issues sync against a fake GitHub', () => {
  it('first run creates one issue per failing finding with labels; a rerun writes nothing', async () => {
    const f = await fake();
    const rep = report([...users(5), result({ target: 'ok@contosohealth.example', status: 'pass' })]);
    const first = await sync(f, rep);
    expect(first.outcome.failures).toEqual([]);
    expect(first.opened).toBe(5);
    expect(f.issues.size).toBe(5);
    expect([...f.labels].sort()).toEqual(['area:mfa', 'mailwarden', 'severity:high']);
    for (const issue of f.issues.values()) {
      expect(issue.title).toMatch(/^\[mailwarden\] MFA registration coverage: user00\d@contosohealth\.example$/);
      expect(issue.labels.sort()).toEqual(['area:mfa', 'mailwarden', 'severity:high']);
      expect(parseState(issue.body)?.status).toBe('open');
    }
    const mark = f.requests.length;
    const second = await sync(f, rep);
    expect(writesSince(f, mark)).toEqual([]);
    expect(second.plan.operations).toEqual([]);
  });

  it('one fix closes exactly one issue with state_reason completed and a comment citing the run', async () => {
    const f = await fake();
    await sync(f, report(users(3)));
    const [fixed, ...rest] = users(3);
    const mark = f.requests.length;
    const run = await sync(
      f,
      report([{ ...fixed!, status: 'pass' }, ...rest], {
        runUrl: 'https://github.com/contoso/it-audit/actions/runs/2',
      }),
    );
    const writes = writesSince(f, mark);
    expect(writes.map((w) => w.operation)).toEqual(['issues/update', 'issues/create-comment']);
    expect(writes[0]?.body).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(run.closed).toBe(1);
    const closed = [...f.issues.values()].filter((i) => i.state === 'closed');
    expect(closed).toHaveLength(1);
    expect(closed[0]?.comments[0]).toContain('actions/runs/2');
    expect(parseState(closed[0]?.body)).toMatchObject({ status: 'closed', closedOn: '2026-11-27' });
  });

  it('a regression reopens the closed issue with a comment, and creates no duplicate', async () => {
    const f = await fake();
    const [a] = users(1);
    await sync(f, report([a!]));
    await sync(f, report([{ ...a!, status: 'pass' }]));
    const mark = f.requests.length;
    const run = await sync(f, report([a!], { capturedAt: '2026-11-29T06:00:00.000Z' }));
    expect(writesSince(f, mark).map((w) => w.operation)).toEqual(['issues/update', 'issues/create-comment']);
    expect(run.plan.operations.map((o) => o.kind === 'reopen' && o.why)).toEqual(['regression']);
    expect(f.issues.size).toBe(1);
    expect(f.issues.get(1)).toMatchObject({ state: 'open', state_reason: 'reopened' });
    expect(f.issues.get(1)?.comments.at(-1)).toMatch(/regression/);
  });

  it('never closes an issue when its control was error or not_evaluable, or not run at all', async () => {
    const f = await fake();
    await sync(f, report(users(2)));
    const gate = result({ target: 'tenant', status: 'error', message: 'Source graph.users could not be read' });
    for (const status of ['error', 'not_evaluable'] as const) {
      const mark = f.requests.length;
      await sync(
        f,
        report([{ ...gate, status }], { controls: [{ control: 'mfa.registration', status, reason: 'source failed' }] }),
      );
      expect(writesSince(f, mark)).toEqual([]);
    }
    const mark = f.requests.length;
    await sync(f, report([], { controls: [] }));
    expect(writesSince(f, mark)).toEqual([]);
    expect([...f.issues.values()].every((i) => i.state === 'open')).toBe(true);
  });

  it('an excepted finding closes its issue with a comment quoting the exception and its expiry', async () => {
    const f = await fake();
    const [a] = users(1);
    await sync(f, report([a!]));
    const exception = {
      reason: 'Break-glass account, <b>monitored</b>',
      approvedBy: 'CISO @ciso',
      expires: '2027-02-01',
      ticket: 'SEC-42',
      expired: false,
    };
    const gitSha = '3f2a9c0d1e4b5a6978877665544332211000ffee';
    await sync(f, report([{ ...a!, status: 'excepted', exception }], { gitSha }));
    const issue = f.issues.get(1)!;
    expect(issue.state).toBe('closed');
    expect(issue.comments[0]).toContain('2027-02-01');
    // The policy commit the run read, as a bare SHA GitHub links: the way back to the pull request.
    expect(issue.comments[0]).toMatch(
      /> \*\*Policy:\*\* `demo\/demo-policy\.json` version 1\\?\.0\.0, sha256 `0`, at commit 3f2a9c0d1e4b5a6978877665544332211000ffee$/m,
    );
    expect(issue.comments[0]).toContain('SEC');
    expect(issue.comments[0]).not.toContain('<b>');
    expect(issue.comments[0]).not.toMatch(/@ciso/);
  });

  it('an issue closed by hand while failing is reopened once, then left closed and listed', async () => {
    const f = await fake();
    const rep = report(users(1));
    await sync(f, rep);
    f.closeByHand(1);
    const again = await sync(f, rep);
    expect(again.plan.operations.map((o) => o.kind === 'reopen' && o.why)).toEqual(['manual-close']);
    expect(f.issues.get(1)?.state).toBe('open');
    expect(f.issues.get(1)?.comments.at(-1)).toContain('exceptions');
    expect(parseState(f.issues.get(1)?.body)?.reopenedAfterManualClose).toBe(true);

    f.closeByHand(1);
    const mark = f.requests.length;
    const third = await sync(f, rep);
    expect(writesSince(f, mark)).toEqual([]);
    expect(f.issues.get(1)?.state).toBe('closed');
    expect(third.plan.keptClosed.map((k) => k.number)).toEqual([1]);
  });

  it('300 findings with max-new-issues 20 open 20 issues and one rollup, over paginated listings', async () => {
    const f = await fake();
    // 130 labelled issues without a marker force the listing across two pages.
    for (let i = 0; i < 130; i++) f.seed({ title: `hand-made ${i}`, labels: ['mailwarden'], body: 'no marker here' });
    f.seed({ title: 'a pull request', labels: ['mailwarden'], pull_request: true, body: null });
    const run = await sync(f, report(users(300)));
    expect(run.outcome.failures).toEqual([]);
    const ours = fingerprints(f).filter((x) => x !== 'none');
    expect(ours.filter((x) => x === 'rollup')).toHaveLength(1);
    expect(ours.filter((x) => x !== 'rollup')).toHaveLength(20);
    expect(run.plan.overflow).toBe(280);
    expect(run.plan.unmatched).toBe(130);
    expect(f.requests.some((r) => r.operation === 'issues/list-for-repo' && r.path.includes('page=2'))).toBe(true);
    const rollup = [...f.issues.values()].find((i) => i.body?.includes('mailwarden:rollup'));
    expect(rollup?.body?.match(/^\| high \|/gm)).toHaveLength(280);

    // The next run opens the next 20 and rewrites the rollup, without duplicating anything.
    await sync(f, report(users(300)));
    const after = fingerprints(f).filter((x) => x !== 'none' && x !== 'rollup');
    expect(after).toHaveLength(40);
    expect(new Set(after).size).toBe(40);
  });

  it('a 502 in the middle of a sync is reported, the run carries on, and a rerun converges without duplicates', async () => {
    const f = await fake();
    // The third create reaches GitHub but answers 502: the worst case for duplicates.
    f.inject({ operation: 'issues/create', status: 502, times: 1, after: 2, commit: true });
    f.inject({ operation: 'issues/update', status: 502, times: 5 });
    await sync(f, report(users(6)));
    const first = await sync(f, report(users(5)), {});
    expect(first.outcome.failures.length).toBeGreaterThan(0);
    const rerun = await sync(f, report(users(5)));
    expect(rerun.outcome.failures).toEqual([]);
    const fps = fingerprints(f);
    expect(new Set(fps).size).toBe(fps.length);
    expect(f.issues.size).toBe(6);
    expect([...f.issues.values()].filter((i) => i.state === 'open')).toHaveLength(5);
  });

  it('secondary rate limits (403 and 429) and transient 5xx are retried', async () => {
    const f = await fake();
    f.inject({ operation: 'issues/create', status: 403, times: 1 });
    f.inject({ operation: 'issues/create', status: 429, times: 1, after: 1 });
    f.inject({ operation: 'issues/list-for-repo', status: 503, times: 2 });
    const run = await sync(f, report(users(3)));
    expect(run.outcome.failures).toEqual([]);
    expect(f.issues.size).toBe(3);
    expect(f.requests.filter((r) => r.status === 403 || r.status === 429)).toHaveLength(2);
    expect(run.logger.lines.some((l) => l.includes('secondary rate limit'))).toBe(true);
  });

  it('two overlapping runs do not create duplicates: each create is re-checked first', async () => {
    const f = await fake();
    const rep = report(users(4));
    const inner = api(f);
    let raced = false;
    // Run B completes between run A's listing and A's creates.
    const racing: IssuesApi = {
      ...inner,
      listIssues: async (label, since) => {
        const list = await inner.listIssues(label, since);
        if (!raced && since === undefined) {
          raced = true;
          await sync(f, rep);
        }
        return list;
      },
    };
    const a = await sync(f, rep, {}, racing);
    expect(f.issues.size).toBe(4);
    expect(a.outcome.applied.filter((x) => x.status === 'skipped')).toHaveLength(4);
  });

  it('dry-run plans and writes nothing', async () => {
    const f = await fake();
    const run = await sync(f, report(users(3)), { mode: 'dry-run' });
    expect(run.plan.operations).toHaveLength(3);
    expect(f.writes()).toEqual([]);
    expect(run.logger.lines.filter((l) => l.includes('dry-run: would create'))).toHaveLength(3);
  });

  it('a forbidden or missing repository is a clear RepositoryAccessError before any write', async () => {
    const f = await fake();
    f.setRepoAccess('forbidden');
    await expect(sync(f, report(users(1)))).rejects.toBeInstanceOf(RepositoryAccessError);
    f.setRepoAccess('missing');
    await expect(sync(f, report(users(1)))).rejects.toThrow(/contoso\/it-audit/);
    expect(f.writes()).toEqual([]);
  });

  it('works against GitHub Enterprise Server paths (/api/v3) and its OpenAPI description', async () => {
    const f = await fake({ prefix: '/api/v3', spec: 'ghes-3.17' });
    const run = await sync(f, report(users(2)));
    expect(run.outcome.failures).toEqual([]);
    expect(f.issues.size).toBe(2);
  });

  it('a public repository gets pseudonyms instead of UPNs, IPs and names; redact never keeps them', async () => {
    const f = await fake({ private: false });
    const target = 'grady.archie@contosohealth.example';
    const rep = report([
      result({
        target,
        evidence: { upn: target, displayName: 'Grady Archie', lastSignInIp: '203.0.113.7', ipv6: '2001:db8::1' },
      }),
    ]);
    const run = await sync(f, rep, { redact: 'auto' });
    expect(run.redacted).toBe(true);
    const issue = f.issues.get(1)!;
    const text = `${issue.title}\n${issue.body}`;
    for (const secret of ['grady', 'Grady Archie', '203.0.113.7', '2001:db8::1']) expect(text).not.toContain(secret);
    expect(text).toMatch(/user-[0-9a-f]{10}/);
    expect(text).toMatch(/ip\\?-[0-9a-f]{10}/);
    // Stable pseudonyms: a rerun renders the same body and writes nothing.
    const mark = f.requests.length;
    await sync(f, rep, { redact: 'auto' });
    expect(writesSince(f, mark)).toEqual([]);

    const g = await fake({ private: false });
    await sync(g, rep, { redact: 'never' });
    expect(g.issues.get(1)?.title).toContain('grady');
  });

  it('a material change (new affected object, higher severity) comments once; a cosmetic change only edits', async () => {
    const f = await fake();
    const base = result({ target: 'tenant', evidence: { unregistered: [{ upn: 'a@x.example' }] } });
    await sync(f, report([base]));
    await sync(f, report([{ ...base, message: 'Reworded.' }]));
    expect(f.issues.get(1)?.comments).toEqual([]);
    await sync(
      f,
      report([
        { ...base, severity: 'critical', evidence: { unregistered: [{ upn: 'a@x.example' }, { upn: 'b@x.example' }] } },
      ]),
    );
    const issue = f.issues.get(1)!;
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]).toMatch(/1 newly affected object; severity raised from high to critical/);
    expect(issue.labels).toContain('severity:critical');
    expect(issue.labels).not.toContain('severity:high');
  });

  it('affected objects are keyed hashes, and an issue marked before they were keyed gets no spurious comment', async () => {
    const f = await fake({ private: false });
    const upn = 'a@x.example';
    const base = result({ target: 'tenant', evidence: { unregistered: [{ upn }] } });
    await sync(f, report([base]), { redact: 'auto' });
    const issue = f.issues.get(1)!;
    const state = parseState(issue.body)!;
    expect(state.v).toBe(2);
    expect(state.affected).toHaveLength(1);
    // A plain hash of a guessed address must not match what a public issue holds.
    const plain = createHash('sha256').update(`${base.control}\n${upn}`).digest('hex').slice(0, 12);
    const keyed = createHmac('sha256', 'test-key').update(`${base.control}\n${upn}`).digest('hex').slice(0, 12);
    expect(state.affected).toEqual([keyed]);
    expect(issue.body).not.toContain(plain);

    // The same issue as an older release left it: a version 1 marker with the unkeyed hash.
    issue.body = (issue.body ?? '').replace(
      /<!-- mailwarden:state=(\{[^\n]*\}) -->/,
      (_m, json: string) =>
        `<!-- mailwarden:state=${JSON.stringify({ ...JSON.parse(json), v: 1, affected: [plain], lastSeen: '2026-01-01' })} -->`,
    );
    expect(parseState(issue.body)).toMatchObject({ v: 2, affectedComparable: false, affected: [plain] });
    await sync(f, report([base]), { redact: 'auto' });
    expect(issue.comments).toEqual([]);
    expect(parseState(issue.body)).toMatchObject({ v: 2, affected: [keyed] });
    expect(parseState(issue.body)?.affectedComparable).toBeUndefined();

    // From then on a new object is announced as before.
    await sync(f, report([{ ...base, evidence: { unregistered: [{ upn }, { upn: 'b@x.example' }] } }]), {
      redact: 'auto',
    });
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]).toMatch(/1 newly affected object/);
  });
});
