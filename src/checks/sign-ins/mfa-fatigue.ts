import type { Finding } from '../../model/finding.js';
import type { SignIn } from '../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../check.js';
import { cleanFinding, detectorFold, type ScanSummary } from './detector-fold.js';
import { RowSample } from './evidence-rows.js';
import { integerList } from './number-list.js';
import type { SignInEvent } from './sign-in-event.js';
import { densestWindow, TimeList } from './time-list.js';

/** MFA denials kept per user (newest). */
export const DENIALS_PER_USER = 1024;
/** Successful sign-ins kept per user (newest), to see a success right after a burst. */
export const SUCCESSES_PER_USER = 48;

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
  const denied = new Map<string, FatigueUser>();
  // Successes of every user: in Graph's newest-first order they arrive before the denials.
  const successes = new Map<string, TimeList<undefined>>();

  return detectorFold(input, {
    add(event: SignInEvent) {
      if (event.success) {
        let list = successes.get(event.user);
        if (!list) {
          list = new TimeList(SUCCESSES_PER_USER);
          successes.set(event.user, list);
        }
        list.add(event.time, undefined);
        return undefined;
      }
      if (!codes.has(event.errorCode)) return undefined;
      let state = denied.get(event.user);
      if (!state) {
        state = { denials: new TimeList(DENIALS_PER_USER), rows: new RowSample() };
        denied.set(event.user, state);
      }
      state.denials.add(event.time, undefined);
      state.rows.add(event);
      return undefined;
    },
    finish(scan: ScanSummary): readonly Finding[] {
      const findings: Finding[] = [];
      for (const [user, state] of denied) {
        if (state.denials.total < minDenials) continue;
        const times = state.denials.times;
        const burst = densestWindow(times, times.map((_, i) => i), windowMs);
        const count = burst.last - burst.first + 1;
        if (count < minDenials) continue;
        const list = successes.get(user);
        const after = list ? list.between(burst.from, burst.to + afterMs).map((i) => list.times[i] ?? 0) : [];
        findings.push({
          target: user,
          status: 'fail',
          ...(after.length > 0 ? { severity: 'critical' as const } : {}),
          message:
            `${count} MFA denials or timeouts within ${windowMs / 60_000} minutes` +
            (after.length > 0 ? ', followed by a successful sign-in.' : '.'),
          evidence: {
            user,
            denialsInBurst: count,
            minDenials,
            burst: { start: new Date(burst.from).toISOString(), end: new Date(burst.to).toISOString() },
            denials: state.rows.toJson(),
            successesAfter: { items: after.slice(0, 20).map((t) => new Date(t).toISOString()), total: after.length },
            scan,
          },
        });
      }
      if (findings.length > 0) return findings;
      return [cleanFinding('No user reached the MFA-fatigue threshold.', scan, { minDenials, windowMinutes: windowMs / 60_000 })];
    },
  });
}
