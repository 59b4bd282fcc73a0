import type { Policy } from '../../policy/policy.js';
import type { GraphDomain } from '../../snapshot/graph-types.js';

function normalise(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * The domains the DNS controls audit: the tenant's verified email domains, plus the policy's
 * `include` and `parked` lists and `--domains`, minus the policy's `exclude`. Sorted, unique.
 */
export function domainScope(
  tenantDomains: readonly GraphDomain[] | undefined,
  policy: Policy,
  extra: readonly string[],
): string[] {
  const domains = new Set<string>();
  for (const d of tenantDomains ?? []) {
    if (d.isVerified !== false && (d.supportedServices ?? []).includes('Email')) domains.add(normalise(d.id));
  }
  for (const d of [...policy.domains.include, ...policy.domains.parked, ...extra]) domains.add(normalise(d));
  for (const d of policy.domains.exclude) domains.delete(normalise(d));
  return [...domains].filter((d) => d !== '').sort();
}
