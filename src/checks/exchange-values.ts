import { type ExchangeObject, RECIPIENT_NAME_PROPERTIES } from '../snapshot/exchange-types.js';

/*
 * Reading values out of InvokeCommand output. Multi-valued properties arrive as JSON arrays of
 * strings, or as one string when they hold a single value; empty as `null` or `[]`. Sidecar
 * keys (`Property@odata.type`) are never read.
 */

/** A non-empty trimmed string, or `undefined`. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The strings of a multi-valued property. `undefined` when the value is neither absent, a
 * string nor a list of strings: the caller fails closed on a shape it cannot read.
 */
export function stringList(value: unknown): readonly string[] | undefined {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string'))
    return value.map((v) => v.trim()).filter((v) => v !== '');
  return undefined;
}

/**
 * An access-rights value (`AccessRights` of Get-MailboxPermission, Get-RecipientPermission): a
 * list, or one string that PowerShell may render comma-separated (`FullAccess, ReadPermission`).
 */
export function accessRights(value: unknown): readonly string[] | undefined {
  const list = stringList(value);
  return list?.flatMap((v) => v.split(',').map((part) => part.trim())).filter((v) => v !== '');
}

/** The names an Exchange object can be referred to by, lower-case: how cmdlets name each other's objects. */
export function identityKeys(object: ExchangeObject): string[] {
  return RECIPIENT_NAME_PROPERTIES.map((k) => text(object[k])?.toLowerCase()).filter(
    (k): k is string => k !== undefined,
  );
}

/** How a mailbox is named in findings: its sign-in name, else its address, else its identity. */
export function mailboxName(mailbox: ExchangeObject): string {
  return (
    text(mailbox.UserPrincipalName) ?? text(mailbox.PrimarySmtpAddress) ?? text(mailbox.Identity) ?? '(unnamed mailbox)'
  );
}
