import { getDomain } from 'tldts';
import { normaliseDomain } from '../model/domain-name.js';

/**
 * The registrable domain under the Public Suffix List (RFC 7489 §3.2 Organizational Domain),
 * ICANN and private sections both, as receivers do. Never "the last two labels".
 */
export function pslOrganizationalDomain(domain: string): string | undefined {
  const name = normaliseDomain(domain);
  // A leading dot or an empty label is not a domain name (publicsuffix test_psl.txt).
  if (name === '' || name.startsWith('.') || name.includes('..')) return undefined;
  return getDomain(name, { allowPrivateDomains: true }) ?? undefined;
}

/** Relaxed alignment by PSL (RFC 7489 §3.1): same organizational domain. */
export function pslAligned(a: string, b: string, mode: 'r' | 's'): boolean {
  // Stray leading and trailing dots are tolerated here, as OpenDMARC does for header values.
  const x = a
    .trim()
    .toLowerCase()
    .replace(/^\.+|\.+$/g, '');
  const y = b
    .trim()
    .toLowerCase()
    .replace(/^\.+|\.+$/g, '');
  if (mode === 's') return x === y && x !== '';
  const ox = pslOrganizationalDomain(x);
  return ox !== undefined && ox === pslOrganizationalDomain(y);
}
