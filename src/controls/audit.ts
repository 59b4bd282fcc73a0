import type { ControlDefinition } from './control.js';

const EXCHANGE_LIMITATION =
  'Needs the Exchange admin API (InvokeCommand), which Microsoft does not document as a public API; when the app lacks Exchange.ManageAsApp or an Exchange role that includes the cmdlet, the control is not evaluable, with the setup steps.';

/** Audit readiness: whether the tenant would record who read which mail. */
export const auditControls: readonly ControlDefinition[] = [
  {
    id: 'audit.mailbox-auditing',
    version: 1,
    area: 'audit',
    title: 'Mailbox auditing records mail access',
    statement:
      "Mailbox auditing SHALL be on for the organisation (AuditDisabled false), no account SHALL have an audit bypass, and every user mailbox's owner, delegate and admin audit sets SHALL include MailItemsAccessed.",
    rationale:
      'After a breach the first question is which messages the attacker read. Only MailItemsAccessed answers it, and only where it was recorded at the time: an organisation with auditing off, an account whose actions bypass auditing, or a mailbox whose audit sets were customised without it leaves that question unanswerable for good.',
    defaultSeverity: 'medium',
    sources: ['exo.organizationConfig', 'exo.mailboxAuditBypassAssociation', 'exo.mailbox'],
    targets: {
      kind: 'tenant',
      sources: ['exo.organizationConfig', 'exo.mailboxAuditBypassAssociation', 'exo.mailbox'],
    },
    parameters: {},
    references: {
      scuba: ['MS.EXO.13.1v1'],
      cis: ['6.1.1', '6.1.2', '6.1.3'],
      hipaa: ['164.312(b)'],
      nist: ['AU-2', 'AU-12'],
    },
    remediation:
      '`Set-OrganizationConfig -AuditDisabled $false`; for each bypassed account `Set-MailboxAuditBypassAssociation -Identity <account> -AuditBypassEnabled $false`; for each mailbox missing MailItemsAccessed `Set-Mailbox -Identity <mailbox> -DefaultAuditSet Admin,Delegate,Owner` (back to the Microsoft-managed sets, which include it) or add it to the customised set (`-AuditOwner @{Add="MailItemsAccessed"}`, likewise `-AuditDelegate` and `-AuditAdmin`).',
    limitations: `${EXCHANGE_LIMITATION} Judges user mailboxes. Recording is not searching: how long records are kept, and whether MailItemsAccessed reaches audit search for a mailbox's licence, are not judged. AuditEnabled on a mailbox is shown but not judged, since Microsoft documents that auditing on by default ignores it.`,
    enabledByDefault: true,
  },
  {
    id: 'audit.unified-log',
    version: 1,
    area: 'audit',
    title: 'The unified audit log is ingesting',
    statement:
      'Unified audit log ingestion SHALL be on (Get-AdminAuditLogConfig UnifiedAuditLogIngestionEnabled true, read through Exchange Online).',
    rationale:
      'Mailbox, sign-in, admin and SharePoint activity reach audit search only through the unified audit log; with ingestion off, an investigation finds nothing, however well each workload records. Microsoft documents that only Exchange Online reports this value correctly: Security & Compliance PowerShell always shows False (learn.microsoft.com/powershell/module/exchangepowershell/get-adminauditlogconfig).',
    defaultSeverity: 'high',
    sources: ['exo.adminAuditLogConfig'],
    targets: { kind: 'tenant', sources: [] },
    parameters: {},
    references: { scuba: ['MS.SECURITYSUITE.5.1v1'], cis: ['3.1.1'], hipaa: ['164.312(b)'], nist: ['AU-2', 'AU-12'] },
    remediation:
      'Microsoft Purview portal > Audit > "Start recording user and admin activity", or in Exchange Online PowerShell `Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true`. It can take up to 60 minutes to take effect.',
    limitations: `${EXCHANGE_LIMITATION} Read through the Exchange Online admin API only, never Security & Compliance PowerShell, whose value is always False. It judges ingestion, not the retention of audit records.`,
    enabledByDefault: true,
  },
];
