import type { Finding } from '../../model/finding.js';
import type { SignIn } from '../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../check.js';
import { cleanFinding, detectorFold, type ScanSummary } from './detector-fold.js';
import { RowSample, ROW_CAP } from './evidence-rows.js';
import { ipText, parseIp, sourcePrefix } from './ip-address.js';
import type { SignInEvent } from './sign-in-event.js';
import { integerList } from './number-list.js';
import { densestWindow, TimeList } from './time-list.js';

/** Failed attempts kept per source (newest); a spray needs far fewer to be seen. */
export const SPRAY_FAILURES_PER_SOURCE = 4096;
/** Successful sign-ins kept per source (newest), to tell whether a spray got in. */
export const SPRAY_SUCCESSES_PER_SOURCE = 32;

interface SpraySource {
  failures?: TimeList<string>;
  failureRows?: RowSample;
  ips?: Set<string>;
  readonly successes: TimeList<string>;
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
  const sources = new Map<string, SpraySource>();

  return detectorFold(input, {
    add(event: SignInEvent) {
      const spray = !event.success && codes.has(event.errorCode);
      if (!spray && !event.success) return undefined;
      const ip = parseIp(event.raw.ipAddress);
      if (!ip) return 'malformedIp';
      const key = byPrefix ? sourcePrefix(ip) : ipText(ip);
      let source = sources.get(key);
      if (!source) {
        source = { successes: new TimeList(SPRAY_SUCCESSES_PER_SOURCE) };
        sources.set(key, source);
      }
      if (event.success) {
        source.successes.add(event.time, event.user);
        return undefined;
      }
      if (!source.failures) {
        source.failures = new TimeList(SPRAY_FAILURES_PER_SOURCE);
        source.failureRows = new RowSample();
        source.ips = new Set();
      }
      source.failures.add(event.time, event.user);
      source.failureRows?.add(event);
      if (source.ips && source.ips.size < ROW_CAP) source.ips.add(ipText(ip));
      return undefined;
    },
    finish(scan: ScanSummary): readonly Finding[] {
      const findings: Finding[] = [];
      for (const [key, source] of sources) {
        const failures = source.failures;
        if (!failures || failures.total < minUsers) continue;
        const burst = densestWindow(failures.times, failures.payloads, windowMs);
        if (burst.distinct < minUsers) continue;
        const sprayed = [...new Set(failures.payloads.slice(burst.first, burst.last + 1))].sort();
        // "In the same window": from the first failure of the burst to one window after the last.
        const hits = source.successes.between(burst.from - 1, burst.to + windowMs);
        const succeeded = hits.map((i) => ({
          user: source.successes.payloads[i] ?? '',
          time: new Date(source.successes.times[i] ?? 0).toISOString(),
        }));
        const compromised = [...new Set(succeeded.map((s) => s.user))].sort();
        findings.push({
          target: key,
          status: 'fail',
          ...(succeeded.length > 0 ? { severity: 'critical' as const } : {}),
          message:
            `${burst.distinct} distinct users failed to sign in from ${key} within ${windowMs / 60_000} minutes` +
            (succeeded.length > 0 ? `, and ${compromised.length} account(s) then signed in successfully from it.` : '.'),
          evidence: {
            source: key,
            grouping: byPrefix ? 'prefix' : 'ip',
            ips: [...(source.ips ?? [])].sort(),
            distinctUsers: burst.distinct,
            minUsers,
            burst: { start: new Date(burst.from).toISOString(), end: new Date(burst.to).toISOString() },
            users: { items: sprayed.slice(0, ROW_CAP), total: sprayed.length },
            failedSignIns: source.failureRows?.toJson() ?? { items: [], total: 0 },
            successesFromSource: { items: succeeded.slice(0, ROW_CAP), total: succeeded.length },
            compromisedUsers: compromised,
            scan,
          },
        });
      }
      if (findings.length > 0) return findings;
      return [cleanFinding('No source reached the password-spray threshold.', scan, { minUsers, windowMinutes: windowMs / 60_000 })];
    },
  });
}
