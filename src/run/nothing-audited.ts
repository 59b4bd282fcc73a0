import type { Manifest } from '../snapshot/manifest.js';
import { isSourceId, isTenantSource } from '../snapshot/source-id.js';

/**
 * Why a run audited nothing (exit 3), or `undefined` when it audited something. A run is red,
 * whatever DNS did, when it was meant to read a tenant and read none of its sources (a wrong
 * secret, a missing `id-token: write`, a 403 everywhere); and when no source at all was read
 * (a snapshot with no sources, a dead resolver in DNS-only mode).
 */
export function nothingAudited(manifest: Manifest): string | undefined {
  const entries = Object.entries(manifest.sources).filter(([id]) => isSourceId(id));
  if (entries.length === 0) return 'the run collected no data source';
  const tenant = entries.filter(([id]) => isSourceId(id) && isTenantSource(id));
  if (tenant.length > 0 && tenant.every(([, s]) => s?.status !== 'ok'))
    return `no tenant source was read (${tenant.length} of ${tenant.length} not ok)`;
  if (entries.every(([, s]) => s?.status !== 'ok')) return `no data source was read (${entries.length} not ok)`;
  return undefined;
}
