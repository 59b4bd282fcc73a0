import type { ExistingIssue } from './existing-issue.js';
import { parseFingerprint } from './marker.js';

/** Labels that name a tenant (src/report/tenant-label.ts). */
const TENANT_PREFIX = 'tenant:';

/**
 * Which of the `mailwarden` issues a sync may plan over, so that several tenants syncing into one
 * repository never close, reopen or update each other's issues.
 *
 * - With a tenant label (`tenant:<name>`): the issues carrying it, plus unlabelled ones whose
 *   fingerprint is among this run's results: the fingerprint hashes the tenant ID, so such an
 *   issue (opened before the label was configured) is provably ours and gets the label.
 * - Without one (a single-tenant repository, as before): every issue except those of a tenant.
 */
export function tenantScope(
  tenant: string | undefined,
  fingerprints: ReadonlySet<string>,
): (issue: ExistingIssue) => boolean {
  return (issue) => {
    const tenants = issue.labels.filter((l) => l.toLowerCase().startsWith(TENANT_PREFIX));
    if (tenant === undefined) return tenants.length === 0;
    if (tenants.some((l) => l.toLowerCase() === tenant.toLowerCase())) return true;
    if (tenants.length > 0) return false;
    const fp = parseFingerprint(issue.body);
    return fp !== undefined && fingerprints.has(fp);
  };
}

/** A title that names the tenant, for the one-per-tenant issues (dashboard, rollup). */
export function tenantTitle(title: string, tenant: string | undefined): string {
  return tenant ? `${title} (${tenant.slice(TENANT_PREFIX.length)})` : title;
}
