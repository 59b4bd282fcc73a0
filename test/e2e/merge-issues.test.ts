import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSettings } from '../../src/cli/merge-reports.js';
import { isConfigurationError } from '../../src/errors.js';
import { readActionMode } from '../../src/action/inputs.js';
import { parseFingerprint } from '../../src/issues/marker.js';
import { silentLogger } from '../../src/logger.js';
import { DEMO_POLICY_PATH } from '../../src/paths.js';
import { runAudit } from '../../src/run/run-audit.js';
import type { IssuesSettings, Settings } from '../../src/run/settings.js';
import { runMerge } from '../../src/run/run-merge.js';
import type { Shard } from '../../src/snapshot/shard.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { runCli } from '../helpers/cli.js';
import { simulatorClients, simulatorLiveCollector } from '../helpers/simulator-clients.js';
import { fastIssuesClient } from '../helpers/fast-issues-client.js';

/**
 * The merge job end to end: three shards audit the simulated demo tenant and write partial
 * reports; merge-reports syncs issues once into a fake GitHub, giving the issues an unsharded
 * audit gives; a missing shard is refused before any GitHub call.
 */
const NOW = new Date('2026-11-27T06:00:00Z');
const ENV = { GITHUB_TOKEN: 'test-token' };
const issuesClient = fastIssuesClient();

let sim: RunningSimulator;
const fakes: FakeGitHub[] = [];
let dir: string;
const partials: string[] = [];

async function audit(options: { shard?: Shard; reportJsonPath?: string; issues?: IssuesSettings }) {
  const created = simulatorClients(sim);
  try {
    const settings: Settings = {
      policyPath: DEMO_POLICY_PATH,
      target: { kind: 'demo' },
      saveSnapshotDir: undefined,
      only: undefined,
      reportJsonPath: options.reportJsonPath,
      summaryMarkdownPath: undefined,
      failOn: 'none',
      debug: false,
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.issues ? { issues: options.issues } : {}),
    };
    const collector = simulatorLiveCollector(sim, created, NOW);
    return await runAudit(settings, { logger: silentLogger, now: () => NOW, collector, issuesClient });
  } finally {
    await created.close();
  }
}

async function fake(): Promise<FakeGitHub> {
  const f = await startFakeGitHub();
  fakes.push(f);
  return f;
}

const issueFlags = (f: FakeGitHub) => [
  '--issues',
  'on',
  '--repo',
  'contoso/it-audit',
  '--github-api-url',
  f.apiUrl,
  '--max-new-issues',
  '100',
  '--redact',
  'never',
];

/** The finding issues by fingerprint, as people see them. */
function findingIssues(f: FakeGitHub) {
  return [...f.issues.values()]
    .filter((i) => parseFingerprint(i.body) !== undefined)
    .map((i) => ({
      fingerprint: parseFingerprint(i.body),
      title: i.title,
      body: i.body,
      labels: [...i.labels].sort(),
      state: i.state,
    }))
    .sort((a, b) => (a.fingerprint ?? '').localeCompare(b.fingerprint ?? ''));
}

beforeAll(async () => {
  sim = await startSimulator({ dir: 'demo/contoso-health' });
  // Kept for the whole file (test/helpers/temp.ts removes its folders after each test).
  dir = await mkdtemp(path.join(tmpdir(), 'mailwarden-merge-'));
  for (let index = 1; index <= 3; index++) {
    const file = path.join(dir, `partial-${index}.json`);
    await audit({ shard: { index, count: 3 }, reportJsonPath: file });
    partials.push(file);
  }
}, 120_000);
afterAll(async () => {
  for (const f of fakes) await f.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('merge-reports syncs issues once, as the unsharded run would', () => {
  it('3 shard reports → merge → the same issues as the unsharded audit; a rerun writes nothing', async () => {
    const whole = await fake();
    const unsharded = await audit({
      issues: {
        mode: 'on',
        repo: { owner: 'contoso', repo: 'it-audit' },
        apiUrl: whole.apiUrl,
        token: 'test-token',
        labels: [],
        maxNewIssues: 100,
        redact: 'never',
        redactKey: undefined,
      },
    });
    expect(unsharded.issuesError).toBeUndefined();

    const merged = await fake();
    const summary = path.join(dir, 'summary.md');
    const settings = mergeSettings(
      [
        path.join(dir, 'partial-*.json'),
        '--policy',
        DEMO_POLICY_PATH,
        '--summary-md',
        summary,
        '--sarif',
        path.join(dir, 'merged.sarif'),
        ...issueFlags(merged),
      ],
      ENV,
    );
    const outcome = await runMerge(settings, { logger: silentLogger, now: () => NOW, issuesClient });
    expect(outcome.issuesError).toBeUndefined();
    expect(outcome.issues?.opened).toBe(unsharded.issues?.opened);
    expect(findingIssues(merged).length).toBeGreaterThan(0);
    expect(findingIssues(merged)).toEqual(findingIssues(whole));
    expect(outcome.issues?.dashboard?.status).toBe('created');
    expect(merged.pinned).toHaveLength(1);
    expect(await readFile(summary, 'utf8')).toMatch(/### GitHub issues/);
    const sarif = JSON.parse(await readFile(path.join(dir, 'merged.sarif'), 'utf8')) as {
      runs: { results: unknown[] }[];
    };
    expect(sarif.runs[0]?.results).toHaveLength(outcome.report.results.filter((r) => r.status === 'fail').length);

    const mark = merged.requests.length;
    const again = await runMerge(settings, { logger: silentLogger, now: () => NOW, issuesClient });
    expect(again.issues?.plan.operations).toEqual([]);
    expect(merged.writes(mark)).toEqual([]);
  }, 120_000);

  it('a missing shard is refused before any GitHub call, from the CLI and from runMerge', async () => {
    const f = await fake();
    const [one, , three] = partials;
    const cli = await runCli(
      ['merge-reports', one ?? '', three ?? '', '--policy', DEMO_POLICY_PATH, ...issueFlags(f)],
      { env: ENV },
    );
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/missing shard 2\/3/);
    const error = await runMerge(mergeSettings([one ?? '', three ?? '', ...issueFlags(f)], ENV), {
      logger: silentLogger,
      now: () => NOW,
      issuesClient,
    }).catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect(f.requests).toEqual([]);
  });

  it("refuses a policy other than the shards' before syncing", async () => {
    const f = await fake();
    const error = await runMerge(mergeSettings([...partials, ...issueFlags(f)], ENV), {
      logger: silentLogger,
      now: () => NOW,
      issuesClient,
    }).catch((e: unknown) => e);
    expect(isConfigurationError(error) && error.message).toMatch(/not the one the shards ran/);
    expect(f.requests).toEqual([]);
  });

  it('a shard never syncs issues: the CLI, the Action inputs and the sync itself refuse a partial report', async () => {
    const tenant = [
      'audit',
      '--tenant-id',
      'contoso.onmicrosoft.com',
      '--client-id',
      '00000000-0000-0000-0000-000000000001',
      '--client-secret',
      'test-client-secret',
      '--shard',
      '2/3',
    ];
    const cli = await runCli([...tenant, '--issues', 'on', '--repo', 'contoso/it-audit'], { env: ENV });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/partial report/);
    const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? '';
    const shardJob = {
      'tenant-id': 'contoso.onmicrosoft.com',
      'client-id': '00000000-0000-0000-0000-000000000001',
      shard: '2/3',
    };
    const mode = readActionMode(inputs(shardJob), '/w', { GITHUB_REPOSITORY: 'contoso/it-audit' });
    expect(mode.kind === 'audit' && mode.settings.issues?.mode).toBe('off');
    expect(() => readActionMode(inputs({ ...shardJob, issues: 'on' }), '/w')).toThrow(/shard job/);
    const f = await fake();
    const partial = audit({
      shard: { index: 2, count: 3 },
      issues: {
        mode: 'on',
        repo: { owner: 'contoso', repo: 'it-audit' },
        apiUrl: f.apiUrl,
        token: 'test-token',
        labels: [],
        maxNewIssues: 100,
        redact: 'never',
        redactKey: undefined,
      },
    });
    expect((await partial).issuesError).toMatch(/partial report/);
    expect(f.requests).toEqual([]);
  }, 60_000);

  it("the Action's merge-reports input gives merge settings, and refuses audit inputs beside it", () => {
    const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? '';
    const mode = readActionMode(
      inputs({
        'merge-reports': 'partial-*.json\nextra.json',
        policy: 'policies/baseline.json',
        'tenant-label': 'contoso',
      }),
      '/w',
      {
        GITHUB_REPOSITORY: 'contoso/it-audit',
      },
    );
    expect(mode.kind).toBe('merge');
    if (mode.kind !== 'merge') return;
    expect(mode.settings.reports).toEqual(['partial-*.json', 'extra.json']);
    expect(mode.settings.issues?.mode).toBe('on');
    expect(mode.settings.issues?.tenantName).toBe('contoso');
    expect(mode.settings.reportJsonPath).toBe('/w/mailwarden-report.json');
    expect(() => readActionMode(inputs({ 'merge-reports': 'a.json', shard: '1/2' }), '/w')).toThrow(
      /cannot be used together/,
    );
  });
});
