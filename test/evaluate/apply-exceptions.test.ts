import { describe, expect, it } from 'vitest';
import { findControl } from '../../src/controls/catalog.js';
import { applyExceptions } from '../../src/evaluate/apply-exceptions.js';
import { fingerprint } from '../../src/evaluate/fingerprint.js';
import { selectControls } from '../../src/evaluate/selection.js';
import type { TargetCoverage } from '../../src/evaluate/target-coverage.js';
import type { Finding } from '../../src/model/finding.js';
import type { Policy } from '../../src/policy/policy.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import { UNIT_NOW, unitPolicy } from '../helpers/evaluate-unit.js';

/*
 * The last step of the engine: findings become results (sorted, with the policy's severity,
 * fingerprinted), exceptions turn a `fail` into `excepted` until they expire, each control gets
 * an outcome, and an active exception that matched nothing is reported as unused.
 */

const ALICE = 'alice@contoso.example';
const BOB = 'bob@contoso.example';

const exception = (target: string, extra: Record<string, unknown> = {}) => ({
  control: 'mfa.registration',
  target,
  reason: 'vendor migration under way',
  approvedBy: 'CISO',
  expires: '2026-12-31',
  ...extra,
});

const finding = (target: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding => ({
  target,
  status,
  message: `${target} ${status}`,
  evidence: { seen: target },
  ...extra,
});

type Covered = Map<string, { coverage: TargetCoverage; unread: readonly SourceId[] }>;
const complete = (...ids: string[]): Covered => new Map(ids.map((id) => [id, { coverage: 'complete', unread: [] }]));

function run(
  policy: Policy,
  findings: Record<string, readonly Finding[]>,
  coverage: Covered = complete(...Object.keys(findings)),
  tenantId: string | null = 'tenant-1',
) {
  return applyExceptions(selectControls(policy), new Map(Object.entries(findings)), policy, {
    now: UNIT_NOW,
    tenantId,
    coverage,
  });
}

describe('control outcomes', () => {
  it('is an error when the check returned no result, and gives no result', () => {
    const policy = unitPolicy({ 'mfa.registration': { enabled: true } });
    const out = run(policy, {}, new Map());
    expect(out.controls).toEqual([
      { control: 'mfa.registration', status: 'error', reason: 'the check returned no result' },
    ]);
    expect(out.results).toEqual([]);
    const empty = run(policy, { 'mfa.registration': [] });
    expect(empty.controls).toEqual([
      { control: 'mfa.registration', status: 'error', reason: 'the check returned no result' },
    ]);
  });

  it('takes the status and message of a lone tenant-level error or not_evaluable finding', () => {
    const policy = unitPolicy({ 'mfa.registration': { enabled: true }, 'mfa.enforcement': { enabled: true } });
    const out = run(
      policy,
      {
        'mfa.registration': [finding('tenant', 'error', { message: 'Source graph.users could not be read: 503' })],
        'mfa.enforcement': [finding('tenant', 'not_evaluable', { message: 'Needs Entra ID P1' })],
      },
      new Map(),
    );
    expect(out.controls).toEqual([
      { control: 'mfa.registration', status: 'error', reason: 'Source graph.users could not be read: 503' },
      { control: 'mfa.enforcement', status: 'not_evaluable', reason: 'Needs Entra ID P1' },
    ]);
  });

  it('a lone tenant error whose targets were partly unread is an evaluated, partial control', () => {
    const policy = unitPolicy({ 'mfa.registration': { enabled: true } });
    const out = run(
      policy,
      { 'mfa.registration': [finding('tenant', 'error')] },
      new Map([['mfa.registration', { coverage: 'partial', unread: ['graph.users'] }]]),
    );
    expect(out.controls).toEqual([
      { control: 'mfa.registration', status: 'evaluated', coverage: 'partial', unread: ['graph.users'] },
    ]);
  });

  it('judges as evaluated a lone error on one target, two findings, or a lone tenant fail', () => {
    const policy = unitPolicy({
      'mfa.registration': { enabled: true },
      'mfa.enforcement': { enabled: true },
      'mfa.weak-methods': { enabled: true },
    });
    const out = run(policy, {
      'mfa.registration': [finding(ALICE, 'error')],
      'mfa.enforcement': [finding('tenant', 'error'), finding(BOB, 'pass')],
      'mfa.weak-methods': [finding('tenant', 'fail')],
    });
    expect(out.controls).toEqual([
      { control: 'mfa.registration', status: 'evaluated', coverage: 'complete' },
      { control: 'mfa.enforcement', status: 'evaluated', coverage: 'complete' },
      { control: 'mfa.weak-methods', status: 'evaluated', coverage: 'complete' },
    ]);
  });

  it('a control whose coverage was never weighed is partial and lists nothing unread', () => {
    const policy = unitPolicy({ 'mfa.registration': { enabled: true } });
    const out = run(policy, { 'mfa.registration': [finding('tenant', 'pass')] }, new Map());
    expect(out.controls).toEqual([{ control: 'mfa.registration', status: 'evaluated', coverage: 'partial' }]);
  });
});

describe('results', () => {
  it('sorts by target and carries the control, the policy severity and the finding', () => {
    const policy = unitPolicy({ 'mfa.registration': { enabled: true, severity: 'low' } });
    const out = run(policy, {
      'mfa.registration': [
        finding(BOB, 'fail'),
        finding(ALICE, 'pass'),
        finding('carol@contoso.example', 'fail', { severity: 'critical' }),
        finding(ALICE, 'fail'),
      ],
    });
    const definition = findControl('mfa.registration');
    expect(out.results.map((r) => `${r.target} ${r.status} ${r.severity}`)).toEqual([
      `${ALICE} pass low`,
      `${ALICE} fail low`,
      `${BOB} fail low`,
      'carol@contoso.example fail critical',
    ]);
    expect(out.results[2]).toEqual({
      control: 'mfa.registration',
      controlVersion: definition?.version,
      area: 'mfa',
      title: definition?.title,
      target: BOB,
      status: 'fail',
      severity: 'low',
      message: `${BOB} fail`,
      evidence: { seen: BOB },
      fingerprint: fingerprint('mfa.registration', 'tenant-1', BOB),
    });
  });

  it('sorts a large result set by target, keeping the order the check gave among findings of one target', () => {
    const policy = unitPolicy({ 'mfa.registration': { enabled: true } });
    // 300 findings over 37 targets in a scrambled order, each numbered in the order the check gave it.
    const given = Array.from({ length: 300 }, (_, i) =>
      finding(`user${String((i * 7919) % 37).padStart(2, '0')}@contoso.example`, 'pass', { message: String(i) }),
    );
    const out = run(policy, { 'mfa.registration': given });
    const expected = [...given]
      .map((f, i) => ({ target: f.target, i }))
      .sort((a, b) => a.target.localeCompare(b.target) || a.i - b.i)
      .map((f) => `${f.target} ${f.i}`);
    expect(out.results.map((r) => `${r.target} ${r.message}`)).toEqual(expected);
  });

  it('a finding severity raises the policy severity, never lowers it', () => {
    const policy = unitPolicy({ 'mfa.registration': { enabled: true, severity: 'high' } });
    const out = run(policy, { 'mfa.registration': [finding(ALICE, 'fail', { severity: 'low' })] });
    expect(out.results[0]?.severity).toBe('high');
  });

  it('fingerprints a domain without the tenant, so a DNS-only run and a tenant run agree', () => {
    const policy = unitPolicy({ 'spf.record': { enabled: true }, 'mfa.registration': { enabled: true } });
    const findings = {
      'spf.record': [finding('contoso.example', 'fail')],
      'mfa.registration': [finding(ALICE, 'fail')],
    };
    const tenant = run(policy, findings);
    const dnsOnly = run(policy, findings, complete('spf.record', 'mfa.registration'), null);
    const spf = (o: typeof tenant) => o.results.find((r) => r.control === 'spf.record')?.fingerprint;
    expect(spf(tenant)).toBe(fingerprint('spf.record', null, 'contoso.example'));
    expect(spf(tenant)).toBe(spf(dnsOnly));
    expect(tenant.results.find((r) => r.control === 'mfa.registration')?.fingerprint).toBe(
      fingerprint('mfa.registration', 'tenant-1', ALICE),
    );
  });
});

describe('exceptions', () => {
  it('turns a covered fail into excepted, with the exception and its ticket, case-insensitively', () => {
    const policy = unitPolicy({ 'mfa.registration': { enabled: true } }, [
      exception('Alice@Contoso.example', { ticket: 'CHG-7' }),
      exception(BOB),
    ]);
    const out = run(policy, { 'mfa.registration': [finding(ALICE, 'fail'), finding(BOB, 'fail')] });
    expect(out.results.map((r) => `${r.target} ${r.status}`)).toEqual([`${ALICE} excepted`, `${BOB} excepted`]);
    expect(out.results[0]?.exception).toEqual({
      reason: 'vendor migration under way',
      approvedBy: 'CISO',
      expires: '2026-12-31',
      ticket: 'CHG-7',
      expired: false,
    });
    expect(Object.keys(out.results[1]?.exception ?? {}).sort()).toEqual(['approvedBy', 'expired', 'expires', 'reason']);
    expect(out.exceptionsApplied.map((e) => [e.target, e.expired])).toEqual([
      ['Alice@Contoso.example', false],
      [BOB, false],
    ]);
    expect(out.unusedExceptions).toEqual([]);
  });

  it('an expired exception is shown and lets the finding fail, and is never unused', () => {
    const policy = unitPolicy({ 'mfa.registration': { enabled: true } }, [
      exception(ALICE, { expires: '2026-11-26' }),
      exception(BOB, { expires: '2026-11-26' }),
    ]);
    const out = run(policy, { 'mfa.registration': [finding(ALICE, 'fail')] });
    expect(out.results[0]?.status).toBe('fail');
    expect(out.results[0]?.exception?.expired).toBe(true);
    expect(out.exceptionsApplied.map((e) => [e.target, e.expired])).toEqual([[ALICE, true]]);
    expect(out.unusedExceptions).toEqual([]);
  });

  it('an exception that matches a pass, or that the check honoured, is used; one on an error or on nothing is not', () => {
    const policy = unitPolicy({ 'mfa.registration': { enabled: true } }, [
      exception(ALICE),
      exception('breakglass@contoso.example'),
      exception(BOB),
      exception('gone@contoso.example'),
    ]);
    const out = run(policy, {
      'mfa.registration': [
        finding(ALICE, 'pass'),
        finding('tenant', 'pass', { honouredExceptions: ['BreakGlass@contoso.example'] }),
        finding(BOB, 'error'),
      ],
    });
    expect(out.results.map((r) => `${r.target} ${r.status}`)).toEqual([`${ALICE} pass`, `${BOB} error`, 'tenant pass']);
    expect(out.results.some((r) => r.exception !== undefined)).toBe(false);
    expect(out.exceptionsApplied).toEqual([]);
    expect(out.unusedExceptions.map((e) => e.target)).toEqual([BOB, 'gone@contoso.example']);
  });

  it('an exception of a control this run does not select is not reported unused', () => {
    const policy = unitPolicy(
      {
        'mfa.registration': { enabled: true },
        'mfa.enforcement': { enabled: false },
        'mfa.weak-methods': { enabled: true },
      },
      [
        exception('tenant', { control: 'mfa.enforcement' }),
        exception('tenant'),
        exception('tenant', { control: 'mfa.weak-methods' }),
      ],
    );
    const out = run(policy, {
      'mfa.registration': [finding(ALICE, 'pass')],
      'mfa.weak-methods': [finding('tenant', 'pass', { target: 'tenant-2' })],
    });
    expect(out.unusedExceptions.map((e) => `${e.control} ${e.target}`)).toEqual([
      'mfa.registration tenant',
      'mfa.weak-methods tenant',
    ]);
  });
});
