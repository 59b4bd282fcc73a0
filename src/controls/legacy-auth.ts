import { LEGACY_CLIENT_APPS } from '../checks/sign-ins/legacy-client-apps.js';
import type { ControlDefinition } from './control.js';
import { SIGN_IN_WINDOW_PARAMETERS } from './sign-in-window.js';

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
  {
    id: 'legacy-auth.sign-ins',
    version: 1,
    area: 'legacy-auth',
    title: 'Successful sign-ins over legacy protocols',
    statement:
      'No user SHALL sign in successfully over a legacy authentication protocol (IMAP4, POP3, authenticated SMTP, Exchange ActiveSync, MAPI, EWS, AutoDiscover, Outlook Anywhere, Exchange Online PowerShell, Offline Address Book or other clients) within the look-back window.',
    rationale:
      'Legacy protocols cannot answer an MFA challenge, so a stolen password alone opens the mailbox through them; password spray and credential stuffing target them for that reason. A policy that is meant to block them proves nothing until the sign-in log shows that nobody got through.',
    defaultSeverity: 'high',
    sources: ['graph.signIns'],
    parameters: {
      ...SIGN_IN_WINDOW_PARAMETERS,
      legacyClientApps: {
        schema: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          default: [...LEGACY_CLIENT_APPS],
          description:
            'The `clientAppUsed` values counted as legacy authentication, compared without regard to case. `Browser` and `Mobile Apps and Desktop clients` are modern; any other value is counted as unknown and skipped.',
        },
      },
    },
    references: {
      scuba: ['MS.AAD.1.1v1'],
      cis: ['5.2.2.3'],
      hipaa: ['164.308(a)(5)(ii)(C)', '164.312(d)'],
      nist: ['IA-2(1)', 'AC-17', 'SI-4'],
    },
    remediation:
      'Block legacy authentication with a Conditional Access policy (Entra admin centre > Protection > Conditional Access: all users, all resources, client apps "Exchange ActiveSync clients" and "Other clients", Block), disable the protocols per mailbox (Set-CASMailbox -ImapEnabled $false -PopEnabled $false -ActiveSyncEnabled $false) and turn off SMTP AUTH (Set-TransportConfig -SmtpClientAuthenticationDisabled $true). Reset the password of each listed user whose sign-in was not expected.',
    limitations:
      'Reads interactive sign-ins from Graph v1.0 (non-interactive sign-ins are only in beta). Needs Microsoft Entra ID P1. A `clientAppUsed` value Microsoft adds later is counted as unknown until it is added to legacyClientApps.',
    enabledByDefault: true,
  },
];
