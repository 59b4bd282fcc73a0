import { createHash } from 'node:crypto';

/**
 * The stable key of a finding across runs: control, tenant and target, never the wording.
 * Issues are matched by it, so it must not change when messages or evidence do.
 */
export function fingerprint(control: string, tenantId: string | null, target: string): string {
  return createHash('sha256')
    .update(`v1\n${control}\n${(tenantId ?? 'dns-only').toLowerCase()}\n${target.toLowerCase()}`)
    .digest('hex')
    .slice(0, 32);
}
