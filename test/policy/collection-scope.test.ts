import { describe, expect, it } from 'vitest';
import { fetchWindow, hiddenRulesScope, signInLogVersion } from '../../src/policy/collection-scope.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/policy.js';

/*
 * What a policy asks collection to fetch: the sign-in window is the widest look-back (plus
 * overlap) of the enabled controls that read the source; hidden inbox rules follow the
 * inbox-rules control's `hiddenRules`.
 */

const NOW = new Date('2026-11-27T12:00:00Z');
const HOUR = 3_600_000;

function policy(controls: Record<string, Record<string, unknown>>): Policy {
  const text = JSON.stringify({
    id: 'scope-test',
    title: 'collection scope',
    version: '1.0.0',
    description: 'collection scope',
    controls,
    domains: { include: [], exclude: [], parked: [] },
    exceptions: [],
  });
  return parsePolicy(text, 'scope.json', NOW).policy;
}

const span = (p: Policy, source: 'graph.signIns' | 'graph.riskyUsers') => {
  const w = fetchWindow(p, source, NOW);
  expect(w.end).toEqual(NOW);
  return (w.end.getTime() - w.start.getTime()) / 60_000;
};

describe('fetchWindow', () => {
  it('is the default 24 h plus 60 min when the controls keep their defaults', () => {
    expect(span(policy({ 'sign-ins.countries': { enabled: true } }), 'graph.signIns')).toBe(25 * 60);
  });

  it('takes the widest window of the enabled controls that read the source', () => {
    const p = policy({
      'sign-ins.countries': { enabled: true, lookbackHours: 48, overlapMinutes: 30 },
      'sign-ins.impossible-travel': { enabled: true, lookbackHours: 12, overlapMinutes: 120 },
      'legacy-auth.sign-ins': { enabled: true, lookbackHours: 47, overlapMinutes: 91 },
    });
    // Each control's own look-back plus overlap, not the largest of each.
    expect(span(p, 'graph.signIns')).toBe(47 * 60 + 91);
  });

  it('leaves out disabled controls and controls that do not read the source', () => {
    const p = policy({
      'sign-ins.countries': { enabled: false, lookbackHours: 700, overlapMinutes: 0 },
      'sign-ins.impossible-travel': { enabled: true, lookbackHours: 2, overlapMinutes: 0 },
    });
    expect(span(p, 'graph.signIns')).toBe(2 * 60);
    // No enabled control reads graph.riskyUsers with a window: the default.
    expect(span(p, 'graph.riskyUsers')).toBe(25 * 60);
  });

  it('is the default when no enabled control reads the source at all', () => {
    const p = policy({ 'mfa.registration': { enabled: true } });
    expect(span(p, 'graph.signIns')).toBe(25 * 60);
  });

  it('skips a control that reads the source but has no look-back window', () => {
    // sign-ins.risk-policies reads graph.riskyUsers and has no lookbackHours or overlapMinutes.
    const p = policy({
      'sign-ins.risk-policies': { enabled: true },
      'sign-ins.risky-users': { enabled: true, lookbackHours: 2, overlapMinutes: 0 },
    });
    expect(span(p, 'graph.riskyUsers')).toBe(2 * 60);
    expect(span(policy({ 'sign-ins.risk-policies': { enabled: true } }), 'graph.riskyUsers')).toBe(25 * 60);
  });

  it('an overlap of zero and a short look-back give exactly that window', () => {
    const p = policy({ 'sign-ins.countries': { enabled: true, lookbackHours: 1, overlapMinutes: 0 } });
    const w = fetchWindow(p, 'graph.signIns', NOW);
    expect(w.start).toEqual(new Date(NOW.getTime() - HOUR));
  });
});

describe('hiddenRulesScope', () => {
  it('is flagged by default and follows the parameter', () => {
    expect(hiddenRulesScope(policy({ 'mfa.registration': { enabled: true } }))).toBe('flagged');
    expect(hiddenRulesScope(policy({ 'forwarding.inbox-rules': { enabled: true } }))).toBe('flagged');
    for (const value of ['all', 'off', 'flagged'] as const)
      expect(hiddenRulesScope(policy({ 'forwarding.inbox-rules': { enabled: true, hiddenRules: value } }))).toBe(value);
  });

  it('controls without the parameter before the inbox-rules control do not hide it', () => {
    const p = policy({
      'mfa.registration': { enabled: true },
      'sign-ins.countries': { enabled: true },
      'forwarding.inbox-rules': { enabled: true, hiddenRules: 'all' },
    });
    expect(hiddenRulesScope(p)).toBe('all');
  });
});

describe('signInLogVersion', () => {
  it('is beta only when an enabled control asks for the beta log', () => {
    expect(signInLogVersion(policy({ 'sign-ins.device-code': { enabled: true, useBetaSignInLog: true } }))).toBe(
      'beta',
    );
    expect(signInLogVersion(policy({ 'sign-ins.device-code': { enabled: true } }))).toBe('v1.0');
    expect(
      signInLogVersion(
        policy({
          'mfa.registration': { enabled: true },
          'sign-ins.device-code': { enabled: false, useBetaSignInLog: true },
        }),
      ),
    ).toBe('v1.0');
  });

  it('finds the asking control after others', () => {
    const p = policy({
      'mfa.registration': { enabled: true },
      'sign-ins.countries': { enabled: true },
      'sign-ins.device-code': { enabled: true, useBetaSignInLog: true },
    });
    expect(signInLogVersion(p)).toBe('beta');
  });
});
