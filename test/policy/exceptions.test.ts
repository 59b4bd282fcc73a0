import { describe, expect, it } from 'vitest';
import { exceptionExpired, exceptionKey, reasonLength, reasonProblem } from '../../src/policy/exceptions.js';

/*
 * The exception rules the policy reader, the engine and `accept` share: an exception applies
 * through the last millisecond of its `expires` day (UTC), targets match case-insensitively, and
 * a reason is measured in characters after trimming.
 */

describe('exceptionExpired', () => {
  it('applies through the last millisecond of its day, UTC, and not one after', () => {
    const exception = { expires: '2026-12-31' };
    expect(exceptionExpired(exception, new Date('2026-12-31T23:59:59.999Z'))).toBe(false);
    expect(exceptionExpired(exception, new Date('2027-01-01T00:00:00.000Z'))).toBe(true);
  });

  it('takes an unreadable date as expired (fail closed)', () => {
    expect(exceptionExpired({ expires: 'next year' }, new Date('2026-01-01T00:00:00Z'))).toBe(true);
  });
});

describe('exceptionKey', () => {
  it('matches targets case-insensitively, by lower case: "straße" is not "STRASSE"', () => {
    expect(exceptionKey('c', 'Alice@Contoso.example')).toBe(exceptionKey('c', 'alice@contoso.example'));
    // Upper-casing would fold "ß" into "SS" and let one mailbox's exception cover another.
    expect(exceptionKey('c', 'strasse@contoso.example')).not.toBe(exceptionKey('c', 'straße@contoso.example'));
    expect(exceptionKey('a', 'x')).not.toBe(exceptionKey('b', 'x'));
  });
});

describe('reasonLength and reasonProblem', () => {
  it('counts characters after trimming, an emoji once', () => {
    expect(reasonLength('  ok  ')).toBe(2);
    expect(reasonLength(' 🔒 ')).toBe(1);
  });

  it('names the length in the singular and the plural', () => {
    expect(reasonProblem(' x ', 5)).toBe(
      'the reason has 1 character; the policy asks for at least 5 (settings.minExceptionReasonLength)',
    );
    expect(reasonProblem('xy', 5)).toBe(
      'the reason has 2 characters; the policy asks for at least 5 (settings.minExceptionReasonLength)',
    );
    expect(reasonProblem('   ', 1)).toBe('an exception needs a reason');
    expect(reasonProblem('abcde', 5)).toBeUndefined();
  });
});
