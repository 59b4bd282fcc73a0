import type { SignIn } from './graph-types.js';

/*
 * What an incremental sign-in run (`--only sign-ins --incremental STATE`) carries from one run to
 * the next, as it enters the snapshot: an hourly run reads only the log since the previous run's
 * end (minus the overlap), and takes the rest of its look-back window from here, so that each
 * detector judges its whole window as a single run over it would (docs/incremental-sign-ins.md).
 */

/**
 * Per-minute counts of what one detector saw in its window, by series name (`analysed`, and each
 * reason it set events aside): the scan figures a pass quotes ("among N events"), kept exactly
 * without keeping every event. Sparse: `[minute, count]` pairs, minutes as epoch milliseconds of
 * a whole UTC minute, ascending.
 */
export interface MinuteCounts {
  readonly [series: string]: readonly (readonly [number, number])[];
}

/** One control's carried part: the events its detector still needs, and its window counts. */
export interface CarriedControl {
  /**
   * Sign-ins older than the next run's read, in Graph's shape but holding only the fields the
   * detector reads (a detector-chosen subset of its window's events; see each detector's `carry`).
   */
  readonly events: readonly SignIn[];
  readonly minutes: MinuteCounts;
}

/** The carried part of an incremental run's sign-in log. */
export interface CarriedSignIns {
  /**
   * Where this run's read of the log began (epoch ms, a whole minute): events and counts before it
   * come from `controls`, those from it on from the log itself.
   */
  readonly readFrom: number;
  /** By control ID; a control absent here starts from nothing (its state was not carried). */
  readonly controls: Readonly<Record<string, CarriedControl>>;
}

/** The sign-in log as the checks read it: the pages read, and what earlier runs carried. */
export interface SignInStream {
  /** The pages read (see PageStream in snapshot.ts). */
  pages(): AsyncIterable<readonly SignIn[]>;
  readonly carried?: CarriedSignIns;
}
