import type { Logger } from '../logger.js';
import type { Policy } from '../policy/policy.js';
import type { Shard } from '../snapshot/shard.js';
import type { RunMode } from '../model/run-mode.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { SourceId } from '../snapshot/source-id.js';

export interface CollectRequest {
  /** Only these sources are fetched: the ones the enabled controls need. */
  readonly sources: ReadonlySet<SourceId>;
  readonly policy: Policy;
  readonly logger: Logger;
  /** The slice of per-mailbox work to collect (`--shard i/n`). */
  readonly shard?: Shard;
  /**
   * Called once, by collectors that read sources in phases, when the first phase is in: with
   * a snapshot of the sources collected so far (its manifest already final for them, with the
   * run's capture time) and the sources still pending. Streams in it may be read from then on,
   * once: the pipeline starts the sign-in folds here, so the slowest Graph family never waits.
   */
  readonly onEarly?: (snapshot: Snapshot, pending: ReadonlySet<SourceId>) => void;
  /**
   * An incremental sign-in run's read start: the sign-in log is read from here instead of from
   * the start of the look-back window (earlier events come from the carried state).
   */
  readonly signInsFrom?: Date;
}

/**
 * The collect stage: turns a target (a live tenant, the simulator, a snapshot folder) into a
 * snapshot with a status per source. Collectors never decide compliance.
 */
export interface Collector {
  readonly mode: RunMode;
  collect(request: CollectRequest): Promise<Snapshot>;
  /** Releases servers or sockets the collector opened. */
  close?(): Promise<void>;
}
