import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import { configurationError } from '../helpers/configuration-error.js';

/*
 * What the policy reader says about a policy, line by line: each problem names the file, the
 * line and the JSON pointer, with words a policy author can act on; and what it keeps of a
 * valid policy (trimmed exceptions, severities, mappings, the exact bytes).
 */

const NOW = new Date('2026-11-27T12:00:00Z');

type Doc = Record<string, unknown>;

/** A minimal valid policy: one enabled control, no exceptions. */
function doc(extra: Doc = {}): Doc {
  return { id: 'p', title: 'Policy', version: '1', controls: { 'mfa.registration': { enabled: true } }, ...extra };
}

const text = (d: Doc): string => JSON.stringify(d, null, 2);

const EXCEPTION = {
  control: 'mfa.registration',
  target: 'alice@contoso.example',
  reason: 'vendor migration under way',
  approvedBy: 'CISO',
  expires: '2026-12-31',
};

/** The line (1-based) of the first line of `t` that contains `needle`. */
const lineOf = (t: string, needle: string): number => t.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('schema problems', () => {
  it('names the allowed values of an enum, in one problem', () => {
    const t = text(doc({ controls: { 'forwarding.inbox-rules': { enabled: true, hiddenRules: 'some' } } }));
    const error = configurationError(() => parsePolicy(t, 'p.json', NOW));
    expect(error.message).toBe('p.json: policy does not match policies/policy.schema.json (1 problem)');
    expect(error.details).toEqual([
      `p.json:${lineOf(t, '"hiddenRules"')}: /controls/forwarding.inbox-rules/hiddenRules: must be one of "flagged", "all", "off"`,
    ]);
  });

  it('says "must not be empty" for an empty string, and counts problems in the plural', () => {
    const t = text(doc({ title: '', version: '' }));
    const error = configurationError(() => parsePolicy(t, 'p.json', NOW));
    expect(error.message).toBe('p.json: policy does not match policies/policy.schema.json (2 problems)');
    expect(error.details).toEqual([
      `p.json:${lineOf(t, '"title"')}: /title: must not be empty`,
      `p.json:${lineOf(t, '"version"')}: /version: must not be empty`,
    ]);
  });

  it('keeps the validator\'s own words for a number below its minimum: "must not be empty" is for strings only', () => {
    const t = text(doc({ settings: { maxExceptionDays: 0 } }));
    const error = configurationError(() => parsePolicy(t, 'p.json', NOW));
    expect(error.details).toEqual([
      `p.json:${lineOf(t, '"maxExceptionDays"')}: /settings/maxExceptionDays: must be >= 1`,
    ]);
  });

  it('names the document root "/" for a problem of the whole policy', () => {
    const d = doc();
    delete d.id;
    const error = configurationError(() => parsePolicy(text(d), 'p.json', NOW));
    expect(error.details).toEqual(['p.json:1: /: missing required property "id"']);
  });

  it('shows the value a format rejected and what it should have been', () => {
    const t = text(doc({ exceptions: [{ ...EXCEPTION, expires: '31/12/2026' }] }));
    const error = configurationError(() => parsePolicy(t, 'p.json', NOW));
    expect(error.details).toEqual([
      `p.json:${lineOf(t, '"expires"')}: /exceptions/0/expires: "31/12/2026" is not a date YYYY-MM-DD`,
    ]);
  });

  it('lists exactly ten problems without a count line, and counts what is past ten', () => {
    const missing = (n: number) => Array.from({ length: n }, () => ({ ...EXCEPTION, target: '' }));
    const ten = configurationError(() => parsePolicy(text(doc({ exceptions: missing(10) })), 'p.json', NOW));
    expect(ten.message).toMatch(/\(10 problems\)$/);
    expect(ten.details).toHaveLength(10);
    expect(ten.details.at(-1)).toMatch(/^p\.json:\d+: \/exceptions\/9\/target: must not be empty$/);
    const thirteen = configurationError(() => parsePolicy(text(doc({ exceptions: missing(13) })), 'p.json', NOW));
    expect(thirteen.details).toHaveLength(11);
    expect(thirteen.details.at(-1)).toBe('and 3 more');
  });
});

describe('meaning problems', () => {
  it('suggests the known controls of the family of an unknown control ID', () => {
    const t = text(doc({ controls: { 'mfa.registration': { enabled: true }, 'mfa.registrashun': { enabled: true } } }));
    const error = configurationError(() => parsePolicy(t, 'p.json', NOW));
    expect(error.message).toBe('p.json: policy is invalid (1 problem)');
    expect(error.details).toEqual([
      `p.json:${lineOf(t, '"mfa.registrashun"')}: /controls/mfa.registrashun: unknown control ID "mfa.registrashun" (known in this family: mfa.registration, mfa.enforcement, mfa.admins-phishing-resistant, mfa.weak-methods)`,
    ]);
  });

  it('suggests nothing for an unknown family', () => {
    const t = text(doc({ controls: { 'mfa.registration': { enabled: true }, 'nosuch.control': { enabled: true } } }));
    const error = configurationError(() => parsePolicy(t, 'p.json', NOW));
    expect(error.details).toEqual([
      `p.json:${lineOf(t, '"nosuch.control"')}: /controls/nosuch.control: unknown control ID "nosuch.control"`,
    ]);
  });

  it('rejects an exception for an unknown control, and a blank approver, each at its own pointer', () => {
    const t = text(
      doc({
        exceptions: [
          { ...EXCEPTION, control: 'mfa.registrashun' },
          { ...EXCEPTION, approvedBy: '   ' },
        ],
      }),
    );
    const error = configurationError(() => parsePolicy(t, 'p.json', NOW));
    expect(error.message).toBe('p.json: policy is invalid (2 problems)');
    expect(error.details).toEqual([
      `p.json:${lineOf(t, '"mfa.registrashun"')}: /exceptions/0/control: unknown control ID "mfa.registrashun"`,
      `p.json:${lineOf(t, '"approvedBy": "   "')}: /exceptions/1/approvedBy: an exception needs an approver`,
    ]);
  });

  it('warns about an exception for a control the policy does not enable, or does not list', () => {
    const t = text(
      doc({
        controls: { 'mfa.registration': { enabled: true }, 'mfa.enforcement': { enabled: false } },
        exceptions: [
          { ...EXCEPTION, control: 'mfa.enforcement' },
          { ...EXCEPTION, control: 'mfa.weak-methods' },
          EXCEPTION,
        ],
      }),
    );
    const { policy, warnings } = parsePolicy(t, 'p.json', NOW);
    // An exception's line is the line of its opening brace, the one before its first property.
    const line = (control: string) => lineOf(t, `"control": "${control}"`) - 1;
    expect(warnings).toEqual([
      `p.json:${line('mfa.enforcement')}: /exceptions/0: exception for mfa.enforcement, which this policy does not enable`,
      `p.json:${line('mfa.weak-methods')}: /exceptions/1: exception for mfa.weak-methods, which this policy does not enable`,
    ]);
    expect(policy.exceptions.map((e) => e.control)).toEqual([
      'mfa.enforcement',
      'mfa.weak-methods',
      'mfa.registration',
    ]);
  });
});

describe('what a valid policy keeps', () => {
  it('trims reason and approver, keeps a ticket only when given, and warns about nothing active', () => {
    const t = text(
      doc({
        exceptions: [
          { ...EXCEPTION, reason: '  vendor migration  ', approvedBy: ' CISO ', ticket: 'CHG-1' },
          { ...EXCEPTION, target: 'bob@contoso.example' },
        ],
      }),
    );
    const { policy, warnings } = parsePolicy(t, 'p.json', NOW);
    expect(warnings).toEqual([]);
    const [first, second] = policy.exceptions;
    expect(first).toEqual({
      ...EXCEPTION,
      reason: 'vendor migration',
      approvedBy: 'CISO',
      ticket: 'CHG-1',
      pointer: '/exceptions/0',
    });
    expect(second && 'ticket' in second).toBe(false);
  });

  it('takes a control severity from the policy, else the catalog default', () => {
    const t = text(
      doc({
        controls: { 'mfa.registration': { enabled: true, severity: 'low' }, 'mfa.enforcement': { enabled: true } },
      }),
    );
    const { policy } = parsePolicy(t, 'p.json', NOW);
    expect(policy.controls.get('mfa.registration')?.severity).toBe('low');
    expect(policy.controls.get('mfa.enforcement')?.severity).toBe('critical');
  });

  it('keeps the mappings a policy gives, and none when it gives none', () => {
    const t = text(
      doc({
        controls: {
          'mfa.registration': { enabled: true, mappings: { cis: ['5.2.3.4'], nist: ['IA-2'] } },
          'mfa.enforcement': { enabled: true },
        },
      }),
    );
    const { policy } = parsePolicy(t, 'p.json', NOW);
    expect(policy.controls.get('mfa.registration')?.mappings).toEqual({
      scuba: [],
      cis: ['5.2.3.4'],
      hipaa: [],
      nist: ['IA-2'],
    });
    expect(policy.controls.get('mfa.enforcement')?.mappings).toEqual({ scuba: [], cis: [], hipaa: [], nist: [] });
  });

  it('keeps the description, and an empty one when there is none; domains default to none', () => {
    expect(parsePolicy(text(doc({ description: 'Board approved' })), 'p.json', NOW).policy.description).toBe(
      'Board approved',
    );
    const { policy } = parsePolicy(text(doc()), 'p.json', NOW);
    expect(policy.description).toBe('');
    expect(policy.domains).toEqual({ include: [], exclude: [], parked: [] });
  });

  it('hashes and keeps the exact bytes, given as text or as bytes', () => {
    const t = text(doc({ description: 'Politique approuvée' }));
    const bytes = new TextEncoder().encode(t);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const fromText = parsePolicy(t, 'p.json', NOW).policy;
    expect(fromText.bytes).toBeInstanceOf(Uint8Array);
    expect([...fromText.bytes]).toEqual([...bytes]);
    expect(fromText.sha256).toBe(sha);
    expect(fromText.text).toBe(t);
    const fromBytes = parsePolicy(bytes, 'p.json', NOW).policy;
    expect(fromBytes.bytes).toBe(bytes);
    expect(fromBytes.sha256).toBe(sha);
    expect(fromBytes.text).toBe(t);
  });
});
