import type { Finding } from '../../../model/finding.js';
import type { SignIn } from '../../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../../check.js';
import { BucketMarks } from '../structures/bucket-marks.js';
import { cleanFinding, detectorFold, type ScanSummary, windowOf } from '../detector-fold.js';
import type { EventPage } from '../event-page.js';
import { RowSample } from '../evidence-rows.js';
import { FailurePairs } from '../structures/failure-pairs.js';
import { integerList } from '../number-list.js';
import { densestWindow, TimeList } from '../structures/time-list.js';
import { carriedSignIn } from '../carry/carried-sign-in.js';
import { rowFields } from '../evidence-rows.js';
import { MinuteSuccesses, near } from '../structures/minute-successes.js';

/** MFA denials kept per user (newest). */
export const DENIALS_PER_USER = 1024;

interface FatigueUser {
  readonly denials: TimeList<undefined>;
  readonly rows: RowSample;
}

/**
 * `sign-ins.mfa-fatigue`: a user who got at least N MFA denials or timeouts within a window
 * (push bombing). A success during the burst or shortly after it suggests the user gave in.
 */
export function mfaFatigueFold(input: CheckInput): Fold<SignIn> {
  const minDenials = input.params.number('minDenials');
  const windowMs = input.params.number('windowMinutes') * 60_000;
  const afterMs = input.params.number('successWithinMinutes') * 60_000;
  const codes = new Set(integerList(input.params, 'errorCodes'));
  // A user's first two denials are held compactly (a number into `pairs`); the third turns the
  // user into the full state. Map order is first-denial order either way.
  const pairs = new FailurePairs();
  const denied = new Map<number, FatigueUser | number>();
  // Successes of every user (in Graph's newest-first order they arrive before the denials), as
  // time-bucket marks by user number: a fixed ~40 bytes per user.
  const window = windowOf(input);
  const successes = new BucketMarks(window.start, window.end);
  // Kept only by an incremental run (see carry below): every denial as a carried event, by user,
  // and one success per user and minute.
  const keptDenials = new Map<number, { time: number; event: SignIn }[]>();
  const minuteSuccesses = new MinuteSuccesses();

  return detectorFold(input, (pass, mode) => {
    /** A held user's denials replayed, in arrival order, into the full state. */
    const spill = (entry: number): FatigueUser => {
      const state: FatigueUser = { denials: new TimeList(DENIALS_PER_USER), rows: new RowSample() };
      for (let k = 0; k < pairs.count(entry); k++) {
        state.denials.add(pairs.time(entry, k), undefined);
        state.rows.addFields(pairs.fields(entry, k, (user) => pass.userName(user)));
      }
      return state;
    };

    return {
      add(page: EventPage, i: number) {
        const errorCode = page.errorCode[i] ?? 0;
        const user = page.user[i] ?? 0;
        const time = page.time[i] ?? 0;
        if (errorCode === 0) {
          successes.mark(user, time);
          if (mode.carrying) minuteSuccesses.add(user, time, user, null);
          return undefined;
        }
        if (!codes.has(errorCode)) return undefined;
        if (mode.carrying) {
          const kept = keptDenials.get(user) ?? [];
          if (kept.length === 0) keptDenials.set(user, kept);
          kept.push({ time, event: carriedSignIn(rowFields(page, i)) });
        }
        let state = denied.get(user);
        if (state === undefined) {
          state = pairs.open();
          denied.set(user, state);
        }
        if (typeof state === 'number') {
          if (pairs.add(state, page, i, null)) return undefined;
          state = spill(state);
          denied.set(user, state);
        }
        state.denials.add(time, undefined);
        state.rows.add(page, i);
        return undefined;
      },
      finish(scan: ScanSummary): readonly Finding[] {
        const findings: Finding[] = [];
        for (const [number, held] of denied) {
          if (typeof held === 'number' && pairs.count(held) < minDenials) continue;
          const state = typeof held === 'number' ? spill(held) : held;
          if (state.denials.total < minDenials) continue;
          const times = state.denials.times;
          const burst = densestWindow(
            times,
            times.map((_, i) => i),
            windowMs,
          );
          const count = burst.last - burst.first + 1;
          if (count < minDenials) continue;
          const user = pass.userName(number);
          const succeeded = successes.any(number, burst.from, burst.to + afterMs);
          findings.push({
            target: user,
            status: 'fail',
            ...(succeeded ? { severity: 'critical' as const } : {}),
            message:
              `${count} MFA denials or timeouts within ${windowMs / 60_000} minutes` +
              (succeeded ? ', followed by a successful sign-in.' : '.'),
            evidence: {
              user,
              denialsInBurst: count,
              minDenials,
              burst: { start: new Date(burst.from).toISOString(), end: new Date(burst.to).toISOString() },
              denials: state.rows.toJson(),
              // Successes are kept as time buckets, so "during or right after" is exact to one bucket.
              successDuringOrAfter: succeeded,
              successWindow: {
                start: new Date(burst.from).toISOString(),
                end: new Date(burst.to + afterMs).toISOString(),
              },
              successResolutionMinutes: successes.bucketMs / 60_000,
              scan,
            },
          });
        }
        if (findings.length > 0) return findings;
        return [
          cleanFinding('No user reached the MFA-fatigue threshold.', scan, {
            minDenials,
            windowMinutes: windowMs / 60_000,
          }),
        ];
      },
      carry: ({ before }) =>
        carriedFatigue(keptDenials, minuteSuccesses, {
          before,
          // A success counts from a burst's first denial to one window and `afterMs` later.
          reach: windowMs + afterMs + successes.bucketMs,
          bucketMs: successes.bucketMs,
          success: (time, user) =>
            carriedSignIn({
              time,
              user: pass.userName(user),
              ip: null,
              country: null,
              city: null,
              app: null,
              client: null,
              errorCode: 0,
            }),
        }),
    };
  });
}

/**
 * What an incremental run carries for MFA fatigue: every denial counted, per user its newest
 * DENIALS_PER_USER; and one success per user and minute that could fall in a later burst's
 * "followed by a success" window (one bucket either side of [first denial, first denial + window
 * + successWithinMinutes]), and every user's in the bucket before the next read, where a denial
 * read later could reach it.
 */
function* carriedFatigue(
  keptDenials: ReadonlyMap<number, readonly { readonly time: number; readonly event: SignIn }[]>,
  minuteSuccesses: MinuteSuccesses,
  options: {
    readonly before: number;
    readonly reach: number;
    readonly bucketMs: number;
    readonly success: (time: number, user: number) => SignIn;
  },
): Generator<SignIn> {
  const denialTimes = new Map<number, number[]>();
  for (const [user, denials] of keptDenials) {
    const newest = [...denials].sort((a, b) => b.time - a.time).slice(0, DENIALS_PER_USER);
    for (const denial of newest) yield denial.event;
    denialTimes.set(
      user,
      newest.map((d) => d.time).sort((a, b) => a - b),
    );
  }
  for (const s of minuteSuccesses.entries()) {
    if (s.time >= options.before) continue;
    const times = denialTimes.get(s.slot);
    const nearDenial = times !== undefined && near(times, s.time, options.bucketMs, options.reach);
    if (nearDenial || s.time >= options.before - options.bucketMs) yield options.success(s.time, s.user);
  }
}
