import type { ControlDefinition } from './control.js';
import { stringSetParameter } from './parameter-schemas.js';

const PARTNER_DOMAINS = {
  schema: {
    type: 'array',
    items: { type: 'string', format: 'hostname', minLength: 1 },
    uniqueItems: true,
    default: [],
    description:
      "Partner domains mail may be forwarded to (a subdomain of a listed domain also counts). The tenant's own verified domains and their subdomains are always internal.",
  },
} as const;

const EXCHANGE_LIMITATION =
  'Needs the Exchange admin API (InvokeCommand), which Microsoft does not document as a public API; when the app lacks Exchange.ManageAsApp or the Global Reader role the control is not evaluable, with the setup steps.';

/** Forwarding controls: where mail leaves the tenant without anyone sending it. */
export const forwardingControls: readonly ControlDefinition[] = [
  {
    id: 'forwarding.inbox-rules',
    version: 1,
    area: 'forwarding',
    title: 'Inbox rules that forward mail outside the tenant',
    statement:
      "No enabled inbox rule SHALL forward, forward as an attachment or redirect mail to a recipient outside the tenant's accepted domains and the policy's partner domains.",
    rationale:
      'After taking over a mailbox, attackers add an inbox rule that quietly copies every message (or every invoice) to an address they control; it keeps working after the password is reset. ScubaGear, Maester and Prowler read only the tenant-wide settings, not the rules of each mailbox.',
    defaultSeverity: 'high',
    sources: ['graph.messageRules', 'graph.domains'],
    optionalSources: ['exo.inboxRule'],
    targets: { kind: 'tenant', sources: ['graph.messageRules', 'exo.inboxRule'] },
    parameters: {
      partnerDomains: PARTNER_DOMAINS,
      hiddenRules: {
        schema: {
          type: 'string',
          enum: ['flagged', 'all', 'off'],
          default: 'flagged',
          description:
            'Which mailboxes also get Get-InboxRule -IncludeHidden (Graph does not show rules hidden from MAPI): `flagged` = mailboxes with mailbox-level forwarding or an at-risk user, `all` = every mailbox (one Exchange call each), `off` = none.',
        },
      },
    },
    references: { cis: ['6.2.1'], hipaa: ['164.308(a)(1)(ii)(D)', '164.312(e)(1)'], nist: ['AC-4', 'SI-4'] },
    remediation:
      'Confirm with the mailbox owner, then remove the rule: Outlook on the web > Settings > Mail > Rules, or `Remove-InboxRule -Mailbox <upn> -Identity <rule>`. Treat an unknown rule as a compromise: revoke sessions (`Revoke-MgUserSignInSession`), reset the password and review sign-ins. Add legitimate partner domains to `partnerDomains`.',
    limitations:
      'Reads rules through Graph (MailboxSettings.Read), which does not show rules hidden from MAPI; hidden rules are read with Get-InboxRule -IncludeHidden only where the Exchange admin API is available and only for the mailboxes `hiddenRules` selects. Client-only Outlook rules and Power Automate flows are not seen. Users without an Exchange Online mailbox are skipped and counted.',
    enabledByDefault: true,
  },
  {
    id: 'forwarding.concealment-rules',
    version: 1,
    area: 'forwarding',
    title: 'Inbox rules that hide mail',
    statement:
      "No enabled inbox rule SHOULD delete mail or move it to RSS Feeds, RSS Subscriptions, Conversation History, Archive, Junk or Deleted Items the way a compromised mailbox's rules do (a hiding folder alone; otherwise together with marking as read, a trigger word or a security-team sender).",
    rationale:
      'In business email compromise the attacker hides the replies: a rule that moves messages containing "invoice", "payment" or "hacked" into RSS Feeds and marks them read keeps the real owner from seeing the fraud or the warning from IT.',
    defaultSeverity: 'high',
    sources: ['graph.messageRules', 'graph.domains'],
    optionalSources: ['exo.inboxRule'],
    targets: { kind: 'tenant', sources: ['graph.messageRules', 'exo.inboxRule', 'graph.mailFolders'] },
    parameters: {
      triggerWords: stringSetParameter(
        "Words that, found in a rule's subject, body, header or sender conditions (case-insensitive, as a substring), mark a deleting or archiving rule as concealment.",
        ['invoice', 'payment', 'wire', 'bank', 'password', 'security', 'phish', 'hacked', 'helpdesk'],
      ),
      securityTeamSenders: stringSetParameter(
        "Addresses (or address fragments) of the organisation's own IT and security team; a rule that deletes or archives their mail is concealment.",
      ),
    },
    references: { hipaa: ['164.308(a)(1)(ii)(D)', '164.308(a)(6)(ii)'], nist: ['SI-4', 'IR-4'] },
    remediation:
      'Review the rule with the mailbox owner; if they did not create it, remove it (`Remove-InboxRule -Mailbox <upn> -Identity <rule>`), revoke sessions, reset the password and search the mailbox audit log for New-InboxRule and Set-InboxRule events.',
    limitations:
      'Graph gives the folder a rule moves to as an ID; the collector resolves the folder names it can, and an unresolved ID is judged only by the other signs. Hidden rules: as for forwarding.inbox-rules. The word list produces false positives on legitimate filing rules; tune `triggerWords` or add an exception.',
    enabledByDefault: true,
  },
  {
    id: 'forwarding.mailbox',
    version: 1,
    area: 'forwarding',
    title: 'Mailbox-level forwarding outside the tenant',
    statement:
      'No mailbox SHALL have a ForwardingSmtpAddress outside the accepted domains and partner domains, or a ForwardingAddress that points to an external contact or mail user.',
    rationale:
      "Mailbox forwarding is set by an admin or through Outlook on the web, is invisible in the user's rules and survives a password reset; it sends every message out of the tenant.",
    defaultSeverity: 'high',
    sources: ['exo.mailbox', 'exo.recipient', 'graph.domains'],
    targets: { kind: 'tenant', sources: ['exo.mailbox'] },
    parameters: { partnerDomains: PARTNER_DOMAINS },
    references: { cis: ['6.2.1'], hipaa: ['164.312(e)(1)'], nist: ['AC-4'] },
    remediation:
      '`Set-Mailbox -Identity <upn> -ForwardingSmtpAddress $null -ForwardingAddress $null -DeliverToMailboxAndForward $false`, or Exchange admin centre > Recipients > Mailboxes > the mailbox > Mail flow settings > Email forwarding. Block it tenant-wide with the outbound spam policy (AutoForwardingMode Off).',
    limitations: `${EXCHANGE_LIMITATION} A ForwardingAddress that names neither a mailbox nor a mail contact or mail user is an error, not a pass.`,
    enabledByDefault: true,
  },
  {
    id: 'forwarding.transport-rules',
    version: 1,
    area: 'forwarding',
    title: 'Mail-flow rules that copy or redirect mail outside the tenant',
    statement:
      "No enabled mail-flow (transport) rule in Enforce mode SHALL redirect, copy, blind-copy or add a recipient outside the tenant's accepted domains and the policy's partner domains, or route mail through an outbound connector that delivers outside them.",
    rationale:
      'A transport rule acts on every message that matches it, for every user, before any mailbox sees it: one rule that blind-copies the finance team to an outside address exfiltrates quietly and survives every password reset. It is set by an admin, or by an attacker holding an admin account, and no user can see it.',
    defaultSeverity: 'high',
    sources: ['exo.transportRule', 'exo.outboundConnector', 'exo.mailbox', 'exo.recipient', 'graph.domains'],
    targets: { kind: 'tenant', sources: ['exo.transportRule'] },
    parameters: { partnerDomains: PARTNER_DOMAINS },
    references: { cis: ['6.2.1'], hipaa: ['164.312(e)(1)'], nist: ['AC-4'] },
    remediation:
      'Exchange admin centre > Mail flow > Rules: open the rule, check with its owner why it copies mail out, and remove the action or the rule (`Remove-TransportRule -Identity <rule>`, or `Disable-TransportRule`). An unknown rule is a compromised admin account: review the admin audit log for New-TransportRule and Set-TransportRule. Add legitimate partner domains to `partnerDomains`.',
    limitations: `${EXCHANGE_LIMITATION} Rules in Audit or AuditAndNotify mode are counted, not judged, as they change no delivery. A recipient named by alias or display name is resolved against mailboxes, mail contacts and mail users; one that resolves to none is an error. AddManagerAsRecipientType is taken as internal (the sender's manager is a directory object; managers are not read) and listed in the evidence. Rule conditions (which messages match) and date limits are shown, not judged.`,
    enabledByDefault: true,
  },
  {
    id: 'forwarding.outbound-policy',
    version: 1,
    area: 'forwarding',
    title: 'Outbound spam policy blocks automatic external forwarding',
    statement:
      'The default outbound spam filter policy and every custom one SHALL set AutoForwardingMode to Off or Automatic; a custom policy set to On SHALL apply only to senders the policy allows.',
    rationale:
      'The outbound spam policy is the tenant-wide switch for automatic forwarding to the internet: with it Off, a forwarding rule planted by an attacker is blocked. Automatic is now treated by Microsoft as Off.',
    defaultSeverity: 'high',
    sources: ['exo.hostedOutboundSpamFilterPolicy', 'exo.hostedOutboundSpamFilterRule'],
    targets: { kind: 'tenant', sources: ['exo.hostedOutboundSpamFilterPolicy'] },
    parameters: {
      allowedForwardingSenders: stringSetParameter(
        "Senders (addresses, groups or sender domains, as written in the outbound spam filter rule's From, FromMemberOf or SenderDomainIs) that a custom policy may let forward automatically.",
      ),
    },
    references: { cis: ['6.2.1'], hipaa: ['164.312(e)(1)'], nist: ['AC-4', 'SC-7'] },
    remediation:
      '`Set-HostedOutboundSpamFilterPolicy -Identity Default -AutoForwardingMode Off` (and for each custom policy), or Microsoft Defender portal > Email & collaboration > Policies > Anti-spam > Anti-spam outbound policy > Forwarding rules > Off. Scope a policy that must allow forwarding to named senders only.',
    limitations: `${EXCHANGE_LIMITATION} A custom policy set to On but applied by no enabled rule passes, as it applies to nobody.`,
    enabledByDefault: true,
  },
  {
    id: 'forwarding.remote-domains',
    version: 1,
    area: 'forwarding',
    title: 'Remote domains block automatic forwarding',
    statement:
      'AutoForwardEnabled SHALL be false on the remote domain `*` and on every remote domain that is not a partner domain of the policy.',
    rationale:
      'The remote domain `*` governs every external domain; with AutoForwardEnabled false, automatic forwarding to the internet is blocked even if the outbound spam policy allows it.',
    defaultSeverity: 'medium',
    sources: ['exo.remoteDomain'],
    targets: { kind: 'tenant', sources: ['exo.remoteDomain'] },
    parameters: { partnerDomains: PARTNER_DOMAINS },
    references: { scuba: ['MS.EXO.1.1v2'], cis: ['6.2.1'], nist: ['AC-4'] },
    remediation:
      '`Set-RemoteDomain -Identity Default -AutoForwardEnabled $false`, or Exchange admin centre > Mail flow > Remote domains > Default > Email reply types > clear "Allow automatic forwarding".',
    limitations: EXCHANGE_LIMITATION,
    enabledByDefault: true,
  },
];
