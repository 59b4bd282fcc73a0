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

/** Conditional Access block of the device-code flow (posture). */
const deviceCodeBlocked: ControlDefinition = {
  id: 'sign-ins.device-code-blocked',
  version: 1,
  area: 'sign-ins',
  title: 'Device-code flow blocked',
  statement:
    'Enabled Conditional Access policies, alone or together, SHALL block the device-code authentication flow for All users and All cloud apps from browsers and modern clients, with no condition narrowing them beyond the exclusions and narrowing listed in the control.',
  rationale:
    'Device-code phishing (Storm-2372 and the kits that followed it since 2025) has the victim type a code at microsoft.com/devicelogin and complete MFA on the real site while the attacker receives the tokens: MFA does not stop it, only blocking the flow does. Few organisations need the flow outside meeting-room and kiosk devices, which a device filter or a location can leave out.',
  defaultSeverity: 'high',
  sources: ['graph.conditionalAccessPolicies'],
  targets: { kind: 'tenant', sources: [] },
  optionalSources: ['graph.groups', 'graph.roleDefinitions', 'graph.namedLocations'],
  parameters: { allowedExclusions: ALLOWED_EXCLUSIONS, allowedNarrowing: ALLOWED_NARROWING },
  references: {
    scuba: ['MS.AAD.3.9v1'],
    cis: ['5.2.2.12'],
    hipaa: ['164.312(d)', '164.312(a)(1)'],
    nist: ['IA-2', 'AC-3', 'AC-17'],
  },
  remediation:
    'Entra admin centre > Protection > Conditional Access > Create new policy: Users = All users (exclude only the break-glass accounts), Target resources = All resources, Conditions > Authentication flows = Device code flow, Grant = Block access, state On. Leave meeting-room and kiosk devices out with a device filter (Conditions > Filter for devices, exclude mode) and list that rule in allowedNarrowing.',
  limitations:
    'Judges policy configuration only; the device-code sign-ins themselves are sign-ins.device-code (beta log). Security defaults do not block the flow, so they are no shortcut here. A block of every sign-in with no flow condition also blocks this flow and counts. The slice judged is browsers and modern clients: the flow is an OAuth 2.0 grant (RFC 8628) that the legacy client types cannot use, and legacy-auth.blocked judges those. Every v1.0 condition is read as for mfa.enforcement. Needs Microsoft Entra ID P1 for Conditional Access.',
  enabledByDefault: true,
};

/** sign-ins controls. */
export const signInsControls: readonly ControlDefinition[] = [
  riskPolicies,
  deviceCodeBlocked,
  ...signInDetectionControls,
];
