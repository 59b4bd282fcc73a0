import { ALLOWED_EXCLUSIONS, ALLOWED_NARROWING } from './ca-parameters.js';
import type { ControlDefinition } from './control.js';
import { legacySignInsControl } from './sign-in-detection.js';

/** Conditional Access block of legacy authentication (posture). */
const legacyAuthBlocked: ControlDefinition = {
  id: 'legacy-auth.blocked',
  version: 2,
  area: 'legacy-auth',
  title: 'Legacy authentication blocked',
  statement:
    'Enabled Conditional Access policies, alone or together, SHALL block the Exchange ActiveSync and Other clients client-app types for All users and All cloud apps, with no condition narrowing them beyond the exclusions and narrowing listed in the control, unless security defaults are on.',
  rationale:
    'IMAP, POP, SMTP AUTH and older ActiveSync clients send the password itself and cannot answer an MFA challenge, so password spraying and stolen passwords keep working against them whatever MFA policy is in place.',
  defaultSeverity: 'high',
  sources: ['graph.securityDefaults', 'graph.conditionalAccessPolicies'],
  targets: { kind: 'tenant', sources: [] },
  optionalSources: ['graph.groups', 'graph.roleDefinitions', 'graph.namedLocations'],
  parameters: { allowedExclusions: ALLOWED_EXCLUSIONS, allowedNarrowing: ALLOWED_NARROWING },
  references: {
    scuba: ['MS.AAD.1.1v1'],
    cis: ['5.2.2.3'],
    hipaa: ['164.312(d)', '164.312(a)(1)'],
    nist: ['IA-2', 'AC-17'],
  },
  remediation:
    'Entra admin centre > Protection > Conditional Access > Create new policy from template "Block legacy authentication": Users = All users, Target resources = All cloud apps, Conditions > Client apps = Exchange ActiveSync clients and Other clients, Grant = Block access, state On.',
  limitations:
    'Judges policy configuration only; actual legacy sign-ins are another control. Every v1.0 condition is read, and a block split across policies (for example one for Android and one for every other platform) counts when together they leave no gap; a policy limited to some authentication flows never counts. Groups, roles and named locations are named from their own sources (graph.groups, graph.roleDefinitions, graph.namedLocations); when one cannot be read the verdict still stands, the IDs are shown and the evidence says why the names are missing, and without the named locations an AllTrusted condition is read as covering no named location. Needs Microsoft Entra ID P1 for Conditional Access.',
  enabledByDefault: true,
};

/** legacy-auth controls. */
export const legacyAuthControls: readonly ControlDefinition[] = [
  legacyAuthBlocked,
  {
    id: 'legacy-auth.smtp-auth',
    version: 1,
    area: 'legacy-auth',
    title: 'SMTP AUTH disabled',
    statement:
      'SMTP AUTH client submission SHALL be disabled for the organisation (SmtpClientAuthenticationDisabled true), and no mailbox SHOULD turn it back on.',
    rationale:
      'SMTP AUTH accepts a bare password and cannot be protected by MFA, so it is a favourite door for password spraying and for sending mail from a compromised account.',
    defaultSeverity: 'high',
    sources: ['exo.transportConfig', 'exo.casMailbox'],
    targets: { kind: 'tenant', sources: ['exo.casMailbox'] },
    parameters: {},
    references: { scuba: ['MS.EXO.5.1v1'], cis: ['6.5.4'], hipaa: ['164.312(d)'], nist: ['IA-2(1)', 'AC-17'] },
    remediation:
      '`Set-TransportConfig -SmtpClientAuthenticationDisabled $true`; for each listed mailbox `Set-CASMailbox -Identity <upn> -SmtpClientAuthenticationDisabled $null` (follow the organisation) unless a device truly needs it, in which case record a policy exception.',
    limitations:
      'Needs the Exchange admin API (InvokeCommand), which Microsoft does not document as a public API; without Exchange.ManageAsApp and the Global Reader role the control is not evaluable. It reads configuration, not actual SMTP AUTH sign-ins.',
    enabledByDefault: true,
  },
  legacySignInsControl,
];
