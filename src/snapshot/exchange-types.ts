/**
 * Exchange admin API (`InvokeCommand`) cmdlet output. Each cmdlet returns objects with
 * PowerShell property names; we keep them as returned and read the properties we need.
 */
export interface ExchangeObject {
  readonly [property: string]: unknown;
}

/**
 * The properties by which Exchange names a recipient, any of which `ForwardingAddress` (and
 * other recipient references) may hold: what a check matches on, and so what Get-Mailbox keeps.
 */
export const RECIPIENT_NAME_PROPERTIES = [
  'Identity',
  'Name',
  'DisplayName',
  'Alias',
  'PrimarySmtpAddress',
  'UserPrincipalName',
  'DistinguishedName',
  'Guid',
  'ExternalDirectoryObjectId',
] as const;

/**
 * The property the collector adds to each `Get-InboxRule` object: the mailbox it was read from
 * (the cmdlet's own `MailboxOwnerId` is a display name, not an address).
 */
export const INBOX_RULE_MAILBOX_PROPERTY = 'MailboxUserPrincipalName';

/**
 * The property the collector adds to each `Get-MailboxPermission` object: the mailbox it was
 * read for, as the collector addressed it (the cmdlet's own `Identity` is the mailbox's name).
 */
export const MAILBOX_PERMISSION_MAILBOX_PROPERTY = 'MailboxUserPrincipalName';
