import type { TargetCoverage } from './target-coverage.js';
import type { Result } from '../model/result.js';
import type { PolicyException } from '../policy/policy.js';
import type { SourceId } from '../snapshot/source-id.js';
import type { CoveredSpan } from '../snapshot/source-status.js';
import type { CarriedControl } from '../snapshot/carried-sign-ins.js';

/**
 * A stream that failed while its folds read it (a page that could not be fetched, a record of
 * the wrong shape, a file shorter than its count): the source is `failed` after all, and the
 * run's manifest must say so with what was covered, as the `error` results do
 * (recordStreamFailures).
 */
export interface StreamFailure {
  readonly source: SourceId;
  readonly reason: string;
  readonly covered: CoveredSpan;
}

/**
 * How one control's evaluation went as a whole: judged (with how much of its target set it saw,
 * which decides what issue sync may close), or not judged at all.
 */
export type ControlOutcome =
  | {
      readonly control: string;
      readonly status: 'evaluated';
      readonly coverage: TargetCoverage;
      /** The sources that decide its targets and were not read in full (coverage `partial`). */
      readonly unread?: readonly SourceId[];
    }
  | { readonly control: string; readonly status: 'error' | 'not_evaluable'; readonly reason: string };

export interface Evaluation {
  readonly results: readonly Result[];
  readonly controls: readonly ControlOutcome[];
  /** Exceptions that turned a finding into `excepted` (or expired and let it fail). */
  readonly exceptionsApplied: readonly (PolicyException & { readonly expired: boolean })[];
  /** Active exceptions that matched no result: a stale exception is itself an audit finding. */
  readonly unusedExceptions: readonly PolicyException[];
  /** Streams that failed part-way while they were read. */
  readonly streamFailures: readonly StreamFailure[];
  /**
   * In an incremental run (EvaluateOptions.incremental): what each sign-in detector whose stream
   * was read in full carries to the next run, by control ID.
   */
  readonly carried?: ReadonlyMap<string, CarriedControl>;
}
