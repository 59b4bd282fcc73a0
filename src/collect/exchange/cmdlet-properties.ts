import { type ExchangeObject, RECIPIENT_NAME_PROPERTIES } from '../../snapshot/exchange-types.js';

/*
 * The properties the checks read from the tenant-wide cmdlets, one list per cmdlet. A real
 * Get-Mailbox object carries some 250 properties (learn.microsoft.com/powershell/module/exchange/get-mailbox);
 * holding 100,000 of them whole costs far more memory than the dozen the checks use, so each
 * page is cut down to these as it arrives. The snapshot keeps the cmdlet's own shape, only
 * narrower. A check that starts reading another property must add it here (the projection
 * test replays the demo and a generated tenant with and without the cut and expects the same verdicts).
 */

/** Get-Mailbox: forwarding.mailbox (names, forwarding) and the hidden-rule scope (identity, user ID). */
export const MAILBOX_PROPERTIES = [
  ...RECIPIENT_NAME_PROPERTIES,
  'ForwardingAddress',
  'ForwardingSmtpAddress',
  'DeliverToMailboxAndForward',
] as const;

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
