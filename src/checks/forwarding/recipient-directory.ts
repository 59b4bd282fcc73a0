import type { ExchangeObject } from '../../snapshot/exchange-types.js';
import { identityKeys, text } from '../exchange-values.js';
import { addressOf, classifyDomain, domainOf, type RecipientClass } from './recipient-domain.js';

/*
 * Where mail to a recipient goes, for every forwarding control that meets one: an address is
 * placed by its domain (recipient-domain.ts); a name (alias, display name, DN, GUID), as
 * mailbox forwarding and mail-flow rules hold them, by the directory object it names. A name no
 * object answers to is `unresolved`, never assumed internal.
 */

/** The directory objects recipients are resolved against, indexed only for the names asked about. */
export interface RecipientDirectory {
  /** The mailbox a name refers to, if any. */
  mailbox(name: string): ExchangeObject | undefined;
  /** The mail contact or mail user a name refers to, if any. */
  contact(name: string): ExchangeObject | undefined;
}

/**
 * A directory over mailboxes and mail contacts / mail users. Only `names` are indexed among the
 * mailboxes: indexing every name of every mailbox would cost nine map entries per mailbox on a
 * 100,000-mailbox tenant, and only the few names a rule or a forward holds are ever looked up.
 */
export function recipientDirectory(
  mailboxes: readonly ExchangeObject[],
  recipients: readonly ExchangeObject[],
  names: Iterable<string>,
): RecipientDirectory {
  const wanted = new Set([...names].map((n) => n.trim().toLowerCase()).filter((n) => n !== ''));
  const byName = new Map<string, ExchangeObject>();
  if (wanted.size > 0)
    for (const m of mailboxes) for (const k of identityKeys(m)) if (wanted.has(k) && !byName.has(k)) byName.set(k, m);
  const contacts = new Map<string, ExchangeObject>();
  for (const r of recipients) for (const k of identityKeys(r)) contacts.set(k, r);
  return {
    mailbox: (name) => byName.get(name.trim().toLowerCase()),
    contact: (name) => contacts.get(name.trim().toLowerCase()),
  };
}

/** Where one recipient value leads. */
export interface PlacedRecipient {
  /** The value as the rule or mailbox holds it (shown escaped, never parsed again). */
  readonly recipient: string;
  /** The address mail goes to, when known. */
  readonly address: string | null;
  readonly domain: string | null;
  readonly class: RecipientClass | 'unresolved';
  /** How it was placed: by its own address, as a mailbox, or as a mail contact / mail user. */
  readonly via: 'address' | 'mailbox' | 'contact' | 'none';
}

/**
 * Places a recipient value: `a@b`, `smtp:a@b` or `"Name" [SMTP:a@b]` by the address's domain;
 * any other value by the directory object it names. A contact without a readable external
 * address is `unresolved`, as is a name nothing in the directory answers to.
 */
export function placeRecipient(
  value: string,
  directory: RecipientDirectory,
  accepted: readonly string[],
  partners: readonly string[],
): PlacedRecipient {
  const recipient = value.trim();
  const address = addressOf(recipient);
  if (address !== undefined) {
    const domain = domainOf(address);
    return { recipient, address, domain, class: classifyDomain(domain, accepted, partners), via: 'address' };
  }
  // A contact first: when a name is both, the reading that sends mail out wins (fail closed).
  const contact = directory.contact(recipient);
  const external = contact ? addressOf(text(contact.ExternalEmailAddress) ?? '') : undefined;
  if (contact && external !== undefined) {
    const domain = domainOf(external);
    return { recipient, address: external, domain, class: classifyDomain(domain, accepted, partners), via: 'contact' };
  }
  const mailbox = contact === undefined ? directory.mailbox(recipient) : undefined;
  if (mailbox !== undefined) {
    const own = addressOf(text(mailbox.PrimarySmtpAddress) ?? text(mailbox.UserPrincipalName) ?? '') ?? null;
    return { recipient, address: own, domain: own ? domainOf(own) : null, class: 'internal', via: 'mailbox' };
  }
  return { recipient, address: null, domain: null, class: 'unresolved', via: contact ? 'contact' : 'none' };
}
