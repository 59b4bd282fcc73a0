import type { ControlDefinition } from './control.js';

/** legacy-auth controls. */
export const legacyAuthControls: readonly ControlDefinition[] = [
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
    parameters: {},
    references: { scuba: ['MS.EXO.5.1v1'], cis: ['6.5.4'], hipaa: ['164.312(d)'], nist: ['IA-2(1)', 'AC-17'] },
    remediation:
      '`Set-TransportConfig -SmtpClientAuthenticationDisabled $true`; for each listed mailbox `Set-CASMailbox -Identity <upn> -SmtpClientAuthenticationDisabled $null` (follow the organisation) unless a device truly needs it, in which case record a policy exception.',
    limitations:
      'Needs the Exchange admin API (InvokeCommand), which Microsoft does not document as a public API; without Exchange.ManageAsApp and the Global Reader role the control is not evaluable. It reads configuration, not actual SMTP AUTH sign-ins.',
    enabledByDefault: true,
  },
];
