import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { simulatorCollector } from '../../src/entry/simulator-collector.js';
import { silentLogger } from '../../src/logger.js';
import type { Json as JsonValue } from '../../src/model/json.js';
import { DEMO_POLICY_PATH, DEMO_TENANT_DIR } from '../../src/paths.js';
import type { Report } from '../../src/report/report.js';
import type { FaultRule } from '../../src/simulator/realism.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import { runAudit } from '../../src/run/run-audit.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/github-server.js';
import { runCli } from '../helpers/cli.js';
import { GITHUB_AUTOLINKS, parseHtml, renderGfm, scannedText } from '../helpers/gfm.js';
import { tempDir } from '../helpers/temp.js';

/*
 * The catalogue: every input that adversarial testing found trusted, coerced or crashed on, in
 * one table, each run the way a user would (the CLI's `main` in-process, at the real clock; the
 * live cases, whose faults no flag can inject, through the CLI's settings and `runAudit` with
 * simulator faults), with the exit code and the exact line it now prints. A user mistake is
 * exit 2 and one line naming the file (line, column, JSON pointer where there is one), no stack
 * trace; a corrupted snapshot is one warning line naming the file and pointer, its source
 * `failed`, the controls behind it `error`, and no pass the clean demo does not give. The table
 * is printed after the run, so a closing note can quote it. Paths are written as SNAPSHOT (a
 * copy of the demo), FILE and DIR.
 */

type Json = Record<string, unknown>;

interface Seen {
  readonly code: number;
  /** What the user is told: the error line(s), the warning, or the result that changed. */
  readonly line: string;
  /** For replays and audits that run: the controls now `error`, and what else was checked. */
  readonly results?: string;
}

interface Case {
  /** What adversarial testing saw before. */
  readonly seen: string;
  readonly exit: number;
  readonly line: string;
  readonly results?: string;
  readonly run: () => Promise<Seen>;
}

const SIGN_IN_CONTROLS =
  'legacy-auth.sign-ins, sign-ins.countries, sign-ins.impossible-travel, sign-ins.mfa-fatigue, sign-ins.password-spray';

let clean: Report;
const rows: string[] = [];

async function demoCopy(mutate?: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(await tempDir(), 'snapshot');
  await cp(DEMO_TENANT_DIR, dir, { recursive: true });
  await mutate?.(dir);
  return dir;
}

async function editJson(file: string, edit: (value: Json) => void): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as Json;
  edit(value);
  await writeFile(file, JSON.stringify(value, null, 1));
}

function firstItem(relative: string, match: (item: Json) => boolean, change: (item: Json) => void) {
  return (dir: string) =>
    editJson(path.join(dir, relative), (file) => {
      const item = (file.value as Json[]).find(match);
      if (!item) throw new Error(`no item of ${relative} matches`);
      change(item);
    });
}

async function cutLines(file: string, keep: number): Promise<void> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  await writeFile(file, `${lines.slice(0, keep).join('\n')}\n`);
}

async function audit(dir: string, now = new Date()): Promise<{ code: number; stderr: string; report: Report }> {
  const reportPath = path.join(path.dirname(dir), 'report.json');
  const run = await runCli(
    ['audit', '--snapshot', dir, '--policy', DEMO_POLICY_PATH, '--fail-on', 'none', '--report-json', reportPath],
    { now },
  );
  expect(run.stderr).not.toMatch(/\n\s+at /);
  return { ...run, report: JSON.parse(await readFile(reportPath, 'utf8')) as Report };
}

const key = (r: { control: string; target: string }) => `${r.control} ${r.target}`;

/** The controls with an `error` result the clean demo does not have; a new pass fails the test. */
function changed(report: Report, baseline: Report = clean): string {
  const passes = new Set(baseline.results.filter((r) => r.status === 'pass').map(key));
  const errors = new Set(baseline.results.filter((r) => r.status === 'error').map(key));
  const newPasses = report.results.filter((r) => r.status === 'pass' && !passes.has(key(r))).map(key);
  expect(newPasses, 'a pass the clean demo does not give').toEqual([]);
  const now = [
    ...new Set(report.results.filter((r) => r.status === 'error' && !errors.has(key(r))).map((r) => r.control)),
  ];
  return now.length === 0 ? 'no new error; no new pass' : `${now.sort().join(', ')} error; no new pass`;
}

/** A corrupted copy of the demo, replayed: the one warning line, and what changed. */
function replay(mutate: (dir: string) => Promise<void>): () => Promise<Seen> {
  return async () => {
    const dir = await demoCopy(mutate);
    const run = await audit(dir);
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings.length, run.stderr).toBeLessThanOrEqual(1);
    const line = warnings[0] ?? '';
    return { code: run.code, line: line.replaceAll(dir, 'SNAPSHOT'), results: changed(run.report) };
  };
}

/** A replay whose change shows in the message of its new `error` results, not in a warning. */
function replayResult(mutate: (dir: string) => Promise<void>): () => Promise<Seen> {
  return async () => {
    const dir = await demoCopy(mutate);
    const run = await audit(dir);
    const before = new Set(clean.results.filter((r) => r.status === 'error').map(key));
    const messages = [
      ...new Set(run.report.results.filter((r) => r.status === 'error' && !before.has(key(r))).map((r) => r.message)),
    ];
    expect(messages).toHaveLength(1);
    return { code: run.code, line: (messages[0] ?? '').replaceAll(dir, 'SNAPSHOT'), results: changed(run.report) };
  };
}

/** The CLI's error lines (progress lines aside), with the temporary paths named. */
function mistakeLines(stderr: string, names: Readonly<Record<string, string>>): string {
  let text = stderr
    .trimEnd()
    .split('\n')
    .filter((l) => l.startsWith('mailwarden: ') || l.startsWith('  '))
    .join('\n');
  for (const [at, name] of Object.entries(names)) text = text.replaceAll(at, name);
  return text;
}

/** A CLI run that must stop before judging: no stack trace, nothing on stdout. */
async function mistake(
  args: readonly string[],
  names: Readonly<Record<string, string>>,
  env: Record<string, string> = {},
): Promise<Seen> {
  const run = await runCli(args, { now: new Date(), env });
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).toBe('');
  return { code: run.code, line: mistakeLines(run.stderr, names) };
}

async function file(name: string, content: string | Buffer): Promise<string> {
  const at = path.join(await tempDir(), name);
  await writeFile(at, content);
  return at;
}

async function policyFile(change: (controls: Record<string, Json>) => void): Promise<string> {
  const doc = JSON.parse(await readFile(DEMO_POLICY_PATH, 'utf8')) as { controls: Record<string, Json> };
  change(doc.controls);
  return file('policy.json', JSON.stringify(doc, null, 2));
}

/** `audit --snapshot demo --policy FILE`: a policy mistake, named before anything is read. */
async function auditWithPolicy(at: string): Promise<Seen> {
  return mistake(['audit', '--snapshot', DEMO_TENANT_DIR, '--policy', at], { [at]: 'FILE' });
}

/** `audit --demo` (the simulator over HTTP) with faults the simulator injects; its report. */
async function liveAudit(faults: readonly FaultRule[]): Promise<{ code: number; report: Report }> {
  const dir = await tempDir();
  const reportPath = path.join(dir, 'report.json');
  const now = () => new Date();
  const settings = auditSettings([
    '--demo',
    '--policy',
    DEMO_POLICY_PATH,
    '--fail-on',
    'none',
    '--report-json',
    reportPath,
  ]);
  const outcome = await runAudit(settings, {
    logger: silentLogger,
    now,
    collector: simulatorCollector({ dir: DEMO_TENANT_DIR, logger: silentLogger, now, realism: { faults } }),
  });
  return { code: outcome.exitCode, report: JSON.parse(await readFile(reportPath, 'utf8')) as Report };
}

let liveClean: Report | undefined;

/** A field of the wrong type served live: the source's failed reason, and what changed. */
function liveShape(source: SourceId, endpoint: string, pointer: string, value: JsonValue): () => Promise<Seen> {
  return async () => {
    liveClean ??= (await liveAudit([])).report;
    const { code, report } = await liveAudit([{ kind: 'replaceValue', path: endpoint, pointer, value, limit: 1 }]);
    const status = report.snapshot.sources[source];
    return {
      code,
      line: `${source}: ${status?.status}${status?.status === 'failed' ? `: ${status.reason}` : ''}`,
      results: changed(report, liveClean),
    };
  };
}

/** The sign-in log's paging breaks after its first page, live (the simulator over HTTP). */
async function liveStreamCut(): Promise<Seen> {
  const { code, report } = await liveAudit([{ kind: 'malformedJson', path: '/auditLogs/signIns', after: 1 }]);
  const status = report.snapshot.sources['graph.signIns'];
  if (status?.status !== 'failed') throw new Error(`graph.signIns is ${status?.status}`);
  const errors = [
    ...new Set(
      report.results.filter((r) => r.status === 'error' && r.message.includes('graph.signIns')).map((r) => r.control),
    ),
  ];
  return {
    code,
    line: `manifest graph.signIns: failed, covered ${status.covered?.records} records in ${status.covered?.pages} page, reason ${status.reason.replace(/at byte \d+/, 'at byte N')}`,
    results: `${errors.sort().join(', ')} error`,
  };
}

/** Tenant text with GitHub references, through `audit --issues on` to a fake GitHub, rendered. */
async function referencesInIssues(): Promise<Seen> {
  const hostile = 'see #1, o/r#2 and GH-3, fixed in 1a2b3c4, www.evil.example';
  const dir = await demoCopy(async (d) => {
    const rules = path.join(d, 'graph/messageRules.jsonl');
    const text = await readFile(rules, 'utf8');
    await writeFile(
      rules,
      text.replace('<img src=x onerror=alert(1)> @security-team [click](https://evil.example) | #1', hostile),
    );
  });
  // Only the inbox-rule control, so the real client's write pacing opens a handful of issues.
  const policy = await policyFile((c) => {
    for (const [id, entry] of Object.entries(c)) entry.enabled = id === 'forwarding.inbox-rules';
  });
  github = await startFakeGitHub();
  const run = await runCli(
    [
      'audit',
      '--snapshot',
      dir,
      '--policy',
      policy,
      '--fail-on',
      'none',
      '--issues',
      'on',
      '--max-new-issues',
      '200',
      '--repo',
      'contoso/it-audit',
      '--github-api-url',
      github.apiUrl,
    ],
    { now: new Date(), env: { GITHUB_TOKEN: 'test-token' } },
  );
  // What GitHub scans: the rendered text outside code and links.
  const pages = [...github.issues.values()].map((i) => scannedText(parseHtml(renderGfm(i.body ?? ''))));
  const shown = pages.find((text) => text.replaceAll('\u200d', '').includes(hostile)) ?? '';
  expect(shown).not.toBe('');
  const links = GITHUB_AUTOLINKS.filter(([, pattern]) => pattern.test(shown)).map(([name]) => name);
  return {
    code: run.code,
    line: `issue body shows "${hostile}" as text`,
    results: links.length === 0 ? 'no GitHub reference or link in the rendered issue' : `linked: ${links.join(', ')}`,
  };
}

let github: FakeGitHub | undefined;

const CASES: readonly Case[] = [
  // The reader verifies the folder.
  {
    seen: 'an empty graph/signIns.jsonl the manifest counts 3,192 records in: five sign-in detectors passed',
    exit: 0,
    line: 'warning: graph.signIns: SNAPSHOT/graph/signIns.jsonl: is empty, but the manifest says the source was read with 3192 records',
    results: `${SIGN_IN_CONTROLS} error; no new pass`,
    run: replay((d) => writeFile(path.join(d, 'graph/signIns.jsonl'), '')),
  },
  {
    seen: 'an empty exchange/Get-Mailbox.json: forwarding.mailbox passed',
    exit: 0,
    line: 'warning: exo.mailbox: SNAPSHOT/exchange/Get-Mailbox.json: holds 0 records, but the manifest counts 258; the file is cut short or was changed',
    results:
      'audit.mailbox-auditing, forwarding.mailbox, forwarding.transport-rules, mailbox.delegation error; no new pass',
    run: replay((d) =>
      editJson(path.join(d, 'exchange/Get-Mailbox.json'), (f) => {
        f.value = [];
      }),
    ),
  },
  {
    seen: 'an empty graph/users.json: mfa.registration passed "100% of 0"',
    exit: 0,
    line: 'warning: graph.users: SNAPSHOT/graph/users.json: holds 0 records, but the manifest counts 266; the file is cut short or was changed',
    results: 'mfa.registration error; no new pass',
    run: replay((d) =>
      editJson(path.join(d, 'graph/users.json'), (f) => {
        f.value = [];
      }),
    ),
  },
  {
    seen: 'graph/messageRules.jsonl cut at a line boundary: inbox-rule fails vanished, issues would close',
    exit: 0,
    line: 'Reading graph.messageRules failed part-way: SNAPSHOT/graph/messageRules.jsonl: holds 20 records, but the manifest counts 266; the file is cut short or was changed',
    results: 'forwarding.concealment-rules, forwarding.inbox-rules error; no new pass',
    run: replayResult((d) => cutLines(path.join(d, 'graph/messageRules.jsonl'), 20)),
  },
  {
    seen: 'a capturedAt in the future (an hour from now) was accepted',
    exit: 2,
    line: 'mailwarden: SNAPSHOT/manifest.json: /capturedAt: FUTURE is later than now (NOW); a snapshot cannot have been captured in the future',
    run: async () => {
      const now = new Date();
      const future = new Date(now.getTime() + 3_600_000).toISOString();
      const dir = await demoCopy((d) =>
        editJson(path.join(d, 'manifest.json'), (m) => {
          m.capturedAt = future;
        }),
      );
      const run = await runCli(['audit', '--snapshot', dir, '--fail-on', 'none'], { now });
      expect(run.stderr).not.toMatch(/\n\s+at /);
      return {
        code: run.code,
        line: (run.stderr.trimEnd().split('\n').at(-1) ?? '')
          .replaceAll(dir, 'SNAPSHOT')
          .replace(future, 'FUTURE')
          .replace(now.toISOString(), 'NOW'),
      };
    },
  },
  {
    seen: 'a snapshot file nested 5,000 levels deep (the parser would overflow its stack)',
    exit: 0,
    line: 'warning: graph.users: SNAPSHOT/graph/users.json:1:78: nested deeper than 64 levels of objects and arrays',
    results: 'mfa.registration error; no new pass',
    run: replay((d) =>
      writeFile(path.join(d, 'graph/users.json'), `{"value":[{"id":${'['.repeat(5000)}${']'.repeat(5000)}}]}`),
    ),
  },
  {
    seen: 'a snapshot file that is not JSON',
    exit: 0,
    line: 'warning: exo.mailbox: SNAPSHOT/exchange/Get-Mailbox.json:1:29: invalid JSON (PropertyNameExpected)',
    results:
      'audit.mailbox-auditing, forwarding.mailbox, forwarding.transport-rules, mailbox.delegation error; no new pass',
    run: replay((d) => writeFile(path.join(d, 'exchange/Get-Mailbox.json'), '{"value": [{"Identity": "a",}')),
  },
  {
    seen: 'the manifest said graph.signIns ok after paging failed part-way (live)',
    exit: 0,
    line: 'manifest graph.signIns: failed, covered 1000 records in 1 page, reason unexpected response from /auditLogs/signIns: (body) is not JSON (HTTP 200: body ends before the JSON object closes at byte N)',
    results: `${SIGN_IN_CONTROLS} error`,
    run: liveStreamCut,
  },
  // Shapes are checked before judging.
  {
    seen: 'isMfaRegistered: "false" (a string): mfa.registration passed "100% of 240"',
    exit: 0,
    line: 'warning: graph.userRegistrationDetails: SNAPSHOT/graph/userRegistrationDetails.json: /value/3/isMfaRegistered: is a string ("false"), expected a boolean',
    results: 'mfa.admins-phishing-resistant, mfa.registration error; no new pass',
    run: replay(
      firstItem(
        'graph/userRegistrationDetails.json',
        (u) => u.isMfaRegistered === false,
        (u) => {
          u.isMfaRegistered = 'false';
        },
      ),
    ),
  },
  {
    seen: 'accountEnabled: "true": mfa.registration passed "100% of 0 enabled member users"',
    exit: 0,
    line: 'warning: graph.users: SNAPSHOT/graph/users.json: /value/0/accountEnabled: is a string ("true"), expected a boolean',
    results: 'mfa.registration error; no new pass',
    run: replay(
      firstItem(
        'graph/users.json',
        (u) => u.accountEnabled === true,
        (u) => {
          u.accountEnabled = 'true';
        },
      ),
    ),
  },
  {
    seen: 'accountEnabled: null: the same pass',
    exit: 0,
    line: 'warning: graph.users: SNAPSHOT/graph/users.json: /value/0/accountEnabled: is null, expected a boolean',
    results: 'mfa.registration error; no new pass',
    run: replay(
      firstItem(
        'graph/users.json',
        (u) => u.accountEnabled === true,
        (u) => {
          u.accountEnabled = null;
        },
      ),
    ),
  },
  {
    seen: 'live: isMfaRegistered "false" served by Graph',
    exit: 0,
    line: 'graph.userRegistrationDetails: failed: unexpected response from /reports/authenticationMethods/userRegistrationDetails: /value/3/isMfaRegistered is a string ("false"), expected a boolean',
    results: 'mfa.admins-phishing-resistant, mfa.registration error; no new pass',
    run: liveShape(
      'graph.userRegistrationDetails',
      '/reports/authenticationMethods/userRegistrationDetails',
      '/value/3/isMfaRegistered',
      'false',
    ),
  },
  {
    seen: 'live: accountEnabled null served by Graph',
    exit: 0,
    line: 'graph.users: failed: unexpected response from /users: /value/0/accountEnabled is null, expected a boolean',
    results: 'mfa.registration error; no new pass',
    run: liveShape('graph.users', 'accountEnabled,userType', '/value/0/accountEnabled', null),
  },
  {
    seen: 'live: a numeric userPrincipalName served by Graph',
    exit: 0,
    line: 'graph.users: failed: unexpected response from /users: /value/0/userPrincipalName is a number (12345), expected a string',
    results: 'mfa.registration error; no new pass',
    run: liveShape('graph.users', 'accountEnabled,userType', '/value/0/userPrincipalName', 12345),
  },
  {
    seen: 'ForwardingSmtpAddress as an array: 3 forwarding mailboxes judged compliant',
    exit: 0,
    line: 'warning: exo.mailbox: SNAPSHOT/exchange/Get-Mailbox.json: /value/INDEX/ForwardingSmtpAddress: is an array, expected a string or null',
    results:
      'audit.mailbox-auditing, forwarding.mailbox, forwarding.transport-rules, mailbox.delegation error; no new pass',
    run: async () => {
      const seen = await replay(
        firstItem(
          'exchange/Get-Mailbox.json',
          (m) => typeof m.ForwardingSmtpAddress === 'string',
          (m) => {
            m.ForwardingSmtpAddress = [m.ForwardingSmtpAddress];
          },
        ),
      )();
      return { ...seen, line: seen.line.replace(/\/value\/\d+\//, '/value/INDEX/') };
    },
  },
  {
    seen: 'sign-in dates such as 11/27/2026 05:59:54 were dropped silently, and the detectors passed',
    exit: 0,
    line: `evidence of ${SIGN_IN_CONTROLS}: scan.unparseableDates counts 1, the first 11/27/2026 05:59:54`,
    results: 'no new error; no new pass',
    run: async () => {
      const dir = await demoCopy(async (d) => {
        const at = path.join(d, 'graph/signIns.jsonl');
        const lines = (await readFile(at, 'utf8')).trimEnd().split('\n');
        const page = JSON.parse(lines[0] ?? '') as { value: Json[] };
        (page.value[0] as Json).createdDateTime = '11/27/2026 05:59:54';
        lines[0] = JSON.stringify(page);
        await writeFile(at, `${lines.join('\n')}\n`);
      });
      const run = await audit(dir);
      const counted = SIGN_IN_CONTROLS.split(', ').filter((control) => {
        const results = run.report.results.filter((r) => r.control === control);
        return (
          results.length > 0 &&
          results.every((r) => {
            const dates = (r.evidence.scan as Json | undefined)?.unparseableDates as
              | { count: number; examples: { createdDateTime: string }[] }
              | undefined;
            return dates?.count === 1 && dates.examples[0]?.createdDateTime === '11/27/2026 05:59:54';
          })
        );
      });
      return {
        code: run.code,
        line: `evidence of ${counted.join(', ')}: scan.unparseableDates counts 1, the first 11/27/2026 05:59:54`,
        results: changed(run.report),
      };
    },
  },
  {
    seen: 'a numeric userPrincipalName: "user.userPrincipalName.toLowerCase is not a function"',
    exit: 0,
    line: 'warning: graph.users: SNAPSHOT/graph/users.json: /value/0/userPrincipalName: is a number (12345), expected a string',
    results: 'mfa.registration error; no new pass',
    run: replay(
      firstItem(
        'graph/users.json',
        () => true,
        (u) => {
          u.userPrincipalName = 12345;
        },
      ),
    ),
  },
  {
    seen: 'a numeric _dmarc TXT record (data: [12345]): dmarc.* failed "no DMARC record", the file not named',
    exit: 0,
    line: 'warning: dns: SNAPSHOT/dns/answers.json: /answers/_dmarc.contosohealth.example~1TXT/records/0/data/0: is a number (12345), expected a string',
    results:
      'dkim.keys, dkim.signing, dmarc.policy, dmarc.record, dmarc.reporting, domains.parked, mta-sts.policy, spf.authorizes-m365, spf.qualifier, spf.record, tls-rpt.record error; no new pass',
    run: replay((d) =>
      editJson(path.join(d, 'dns/answers.json'), (f) => {
        const answer = (f.answers as Record<string, { records: Json[] }>)['_dmarc.contosohealth.example/TXT'];
        for (const record of answer?.records ?? []) record.data = [12345];
      }),
    ),
  },
  // Policies are strict.
  {
    seen: 'a repeated key ("enabled": true, "enabled": false) silently disabled a control',
    exit: 2,
    line: 'mailwarden: FILE:6:44: /controls/mfa.registration/enabled: duplicate key "enabled" (first at line 6, column 27); JSON keeps only the last, so remove one',
    run: async () =>
      auditWithPolicy(
        await file(
          'dup.json',
          '{\n  "id": "dup",\n  "title": "t",\n  "version": "1",\n  "controls": {\n    "mfa.registration": { "enabled": true, "enabled": false }\n  }\n}\n',
        ),
      ),
  },
  {
    seen: 'controls: {} was valid; the audit exited 0 with 0 results',
    exit: 2,
    line: 'mailwarden: FILE: policy is invalid (1 problem)\n  FILE:1: /controls: the policy enables no control, so a run would audit nothing; set "enabled": true on at least one (docs/controls.md lists them)',
    run: async () => auditWithPolicy(await file('none.json', '{"id":"none","title":"t","version":"1","controls":{}}')),
  },
  {
    seen: 'a policy with every control disabled was valid; the audit exited 0 with 0 results',
    exit: 2,
    line: 'mailwarden: FILE: policy is invalid (1 problem)\n  FILE:7: /controls: the policy enables no control, so a run would audit nothing; set "enabled": true on at least one (docs/controls.md lists them)',
    run: async () =>
      auditWithPolicy(
        await policyFile((c) => {
          for (const entry of Object.values(c)) entry.enabled = false;
        }),
      ),
  },
  {
    seen: '5,000 levels of nesting: exit 4 "Maximum call stack size exceeded"',
    exit: 2,
    line: 'mailwarden: FILE:1:128: nested deeper than 64 levels of objects and arrays',
    run: async () =>
      auditWithPolicy(
        await file(
          'deep.json',
          `{"id":"n","title":"t","version":"1","controls":{},"description":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        ),
      ),
  },
  {
    seen: 'egressCidrs: ["999.999.1.1/99"] passed validation and erred after the whole collection',
    exit: 2,
    line: 'mailwarden: FILE: policy does not match policies/policy.schema.json (1 problem)\n  FILE:LINE: /controls/sign-ins.impossible-travel/egressCidrs/0: "999.999.1.1/99" is not an IPv4 or IPv6 CIDR block such as 198.51.100.0/24',
    run: async () => {
      const seen = await auditWithPolicy(
        await policyFile((c) => {
          (c['sign-ins.impossible-travel'] ?? {}).egressCidrs = ['999.999.1.1/99'];
        }),
      );
      return { ...seen, line: seen.line.replace(/FILE:\d+:/, 'FILE:LINE:') };
    },
  },
  {
    seen: 'microsoftSpfDomain: "" passed validation',
    exit: 2,
    line: 'mailwarden: FILE: policy does not match policies/policy.schema.json (1 problem)\n  FILE:LINE: /controls/spf.authorizes-m365/microsoftSpfDomain: must not be empty',
    run: async () => {
      const seen = await auditWithPolicy(
        await policyFile((c) => {
          (c['spf.authorizes-m365'] ?? {}).microsoftSpfDomain = '';
        }),
      );
      return { ...seen, line: seen.line.replace(/FILE:\d+:/, 'FILE:LINE:') };
    },
  },
  {
    seen: "a policy with invalid UTF-8 was valid, hashed as decoded text (sha256 not the file's)",
    exit: 2,
    line: 'mailwarden: FILE:2:10: the policy file is not valid UTF-8 (byte 0xFF); save it as UTF-8',
    run: async () =>
      auditWithPolicy(
        await file(
          'bad.json',
          Buffer.concat([Buffer.from('{\n  "id": "'), Buffer.from([0xff]), Buffer.from('x", "controls": {}}')]),
        ),
      ),
  },
  {
    seen: 'a policy file over 5 MB was read whole',
    exit: 2,
    line: 'mailwarden: FILE: the policy file is larger than 5 MB; refusing to read it',
    run: async () =>
      auditWithPolicy(
        await file(
          'big.json',
          `{"id":"b","title":"t","version":"1","controls":{},"description":"${'x'.repeat(5 * 1024 * 1024)}"}`,
        ),
      ),
  },
  // Flags and paths.
  {
    seen: '--evidence-dir naming an existing file: exit 4 "internal error: EEXIST … mkdir"',
    exit: 2,
    line: 'mailwarden: FILE: cannot write the evidence pack there: it is a file, not a folder',
    run: async () => {
      const at = await file('a-file', 'x');
      return mistake(['audit', '--snapshot', DEMO_TENANT_DIR, '--evidence-dir', at], { [at]: 'FILE' });
    },
  },
  {
    seen: '--report-json /proc/version: exit 4 "internal error: EIO", after the whole audit',
    exit: 2,
    line: 'mailwarden: /proc/version: cannot write the JSON report there: EIO: i/o error, write',
    run: () => mistake(['audit', '--snapshot', DEMO_TENANT_DIR, '--report-json', '/proc/version'], {}),
  },
  {
    seen: '--policy /dev/zero: V8 out-of-memory abort',
    exit: 2,
    line: 'mailwarden: /dev/zero: the policy file is larger than 5 MB; refusing to read it',
    run: () => mistake(['audit', '--snapshot', DEMO_TENANT_DIR, '--policy', '/dev/zero'], {}),
  },
  {
    seen: '--certificate /dev/zero (the other files a user names are bounded as the policy is)',
    exit: 2,
    line: 'mailwarden: /dev/zero: the certificate file is larger than 1 MB; refusing to read it',
    run: () =>
      mistake(
        [
          'audit',
          '--tenant-id',
          'contoso.onmicrosoft.com',
          '--client-id',
          '11111111-2222-4333-8444-555555555555',
          '--certificate',
          '/dev/zero',
        ],
        {},
      ),
  },
  {
    seen: 'simulate --realism /dev/zero',
    exit: 2,
    line: 'mailwarden: /dev/zero: the realism file is larger than 1 MB; refusing to read it',
    run: () => mistake(['simulate', '--tenant', DEMO_TENANT_DIR, '--realism', '/dev/zero'], {}),
  },
  {
    seen: '--policy naming a folder',
    exit: 2,
    line: 'mailwarden: DIR: is a folder, not a policy file',
    run: async () => {
      const dir = await tempDir();
      return mistake(['audit', '--snapshot', DEMO_TENANT_DIR, '--policy', dir], { [dir]: 'DIR' });
    },
  },
  {
    seen: 'audit --help: exit 2 "Unknown option \'--help\'"',
    exit: 0,
    line: 'Usage: mailwarden audit [options]',
    run: async () => {
      const run = await runCli(['audit', '--help']);
      expect(run.stderr).toBe('');
      return { code: run.code, line: run.stdout.split('\n')[0] ?? '' };
    },
  },
  {
    seen: '--client-secret x: every "x" in the log masked ("e***o.transportConfig")',
    exit: 2,
    line: 'mailwarden: --client-secret: 1 character is not a plausible client secret (at least 8); check the value',
    run: () =>
      mistake(
        [
          'audit',
          '--tenant-id',
          'contoso.onmicrosoft.com',
          '--client-id',
          '11111111-2222-4333-8444-555555555555',
          '--client-secret',
          'x',
          // Closed loopback ports: had the run tried to sign in, the error would differ.
          '--authority-url',
          'https://127.0.0.1:9',
          '--graph-url',
          'https://127.0.0.1:9',
          '--exchange-url',
          'https://127.0.0.1:9',
        ],
        {},
      ),
  },
  {
    seen: 'a 3-character GITHUB_TOKEN',
    exit: 2,
    line: 'mailwarden: GITHUB_TOKEN: 3 characters is not a plausible GitHub token (at least 8); check the value',
    run: () =>
      mistake(
        ['audit', '--snapshot', DEMO_TENANT_DIR, '--issues', 'dry-run', '--repo', 'o/r'],
        {},
        {
          GITHUB_TOKEN: 'abc',
        },
      ),
  },
  // Escaping.
  {
    seen: '#1, o/r#2 and GH-3 in tenant text reached issue bodies where GitHub links them',
    exit: 0,
    line: 'issue body shows "see #1, o/r#2 and GH-3, fixed in 1a2b3c4, www.evil.example" as text',
    results: 'no GitHub reference or link in the rendered issue',
    run: referencesInIssues,
  },
];

beforeAll(async () => {
  clean = (await audit(await demoCopy())).report;
}, 60_000);

afterAll(async () => {
  await github?.close();
  // For the closing note: every case with the exit code and the line it now gives.
  console.log(['| before | exit | now |', '|---|---|---|', ...rows].join('\n'));
});

describe('every input adversarial testing found trusted or crashed on: the exit code and the line it now gives', () => {
  for (const c of CASES) {
    it(c.seen, { timeout: 60_000 }, async () => {
      const seen = await c.run();
      expect(seen.line).toBe(c.line);
      expect(seen.code, seen.line).toBe(c.exit);
      if (c.results !== undefined || seen.results !== undefined) expect(seen.results).toBe(c.results);
      const now = [seen.line, seen.results].filter((t) => t !== undefined).join('; ');
      rows.push(`| ${c.seen} | ${seen.code} | ${now.replaceAll('\n', '<br>').replaceAll('|', '\\|')} |`);
    });
  }

  it('covers the cases in the order they were reported, none twice', () => {
    expect(new Set(CASES.map((c) => c.seen)).size).toBe(CASES.length);
    expect(CASES.length).toBe(36);
  });
});
