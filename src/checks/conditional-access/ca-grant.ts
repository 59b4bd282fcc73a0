import type { AuthenticationStrengthPolicy, ConditionalAccessPolicy } from '../../snapshot/graph-types.js';

/*
 * What a policy's grant guarantees (learn.microsoft.com/graph/api/resources/conditionalaccessgrantcontrols).
 * "The default for multiple controls is to require all" (AND); with OR a user satisfies any one
 * (learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-policies).
 * So a grant guarantees MFA only when every way through it includes MFA, and a block only when
 * `block` is not one option among others.
 */

/** The built-in authentication strengths, all of which require MFA (learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths). */
export const BUILT_IN_MFA_STRENGTHS: Readonly<Record<string, string>> = {
  '00000000-0000-0000-0000-000000000002': 'Multifactor authentication',
  '00000000-0000-0000-0000-000000000003': 'Passwordless MFA',
  '00000000-0000-0000-0000-000000000004': 'Phishing-resistant MFA',
};

/**
 * Single-method combinations that are multifactor by themselves: the one-method entries of the
 * built-in "Multifactor authentication" strength's allowedCombinations. Any combination of two
 * methods (`password,sms`) is multifactor too; anything else (`password`, `sms`, `email`,
 * `federatedSingleFactor`, an unknown method) is not.
 */
const MULTIFACTOR_SINGLE_METHODS: ReadonlySet<string> = new Set([
  'windowsHelloForBusiness',
  'fido2',
  'x509CertificateMultiFactor',
  'deviceBasedPush',
  'temporaryAccessPassOneTime',
  'temporaryAccessPassMultiUse',
  'federatedMultiFactor',
]);

function isMultifactorCombination(combination: string): boolean {
  const methods = combination
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  return methods.length >= 2 || (methods.length === 1 && MULTIFACTOR_SINGLE_METHODS.has(methods[0] ?? ''));
}

/** Whether a strength requires MFA, and if not proven, why. */
export function strengthRequiresMfa(
  strength: NonNullable<NonNullable<ConditionalAccessPolicy['grantControls']>['authenticationStrength']>,
  strengths: ReadonlyMap<string, AuthenticationStrengthPolicy> | undefined,
): { readonly ok: boolean; readonly reason?: string } {
  if (BUILT_IN_MFA_STRENGTHS[strength.id] !== undefined) return { ok: true };
  const listed = strengths?.get(strength.id);
  const name = strength.displayName ?? listed?.displayName ?? strength.id;
  const satisfied = (strength.requirementsSatisfied ?? listed?.requirementsSatisfied ?? '').toLowerCase();
  if (satisfied === 'mfa') return { ok: true };
  if (satisfied === 'none')
    return {
      ok: false,
      reason: `authentication strength "${name}" does not require MFA (requirementsSatisfied: none)`,
    };
  const combinations = strength.allowedCombinations ?? listed?.allowedCombinations;
  if (!combinations) {
    return {
      ok: false,
      reason: `authentication strength "${name}" could not be shown to require MFA: it is not in the tenant's list of strengths${strengths ? '' : ' (not read)'}`,
    };
  }
  const weak = combinations.filter((c) => !isMultifactorCombination(c));
  if (combinations.length === 0) return { ok: false, reason: `authentication strength "${name}" allows no method` };
  if (weak.length > 0)
    return {
      ok: false,
      reason: `authentication strength "${name}" also allows ${weak.join('; ')}, which is not multifactor`,
    };
  return { ok: true };
}

/** The alternatives of a grant: under OR each control is a way in; under AND there is one way, all of them together. */
function grantParts(p: ConditionalAccessPolicy): { operator: 'AND' | 'OR'; parts: string[] } {
  const g = p.grantControls;
  const parts = [
    ...(g?.builtInControls ?? []),
    ...(g?.authenticationStrength ? ['authenticationStrength'] : []),
    ...(g?.termsOfUse ?? []).map((id) => `termsOfUse ${id}`),
    ...(g?.customAuthenticationFactors ?? []).map((id) => `custom control ${id}`),
  ];
  return { operator: (g?.operator ?? 'AND').toUpperCase() === 'OR' ? 'OR' : 'AND', parts };
}

/**
 * Why the grant does not guarantee MFA (none when it does). A block counts: a blocked sign-in is
 * no sign-in with a password alone. Terms of use and custom controls alone are not MFA.
 */
export function mfaGrantProblems(
  p: ConditionalAccessPolicy,
  strengths: ReadonlyMap<string, AuthenticationStrengthPolicy> | undefined,
): string[] {
  const { operator, parts } = grantParts(p);
  if (parts.length === 0) return ['has no grant control, so it requires nothing'];
  const judge = (part: string): string | undefined => {
    if (part === 'mfa' || part === 'block') return undefined;
    if (part === 'authenticationStrength') {
      const strength = p.grantControls?.authenticationStrength;
      if (!strength) return 'authentication strength missing';
      const verdict = strengthRequiresMfa(strength, strengths);
      return verdict.ok ? undefined : verdict.reason;
    }
    return `${part} is not MFA`;
  };
  const verdicts = parts.map((part) => ({ part, problem: judge(part) }));
  if (operator === 'AND') {
    if (verdicts.some((v) => v.problem === undefined)) return [];
    return [`does not require MFA: ${verdicts.map((v) => v.problem).join('; ')} (grant: ${parts.join(' AND ')})`];
  }
  const weak = verdicts.filter((v) => v.problem !== undefined);
  if (weak.length === 0) return [];
  if (weak.length === parts.length)
    return [`does not require MFA: ${weak.map((v) => v.problem).join('; ')} (grant: ${parts.join(' OR ')})`];
  return [
    `ORs MFA with ${weak.map((v) => v.part).join(', ')}, so a user can satisfy it without MFA${weak.some((v) => v.part === 'authenticationStrength') ? ` (${weak.map((v) => v.problem).join('; ')})` : ''}`,
  ];
}

/** Why the grant does not always block (none when it does). */
export function blockGrantProblems(p: ConditionalAccessPolicy): string[] {
  const { operator, parts } = grantParts(p);
  if (!parts.includes('block')) return ['does not block access'];
  if (operator === 'OR' && parts.length > 1)
    return [
      `ORs block with ${parts.filter((x) => x !== 'block').join(', ')}, so a user can satisfy it instead of being blocked`,
    ];
  return [];
}

/**
 * Session controls on a counted policy, for the evidence. None of them narrows coverage: "If
 * there's a policy that is configured with the block grant control, enforcement stops here"
 * (concept-conditional-access-policies), and session controls act only after a grant is met.
 */
export function sessionNotes(p: ConditionalAccessPolicy): string[] {
  const s = p.sessionControls;
  if (!s) return [];
  const notes: string[] = [];
  if (s.persistentBrowser?.isEnabled && (s.persistentBrowser.mode ?? '').toLowerCase() === 'always')
    notes.push('keeps browser sessions signed in (persistentBrowser: always)');
  if (s.signInFrequency?.isEnabled) {
    const f = s.signInFrequency;
    notes.push(
      (f.frequencyInterval ?? '').toLowerCase() === 'everytime'
        ? 'asks to sign in again every time (signInFrequency: everyTime)'
        : `asks to sign in again after ${[f.value ?? '?', f.type ?? ''].join(' ').trim()} (signInFrequency)`,
    );
  }
  if (s.disableResilienceDefaults === true)
    notes.push('turns off resilience defaults (sessions are not extended during an Entra outage)');
  if (s.cloudAppSecurity?.isEnabled)
    notes.push(`routes sessions through Defender for Cloud Apps (${s.cloudAppSecurity.cloudAppSecurityType ?? '?'})`);
  if (s.applicationEnforcedRestrictions?.isEnabled) notes.push('uses app-enforced restrictions');
  return notes;
}
