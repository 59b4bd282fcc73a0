import { ALLOWED_EXCLUSIONS, ALLOWED_NARROWING } from './ca-parameters.js';
import type { ControlDefinition } from './control.js';
import { signInDetectionControls } from './sign-in-detection.js';

/** Identity Protection risk policies (posture), enforced through Conditional Access. */
const riskPolicies: ControlDefinition = {
  id: 'sign-ins.risk-policies',
  version: 2,
  area: 'sign-ins',
  title: 'High user risk and high sign-in risk blocked',
  statement:
    'Enabled Conditional Access policies SHALL block access for sign-ins at high user risk and, judged separately, for sign-ins at high sign-in risk, for All users and All cloud apps, with no condition narrowing them beyond the exclusions and narrowing listed in the control.',
  rationale:
    'Identity Protection flags leaked credentials, password spray and token replay as risk. Unless a policy acts on high risk, the detection only fills a report nobody reads while the attacker keeps the session. A policy that requires high user risk and high sign-in risk together applies only when both are high, so it blocks neither risk alone: each risk is judged on its own.',
  defaultSeverity: 'high',
  // riskyUsers is read to learn whether the tenant has Entra ID P2: without it risk conditions do nothing.
  sources: ['graph.conditionalAccessPolicies', 'graph.riskyUsers'],
  targets: { kind: 'tenant', sources: [] },
  optionalSources: ['graph.groups', 'graph.roleDefinitions', 'graph.namedLocations'],
  parameters: { allowedExclusions: ALLOWED_EXCLUSIONS, allowedNarrowing: ALLOWED_NARROWING },
  references: {
    scuba: ['MS.AAD.2.1v1', 'MS.AAD.2.3v1'],
    cis: ['5.2.2.6', '5.2.2.7'],
    hipaa: ['164.308(a)(1)(ii)(D)', '164.308(a)(6)(ii)'],
    nist: ['AC-2(12)', 'SI-4'],
  },
  remediation:
    'Entra admin centre > Protection > Conditional Access: create two policies for All users and All cloud apps, one with Conditions > User risk = High and one with Conditions > Sign-in risk = High, each with Grant = Block access, state On.',
  limitations:
    'Needs Microsoft Entra ID P2; without it the result is not evaluable. Policies that answer high risk with MFA and a password change instead of a block (CIS 5.2.2.6) do not pass this SCuBA-aligned control. Every v1.0 condition is read as for mfa.enforcement, and policies may cover a risk together. Groups, roles and named locations are named from their own sources; when one cannot be read the IDs are shown and the evidence says why.',
  enabledByDefault: true,
};

/** sign-ins controls. */
export const signInsControls: readonly ControlDefinition[] = [riskPolicies, ...signInDetectionControls];
