import type { JsonSchema } from '../../model/json-schema.js';
import { MAILBOX_PERMISSION_MAILBOX_PROPERTY } from '../exchange-types.js';
import { boolean, booleanOrNull, object, string, stringOrNull, stringOrStrings } from './schema-kit.js';

/*
 * The Exchange cmdlet output the mailbox-access, mail-flow and audit controls read
 * (InvokeCommand, PascalCase properties: learn.microsoft.com/powershell/module/exchangepowershell/…).
 * Recipient and rights lists arrive as a list, or as one string when they hold one value.
 */

const named = {
  Identity: stringOrNull('The object’s identity.'),
  Name: stringOrNull('Its name.'),
};

/** Get-TransportRule. */
export const TRANSPORT_RULE_SCHEMA: JsonSchema = object('A mail-flow rule.', {
  ...named,
  Guid: stringOrNull('Its GUID.'),
  State: stringOrNull('`Enabled` or `Disabled`; a rule without it is judged.'),
  Mode: stringOrNull('`Enforce` (judged, the default), `Audit` or `AuditAndNotify` (counted, not judged).'),
  Priority: { type: ['integer', 'null'], description: 'Shown in evidence.' },
  Description: stringOrNull('Shown in evidence.'),
  RedirectMessageTo: stringOrStrings('Recipients the message is redirected to.'),
  BlindCopyTo: stringOrStrings('Recipients added as Bcc.'),
  CopyTo: stringOrStrings('Recipients added as Cc.'),
  AddToRecipients: stringOrStrings('Recipients added as To.'),
  AddManagerAsRecipientType: stringOrNull(
    '`To`, `Cc`, `Bcc` or `Redirect` to the sender’s manager (listed in evidence).',
  ),
  RouteMessageOutboundConnector: stringOrNull('The outbound connector the message is routed through.'),
});

/** Get-OutboundConnector. */
export const OUTBOUND_CONNECTOR_SCHEMA: JsonSchema = object('An outbound connector.', {
  ...named,
  Guid: stringOrNull('Its GUID.'),
  Enabled: booleanOrNull('A disabled connector sends nothing.'),
  ConnectorType: stringOrNull('`Partner` (outside the organisation) or `OnPremises`.'),
  UseMXRecord: booleanOrNull('Delivers to each recipient’s own mail servers.'),
  SmartHosts: stringOrStrings('The hosts it relays through (FQDN, IP address or CIDR block).'),
  RecipientDomains: stringOrStrings('Shown in evidence.'),
});

/** Get-MailboxPermission, one row of one mailbox (the collector adds the mailbox it asked for). */
export const MAILBOX_PERMISSION_SCHEMA: JsonSchema = object(
  'An explicit entry of a mailbox’s permissions.',
  {
    [MAILBOX_PERMISSION_MAILBOX_PROPERTY]: string('The mailbox it was read for (the collector adds it).'),
    Identity: stringOrNull('The mailbox’s name, as the cmdlet gives it.'),
    User: string('Who holds the rights: an account, `NT AUTHORITY\\SELF`, or the SID of a deleted account.'),
    AccessRights: stringOrStrings('`FullAccess`, `ReadPermission`, …'),
    IsInherited: booleanOrNull('Inherited entries are not grants (the collector keeps explicit ones only).'),
    Deny: booleanOrNull('A deny entry is not a grant.'),
  },
  ['User', 'AccessRights'],
);

/** Get-RecipientPermission -AccessRights SendAs. */
export const RECIPIENT_PERMISSION_SCHEMA: JsonSchema = object(
  'A SendAs entry.',
  {
    Identity: string('The recipient (mailbox) it is on.'),
    Trustee: string('Who may send as it.'),
    AccessRights: stringOrStrings('`SendAs`.'),
    AccessControlType: stringOrNull('`Allow` or `Deny`.'),
    IsInherited: booleanOrNull('Inherited entries are not grants.'),
  },
  ['Identity', 'Trustee', 'AccessRights'],
);

/** Get-OrganizationConfig (one object, cut to what is read). */
export const ORGANIZATION_CONFIG_SCHEMA: JsonSchema = object(
  'The organisation’s settings.',
  { ...named, AuditDisabled: boolean('Mailbox auditing off for the whole organisation.') },
  ['AuditDisabled'],
);

/** Get-MailboxAuditBypassAssociation. */
export const AUDIT_BYPASS_SCHEMA: JsonSchema = object('An account’s audit bypass.', {
  ...named,
  AuditBypassEnabled: booleanOrNull('The account’s mailbox actions are never audited.'),
});

/** Get-AdminAuditLogConfig (one object). */
export const ADMIN_AUDIT_LOG_CONFIG_SCHEMA: JsonSchema = object(
  'The admin audit log settings.',
  {
    ...named,
    UnifiedAuditLogIngestionEnabled: boolean(
      'Unified audit log ingestion on; only Exchange Online reports it correctly.',
    ),
  },
  ['UnifiedAuditLogIngestionEnabled'],
);

/** Get-ApplicationAccessPolicy. */
export const APPLICATION_ACCESS_POLICY_SCHEMA: JsonSchema = object('An application access policy.', {
  Identity: stringOrNull('Its identity.'),
  AppId: stringOrStrings('The app(s) it applies to.'),
  AccessRight: stringOrNull('`RestrictAccess` (narrows an app to a group) or `DenyAccess`.'),
  ScopeName: stringOrNull('The mail-enabled security group it names.'),
  ScopeIdentity: stringOrNull('The group’s identity.'),
  Description: stringOrNull('Shown in evidence.'),
});

/** Get-ManagementRoleAssignment. */
export const MANAGEMENT_ROLE_ASSIGNMENT_SCHEMA: JsonSchema = object('A management role assignment.', {
  ...named,
  Role: stringOrNull('RBAC for Applications roles are named `Application …`.'),
  RoleAssignee: stringOrNull('Who holds it.'),
  RoleAssigneeName: stringOrNull('Who holds it, by name.'),
  RoleAssigneeType: stringOrNull('Shown in evidence.'),
  App: stringOrNull('The service principal, where given.'),
  CustomResourceScope: stringOrNull('Its scope (evidence only: it does not narrow an Entra ID grant).'),
  RecipientWriteScope: stringOrNull('Shown in evidence.'),
});

/** Get-ServicePrincipal (Exchange's pointers to Entra service principals). */
export const EXCHANGE_SERVICE_PRINCIPAL_SCHEMA: JsonSchema = object('An Exchange service principal pointer.', {
  ...named,
  DisplayName: stringOrNull('Its display name.'),
  AppId: stringOrNull('The app it points at.'),
  ObjectId: stringOrNull('The Entra service principal’s object ID.'),
  ServiceId: stringOrNull('The same, in older output.'),
  Guid: stringOrNull('Its GUID.'),
});
