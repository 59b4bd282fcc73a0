import type { JsonSchema } from '../../model/json-schema.js';
import { INBOX_RULE_MAILBOX_PROPERTY } from '../exchange-types.js';
import { boolean, booleanOrNull, object, string, stringOrNull, stringOrStrings } from './schema-kit.js';

/*
 * One object of each Exchange cmdlet mailwarden runs (InvokeCommand output, PascalCase
 * properties: learn.microsoft.com/powershell/module/exchange/…), as far as the checks read it.
 * Properties a verdict rests on, and that the cmdlet always returns, are required: a mailbox
 * without `ForwardingSmtpAddress` would otherwise read as one that does not forward.
 */

const names = {
  Identity: stringOrNull('The object’s identity.'),
  Name: stringOrNull('Its name.'),
  DisplayName: stringOrNull('Its display name.'),
  Alias: stringOrNull('Its alias.'),
  PrimarySmtpAddress: stringOrNull('Its primary address.'),
  UserPrincipalName: stringOrNull('Its sign-in name.'),
  DistinguishedName: stringOrNull('Its distinguished name.'),
  Guid: stringOrNull('Its GUID.'),
  ExternalDirectoryObjectId: stringOrNull('The Entra object ID (the shard key).'),
};

/** Get-Mailbox, cut to the properties of src/collect/exchange/cmdlet-properties.ts. */
export const MAILBOX_SCHEMA: JsonSchema = object(
  'A mailbox.',
  {
    ...names,
    ForwardingAddress: stringOrNull('A recipient in the directory mail is forwarded to (forwarding.mailbox).'),
    ForwardingSmtpAddress: stringOrNull('An SMTP address mail is forwarded to, `smtp:a@b` (forwarding.mailbox).'),
    DeliverToMailboxAndForward: booleanOrNull('Whether a copy stays in the mailbox.'),
    RecipientTypeDetails: stringOrNull(
      '`UserMailbox` (judged by mailbox.delegation and audit.mailbox-auditing), `SharedMailbox`, …',
    ),
    AuditEnabled: booleanOrNull('Shown, not judged: auditing on by default ignores it.'),
    AuditOwner: stringOrStrings('Owner actions audited; must include MailItemsAccessed (audit.mailbox-auditing).'),
    AuditDelegate: stringOrStrings('Delegate actions audited; must include MailItemsAccessed.'),
    AuditAdmin: stringOrStrings('Admin actions audited; must include MailItemsAccessed.'),
    DefaultAuditSet: stringOrStrings('The logon types whose audited actions Microsoft manages.'),
  },
  ['ForwardingAddress', 'ForwardingSmtpAddress'],
);

/** Get-CASMailbox, cut likewise. */
export const CAS_MAILBOX_SCHEMA: JsonSchema = object(
  'A mailbox’s client access settings.',
  {
    Identity: names.Identity,
    Name: names.Name,
    PrimarySmtpAddress: names.PrimarySmtpAddress,
    SmtpClientAuthenticationDisabled: booleanOrNull(
      '`false` turns SMTP AUTH back on for this mailbox; `null` follows the organisation (legacy-auth.smtp-auth).',
    ),
  },
  ['SmtpClientAuthenticationDisabled'],
);

export const OUTBOUND_POLICY_SCHEMA: JsonSchema = object(
  'An outbound spam filter policy.',
  {
    Identity: names.Identity,
    Name: names.Name,
    IsDefault: boolean('The default policy applies to everyone its rules do not cover.'),
    AutoForwardingMode: stringOrNull('`Automatic`, `On` or `Off` (forwarding.outbound-policy).'),
  },
  ['IsDefault'],
);

export const OUTBOUND_RULE_SCHEMA: JsonSchema = object('An outbound spam filter rule.', {
  Identity: names.Identity,
  Name: names.Name,
  HostedOutboundSpamFilterPolicy: stringOrNull('The policy it applies.'),
  State: stringOrNull('`Enabled` or `Disabled`.'),
  Enabled: booleanOrNull('Whether the rule is on.'),
  From: stringOrStrings('Senders it applies to.'),
  FromMemberOf: stringOrStrings('Groups it applies to.'),
  SenderDomainIs: stringOrStrings('Sender domains it applies to.'),
});

export const REMOTE_DOMAIN_SCHEMA: JsonSchema = object('A remote domain.', {
  Identity: names.Identity,
  Name: names.Name,
  DomainName: stringOrNull('The domain, `*` for every external one.'),
  AutoForwardEnabled: booleanOrNull('Automatic forwarding allowed (forwarding.remote-domains; missing is an error).'),
});

export const DKIM_CONFIG_SCHEMA: JsonSchema = object('A DKIM signing configuration.', {
  Identity: names.Identity,
  Domain: stringOrNull('The domain.'),
  Enabled: booleanOrNull('Signing on (dkim.signing).'),
  Status: stringOrNull('e.g. `Valid`, `CnameMissing`.'),
  Selector1CNAME: stringOrNull('Where selector1 must point.'),
  Selector2CNAME: stringOrNull('Where selector2 must point.'),
});

export const TRANSPORT_CONFIG_SCHEMA: JsonSchema = object('The organisation’s transport settings (one object).', {
  Identity: names.Identity,
  SmtpClientAuthenticationDisabled: booleanOrNull('SMTP AUTH off for the organisation (legacy-auth.smtp-auth).'),
});

export const RECIPIENT_SCHEMA: JsonSchema = object('A mail contact or mail user.', {
  ...names,
  ExternalEmailAddress: stringOrNull('Where mail to it goes.'),
  RecipientTypeDetails: stringOrNull('`MailContact` or `MailUser`.'),
});

/** One Get-InboxRule object: the mailbox it belongs to is required and checked with the source. */
export const INBOX_RULE_SCHEMA: JsonSchema = object(
  'One inbox rule of a mailbox, read with Get-InboxRule -IncludeHidden.',
  {
    [INBOX_RULE_MAILBOX_PROPERTY]: string('The mailbox it was read from (the collector adds it).'),
    MailboxOwnerId: stringOrNull('The mailbox’s name, as the cmdlet gives it (the simulator matches rules by it).'),
  },
  // Without it a hidden rule belongs to no mailbox, and could neither be judged nor deduplicated.
  [INBOX_RULE_MAILBOX_PROPERTY],
);

/** The rule's own properties, checked by the rule parser so a bad rule is an error on its own. */
export const EXCHANGE_RULE_SCHEMA: JsonSchema = object('The rule’s properties.', {
  Identity: stringOrNull('`alias\\RuleId`; the rule ID part is the target.'),
  Name: stringOrNull('The rule’s name (attacker-controlled, shown escaped).'),
  RuleIdentity: { type: ['string', 'integer', 'null'], description: 'The rule ID, when Identity has none.' },
  Enabled: booleanOrNull('A disabled rule is counted, not judged.'),
  ForwardTo: stringOrStrings('Forward to.'),
  ForwardAsAttachmentTo: stringOrStrings('Forward as an attachment to.'),
  RedirectTo: stringOrStrings('Redirect to.'),
  DeleteMessage: booleanOrNull('Move to Deleted Items.'),
  SoftDeleteMessage: booleanOrNull('Soft delete.'),
  MoveToFolder: stringOrNull('Folder moved to, `Mailbox:\\Folder`.'),
  CopyToFolder: stringOrNull('Folder copied to.'),
  MarkAsRead: booleanOrNull('Mark as read.'),
  StopProcessingRules: booleanOrNull('Stop further rules.'),
  SubjectContainsWords: stringOrStrings('Subject words.'),
  BodyContainsWords: stringOrStrings('Body words.'),
  SubjectOrBodyContainsWords: stringOrStrings('Subject or body words.'),
  FromAddressContainsWords: stringOrStrings('Sender words.'),
  HeaderContainsWords: stringOrStrings('Header words.'),
  From: stringOrStrings('Senders.'),
  SentTo: stringOrStrings('Recipients.'),
  '@mailwarden.hidden': boolean('Hidden from MAPI (simulator folders only).'),
});
