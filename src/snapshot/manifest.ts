import type { Cloud } from '../model/cloud.js';
import type { SourceId } from './source-id.js';
import type { CoveredSpan, Licence, SourceStatus } from './source-status.js';

/** Version of the snapshot folder format; bump on an incompatible change. */
export const SNAPSHOT_FORMAT_VERSION = 1;

/**
 * `manifest.json` of a snapshot folder: who was captured, when, by which tool, which
 * licences the tenant has, and how each source ended.
 */
export interface Manifest {
  readonly formatVersion: number;
  /** Entra tenant ID, or `null` in DNS-only mode. */
  readonly tenantId: string | null;
  /**
   * The application (client) ID the run authenticated with, when it is known: the app controls
   * recognise mailwarden's own app by it, on replay as on the live run.
   */
  readonly clientId?: string;
  /** ISO 8601 time the capture began (look-back windows end here); replay uses it as "now". */
  readonly capturedAt: string;
  readonly tool: { readonly name: string; readonly version: string };
  /** Licences present (`true`), absent (`false`) or unknown (`null`). */
  readonly licences: Readonly<Record<Licence, boolean | null>>;
  readonly sources: Readonly<Partial<Record<SourceId, SourceStatus>>>;
  /**
   * The domains the DNS controls audited (tenant email domains, policy and `--domains`), so a
   * replay judges the same set.
   */
  readonly domains?: readonly string[];
  /**
   * The Microsoft 365 cloud the tenant is in: the SPF include and the Microsoft-managed domains
   * follow it. Absent in folders written before it was recorded, which were read as `global`.
   */
  readonly cloud?: Cloud;
  /** The shard this snapshot covers, when the audit was split (`i/n`). */
  readonly shard?: { readonly index: number; readonly count: number };
}

/**
 * The manifest with each stream that failed while it was read marked `failed`, with the reason
 * and the span covered: a live sign-in log cut part-way was `ok` when collection ended, and the
 * report must not say so beside the `error` results it gave.
 */
export function recordStreamFailures(
  manifest: Manifest,
  failures: readonly { readonly source: SourceId; readonly reason: string; readonly covered: CoveredSpan }[],
): Manifest {
  if (failures.length === 0) return manifest;
  const sources: Partial<Record<SourceId, SourceStatus>> = { ...manifest.sources };
  for (const failure of failures) {
    const before = sources[failure.source];
    sources[failure.source] = {
      status: 'failed',
      reason: failure.reason,
      covered: failure.covered,
      ...(before?.capturedAt !== undefined ? { capturedAt: before.capturedAt } : {}),
    };
  }
  return { ...manifest, sources };
}
