import type { Logger } from '../../logger.js';
import type { Cloud } from '../../model/cloud.js';
import type { Policy } from '../../policy/policy.js';
import type { Shard } from '../../snapshot/shard.js';
import type { SourceDataMap } from '../../snapshot/snapshot.js';
import type { SourceId } from '../../snapshot/source-id.js';
import type { SourceStatus } from '../../snapshot/source-status.js';
import type { LiveClients } from './clients.js';

export interface CollectContext {
  readonly logger: Logger;
  readonly policy: Policy;
  readonly clients: LiveClients;
  /** Every source this run collects, so a collector can skip optional extras. */
  readonly sources: ReadonlySet<SourceId>;
  /** Sources collected in an earlier phase (DNS needs the tenant's domains). */
  readonly earlier: <K extends SourceId>(id: K) => SourceDataMap[K] | undefined;
  /** Extra domains from `--domains`. */
  readonly extraDomains: readonly string[];
  /** The tenant's Microsoft 365 cloud: the DNS questions follow it (which SPF include to read). */
  readonly cloud: Cloud;
  /** The run's clock, for look-back windows. */
  readonly now: Date;
  /** An incremental sign-in run's read start (CollectRequest.signInsFrom). */
  readonly signInsFrom?: Date;
  /**
   * The slice of per-mailbox work this run does (`--shard i/n`); per-mailbox collectors keep
   * only keys for which `inShard(key, shard)` (src/snapshot/shard.ts) holds.
   */
  readonly shard?: Shard;
}

export type Collected<K extends SourceId> =
  | { readonly status: Extract<SourceStatus, { status: 'ok' }>; readonly data: SourceDataMap[K] }
  | { readonly status: Exclude<SourceStatus, { status: 'ok' }> };

/** Fetches one source. It records how fetching ended and never decides compliance. */
export type SourceCollector<K extends SourceId> = (context: CollectContext) => Promise<Collected<K>>;

export type SourceCollectors = { readonly [K in SourceId]?: SourceCollector<K> };
