import { isEmailDomain, normaliseDomain } from '../../model/domain-name.js';
import type { Policy } from '../../policy/policy.js';
import type { GraphDomain } from '../../snapshot/graph-types.js';

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
    if (isEmailDomain(d)) domains.add(normaliseDomain(d.id));
  }
  for (const d of [...policy.domains.include, ...policy.domains.parked, ...extra]) domains.add(normaliseDomain(d));
  for (const d of policy.domains.exclude) domains.delete(normaliseDomain(d));
  return [...domains].filter((d) => d !== '').sort();
}
