import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { folderCollector } from '../../src/collect/folder-collector.js';
import { createOctokit, octokitIssuesApi } from '../../src/issues/octokit-issues-api.js';
import { silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import { DEMO_POLICY_PATH, DEMO_TENANT_DIR } from '../../src/paths.js';
import type { IssuesClientFactory } from '../../src/run/publish-report.js';
import { runAudit } from '../../src/run/run-audit.js';
import type { Report } from '../../src/report/report.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/github-server.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/*
 * Replay verifies what it reads: each corruption of the demo snapshot seen in adversarial
 * testing, through the CLI (exit code, the one warning line naming the file and pointer, the
 * `error` results), and through the issues stage after a clean sync (no issue would close).
 */

const NOW = new Date('2026-11-27T12:00:00Z');

type Json = Record<string, unknown>;
type Mutation = (dir: string) => Promise<void>;

async function editJson(file: string, edit: (value: Json) => Json | undefined): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as Json;
  await writeFile(file, JSON.stringify(edit(value) ?? value, null, 1));
}

/** Applies `change` to the first item of a collection file that `match` selects. */
function editItem(relative: string, match: (item: Json) => boolean, change: (item: Json) => void): Mutation {
  return (dir) =>
    editJson(path.join(dir, relative), (file) => {
      const item = (file.value as Json[]).find(match);
      if (!item) throw new Error(`no item of ${relative} matches`);
      change(item);
      return file;
    });
}

async function demoCopy(mutate?: Mutation): Promise<string> {
  const dir = path.join(await tempDir(), 'snapshot');
  await cp(DEMO_TENANT_DIR, dir, { recursive: true });
  await mutate?.(dir);
  return dir;
}

interface Replay {
  readonly code: number;
  readonly stderr: string;
  readonly report: Report;
}

async function replay(dir: string, now: Date = NOW): Promise<Replay> {
  const reportPath = path.join(path.dirname(dir), 'report.json');
  const run = await runCli(
    ['audit', '--snapshot', dir, '--policy', DEMO_POLICY_PATH, '--fail-on', 'none', '--report-json', reportPath],
    { now },
  );
  expect(run.code, run.stderr).toBe(0);
  return { ...run, report: JSON.parse(await readFile(reportPath, 'utf8')) as Report };
}

const key = (r: Pick<Result, 'control' | 'target'>) => `${r.control} ${r.target}`;

let clean: Report;
beforeAll(async () => {
  clean = (await replay(await demoCopy())).report;
}, 60_000);

/** The passes a corrupted replay gives that the clean demo does not: must always be none. */
function newPasses(report: Report): string[] {
  const cleanPasses = new Set(clean.results.filter((r) => r.status === 'pass').map(key));
  return report.results.filter((r) => r.status === 'pass' && !cleanPasses.has(key(r))).map(key);
}

/** The warning lines the replay printed (the reader names each source it could not trust once). */
function warnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('warning: '));
}

interface Case {
  readonly name: string;
  readonly mutate: Mutation;
  readonly source: string;
  /** The whole warning line, with the folder written as DIR. */
  readonly warning: string;
  /** Controls that must now be `error` (they were judged before). */
  readonly controls: readonly string[];
}

const signInControls = [
  'legacy-auth.sign-ins',
  'sign-ins.countries',
  'sign-ins.impossible-travel',
  'sign-ins.password-spray',
  'sign-ins.mfa-fatigue',
];

const CASES: readonly Case[] = [
  {
    name: 'an empty sign-in log the manifest counts 3,192 records in',
    mutate: (dir) => writeFile(path.join(dir, 'graph/signIns.jsonl'), ''),
    source: 'graph.signIns',
    warning:
      'warning: graph.signIns: DIR/graph/signIns.jsonl: is empty, but the manifest says the source was read with 3192 records',
    controls: signInControls,
  },
  {
    name: 'an empty Get-Mailbox.json',
    mutate: (dir) => editJson(path.join(dir, 'exchange/Get-Mailbox.json'), (f) => ({ ...f, value: [] })),
    source: 'exo.mailbox',
    warning:
      'warning: exo.mailbox: DIR/exchange/Get-Mailbox.json: holds 0 records, but the manifest counts 258; the file is cut short or was changed',
    controls: ['forwarding.mailbox'],
  },
  {
    name: 'an empty users.json',
    mutate: (dir) => editJson(path.join(dir, 'graph/users.json'), (f) => ({ ...f, value: [] })),
    source: 'graph.users',
    warning:
      'warning: graph.users: DIR/graph/users.json: holds 0 records, but the manifest counts 266; the file is cut short or was changed',
    controls: ['mfa.registration'],
  },
  {
    name: 'isMfaRegistered as the string "false"',
    mutate: editItem(
      'graph/userRegistrationDetails.json',
      (u) => u.isMfaRegistered === false,
      (u) => {
        u.isMfaRegistered = 'false';
      },
    ),
    source: 'graph.userRegistrationDetails',
    warning: 'warning: graph.userRegistrationDetails: DIR/graph/userRegistrationDetails.json: /value/',
    controls: ['mfa.registration', 'mfa.admins-phishing-resistant'],
  },
  {
    name: 'accountEnabled as the string "true"',
    mutate: editItem(
      'graph/users.json',
      (u) => u.accountEnabled === true,
      (u) => {
        u.accountEnabled = 'true';
      },
    ),
    source: 'graph.users',
    warning:
      'warning: graph.users: DIR/graph/users.json: /value/0/accountEnabled: is a string ("true"), expected a boolean',
    controls: ['mfa.registration'],
  },
  {
    name: 'accountEnabled null',
    mutate: editItem(
      'graph/users.json',
      (u) => u.accountEnabled === true,
      (u) => {
        u.accountEnabled = null;
      },
    ),
    source: 'graph.users',
    warning: 'warning: graph.users: DIR/graph/users.json: /value/0/accountEnabled: is null, expected a boolean',
    controls: ['mfa.registration'],
  },
  {
    name: 'ForwardingSmtpAddress as a list',
    mutate: editItem(
      'exchange/Get-Mailbox.json',
      (m) => typeof m.ForwardingSmtpAddress === 'string',
      (m) => {
        m.ForwardingSmtpAddress = [m.ForwardingSmtpAddress];
      },
    ),
    source: 'exo.mailbox',
    warning: 'warning: exo.mailbox: DIR/exchange/Get-Mailbox.json: /value/',
    controls: ['forwarding.mailbox'],
  },
  {
    name: 'a numeric userPrincipalName',
    mutate: editItem(
      'graph/users.json',
      () => true,
      (u) => {
        u.userPrincipalName = 12345;
      },
    ),
    source: 'graph.users',
    warning:
      'warning: graph.users: DIR/graph/users.json: /value/0/userPrincipalName: is a number (12345), expected a string',
    controls: ['mfa.registration'],
  },
  {
    name: 'a numeric TXT record',
    mutate: (dir) =>
      editJson(path.join(dir, 'dns/answers.json'), (f) => {
        const answer = (f.answers as Record<string, { records: Json[] }>)['_dmarc.contosohealth.example/TXT'];
        for (const record of answer?.records ?? []) record.data = [12345];
        return f;
      }),
    source: 'dns',
    warning:
      'warning: dns: DIR/dns/answers.json: /answers/_dmarc.contosohealth.example~1TXT/records/0/data/0: is a number (12345), expected a string',
    controls: ['dmarc.record', 'dmarc.policy', 'spf.record', 'dkim.keys'],
  },
];

describe('replay verifies the folder before judging (through the CLI)', () => {
  for (const c of CASES) {
    it(`${c.name}: the source is failed naming the file and pointer, its controls error, no new pass`, async () => {
      const dir = await demoCopy(c.mutate);
      const run = await replay(dir);
      const lines = warnings(run.stderr);
      expect(lines).toHaveLength(1);
      const expected = c.warning.replaceAll('DIR', dir);
      if (c.warning.endsWith('/value/')) expect(lines[0]).toMatch(new RegExp(`^${escapeRegExp(expected)}\\d+/`));
      else expect(lines[0]).toBe(expected);
      // The report's manifest says what the results say.
      const status = run.report.snapshot.sources[c.source as keyof Report['snapshot']['sources']];
      expect(status).toMatchObject({ status: 'failed', reason: lines[0]?.slice(`warning: ${c.source}: `.length) });
      for (const control of c.controls) {
        const results = run.report.results.filter((r) => r.control === control);
        // One error for the tenant; a domain control errs on each audited domain instead.
        const targets = c.source === 'dns' ? [...(run.report.snapshot.domains ?? [])].sort() : ['tenant'];
        expect(targets.length, control).toBeGreaterThan(0);
        expect(results.map((r) => `${r.target} ${r.status}`).sort(), control).toEqual(targets.map((t) => `${t} error`));
        for (const result of results) expect(result.message).toContain(`Source ${c.source} could not be read: ${dir}`);
      }
      expect(newPasses(run.report)).toEqual([]);
    });
  }

  it('a messageRules.jsonl cut at a line boundary: the stream errs at its end and the manifest says failed with what was read', async () => {
    const dir = await demoCopy(async (d) => {
      const file = path.join(d, 'graph/messageRules.jsonl');
      const lines = (await readFile(file, 'utf8')).split('\n');
      await writeFile(file, `${lines.slice(0, 20).join('\n')}\n`);
    });
    const run = await replay(dir);
    const reason = `${dir}/graph/messageRules.jsonl: holds 20 records, but the manifest counts 266; the file is cut short or was changed`;
    for (const control of ['forwarding.inbox-rules', 'forwarding.concealment-rules']) {
      const results = run.report.results.filter((r) => r.control === control);
      expect(results.map((r) => r.status)).toEqual(['error']);
      expect(results[0]?.message).toBe(`Reading graph.messageRules failed part-way: ${reason}`);
    }
    expect(run.report.snapshot.sources['graph.messageRules']).toEqual({
      status: 'failed',
      reason,
      covered: { records: 20, pages: 20 },
    });
    expect(newPasses(run.report)).toEqual([]);
  });

  it('sign-in dates that are not ISO 8601 are counted and named in the evidence, and give no clean result', async () => {
    const dir = await demoCopy(async (d) => {
      const file = path.join(d, 'graph/signIns.jsonl');
      const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
      const page = JSON.parse(lines[0] ?? '') as { value: Json[] };
      const first = page.value[0] as Json;
      first.createdDateTime = '11/27/2026 05:59:54';
      lines[0] = JSON.stringify(page);
      await writeFile(file, `${lines.join('\n')}\n`);
    });
    const run = await replay(dir);
    for (const control of signInControls) {
      const results = run.report.results.filter((r) => r.control === control);
      for (const r of results) {
        expect((r.evidence.scan as Json).unparseableDates, control).toEqual({
          count: 1,
          examples: [{ id: expect.any(String), createdDateTime: '11/27/2026 05:59:54' }],
        });
        expect(r.status).not.toBe('pass');
      }
    }
    expect(newPasses(run.report)).toEqual([]);
  });

  it('a capture time in the future is refused with exit 2 and one line; a few minutes of clock skew are not', async () => {
    const dir = await demoCopy((d) =>
      editJson(path.join(d, 'manifest.json'), (m) => ({ ...m, capturedAt: '2026-11-27T13:00:00.000Z' })),
    );
    const run = await runCli(['audit', '--snapshot', dir, '--fail-on', 'none'], { now: NOW });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    // Progress lines go first; the mistake is one line, and the last.
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe(
      `mailwarden: ${dir}/manifest.json: /capturedAt: 2026-11-27T13:00:00.000Z is later than now (2026-11-27T12:00:00.000Z); a snapshot cannot have been captured in the future`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const skewed = await runCli(['audit', '--snapshot', dir, '--fail-on', 'none'], {
      now: new Date('2026-11-27T12:57:00Z'),
    });
    expect(skewed.code).toBe(0);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('no corrupted replay closes an issue the clean demo opened', () => {
  let github: FakeGitHub | undefined;
  afterAll(async () => {
    await github?.close();
  });

  it('after a clean sync, every corrupted replay plans no close', { timeout: 120_000 }, async () => {
    github = await startFakeGitHub();
    const fake = github;
    const env = { GITHUB_TOKEN: 'test-token' };
    const args = (dir: string, mode: 'on' | 'dry-run') => [
      '--snapshot',
      dir,
      '--policy',
      DEMO_POLICY_PATH,
      '--fail-on',
      'none',
      '--issues',
      mode,
      '--max-new-issues',
      '200',
      '--repo',
      'contoso/it-audit',
      '--github-api-url',
      fake.apiUrl,
    ];
    // The CLI's settings and wiring with the real Octokit, paced fast for a test.
    const deps = (dir: string) => ({
      logger: silentLogger,
      now: () => NOW,
      collector: folderCollector(dir, () => NOW),
      issuesClient: (s: Parameters<IssuesClientFactory>[0]) =>
        octokitIssuesApi(
          createOctokit({
            token: s.token,
            baseUrl: s.apiUrl,
            logger: silentLogger,
            pacing: { writeMs: 0, notificationMs: 0, retryBaseMs: 1 },
          }),
          s.repo,
        ),
    });
    const cleanDir = await demoCopy();
    const first = await runAudit(auditSettings(args(cleanDir, 'on'), env), deps(cleanDir));
    expect(first.issues?.opened).toBeGreaterThan(50);
    const mutations: Mutation[] = [
      ...CASES.map((c) => c.mutate),
      async (d) => {
        const file = path.join(d, 'graph/messageRules.jsonl');
        const lines = (await readFile(file, 'utf8')).split('\n');
        await writeFile(file, `${lines.slice(0, 20).join('\n')}\n`);
      },
    ];
    for (const mutate of mutations) {
      const dir = await demoCopy(mutate);
      const outcome = await runAudit(auditSettings(args(dir, 'dry-run'), env), deps(dir));
      expect(outcome.issues?.plan.operations.filter((o) => o.kind === 'close')).toEqual([]);
    }
  });
});
