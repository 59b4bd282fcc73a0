import type { Area } from '../model/area.js';
import type { Finding } from '../model/finding.js';
import type { StreamFailure } from './evaluation.js';

export interface EvaluateOptions {
  readonly now: Date;
  readonly only?: readonly Area[];
  readonly domains: readonly string[];
  /** Stream folds already started on an early snapshot (startEarlyStream); evaluate joins them. */
  readonly started?: StartedStream;
  /**
   * Release (Snapshot.release) the sources only snapshot checks read once those checks ran,
   * before the stream sweeps: for a snapshot nothing reads after evaluation.
   */
  readonly release?: boolean;
}

/** What reading one stream gave: each of its controls' findings, and the failure if it was cut. */
export interface StreamOutcome {
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
  readonly failure?: StreamFailure;
}

/** A stream whose folds began before collection ended, and what they will give. */
export interface StartedStream {
  readonly controls: ReadonlySet<string>;
  readonly outcome: Promise<StreamOutcome>;
}
