import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import { expiringExceptions, renderExpiringExceptions } from '../../src/report/expiring-exceptions.js';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

// The demo snapshot was captured 2026-11-27T06:00Z; the CLI clock in tests is 2026-11-27T12:00Z.
const NOW = new Date('2026-11-27T12:00:00Z');

interface RunWithExceptions {
  readonly report: Report;
  readonly summary: string;
  readonly stderr: string;
}

async function auditDemoWith(exceptions: object[], settings?: object): Promise<RunWithExceptions> {
  const dir = await tempDir();
  const policy = JSON.parse(await readFile('demo/demo-policy.json', 'utf8')) as Record<string, unknown>;
  policy.exceptions = exceptions;
  if (settings) policy.settings = settings;
  const file = path.join(dir, 'policy.json');
  await writeFile(file, JSON.stringify(policy, null, 2));
  const reportPath = path.join(dir, 'report.json');
  const summaryPath = path.join(dir, 'summary.md');
  const result = await runCli([
    'audit',
    '--demo',
    '--policy',
    file,
    '--fail-on',
    'none',
    '--report-json',
    reportPath,
    '--summary-md',
    summaryPath,
  ]);
  expect(result.code).toBe(0);
  return {
    report: JSON.parse(await readFile(reportPath, 'utf8')) as Report,
    summary: await readFile(summaryPath, 'utf8'),
    stderr: result.stderr,
  };
}

const base = { control: 'mfa.registration', target: 'tenant', reason: 'migration to passkeys', approvedBy: 'CISO' };

describe('exception lifecycle', () => {
  it('an active exception turns the failing finding into excepted and is recorded as applied', async () => {
    const { report } = await auditDemoWith([{ ...base, expires: '2027-03-01', ticket: 'RISK-12' }]);
    const result = report.results.find((r) => r.control === 'mfa.registration' && r.target === 'tenant');
    expect(result?.status).toBe('excepted');
    expect(result?.exception).toMatchObject({ expired: false, approvedBy: 'CISO', ticket: 'RISK-12' });
    expect(report.exceptions.applied).toEqual([
      expect.objectContaining({ control: 'mfa.registration', expired: false }),
    ]);
  });

  it('an expired exception no longer applies: the finding fails again and the summary says the exception expired', async () => {
    const { report, summary, stderr } = await auditDemoWith([{ ...base, expires: '2026-11-20' }]);
    const result = report.results.find((r) => r.control === 'mfa.registration' && r.target === 'tenant');
    expect(result?.status).toBe('fail');
    expect(result?.exception).toMatchObject({ expired: true, expires: '2026-11-20' });
    expect(report.exceptions.applied).toEqual([expect.objectContaining({ expired: true })]);
    expect(summary).toMatch(/\| `mfa\.registration` \| tenant \| .*\(exception expired 2026-11-20\)/);
    expect(stderr).toMatch(/expired on 2026-11-20/);
  });

  it('an exception that matches nothing is a warning and is listed as unused', async () => {
    const { report, summary, stderr } = await auditDemoWith([
      { ...base, target: 'nobody@contosohealth.example', expires: '2027-01-31' },
    ]);
    expect(report.exceptions.unused).toEqual([expect.objectContaining({ target: 'nobody@contosohealth.example' })]);
    expect(stderr).toMatch(
      /warning: exception for mfa\.registration on "nobody@contosohealth\.example" matches no result/,
    );
    expect(summary).toContain('### Exceptions that matched nothing');
  });

  it('an exception the check honours (a break-glass account left out of coverage) is used, not unused', async () => {
    const users = JSON.parse(await readFile('demo/contoso-health/graph/users.json', 'utf8')) as {
      value: { userPrincipalName: string }[];
    };
    const upn = users.value[0]?.userPrincipalName ?? '';
    const { report } = await auditDemoWith([{ ...base, target: upn, expires: '2027-01-31' }]);
    expect(report.exceptions.unused).toEqual([]);
    const evidence = report.results.find((r) => r.control === 'mfa.registration')?.evidence;
    expect(evidence?.excludedByException).toEqual([upn.toLowerCase()]);
  });

  it('lists exceptions expiring within 14 days in the job summary, soonest first', async () => {
    const { summary } = await auditDemoWith([
      { ...base, expires: '2026-12-09', ticket: 'RISK-1' },
      { ...base, target: 'nobody@contosohealth.example', expires: '2026-11-30' },
      { ...base, target: 'later@contosohealth.example', expires: '2027-02-01' },
    ]);
    const section = summary.slice(summary.indexOf('### Exceptions expiring within 14 days'));
    expect(section).toMatch(/^### Exceptions expiring within 14 days/);
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((r) => r.split('|')[4]?.trim())).toEqual(['3', '12']);
    expect(section).not.toContain('later@');
  });

  it('no expiring section when nothing expires soon', async () => {
    const { summary } = await auditDemoWith([{ ...base, expires: '2027-03-01' }]);
    expect(summary).not.toContain('Exceptions expiring');
  });

  it('the maxExceptionDays setting caps how far ahead an exception may expire', async () => {
    const doc = JSON.parse(await readFile('demo/demo-policy.json', 'utf8')) as Record<string, unknown>;
    doc.settings = { maxExceptionDays: 30 };
    doc.exceptions = [{ ...base, expires: '2027-01-15' }];
    expect(() => parsePolicy(JSON.stringify(doc), 'p.json', NOW)).toThrow(/policy is invalid/);
    doc.exceptions = [{ ...base, expires: '2026-12-20' }];
    expect(parsePolicy(JSON.stringify(doc), 'p.json', NOW).policy.maxExceptionDays).toBe(30);
  });
});

describe('expiringExceptions', () => {
  const exception = (expires: string) => ({ ...base, expires, pointer: '/exceptions/0' });
  it('counts the last day as included and ignores expired ones', () => {
    expect(expiringExceptions([exception('2026-11-27')], NOW).map((e) => e.daysLeft)).toEqual([0]);
    expect(expiringExceptions([exception('2026-11-26')], NOW)).toEqual([]);
    expect(expiringExceptions([exception('2026-12-11')], NOW).map((e) => e.daysLeft)).toEqual([14]);
    expect(expiringExceptions([exception('2026-12-12')], NOW)).toEqual([]);
  });

  it('escapes tenant-controlled text in the section', () => {
    const [section] = renderExpiringExceptions(
      expiringExceptions([{ ...exception('2026-12-01'), target: '<img src=x>@team' }], NOW),
    );
    expect(section).toContain('&lt;img src=x&gt;');
    expect(section).not.toContain('<img');
  });
});
