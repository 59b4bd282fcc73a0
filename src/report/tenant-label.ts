/** GitHub's longest label name (REST API: labels are at most 50 characters). */
const LABEL_MAX = 50;

/**
 * The label that keeps one tenant's issues apart from another's when one repository audits
 * several tenants (a managed-service provider's matrix over a tenants file): `tenant:<name>`,
 * the name from the tenants file when given, else the tenant ID. The fingerprint already hashes
 * the tenant ID (src/evaluate/fingerprint.ts); the label lets people filter, and lets an issue
 * sync touch only its own tenant's issues.
 */
export function tenantLabel(tenantId: string | null, name?: string): string {
  const key = (name?.trim() || tenantId || 'dns-only').toLowerCase().replace(/[\s,]+/g, '-');
  return `tenant:${key}`.slice(0, LABEL_MAX);
}
