import type { Finding } from '../../model/finding.js';
import type { SignIn } from '../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../check.js';
import { BucketMarks } from './bucket-marks.js';
import { cleanFinding, detectorFold, type ScanSummary, windowOf } from './detector-fold.js';
import { RowSample, ROW_CAP } from './evidence-rows.js';
import { ipText, sourcePrefix } from './ip-address.js';
import { ipOf, type SignInEvent } from './sign-in-event.js';
import { integerList } from './number-list.js';
import { densestWindow, TimeList } from './time-list.js';

/** Failed attempts kept per source (newest); a spray needs far fewer to be seen. */
export const SPRAY_FAILURES_PER_SOURCE = 4096;
/** Successful sign-ins remembered by name per source (the newest), to say who got in. */
export const SPRAY_NAMED_SUCCESSES = 4;

interface SprayFailures {
  readonly failures: TimeList<string>;
  readonly rows: RowSample;
  readonly ips: Set<string>;
}

/**
 * `sign-ins.password-spray`: one source (an IP, or its /24 or /64) where at least N distinct
 * users failed to sign in with a wrong or blocked password within a sliding window. A success
 * from the same source in that window (or one window after it) means the spray found a password.
 */
export function passwordSprayFold(input: CheckInput): Fold<SignIn> {
  const minUsers = input.params.number('minUsers');
  const windowMs = input.params.number('windowMinutes') * 60_000;
  const codes = new Set(integerList(input.params, 'errorCodes'));
  const byPrefix = input.params.string('groupBy') === 'prefix';
  const window = windowOf(input);
  // Every source's successes as time-bucket marks (fixed ~40 bytes per source), plus the users
  // of its newest few successes; failures are kept only for sources that have any.
  const successes = new BucketMarks(window.start, window.end);
  const namedTimes: number[] = [];
  const namedUsers: string[] = [];
  const failing = new Map<string, SprayFailures>();

  const remember = (slot: number, time: number, user: string): void => {
    const base = slot * SPRAY_NAMED_SUCCESSES;
    // Keep the newest by time: replace the oldest entry if this one is newer.
    let oldest = base;
    for (let i = base; i < base + SPRAY_NAMED_SUCCESSES; i++) {
      const t = namedTimes[i] ?? Number.NaN;
      if (Number.isNaN(t)) {
        oldest = i;
        break;
      }
      if (t < (namedTimes[oldest] ?? -Infinity)) oldest = i;
    }
    const current = namedTimes[oldest] ?? Number.NaN;
    if (Number.isNaN(current) || time > current) {
      namedTimes[oldest] = time;
      namedUsers[oldest] = user;
    }
  };

  return detectorFold(input, {
    add(event: SignInEvent) {
      const spray = !event.success && codes.has(event.errorCode);
      if (!spray && !event.success) return undefined;
      const ip = ipOf(event);
      if (!ip) return 'malformedIp';
      const key = byPrefix ? sourcePrefix(ip) : ipText(ip);
      if (event.success) {
        const slot = successes.mark(key, event.time);
        if (slot * SPRAY_NAMED_SUCCESSES >= namedTimes.length) {
          for (let i = 0; i < SPRAY_NAMED_SUCCESSES; i++) namedTimes.push(Number.NaN);
        }
        remember(slot, event.time, event.user);
        return undefined;
      }
      let source = failing.get(key);
      if (!source) {
        source = { failures: new TimeList(SPRAY_FAILURES_PER_SOURCE), rows: new RowSample(), ips: new Set() };
        failing.set(key, source);
      }
      source.failures.add(event.time, event.user);
      source.rows.add(event);
      if (source.ips.size < ROW_CAP) source.ips.add(ipText(ip));
      return undefined;
    },
    finish(scan: ScanSummary): readonly Finding[] {
      const findings: Finding[] = [];
      for (const [key, source] of failing) {
        const failures = source.failures;
        if (failures.total < minUsers) continue;
        const burst = densestWindow(failures.times, failures.payloads, windowMs);
        if (burst.distinct < minUsers) continue;
        const sprayed = [...new Set(failures.payloads.slice(burst.first, burst.last + 1))].sort();
        // "In the same window": from the first failure of the burst to one window after the last.
        const until = burst.to + windowMs;
        const got = successes.any(key, burst.from, until);
        const slot = successes.find(key);
        const succeeded: { user: string; time: string }[] = [];
        for (let i = 0; got && slot !== undefined && i < SPRAY_NAMED_SUCCESSES; i++) {
          const t = namedTimes[slot * SPRAY_NAMED_SUCCESSES + i];
          const user = namedUsers[slot * SPRAY_NAMED_SUCCESSES + i];
          if (t !== undefined && !Number.isNaN(t) && user !== undefined && t >= burst.from && t <= until) {
            succeeded.push({ user, time: new Date(t).toISOString() });
          }
        }
        succeeded.sort((a, b) => (a.time < b.time ? -1 : 1));
        const compromised = [...new Set(succeeded.map((s) => s.user))].sort();
        findings.push({
          target: key,
          status: 'fail',
          ...(got ? { severity: 'critical' as const } : {}),
          message:
            `${burst.distinct} distinct users failed to sign in from ${key} within ${windowMs / 60_000} minutes` +
            (got ? ', and a sign-in from it then succeeded.' : '.'),
          evidence: {
            source: key,
            grouping: byPrefix ? 'prefix' : 'ip',
            ips: [...source.ips].sort(),
            distinctUsers: burst.distinct,
            minUsers,
            burst: { start: new Date(burst.from).toISOString(), end: new Date(burst.to).toISOString() },
            users: { items: sprayed.slice(0, ROW_CAP), total: sprayed.length },
            failedSignIns: source.rows.toJson(),
            successFromSource: got,
            // Named from the source's newest successes; exact to one time bucket.
            successesFromSource: succeeded,
            compromisedUsers: compromised,
            successResolutionMinutes: successes.bucketMs / 60_000,
            scan,
          },
        });
      }
      if (findings.length > 0) return findings;
      return [cleanFinding('No source reached the password-spray threshold.', scan, { minUsers, windowMinutes: windowMs / 60_000 })];
    },
  });
}
