import type { ExchangeObject } from '../../snapshot/exchange-types.js';
import { inShard, type Shard } from '../../snapshot/shard.js';
import { mailboxIdentity } from './hidden-rule-scope.js';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Mailbox types whose FullAccess grants are read: people's and shared mailboxes (apps read both over IMAP). */
const SWEPT_TYPES = new Set(['usermailbox', 'sharedmailbox']);

/**
 * The mailboxes `Get-MailboxPermission` is run for: user and shared mailboxes (a mailbox whose
 * type is not given is read too), in the run's shard, keyed like the hidden-rule sweep.
 */
export function permissionSweepMailboxes(mailboxes: readonly ExchangeObject[], shard: Shard | undefined): string[] {
  const out: string[] = [];
  for (const mailbox of mailboxes) {
    const type = text(mailbox.RecipientTypeDetails)?.toLowerCase();
    if (type !== undefined && !SWEPT_TYPES.has(type)) continue;
    const identity = mailboxIdentity(mailbox);
    if (identity === undefined) continue;
    if (!inShard(text(mailbox.ExternalDirectoryObjectId) ?? identity, shard)) continue;
    out.push(identity);
  }
  return out;
}
