import { type ExchangeObject, MAILBOX_PERMISSION_MAILBOX_PROPERTY } from '../../snapshot/exchange-types.js';
import { accessRights, text } from '../exchange-values.js';

/*
 * Rows of Get-MailboxPermission and Get-RecipientPermission. Get-MailboxPermission documents
 * Identity, User, AccessRights, IsInherited and Deny (learn.microsoft.com/powershell/module/
 * exchangepowershell/get-mailboxpermission); Get-RecipientPermission's Trustee and AccessRights
 * are read the same way, with AccessControlType (Allow or Deny) where it is given.
 */

/** The default entry every mailbox grants itself ("FullAccess and ReadPermission are directly assigned to NT AUTHORITY\SELF"). */
export const SELF = 'nt authority\\self';

/** A security identifier of an account in a domain (S-1-5-21-…): a deleted account the directory no longer resolves. */
export function isUnresolvedSid(user: string): boolean {
  return /^S-1-5-21(-\d+)+$/i.test(user.trim());
}

/** One explicit grant of a right on a mailbox, as the row gives it. */
export interface Grant {
  /** The mailbox the row was read for (FullAccess) or names (SendAs). */
  readonly mailbox: string;
  readonly user: string;
  readonly right: 'FullAccess' | 'SendAs';
}

export type RowReading =
  | { readonly kind: 'grant'; readonly grant: Grant }
  /** Not an explicit allow of the right: inherited, a deny, another right, or the mailbox itself. */
  | { readonly kind: 'skip'; readonly why: 'inherited' | 'deny' | 'other-right' | 'self' }
  /** A row whose shape cannot be read: the caller fails closed. */
  | { readonly kind: 'unreadable'; readonly why: string };

/** Reads one Get-MailboxPermission row (annotated with the mailbox it was read for). */
export function readFullAccessRow(row: ExchangeObject): RowReading {
  const mailbox = text(row[MAILBOX_PERMISSION_MAILBOX_PROPERTY]) ?? text(row.Identity);
  const user = text(row.User);
  const rights = accessRights(row.AccessRights);
  if (mailbox === undefined || user === undefined || rights === undefined)
    return { kind: 'unreadable', why: 'a Get-MailboxPermission row without a mailbox, User or AccessRights' };
  if (!rights.some((r) => r.toLowerCase() === 'fullaccess')) return { kind: 'skip', why: 'other-right' };
  if (row.IsInherited === true) return { kind: 'skip', why: 'inherited' };
  if (row.Deny === true) return { kind: 'skip', why: 'deny' };
  if (user.toLowerCase() === SELF) return { kind: 'skip', why: 'self' };
  return { kind: 'grant', grant: { mailbox, user, right: 'FullAccess' } };
}

/** Reads one Get-RecipientPermission row (its Identity names the recipient). */
export function readSendAsRow(row: ExchangeObject): RowReading {
  const mailbox = text(row.Identity);
  const user = text(row.Trustee);
  const rights = accessRights(row.AccessRights);
  if (mailbox === undefined || user === undefined || rights === undefined)
    return { kind: 'unreadable', why: 'a Get-RecipientPermission row without Identity, Trustee or AccessRights' };
  if (!rights.some((r) => r.toLowerCase() === 'sendas')) return { kind: 'skip', why: 'other-right' };
  if (row.IsInherited === true) return { kind: 'skip', why: 'inherited' };
  if (text(row.AccessControlType)?.toLowerCase() === 'deny' || row.Deny === true) return { kind: 'skip', why: 'deny' };
  if (user.toLowerCase() === SELF) return { kind: 'skip', why: 'self' };
  return { kind: 'grant', grant: { mailbox, user, right: 'SendAs' } };
}
