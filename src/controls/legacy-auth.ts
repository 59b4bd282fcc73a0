import { ALLOWED_EXCLUSIONS } from './ca-parameters.js';
import type { ControlDefinition } from './control.js';

/** Conditional Access block of legacy authentication (posture). */
const legacyAuthBlocked: ControlDefinition = {
  id: 'legacy-auth.blocked',
  version: 1,
  area: 'legacy-auth',
  title: 'Legacy authentication blocked',
  statement:
    'An enabled Conditional Access policy SHALL block the Exchange ActiveSync and Other clients client-app types for All users and All cloud apps, excluding only the accounts listed in the control, unless security defaults are on.',
  rationale:
    'IMAP, POP, SMTP AUTH and older ActiveSync clients send the password itself and cannot answer an MFA challenge, so password spraying and stolen passwords keep working against them whatever MFA policy is in place.',
  defaultSeverity: 'high',
  sources: ['graph.securityDefaults', 'graph.conditionalAccessPolicies'],
  parameters: { allowedExclusions: ALLOWED_EXCLUSIONS },
  references: {
    scuba: ['MS.AAD.1.1v1'],
    cis: ['5.2.2.3'],
    hipaa: ['164.312(d)', '164.312(a)(1)'],
    nist: ['IA-2', 'AC-17'],
  },
  remediation:
    'Entra admin centre > Protection > Conditional Access > Create new policy from template "Block legacy authentication": Users = All users, Target resources = All cloud apps, Conditions > Client apps = Exchange ActiveSync clients and Other clients, Grant = Block access, state On.',
  limitations:
    'Judges policy configuration only; actual legacy sign-ins are another control. Needs Microsoft Entra ID P1 for Conditional Access.',
  enabledByDefault: true,
};

/** legacy-auth controls. */
export const legacyAuthControls: readonly ControlDefinition[] = [legacyAuthBlocked];
