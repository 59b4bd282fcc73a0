import type { DnsResolver } from '../snapshot/dns-resolver.js';
import type { SpfRecord } from './spf-record.js';

/**
 * Starts, at once, the first lookup of each DNS-querying term of a record that the in-order
 * evaluation (RFC 7208 §4.6.2) will probably reach: the TXT of an include or redirect target,
 * the A/AAAA of an `a`, the MX of an `mx`, the A of an `exists`. With a caching resolver (the
 * DnsClient keeps questions in flight and answered), the evaluation then finds them ready
 * instead of waiting for one round trip after another. Verdicts, term counts and void
 * lookups are unchanged: they are counted by the evaluation alone.
 *
 * Bounds (§4.6.4 limits DNS-querying terms "to avoid unreasonable load on the DNS"): the
 * caller gives a budget of at most that same limit (10) per check_host(), so an early match
 * can cost at most 10 queries the evaluation did not need. Terms whose target needs macro
 * expansion, and `ptr` (discouraged, §5.5), are left to the evaluation. Returns the budget used.
 */
export function prefetchSpfLookups(
  resolver: DnsResolver,
  record: SpfRecord,
  domain: string,
  ipVersion: 4 | 6,
  budget: number,
): number {
  let left = budget;
  for (const { mechanism } of record.directives) {
    if (left <= 0) break;
    switch (mechanism.kind) {
      case 'include':
        left--;
        ask(resolver, mechanism.domain, 'TXT');
        break;
      case 'a':
        left--;
        ask(resolver, mechanism.domain ?? domain, ipVersion === 4 ? 'A' : 'AAAA');
        break;
      case 'mx':
        left--;
        ask(resolver, mechanism.domain ?? domain, 'MX');
        break;
      case 'exists':
        left--;
        ask(resolver, mechanism.domain, 'A');
        break;
      case 'ptr':
        left--;
        break;
      default:
        break;
    }
  }
  if (record.redirect !== undefined && left > 0) {
    left--;
    ask(resolver, record.redirect, 'TXT');
  }
  return budget - Math.max(0, left);
}

/** One lookup started and left to the cache; a target needing macro expansion is left to the evaluation. */
function ask(resolver: DnsResolver, target: string, type: string): void {
  if (target.includes('%')) return;
  if (resolver.prefetch !== undefined) resolver.prefetch(target, type);
  else resolver.resolve(target, type).catch(() => undefined);
}
