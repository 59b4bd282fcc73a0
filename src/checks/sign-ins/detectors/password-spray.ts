import { ipv4Text, readableIp } from '../../../model/ip-address.js';
import type { Finding } from '../../../model/finding.js';
import type { SignIn } from '../../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../../check.js';
import { BucketMarks } from '../structures/bucket-marks.js';
import { cleanFinding, detectorFold, type ScanSummary, windowOf } from '../detector-fold.js';
import { type EventPage, IP_MALFORMED, IP_V4 } from '../event-page.js';
import { RowSample, ROW_CAP } from '../evidence-rows.js';
import { FailurePairs } from '../structures/failure-pairs.js';
import { ipv4PrefixText, ipv6PrefixText } from '../ip-address.js';
import { integerList } from '../number-list.js';
import { densestWindow, TimeList } from '../structures/time-list.js';
import { carriedSignIn } from '../carry/carried-sign-in.js';
import { rowFields } from '../evidence-rows.js';
import { MinuteSuccesses, near } from '../structures/minute-successes.js';

/** Failed attempts kept per source (newest); a spray needs far fewer to be seen. */
export const SPRAY_FAILURES_PER_SOURCE = 4096;
/** Successful sign-ins remembered by name per source (the newest), to say who got in. */
export const SPRAY_NAMED_SUCCESSES = 4;

interface SprayFailures {
  /** Failure times, each with its user number. */
  readonly failures: TimeList<number>;
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
  // Sources are numbered from 0: an IPv4 source is keyed by a number (its /24 or its address),
  // an IPv6 one by its text. `keys[slot]` gives the key back, made into text only for findings.
  const slots = new Map<number | string, number>();
  const keys: (number | string)[] = [];
  // Every source's successes as time-bucket marks (fixed ~40 bytes per source), plus the users
  // of its newest few successes; failures are kept only for sources that have any.
  const successes = new BucketMarks(window.start, window.end);
  let namedTimes = new Float64Array(SPRAY_NAMED_SUCCESSES * 1024).fill(Number.NaN);
  let namedUsers = new Int32Array(SPRAY_NAMED_SUCCESSES * 1024);
  // A failing source's first two failures are held compactly (a number into `pairs`); its
  // third turns it into the full state. Map order is first-failure order either way.
  const pairs = new FailurePairs();
  const failing = new Map<number, SprayFailures | number>();
  // Kept only by an incremental run (see carry below): every failure as a carried event, by
  // source; one success per source and minute; and the address of each named success.
  const keptFailures = new Map<number, { time: number; event: SignIn }[]>();
  const minuteSuccesses = new MinuteSuccesses();
  const namedIps: (string | null)[] = [];

  const slotOf = (key: number | string): number => {
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = keys.length;
      keys.push(key);
      slots.set(key, slot);
    }
    return slot;
  };

  const keyText = (key: number | string): string => {
    if (typeof key === 'string') return key;
    return byPrefix ? ipv4PrefixText(key * 256) : ipv4Text(key);
  };

  /** Keeps the success if it is among the source's newest; returns where, or -1. */
  const remember = (slot: number, time: number, user: number): number => {
    const base = slot * SPRAY_NAMED_SUCCESSES;
    if (base + SPRAY_NAMED_SUCCESSES > namedTimes.length) {
      const times = new Float64Array(Math.max(base + SPRAY_NAMED_SUCCESSES, namedTimes.length * 2)).fill(Number.NaN);
      times.set(namedTimes);
      const users = new Int32Array(times.length);
      users.set(namedUsers);
      namedTimes = times;
      namedUsers = users;
    }
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
      return oldest;
    }
    return -1;
  };

  return detectorFold(input, (pass, mode) => {
    /** A held source's failures replayed, in arrival order, into the full state. */
    const spill = (entry: number): SprayFailures => {
      const source: SprayFailures = {
        failures: new TimeList(SPRAY_FAILURES_PER_SOURCE),
        rows: new RowSample(),
        ips: new Set(),
      };
      for (let k = 0; k < pairs.count(entry); k++) {
        source.failures.add(pairs.time(entry, k), pairs.user(entry, k));
        source.rows.addFields(pairs.fields(entry, k, (user) => pass.userName(user)));
        if (source.ips.size < ROW_CAP) source.ips.add(pairs.extra(entry, k) ?? '');
      }
      return source;
    };

    return {
      add(page: EventPage, i: number) {
        const errorCode = page.errorCode[i] ?? 0;
        const success = errorCode === 0;
        if (!success && !codes.has(errorCode)) return undefined;
        const kind = page.ip(i);
        if (kind === IP_MALFORMED) return 'malformedIp';
        let key: number | string;
        const v4 = page.ipv4[i] ?? 0;
        const v6 = page.ip6[i];
        if (kind === IP_V4) key = byPrefix ? Math.floor(v4 / 256) : v4;
        else key = v6 ? (byPrefix ? ipv6PrefixText(v6) : readableIp(v6)) : '';
        const slot = slotOf(key);
        const time = page.time[i] ?? 0;
        if (success) {
          successes.mark(slot, time);
          const at = remember(slot, time, page.user[i] ?? 0);
          if (mode.carrying) {
            const text = page.raw[i]?.ipAddress ?? null;
            if (at >= 0) namedIps[at] = text;
            minuteSuccesses.add(slot, time, page.user[i] ?? 0, text);
          }
          return undefined;
        }
        const ip = kind === IP_V4 ? ipv4Text(v4) : v6 ? readableIp(v6) : '';
        if (mode.carrying) {
          const kept = keptFailures.get(slot) ?? [];
          if (kept.length === 0) keptFailures.set(slot, kept);
          kept.push({ time, event: carriedSignIn(rowFields(page, i)) });
        }
        let held = failing.get(slot);
        if (held === undefined) {
          held = pairs.open();
          failing.set(slot, held);
        }
        if (typeof held === 'number') {
          if (pairs.add(held, page, i, ip)) return undefined;
          held = spill(held);
          failing.set(slot, held);
        }
        held.failures.add(time, page.user[i] ?? 0);
        held.rows.add(page, i);
        if (held.ips.size < ROW_CAP) held.ips.add(ip);
        return undefined;
      },
      finish(scan: ScanSummary): readonly Finding[] {
        const findings: Finding[] = [];
        for (const [slot, held] of failing) {
          if (typeof held === 'number' && pairs.count(held) < minUsers) continue;
          const source = typeof held === 'number' ? spill(held) : held;
          const failures = source.failures;
          if (failures.total < minUsers) continue;
          const burst = densestWindow(failures.times, failures.payloads, windowMs);
          if (burst.distinct < minUsers) continue;
          const key = keyText(keys[slot] ?? '');
          const sprayed = [...new Set(failures.payloads.slice(burst.first, burst.last + 1))]
            .map((u) => pass.userName(u))
            .sort();
          // "In the same window": from the first failure of the burst to one window after the last.
          const until = burst.to + windowMs;
          const got = successes.any(slot, burst.from, until);
          const succeeded: { user: string; time: string }[] = [];
          for (let i = 0; got && i < SPRAY_NAMED_SUCCESSES; i++) {
            const at = slot * SPRAY_NAMED_SUCCESSES + i;
            const t = namedTimes[at];
            if (t !== undefined && !Number.isNaN(t) && t >= burst.from && t <= until) {
              succeeded.push({ user: pass.userName(namedUsers[at] ?? 0), time: new Date(t).toISOString() });
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
        return [
          cleanFinding('No source reached the password-spray threshold.', scan, {
            minUsers,
            windowMinutes: windowMs / 60_000,
          }),
        ];
      },
      carry: ({ before }) => {
        const success = (time: number, user: number, ip: string | null): SignIn =>
          carriedSignIn({
            time,
            user: pass.userName(user),
            ip,
            country: null,
            city: null,
            app: null,
            client: null,
            errorCode: 0,
          });
        return carriedSpray(
          { keptFailures, minuteSuccesses, namedTimes, namedUsers, namedIps },
          {
            before,
            bucketMs: successes.bucketMs,
            windowMs,
            success,
          },
        );
      },
    };
  });
}

/** What an incremental run of the spray detector kept while it folded. */
interface SprayKept {
  readonly keptFailures: ReadonlyMap<number, readonly { readonly time: number; readonly event: SignIn }[]>;
  readonly minuteSuccesses: MinuteSuccesses;
  readonly namedTimes: Float64Array;
  readonly namedUsers: Int32Array;
  readonly namedIps: readonly (string | null)[];
}

/**
 * What an incremental run carries for password spray:
 * - every failure counted, per source its newest SPRAY_FAILURES_PER_SOURCE (older ones never
 *   come back into a time list that keeps the newest);
 * - per source with failures, its named successes (the newest few, which say who got in);
 * - one success per source and minute that could fall in a later burst's "then succeeded"
 *   window (one bucket either side of [first failure, first failure + 2 windows]), and every
 *   source's in the bucket before the next read, where a failure read later could reach it.
 */
function* carriedSpray(
  kept: SprayKept,
  options: {
    readonly before: number;
    readonly bucketMs: number;
    readonly windowMs: number;
    readonly success: (time: number, user: number, ip: string | null) => SignIn;
  },
): Generator<SignIn> {
  const failureTimes = new Map<number, number[]>();
  for (const [slot, failures] of kept.keptFailures) {
    const newest = [...failures].sort((a, b) => b.time - a.time).slice(0, SPRAY_FAILURES_PER_SOURCE);
    for (const failure of newest) yield failure.event;
    failureTimes.set(
      slot,
      newest.map((f) => f.time).sort((a, b) => a - b),
    );
  }
  // The named successes, each once: a minute's success may be one of them.
  const named = new Set<string>();
  for (const slot of failureTimes.keys()) {
    for (let k = slot * SPRAY_NAMED_SUCCESSES; k < (slot + 1) * SPRAY_NAMED_SUCCESSES; k++) {
      const time = kept.namedTimes[k];
      if (time === undefined || Number.isNaN(time) || time >= options.before) continue;
      const user = kept.namedUsers[k] ?? 0;
      named.add(`${slot}|${time}|${user}`);
      yield options.success(time, user, kept.namedIps[k] ?? null);
    }
  }
  const { bucketMs, windowMs, before } = options;
  for (const s of kept.minuteSuccesses.entries()) {
    if (s.time >= before || named.has(`${s.slot}|${s.time}|${s.user}`)) continue;
    const times = failureTimes.get(s.slot);
    const nearFailure = times !== undefined && near(times, s.time, bucketMs, 2 * windowMs + bucketMs);
    if (nearFailure || s.time >= before - bucketMs) yield options.success(s.time, s.user, s.ip);
  }
}
