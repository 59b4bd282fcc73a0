import type { SourceId } from './source-id.js';
import type { Licence, SourceStatus } from './source-status.js';

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
  /** The shard this snapshot covers, when the audit was split (`i/n`). */
  readonly shard?: { readonly index: number; readonly count: number };
}
