import { afterEach, describe, expect, it } from 'vitest';
import type { IssuesApi } from '../../src/issues/github-api.js';
import { createOctokit, octokitIssuesApi } from '../../src/issues/octokit-issues-api.js';
import { renderSyncSummary, syncIssues, type SyncSettings } from '../../src/issues/sync.js';
import { memoryLogger } from '../../src/logger.js';
import type { Report } from '../../src/report/report.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { demoPolicy, report, users, shown } from './report-fixture.js';
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

function api(f: FakeGitHub): IssuesApi {
  return octokitIssuesApi(
    createOctokit({ token: 'test-token', baseUrl: f.apiUrl, logger: memoryLogger(), pacing: FAST }),
    REPO,
  );
}

async function sync(f: FakeGitHub, rep: Report, settings: Partial<SyncSettings> = {}) {
  const logger = memoryLogger();
  const outcome = await syncIssues(
    api(f),
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
    { logger, now: () => new Date('2026-11-27T12:00:00Z') },
  );
  return { ...outcome, logger };
}

const dashboardNumber = (f: FakeGitHub) =>
  [...f.issues.values()].find((i) => i.title === '[mailwarden] Dashboard')?.number;
const mutations = (f: FakeGitHub, from = 0) => f.requests.slice(from).filter((r) => r.operation === 'graphql/mutation');

describe('pinning the dashboard with GraphQL pinIssue', () => {
  it('pins once on the first run; a rerun reads the pin state and writes nothing', async () => {
    const f = await fake();
    const rep = report(users(2));
    const first = await sync(f, rep);
    expect(first.pin).toEqual({ status: 'pinned' });
    expect(f.pinned).toEqual([dashboardNumber(f)]);
    expect(mutations(f)).toHaveLength(1);
    expect(f.requests.every((r) => !r.errors)).toBe(true);
    const firstCalls = f.requests.length;

    const mark = f.requests.length;
    const again = await sync(f, rep);
    expect(again.pin).toEqual({ status: 'already-pinned' });
    expect(f.writes(mark)).toEqual([]);
    const rerun = f.requests.slice(mark);
    expect(rerun.map((r) => r.operation)).toEqual(['repos/get', 'issues/list-for-repo', 'graphql/query']);
    console.log(`pin: API calls first run ${firstCalls}, rerun ${rerun.length}`);
  });

  it('a dashboard pinned by hand gets no mutation', async () => {
    const f = await fake();
    const dashboard = f.seed({
      title: '[mailwarden] Dashboard',
      body: '<!-- mailwarden:dashboard -->\n',
      labels: ['mailwarden'],
    });
    f.pinned.push(dashboard.number);
    const out = await sync(f, report(users(1)));
    expect(out.dashboard?.status).toBe('updated');
    expect(out.pin?.status).toBe('already-pinned');
    expect(mutations(f)).toEqual([]);
    expect(f.pinned).toEqual([dashboard.number]);
  });

  it('three issues pinned already: a warning, no mutation, and the run succeeds', async () => {
    const f = await fake();
    for (const title of ['Roadmap', 'FAQ', 'Release plan']) f.pinned.push(f.seed({ title }).number);
    const out = await sync(f, report(users(2)));
    expect(out.pin?.status).toBe('limit');
    expect(out.outcome.failures).toEqual([]);
    expect(out.opened).toBe(2);
    expect(mutations(f)).toEqual([]);
    expect(out.logger.lines.some((l) => /not pinned: 3 issues are pinned already/.test(l))).toBe(true);
    expect(renderSyncSummary(out, 'on')).toMatch(/Dashboard pin: limit/);
  });

  it('a token that may not pin: a warning, and the run succeeds', async () => {
    const f = await fake();
    f.denyPinning();
    const out = await sync(f, report(users(2)));
    expect(out.pin?.status).toBe('forbidden');
    expect(out.outcome.failures).toEqual([]);
    expect(f.pinned).toEqual([]);
    expect(out.logger.lines.some((l) => l.includes('may not pin'))).toBe(true);
  });

  it('GHES without pinning in its schema (served at /api/graphql): a warning, no failure', async () => {
    const f = await fake({ prefix: '/api/v3', spec: 'ghes-3.17', graphql: 'no-pinning' });
    const out = await sync(f, report(users(2)));
    expect(out.pin?.status).toBe('unsupported');
    expect(out.opened).toBe(2);
    const graphql = f.requests.filter((r) => r.operation.startsWith('graphql'));
    expect(graphql.map((r) => r.path)).toEqual(['/api/graphql']);
    expect(graphql[0]?.errors?.join(' ')).toMatch(/isPinned/);
  });

  it('GHES with pinning: pins through /api/graphql', async () => {
    const f = await fake({ prefix: '/api/v3', spec: 'ghes-3.17' });
    const out = await sync(f, report(users(1)));
    expect(out.pin?.status).toBe('pinned');
    expect(f.requests.filter((r) => r.operation === 'graphql/mutation').map((r) => r.path)).toEqual(['/api/graphql']);
  });

  it('dry run: reports "would pin" and writes nothing', async () => {
    const f = await fake();
    const none = await sync(f, report(users(2)), { mode: 'dry-run' });
    expect(none.pin?.status).toBe('would-pin');
    expect(renderSyncSummary(none, 'dry-run')).toMatch(/Would pin the dashboard/);
    expect(f.writes()).toEqual([]);
    // With a dashboard that exists but is not pinned, the dry run reads the state and still writes nothing.
    f.seed({ title: '[mailwarden] Dashboard', body: '<!-- mailwarden:dashboard -->\n', labels: ['mailwarden'] });
    const existing = await sync(f, report(users(2)), { mode: 'dry-run' });
    expect(existing.pin?.status).toBe('would-pin');
    expect(f.writes()).toEqual([]);
    expect(f.pinned).toEqual([]);
  });
});

describe("the fake GitHub GraphQL endpoint checks queries against GitHub's schema", () => {
  async function post(
    f: FakeGitHub,
    body: unknown,
  ): Promise<{ status: number; json: { data?: unknown; errors?: { message: string; type?: string }[] } }> {
    const res = await fetch(`${f.url}/graphql`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { data?: unknown; errors?: { message: string }[] } };
  }

  it('refuses a field GitHub does not have, a wrong variable type and bad JSON', async () => {
    const f = await fake();
    f.seed({ title: 'x' });
    const typo = await post(f, {
      query: 'query { repository(owner: "contoso", name: "it-audit") { issue(number: 1) { id isPined } } }',
    });
    expect(typo.status).toBe(200);
    expect(typo.json.data).toBeUndefined();
    expect(typo.json.errors?.[0]?.message).toMatch(/isPined/);
    const wrongType = await post(f, {
      query: 'query($n: Int!) { repository(owner: "contoso", name: "it-audit") { issue(number: $n) { id } } }',
      variables: { n: 'one' },
    });
    expect(wrongType.json.errors?.[0]?.message).toMatch(/\$n/);
    const unknownArgument = await post(f, {
      query: 'mutation { pinIssue(input: { issueId: "I_1", position: 1 }) { issue { id } } }',
    });
    expect(unknownArgument.json.errors?.[0]?.message).toMatch(/position/);
    const res = await fetch(`${f.url}/graphql`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-token' },
      body: '{',
    });
    expect(res.status).toBe(400);
    expect(f.pinned).toEqual([]);
    const ok = await post(f, {
      query: 'query { repository(owner: "contoso", name: "it-audit") { issue(number: 1) { id isPinned } } }',
    });
    expect(ok.json).toEqual({ data: { repository: { issue: { id: 'I_1', isPinned: false } } } });
  });
});
