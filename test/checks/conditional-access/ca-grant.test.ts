import { describe, expect, it } from 'vitest';
import {
  blockGrantProblems,
  mfaGrantProblems,
  sessionNotes,
  strengthRequiresMfa,
} from '../../../src/checks/conditional-access/ca-grant.js';
import type { AuthenticationStrengthPolicy, ConditionalAccessPolicy } from '../../../src/snapshot/graph-types.js';

/*
 * What a grant guarantees, read from the grant alone: whether every way through it includes MFA,
 * whether it always blocks, and the session controls shown in the evidence. Unit tests on the
 * exported functions; every expectation is the exact sentence an auditor reads.
 */

type Grant = ConditionalAccessPolicy['grantControls'];
type Session = ConditionalAccessPolicy['sessionControls'];

function policy(grantControls: Grant, sessionControls?: Session): ConditionalAccessPolicy {
  return { id: 'p', displayName: 'P', state: 'enabled', conditions: {}, grantControls, sessionControls };
}

function strengths(...list: AuthenticationStrengthPolicy[]): Map<string, AuthenticationStrengthPolicy> {
  return new Map(list.map((s) => [s.id, s]));
}

describe('strengthRequiresMfa: a custom strength counts only when every combination is multifactor', () => {
  it('two methods are multifactor; one method only when it is multifactor by itself, after trimming', () => {
    expect(strengthRequiresMfa({ id: 's', allowedCombinations: ['password,sms'] }, undefined)).toEqual({ ok: true });
    expect(
      strengthRequiresMfa({ id: 's', allowedCombinations: ['fido2 ', ' windowsHelloForBusiness'] }, undefined),
    ).toEqual({ ok: true });
    expect(strengthRequiresMfa({ id: 's', displayName: 'W', allowedCombinations: ['password,'] }, undefined)).toEqual({
      ok: false,
      reason: 'authentication strength "W" also allows password,, which is not multifactor',
    });
  });

  it('names every weak combination, separated by semicolons', () => {
    expect(
      strengthRequiresMfa({ id: 's', displayName: 'W', allowedCombinations: ['fido2', 'password', 'sms'] }, undefined),
    ).toEqual({ ok: false, reason: 'authentication strength "W" also allows password; sms, which is not multifactor' });
  });

  it('a strength that allows no method does not require MFA', () => {
    expect(strengthRequiresMfa({ id: 's', displayName: 'Empty', allowedCombinations: [] }, undefined)).toEqual({
      ok: false,
      reason: 'authentication strength "Empty" allows no method',
    });
  });

  it('requirementsSatisfied decides before the combinations, from the grant or from the tenant list', () => {
    expect(strengthRequiresMfa({ id: 's', requirementsSatisfied: 'MFA' }, undefined)).toEqual({ ok: true });
    const listed = strengths({ id: 's', displayName: 'Listed', requirementsSatisfied: 'mfa', allowedCombinations: [] });
    expect(strengthRequiresMfa({ id: 's' }, listed)).toEqual({ ok: true });
    // "none" wins even over combinations that are all multifactor.
    expect(
      strengthRequiresMfa(
        { id: 's', displayName: 'N', requirementsSatisfied: 'none', allowedCombinations: ['fido2'] },
        undefined,
      ),
    ).toEqual({ ok: false, reason: 'authentication strength "N" does not require MFA (requirementsSatisfied: none)' });
  });

  it('the name comes from the grant, else the tenant list, else the ID', () => {
    const listed = strengths({ id: 's', displayName: 'From list', allowedCombinations: ['password'] });
    expect(strengthRequiresMfa({ id: 's', displayName: 'From grant' }, listed).reason).toBe(
      'authentication strength "From grant" also allows password, which is not multifactor',
    );
    expect(strengthRequiresMfa({ id: 's' }, listed).reason).toBe(
      'authentication strength "From list" also allows password, which is not multifactor',
    );
    expect(strengthRequiresMfa({ id: 'unknown-id' }, strengths()).reason).toBe(
      `authentication strength "unknown-id" could not be shown to require MFA: it is not in the tenant's list of strengths`,
    );
  });

  it('a strength that cannot be looked up fails closed and says whether the list was read', () => {
    expect(strengthRequiresMfa({ id: 'x', displayName: 'X' }, undefined)).toEqual({
      ok: false,
      reason: `authentication strength "X" could not be shown to require MFA: it is not in the tenant's list of strengths (not read)`,
    });
  });

  it('the built-in strengths need no lookup', () => {
    expect(strengthRequiresMfa({ id: '00000000-0000-0000-0000-000000000003' }, undefined)).toEqual({ ok: true });
  });
});

describe('mfaGrantProblems: AND needs one MFA part, OR needs every part to be MFA', () => {
  it('no grant at all requires nothing', () => {
    expect(mfaGrantProblems(policy(null), undefined)).toEqual(['has no grant control, so it requires nothing']);
    expect(mfaGrantProblems(policy({ operator: 'AND', builtInControls: null }), undefined)).toEqual([
      'has no grant control, so it requires nothing',
    ]);
  });

  it('AND of parts none of which is MFA names each part and the grant', () => {
    expect(
      mfaGrantProblems(
        policy({ operator: 'AND', builtInControls: null, termsOfUse: ['tou-1'], customAuthenticationFactors: ['duo'] }),
        undefined,
      ),
    ).toEqual([
      'does not require MFA: termsOfUse tou-1 is not MFA; custom control duo is not MFA (grant: termsOfUse tou-1 AND custom control duo)',
    ]);
  });

  it('OR of parts none of which is MFA names each part and the grant', () => {
    expect(
      mfaGrantProblems(
        policy({ operator: 'or', termsOfUse: ['tou-1'], customAuthenticationFactors: ['duo'] }),
        undefined,
      ),
    ).toEqual([
      'does not require MFA: termsOfUse tou-1 is not MFA; custom control duo is not MFA (grant: termsOfUse tou-1 OR custom control duo)',
    ]);
  });

  it('OR of MFA with a weak strength says why the strength is weak', () => {
    const weak = strengths({ id: 'w', displayName: 'Weak', allowedCombinations: ['password'] });
    expect(
      mfaGrantProblems(policy({ operator: 'OR', builtInControls: ['mfa'], authenticationStrength: { id: 'w' } }), weak),
    ).toEqual([
      'ORs MFA with authenticationStrength, so a user can satisfy it without MFA (authentication strength "Weak" also allows password, which is not multifactor)',
    ]);
    expect(
      mfaGrantProblems(policy({ operator: 'OR', builtInControls: ['mfa', 'compliantDevice'] }), undefined),
    ).toEqual(['ORs MFA with compliantDevice, so a user can satisfy it without MFA']);
  });

  it('a built-in control named like the strength part, without a strength, is not MFA', () => {
    expect(
      mfaGrantProblems(policy({ operator: 'AND', builtInControls: ['authenticationStrength'] }), undefined),
    ).toEqual(['does not require MFA: authentication strength missing (grant: authenticationStrength)']);
  });

  it('OR of MFA and block is MFA either way', () => {
    expect(mfaGrantProblems(policy({ operator: 'OR', builtInControls: ['mfa', 'block'] }), undefined)).toEqual([]);
  });
});

describe('blockGrantProblems: a block counts only when it is not one option among others', () => {
  it('OR with other controls names them, without the block itself', () => {
    expect(
      blockGrantProblems(policy({ operator: 'OR', builtInControls: ['block', 'mfa'], termsOfUse: ['tou-1'] })),
    ).toEqual(['ORs block with mfa, termsOfUse tou-1, so a user can satisfy it instead of being blocked']);
  });

  it('block alone, or ANDed with anything, blocks', () => {
    expect(blockGrantProblems(policy({ operator: 'OR', builtInControls: ['block'] }))).toEqual([]);
    expect(blockGrantProblems(policy({ operator: 'AND', builtInControls: ['block', 'mfa'] }))).toEqual([]);
    expect(blockGrantProblems(policy({ operator: 'OR', builtInControls: ['mfa'] }))).toEqual(['does not block access']);
  });
});

describe('sessionNotes: the session controls of a counted policy, in words', () => {
  it('no session controls, or none switched on, give no note', () => {
    expect(sessionNotes(policy(null))).toEqual([]);
    expect(sessionNotes(policy(null, { disableResilienceDefaults: false }))).toEqual([]);
    expect(
      sessionNotes(
        policy(null, {
          persistentBrowser: { isEnabled: false, mode: 'always' },
          signInFrequency: { isEnabled: false, value: 1, type: 'hours' },
          cloudAppSecurity: { isEnabled: false, cloudAppSecurityType: 'monitorOnly' },
          applicationEnforcedRestrictions: { isEnabled: false },
        }),
      ),
    ).toEqual([]);
  });

  it('a persistent browser counts only in mode always', () => {
    expect(sessionNotes(policy(null, { persistentBrowser: { isEnabled: true, mode: 'Always' } }))).toEqual([
      'keeps browser sessions signed in (persistentBrowser: always)',
    ]);
    expect(sessionNotes(policy(null, { persistentBrowser: { isEnabled: true, mode: 'never' } }))).toEqual([]);
    expect(sessionNotes(policy(null, { persistentBrowser: { isEnabled: true, mode: null } }))).toEqual([]);
  });

  it('sign-in frequency: every time, or after an interval', () => {
    expect(
      sessionNotes(policy(null, { signInFrequency: { isEnabled: true, frequencyInterval: 'everyTime' } })),
    ).toEqual(['asks to sign in again every time (signInFrequency: everyTime)']);
    expect(
      sessionNotes(
        policy(null, { signInFrequency: { isEnabled: true, value: 4, type: 'hours', frequencyInterval: 'timeBased' } }),
      ),
    ).toEqual(['asks to sign in again after 4 hours (signInFrequency)']);
    expect(sessionNotes(policy(null, { signInFrequency: { isEnabled: true } }))).toEqual([
      'asks to sign in again after ? (signInFrequency)',
    ]);
  });

  it('resilience defaults, Defender for Cloud Apps and app-enforced restrictions, in that order', () => {
    expect(
      sessionNotes(
        policy(null, {
          disableResilienceDefaults: true,
          cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: 'monitorOnly' },
          applicationEnforcedRestrictions: { isEnabled: true },
        }),
      ),
    ).toEqual([
      'turns off resilience defaults (sessions are not extended during an Entra outage)',
      'routes sessions through Defender for Cloud Apps (monitorOnly)',
      'uses app-enforced restrictions',
    ]);
    expect(sessionNotes(policy(null, { cloudAppSecurity: { isEnabled: true } }))).toEqual([
      'routes sessions through Defender for Cloud Apps (?)',
    ]);
  });
});
