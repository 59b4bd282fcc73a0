import { readFileSync } from 'node:fs';
import { configurationError } from '../helpers/configuration-error.js';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/parse-policy.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const baseline = readFileSync('policies/baseline.json', 'utf8');

function policyWith(mutate: (doc: Record<string, unknown>) => void): string {
  const doc = JSON.parse(baseline) as Record<string, unknown>;
  mutate(doc);
  return JSON.stringify(doc, null, 2);
}

describe('parsePolicy', () => {
  it('accepts the baseline and fills parameter defaults', () => {
    const { policy, warnings } = parsePolicy(baseline, 'baseline.json', NOW);
    expect(warnings).toEqual([]);
    const control = policy.controls.get('mfa.registration');
    expect(control?.enabled).toBe(true);
    expect(control?.params.boolean('requireCapable')).toBe(false);
    expect(policy.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports a syntax error with file, line and column', () => {
    const text = '{\n  "id": "x",\n  "title": "t"\n  "version": "1"\n}';
    const error = configurationError(() => parsePolicy(text, 'bad.json', NOW));
    expect(error.message).toMatch(/^bad\.json:4:3: invalid JSON/);
  });

  it('reports every schema violation with its line and JSON pointer', () => {
    const text = policyWith((doc) => {
      const controls = doc.controls as Record<string, Record<string, unknown>>;
      controls['mfa.registration'] = { enabled: 'yes', minPercent: 101, colour: 'red' };
    });
    const error = configurationError(() => parsePolicy(text, 'p.json', NOW));
    const details = error.details.join('\n');
    expect(details).toMatch(/p\.json:\d+: \/controls\/mfa\.registration\/enabled: /);
    expect(details).toMatch(/\/controls\/mfa\.registration\/minPercent: /);
    expect(details).toMatch(/\/controls\/mfa\.registration\/colour: unknown property "colour"/);
    const enabledLine = text.split('\n').findIndex((l) => l.includes('"enabled": "yes"')) + 1;
    expect(details).toContain(`p.json:${enabledLine}: /controls/mfa.registration/enabled`);
  });

  it('lists the first ten violations and counts the rest', () => {
    const text = policyWith((doc) => {
      doc.exceptions = Array.from({ length: 12 }, () => ({ control: 'mfa.registration' }));
    });
    const error = configurationError(() => parsePolicy(text, 'p.json', NOW));
    expect(error.details).toHaveLength(11);
    expect(error.details.at(-1)).toMatch(/^and \d+ more$/);
  });

  it('rejects an unknown control ID', () => {
    const text = policyWith((doc) => {
      (doc.controls as Record<string, unknown>)['mfa.registrashun'] = { enabled: true };
    });
    const error = configurationError(() => parsePolicy(text, 'p.json', NOW));
    expect(error.details.join('\n')).toMatch(/\/controls\/mfa\.registrashun: unknown control ID "mfa\.registrashun"/);
  });

  it('rejects an exception without a reason, and one too far ahead', () => {
    const missing = policyWith((doc) => {
      doc.exceptions = [
        { control: 'mfa.registration', target: 'a@b.example', approvedBy: 'CISO', expires: '2027-01-01' },
      ];
    });
    expect(configurationError(() => parsePolicy(missing, 'p.json', NOW)).details.join('\n')).toMatch(
      /\/exceptions\/0: missing required property "reason"/,
    );
    const far = policyWith((doc) => {
      doc.exceptions = [
        {
          control: 'mfa.registration',
          target: 'a@b.example',
          reason: 'vendor migration under way',
          approvedBy: 'CISO',
          expires: '2030-01-01',
        },
      ];
    });
    expect(configurationError(() => parsePolicy(far, 'p.json', NOW)).details.join('\n')).toMatch(
      /\/exceptions\/0\/expires: .*at most 365 days/,
    );
  });

  it('rejects a blank reason, and one shorter than settings.minExceptionReasonLength (by default any will do)', () => {
    const entry = { control: 'mfa.registration', target: 'tenant', approvedBy: 'CISO', expires: '2027-01-01' };
    const blank = policyWith((doc) => {
      doc.exceptions = [{ ...entry, reason: '   ' }];
    });
    expect(configurationError(() => parsePolicy(blank, 'p.json', NOW)).details.join('\n')).toMatch(
      /\/exceptions\/0\/reason: an exception needs a reason/,
    );
    const short = policyWith((doc) => {
      doc.exceptions = [{ ...entry, reason: '  approved  ' }];
      doc.settings = { maxExceptionDays: 365 };
    });
    expect(parsePolicy(short, 'p.json', NOW).policy.minExceptionReasonLength).toBe(1);
    const stricter = policyWith((doc) => {
      doc.exceptions = [{ ...entry, reason: '  approved  ' }];
      doc.settings = { minExceptionReasonLength: 20 };
    });
    expect(configurationError(() => parsePolicy(stricter, 'p.json', NOW)).details.join('\n')).toMatch(
      /\/exceptions\/0\/reason: the reason has 8 characters; the policy asks for at least 20/,
    );
    const enough = policyWith((doc) => {
      doc.exceptions = [{ ...entry, reason: 'a reason of twenty c' }];
      doc.settings = { minExceptionReasonLength: 20 };
    });
    expect(parsePolicy(enough, 'p.json', NOW).policy.exceptions).toHaveLength(1);
  });

  it('warns about an expired exception and keeps it so its finding fails again', () => {
    const text = policyWith((doc) => {
      doc.exceptions = [
        {
          control: 'mfa.registration',
          target: 'tenant',
          reason: 'vendor migration under way',
          approvedBy: 'CISO',
          expires: '2026-11-01',
        },
      ];
    });
    const { policy, warnings } = parsePolicy(text, 'p.json', NOW);
    expect(warnings.join('\n')).toMatch(/expired on 2026-11-01/);
    expect(policy.exceptions).toHaveLength(1);
  });

  it('rejects a mapping in an unknown framework ID format', () => {
    const text = policyWith((doc) => {
      const controls = doc.controls as Record<string, Record<string, unknown>>;
      controls['mfa.registration'] = { enabled: true, mappings: { hipaa: ['HIPAA-7'] } };
    });
    expect(configurationError(() => parsePolicy(text, 'p.json', NOW)).details.join('\n')).toMatch(
      /\/controls\/mfa\.registration\/mappings\/hipaa\/0: must match pattern/,
    );
  });
});
