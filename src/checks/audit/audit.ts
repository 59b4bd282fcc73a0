import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import type { ExchangeObject } from '../../snapshot/exchange-types.js';
import type { Check, CheckInput } from '../check.js';
import { mailboxName, stringList, text } from '../exchange-values.js';

/*
 * Audit readiness. Mailbox auditing: learn.microsoft.com/purview/audit-mailboxes (on by default
 * when the organisation's AuditDisabled is false; a bypass association stops every action of an
 * account from being logged; MailItemsAccessed is a default action for owner, delegate and admin).
 */

/** The audited action that records which messages were read (learn.microsoft.com/purview/audit-mailboxes). */
const MAIL_ITEMS_ACCESSED = 'mailitemsaccessed';
/** The logon types whose audit sets are judged, by their Get-Mailbox property. */
const AUDIT_SETS = ['AuditOwner', 'AuditDelegate', 'AuditAdmin'] as const;

function isUserMailbox(mailbox: ExchangeObject): boolean {
  const type = text(mailbox.RecipientTypeDetails);
  return type === undefined || type.toLowerCase() === 'usermailbox';
}

/** `audit.mailbox-auditing`: one result per gap, or one pass naming what was examined. */
function mailboxAuditing({ snapshot }: CheckInput): readonly Finding[] {
  const findings: Finding[] = [];
  const org = snapshot.data('exo.organizationConfig');
  const disabled = org.map((o) => o.AuditDisabled);
  if (org.length === 0 || disabled.some((d) => typeof d !== 'boolean')) {
    findings.push({
      target: 'organization',
      status: 'error',
      message:
        org.length === 0
          ? 'Get-OrganizationConfig returned nothing, though every organisation has one.'
          : 'AuditDisabled is missing from Get-OrganizationConfig.',
      evidence: { objects: org.length },
    });
  } else if (disabled.includes(true)) {
    findings.push({
      target: 'organization',
      status: 'fail',
      message:
        'Mailbox auditing is off for the whole organisation (AuditDisabled is true): no mailbox action is recorded.',
      evidence: { auditDisabled: true },
      severity: 'high',
    });
  }

  const bypasses = snapshot.data('exo.mailboxAuditBypassAssociation');
  for (const row of bypasses) {
    const name = text(row.Name) ?? text(row.Identity) ?? '(unnamed account)';
    if (row.AuditBypassEnabled === false) continue;
    if (row.AuditBypassEnabled === true) {
      findings.push({
        target: `audit-bypass/${name}`,
        status: 'fail',
        message: "The account's mailbox actions are never audited (AuditBypassEnabled), wherever it acts.",
        evidence: { account: name, identity: text(row.Identity) ?? null, auditBypassEnabled: true },
        severity: 'high',
      });
    } else {
      findings.push({
        target: `audit-bypass/${name}`,
        status: 'error',
        message: 'AuditBypassEnabled is missing, so whether the account is audited cannot be told.',
        evidence: { account: name, identity: text(row.Identity) ?? null },
      });
    }
  }

  const mailboxes = snapshot.data('exo.mailbox').filter(isUserMailbox);
  if (mailboxes.length === 0) {
    findings.push({
      target: TENANT_TARGET,
      status: 'error',
      message:
        'Get-Mailbox listed no user mailbox, though the tenant was audited through Exchange: the read is incomplete.',
      evidence: { mailboxes: snapshot.data('exo.mailbox').length },
    });
  }
  let complete = 0;
  for (const mailbox of mailboxes) {
    const name = mailboxName(mailbox);
    const sets = AUDIT_SETS.map((property) => ({ property, actions: stringList(mailbox[property]) }));
    const base: JsonObject = {
      mailbox: name,
      defaultAuditSet: stringList(mailbox.DefaultAuditSet) ?? null,
      // Shown, not judged: auditing on by default ignores it (learn.microsoft.com/purview/audit-mailboxes).
      auditEnabled: typeof mailbox.AuditEnabled === 'boolean' ? mailbox.AuditEnabled : null,
    };
    const unread = sets.filter(
      (s) => s.actions === undefined || mailbox[s.property] === undefined || mailbox[s.property] === null,
    );
    if (unread.length > 0) {
      findings.push({
        target: name,
        status: 'error',
        message: `The mailbox's ${unread.map((s) => s.property).join(', ')} cannot be read, so what it records cannot be told.`,
        evidence: { ...base, unreadable: unread.map((s) => s.property) },
      });
      continue;
    }
    const missing = sets.filter((s) => !(s.actions ?? []).some((a) => a.toLowerCase() === MAIL_ITEMS_ACCESSED));
    if (missing.length === 0) {
      complete++;
      continue;
    }
    findings.push({
      target: name,
      status: 'fail',
      message: `The mailbox does not record MailItemsAccessed for ${missing.map((s) => s.property.replace('Audit', '').toLowerCase()).join(', ')} access.`,
      evidence: { ...base, missingMailItemsAccessed: missing.map((s) => s.property) },
    });
  }
  if (findings.length > 0) return findings;
  return [
    {
      target: TENANT_TARGET,
      status: 'pass',
      message: `Mailbox auditing is on, no account bypasses it, and all ${complete} user mailboxes record MailItemsAccessed for owner, delegate and admin.`,
      // Reached only with no finding, so no association bypasses auditing.
      evidence: { auditDisabled: false, bypassAssociations: bypasses.length, bypassed: 0, userMailboxes: complete },
    },
  ];
}

/**
 * `audit.unified-log`: UnifiedAuditLogIngestionEnabled, read through Exchange Online. "The value
 * in Security & Compliance PowerShell is always False" (learn.microsoft.com/powershell/module/
 * exchangepowershell/get-adminauditlogconfig), which is why the collector never asks that endpoint.
 */
function unifiedLog({ snapshot }: CheckInput): readonly Finding[] {
  const config = snapshot.data('exo.adminAuditLogConfig');
  const values = config.map((c) => c.UnifiedAuditLogIngestionEnabled);
  const evidence: JsonObject = {
    objects: config.length,
    unifiedAuditLogIngestionEnabled: values.map((v) => (typeof v === 'boolean' ? v : null)),
    readThrough: 'Exchange Online admin API (Get-AdminAuditLogConfig)',
  };
  if (values.includes(true)) {
    return [{ target: TENANT_TARGET, status: 'pass', message: 'The unified audit log is ingesting.', evidence }];
  }
  if (values.length > 0 && values.every((v) => v === false)) {
    return [
      {
        target: TENANT_TARGET,
        status: 'fail',
        message:
          'The unified audit log is not ingesting (UnifiedAuditLogIngestionEnabled is false): audit search finds nothing new.',
        evidence,
      },
    ];
  }
  return [
    {
      target: TENANT_TARGET,
      status: 'error',
      message:
        config.length === 0
          ? 'Get-AdminAuditLogConfig returned nothing, though every organisation has one.'
          : 'UnifiedAuditLogIngestionEnabled is missing from Get-AdminAuditLogConfig.',
      evidence,
    },
  ];
}

/** Checks of the audit-readiness controls, keyed by control ID. */
export const auditChecks: Readonly<Record<string, Check>> = {
  'audit.mailbox-auditing': { kind: 'snapshot', evaluate: mailboxAuditing },
  'audit.unified-log': { kind: 'snapshot', evaluate: unifiedLog },
};
