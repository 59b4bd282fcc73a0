/*
 * Domain names, in the one place they are normalised. Two forms, on purpose:
 * - a domain as written in a policy, an address or Graph (`normaliseDomain`) loses only the one
 *   trailing dot of a fully qualified name, so `contoso.com..` stays unlike `contoso.com`;
 * - a DNS question's name (`normaliseName`, the key of recorded answers) loses every trailing dot.
 */

/** A domain as written in a policy, an address or Graph: trimmed, lower-case, without the root's trailing dot. */
export function normaliseDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

/** A domain the tenant receives mail for: verified (or not said otherwise) and serving Email. */
export function isEmailDomain(domain: {
  readonly isVerified?: boolean | null;
  readonly supportedServices?: readonly string[] | null;
}): boolean {
  return domain.isVerified !== false && (domain.supportedServices ?? []).includes('Email');
}

/** A DNS name as a key: trimmed, lower-case, without trailing dots. */
export function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

/**
 * normaliseName() (trimmed, lower-case, no trailing dot) without its three string passes for
 * the usual name, one that is normal already (lower-case ASCII, no trailing dot or surrounding
 * space): that same string comes back, so a Map lookup reuses its cached hash. Any other name
 * goes through normaliseName().
 */
export function normaliseNameFast(name: string): string {
  const last = name.length - 1;
  if (last < 0 || name.charCodeAt(0) <= 0x20 || name.charCodeAt(last) <= 0x20 || name.charCodeAt(last) === 0x2e)
    return normaliseName(name);
  for (let i = 0; i <= last; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return normaliseName(name);
  }
  return name;
}
