import { type ExchangeObject, RECIPIENT_NAME_PROPERTIES } from '../../snapshot/exchange-types.js';

/*
 * The properties the checks read from the tenant-wide cmdlets, one list per cmdlet. A real
 * Get-Mailbox object carries some 250 properties (learn.microsoft.com/powershell/module/exchange/get-mailbox);
 * holding 100,000 of them whole costs far more memory than the dozen the checks use, so each
 * page is cut down to these as it arrives. The snapshot keeps the cmdlet's own shape, only
 * narrower. A check that starts reading another property must add it here (the projection
 * test replays the demo and a generated tenant with and without the cut and expects the same verdicts).
 */

/**
 * Get-Mailbox: forwarding.mailbox (names, forwarding), the hidden-rule and permission sweeps
 * (identity, user ID, type), and audit.mailbox-auditing (the audit sets, learn.microsoft.com/
 * purview/audit-mailboxes).
 */
export const MAILBOX_PROPERTIES = [
  ...RECIPIENT_NAME_PROPERTIES,
  'ForwardingAddress',
  'ForwardingSmtpAddress',
  'DeliverToMailboxAndForward',
  'RecipientTypeDetails',
  'AuditEnabled',
  'AuditOwner',
  'AuditDelegate',
  'AuditAdmin',
  'DefaultAuditSet',
] as const;

/** Get-MailboxPermission: the documented output (Identity, User, AccessRights, IsInherited, Deny). */
export const PERMISSION_PROPERTIES = ['Identity', 'User', 'AccessRights', 'IsInherited', 'Deny'] as const;

/** Get-OrganizationConfig: some 300 properties; audit.mailbox-auditing reads AuditDisabled. */
export const ORGANIZATION_CONFIG_PROPERTIES = ['Identity', 'Name', 'AuditDisabled'] as const;

/** Get-MailboxAuditBypassAssociation: the account and its bypass flag. */
export const AUDIT_BYPASS_PROPERTIES = ['Identity', 'Name', 'AuditBypassEnabled'] as const;

/** Get-CASMailbox: legacy-auth.smtp-auth (the per-mailbox SMTP AUTH override and a name). */
export const CAS_MAILBOX_PROPERTIES = [
  'Identity',
  'Name',
  'PrimarySmtpAddress',
  'SmtpClientAuthenticationDisabled',
] as const;

/** The object with only `properties` (those it has); values are kept as returned. */
export function projectObject(
  object: Readonly<Record<string, unknown>>,
  properties: readonly string[],
): ExchangeObject {
  const out: Record<string, unknown> = {};
  for (const property of properties) if (Object.hasOwn(object, property)) out[property] = object[property];
  return out;
}

/**
 * One copy of each repeated value: JSON.parse makes a new string for every occurrence, and
 * 100,000 mailboxes repeat the same audit actions and access rights. Lists of strings are kept
 * once per distinct list too (the same four audit sets on nearly every mailbox); the data is
 * read-only from here on, so sharing them is safe.
 */
export function interner(): (value: string) => string {
  const pool = new Map<string, string>();
  return (value) => {
    const known = pool.get(value);
    if (known !== undefined) return known;
    pool.set(value, value);
    return value;
  };
}

const LISTS = new WeakMap<(value: string) => string, Map<string, readonly string[]>>();

/** The object with its string values, and its lists of strings, interned. */
export function internStrings(object: ExchangeObject, intern: (value: string) => string): ExchangeObject {
  let lists = LISTS.get(intern);
  if (lists === undefined) {
    lists = new Map();
    LISTS.set(intern, lists);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (typeof value === 'string') out[key] = intern(value);
    else if (Array.isArray(value) && value.every((v: unknown): v is string => typeof v === 'string')) {
      const id = JSON.stringify(value);
      const known = lists.get(id);
      if (known !== undefined) out[key] = known;
      else {
        const list = value.map(intern);
        lists.set(id, list);
        out[key] = list;
      }
    } else out[key] = value;
  }
  return out;
}
