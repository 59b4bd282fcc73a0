import type { ExchangeObject } from '../../snapshot/exchange-types.js';
import { hiddenRulesScope } from '../../policy/collection-scope.js';
import { inShard } from '../../snapshot/shard.js';
import type { CollectContext } from '../live/source-collector.js';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The address `Get-InboxRule -Mailbox` is given for a Get-Mailbox object. */
export function mailboxIdentity(mailbox: ExchangeObject): string | undefined {
  return text(mailbox.UserPrincipalName) ?? text(mailbox.PrimarySmtpAddress) ?? text(mailbox.Identity);
}

/**
 * The mailboxes whose hidden rules are read. `all`: every mailbox (one cmdlet call each, slow
 * on large tenants). `flagged` (default): mailboxes that already look compromised from data
 * collected before this phase: mailbox-level forwarding, or an Entra ID risky user that is
 * at risk or confirmed compromised.
 */
export function hiddenRuleMailboxes(mailboxes: readonly ExchangeObject[], context: CollectContext): string[] {
  const scope = hiddenRulesScope(context.policy);
  if (scope === 'off') return [];
  const risky = new Set(
    (context.earlier('graph.riskyUsers') ?? [])
      .filter((u) => u.riskState === 'atRisk' || u.riskState === 'confirmedCompromised')
      .map((u) => (u.userPrincipalName ?? '').toLowerCase()),
  );
  const out: string[] = [];
  for (const mailbox of mailboxes) {
    const identity = mailboxIdentity(mailbox);
    if (identity === undefined) continue;
    // The shard key is the Entra user ID, as for graph.messageRules, so both land together.
    if (!inShard(text(mailbox.ExternalDirectoryObjectId) ?? identity, context.shard)) continue;
    const flagged =
      text(mailbox.ForwardingSmtpAddress) !== undefined ||
      text(mailbox.ForwardingAddress) !== undefined ||
      risky.has(identity.toLowerCase());
    if (scope === 'all' || flagged) out.push(identity);
  }
  return out;
}
