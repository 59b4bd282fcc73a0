import { createHash } from 'node:crypto';

/**
 * The stable key of a finding across runs: control, tenant and target, never the wording.
 * Issues are matched by it, so it must not change when messages or evidence do. `tenantId` is
 * `null` for targets that belong to no tenant (domains: a DNS-only run and a tenant run give a
 * domain finding the same key); such keys hash the literal `dns-only`, as DNS-only runs always did.
 */
export function fingerprint(control: string, tenantId: string | null, target: string): string {
  return createHash('sha256')
    .update(`v1\n${control}\n${(tenantId ?? 'dns-only').toLowerCase()}\n${target.toLowerCase()}`)
    .digest('hex')
    .slice(0, 32);
}
