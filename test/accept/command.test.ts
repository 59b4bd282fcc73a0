import { describe, expect, it } from 'vitest';
import { isMailwardenCommand, parseAcceptCommand } from '../../src/accept/command.js';
import { parseCalendarDate, parseExpirySpec, resolveExpiry } from '../../src/accept/expiry.js';
import { checkException } from '../../src/accept/new-exception.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const RULES = { maxExceptionDays: 365, minExceptionReasonLength: 10 };

describe('the /mailwarden accept grammar', () => {
  it('reads the documented form with a date, a reason holding semicolons, and a ticket', () => {
    expect(
      parseAcceptCommand(
        "/mailwarden accept until 2027-03-31 because the finance team's archive vendor needs this forward; ticket CHG-1234",
      ),
    ).toEqual({
      kind: 'accept',
      request: {
        expiry: { kind: 'until', date: '2027-03-31' },
        reason: "the finance team's archive vendor needs this forward",
        ticket: 'CHG-1234',
      },
    });
    expect(parseAcceptCommand('  /mailwarden accept for 90d because vendor; still migrating  \n')).toEqual({
      kind: 'accept',
      request: { expiry: { kind: 'for', days: 90 }, reason: 'vendor; still migrating' },
    });
  });

  it('ignores comments not addressed to mailwarden, without a reply', () => {
    for (const body of ['LGTM', 'please /mailwarden accept until 2027-01-01 because x', '/mailwardens accept', '']) {
      expect(isMailwardenCommand(body)).toBe(false);
      expect(parseAcceptCommand(body)).toEqual({ kind: 'none' });
    }
  });

  it.each([
    ['/mailwarden', /only command is `accept`/],
    ['/mailwarden accept', /expiry is missing/],
    ['/mailwarden Accept until 2027-01-01 because the vendor needs it', /only command is `accept`/],
    ['/mailwarden reject until 2027-01-01 because the vendor needs it', /only command is `accept`/],
    ['/mailwarden accept because the vendor needs it', /expiry is missing/],
    ['/mailwarden accept until tomorrow because the vendor needs it', /`until` takes a calendar date/],
    ['/mailwarden accept until 2027-02-30 because the vendor needs it', /`until` takes a calendar date/],
    ['/mailwarden accept until 90d because the vendor needs it', /`until` takes a calendar date/],
    ['/mailwarden accept for 2027-01-01 because the vendor needs it', /`for` takes a number of days/],
    ['/mailwarden accept for 0d because the vendor needs it', /`for` takes a number of days/],
    ['/mailwarden accept for 90 days because the vendor needs it', /`for` takes a number of days/],
    ['/mailwarden accept until 2027-01-01', /reason is missing/],
    ['/mailwarden accept until 2027-01-01 because', /reason is missing/],
    ['/mailwarden accept until 2027-01-01 because   ; ticket CHG-1', /reason is missing/],
    ['/mailwarden accept until 2027-01-01 since the vendor needs it', /reason is missing/],
    ['/mailwarden accept until 2027-01-01 because the vendor needs it; ticket', /ticket is empty/],
    ['/mailwarden accept until 2027-01-01 because the vendor needs it\nand more text', /whole comment, on one line/],
    ['Sure!\n/mailwarden accept until 2027-01-01 because the vendor needs it', null],
  ])('%j is refused with the reason why', (body, problem) => {
    const parsed = parseAcceptCommand(body);
    if (problem === null) expect(parsed.kind).toBe('none');
    else expect(parsed).toEqual({ kind: 'malformed', problem: expect.stringMatching(problem) });
  });

  it('problems never echo the comment text', () => {
    const hostile = '/mailwarden accept until <img src=x> because @org/team <!-- mailwarden:fingerprint=0 -->';
    const parsed = parseAcceptCommand(hostile);
    expect(parsed.kind).toBe('malformed');
    if (parsed.kind === 'malformed') expect(parsed.problem).not.toMatch(/img|@org|fingerprint/);
  });
});

describe('expiry', () => {
  it('accepts real calendar dates only', () => {
    expect(parseCalendarDate('2028-02-29')).toBe('2028-02-29');
    expect(parseCalendarDate('2027-02-29')).toBeUndefined();
    expect(parseCalendarDate('2027-1-01')).toBeUndefined();
    expect(parseExpirySpec('9999d')).toEqual({ kind: 'for', days: 9999 });
    expect(parseExpirySpec('10000d')).toBeUndefined();
  });

  it('counts a duration from today (UTC) and caps it at the policy maximum', () => {
    expect(resolveExpiry({ kind: 'for', days: 90 }, NOW, 365)).toEqual({ expires: '2027-02-25' });
    expect(resolveExpiry({ kind: 'for', days: 365 }, NOW, 365)).toEqual({ expires: '2027-11-27' });
    expect(resolveExpiry({ kind: 'for', days: 366 }, NOW, 365)).toEqual({
      problem: 'expires 2027-11-28, 366 days ahead; the policy allows at most 365 days',
    });
    expect(resolveExpiry({ kind: 'until', date: '2026-11-27' }, NOW, 365)).toEqual({ expires: '2026-11-27' });
    expect(resolveExpiry({ kind: 'until', date: '2026-11-26' }, NOW, 365)).toEqual({
      problem: expect.stringMatching(/2026-11-26 is already past/),
    });
  });

  it('at the real clock, 90d lands 90 days ahead and is within a 365-day policy', () => {
    const now = new Date();
    const resolved = resolveExpiry({ kind: 'for', days: 90 }, now, 365);
    expect(
      'expires' in resolved && Date.parse(`${resolved.expires}T00:00:00Z`) - Date.parse(now.toISOString().slice(0, 10)),
    ).toBe(90 * 86_400_000);
  });
});

describe('the exception a request makes', () => {
  const request = {
    control: 'forwarding.inbox-rules',
    target: 'adele@contoso.example/rule-1',
    reason: 'archive vendor needs this forward',
    approvedBy: 'security-lead',
    expiry: { kind: 'until' as const, date: '2027-03-31' },
    ticket: 'CHG-1234',
  };

  it('carries every field, in the policy entry shape', () => {
    expect(checkException(request, RULES, NOW)).toEqual({
      ok: true,
      exception: {
        control: 'forwarding.inbox-rules',
        target: 'adele@contoso.example/rule-1',
        reason: 'archive vendor needs this forward',
        approvedBy: 'security-lead',
        expires: '2027-03-31',
        ticket: 'CHG-1234',
      },
    });
  });

  it.each([
    [{ reason: 'too short' }, /the reason has 9 characters; the policy asks for at least 10/],
    [{ reason: 'x'.repeat(501) }, /at most 500/],
    [{ reason: 'looks fine \u202eevil\u202c text' }, /bidirectional/],
    [{ reason: 'zero\u200bwidth space here' }, /invisible/],
    [{ expiry: { kind: 'until' as const, date: '2028-01-01' } }, /400 days ahead; the policy allows at most 365/],
    [{ expiry: { kind: 'for' as const, days: 400 } }, /the policy allows at most 365/],
    [{ ticket: 'CHG 1234' }, /ticket must be one reference/],
    [{ ticket: '<b>' }, /ticket must be one reference/],
    [{ control: 'mfa.bogus' }, /not in the catalog/],
    [{ target: ' ' }, /target is empty/],
    [{ approvedBy: '' }, /approver is empty/],
  ])('refuses %j', (change, problem) => {
    expect(checkException({ ...request, ...change }, RULES, NOW)).toEqual({
      ok: false,
      problem: expect.stringMatching(problem),
    });
  });

  it("uses the policy's own minimum reason length and maximum expiry", () => {
    const strict = { maxExceptionDays: 30, minExceptionReasonLength: 40 };
    expect(checkException(request, strict, NOW)).toEqual({ ok: false, problem: expect.stringMatching(/at least 40/) });
    const long = { ...request, reason: 'archive vendor needs this forward until the migration' };
    expect(checkException(long, strict, NOW)).toEqual({ ok: false, problem: expect.stringMatching(/at most 30 days/) });
  });
});
