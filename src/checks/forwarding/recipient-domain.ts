import { normaliseDomain } from '../../model/domain-name.js';
import type { GraphDomain } from '../../snapshot/graph-types.js';

/**
 * The domain of an address, from the forms a rule or mailbox holds it in: `a@b.example`,
 * `smtp:a@b.example`, `SMTP:a@b.example`, `"Name" [SMTP:a@b.example]`. `undefined` when no
 * address can be read (the caller turns that into `error`, never a pass).
 */
export function addressOf(value: string): string | undefined {
  const bracketed = /\[(?:smtp:)?([^\]\s]+@[^\]\s]+)\]/i.exec(value);
  const raw = (bracketed?.[1] ?? value).trim().replace(/^smtp:/i, '');
  const match = /^[^@\s]+@([^@\s]+)$/.exec(raw);
  if (!match?.[1]) return undefined;
  return raw;
}

export function domainOf(address: string): string {
  return normaliseDomain(address.slice(address.lastIndexOf('@') + 1));
}

/**
 * True when `domain` is one of `domains` or a subdomain of one. The comparison is on whole
 * labels, so a look-alike (`contoso.com.evil.example`, `contoso-com.example`) is not within.
 */
export function isWithin(domain: string, domains: readonly string[]): boolean {
  const d = normaliseDomain(domain);
  return domains.some((base) => {
    const b = normaliseDomain(base);
    return b !== '' && (d === b || d.endsWith(`.${b}`));
  });
}

/** The tenant's accepted domains: every verified domain of the tenant (Graph `/domains`). */
export function acceptedDomains(domains: readonly GraphDomain[]): string[] {
  return domains.filter((d) => d.isVerified !== false).map((d) => normaliseDomain(d.id));
}

export type RecipientClass = 'internal' | 'partner' | 'external';

export function classifyDomain(
  domain: string,
  accepted: readonly string[],
  partners: readonly string[],
): RecipientClass {
  if (isWithin(domain, accepted)) return 'internal';
  if (isWithin(domain, partners)) return 'partner';
  return 'external';
}
