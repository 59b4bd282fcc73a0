import type { Area } from '../model/area.js';
import type { Finding } from '../model/finding.js';
import type { CarriedControl } from '../snapshot/carried-sign-ins.js';
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
  /**
   * An incremental sign-in run: each sign-in detector replays what earlier runs carried (the
   * snapshot's sign-in stream holds it) and gives what to carry on; the next run reads the log
   * again from `horizon` (epoch ms), so only older events are carried.
   */
  readonly incremental?: { readonly horizon: number };
}

/** What reading one stream gave: each of its controls' findings, and the failure if it was cut. */
export interface StreamOutcome {
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
  readonly failure?: StreamFailure;
  /** In an incremental run, each fold's carried state, once the stream was read in full. */
  readonly carried?: ReadonlyMap<string, CarriedControl>;
}

/** A stream whose folds began before collection ended, and what they will give. */
export interface StartedStream {
  readonly controls: ReadonlySet<string>;
  readonly outcome: Promise<StreamOutcome>;
}
