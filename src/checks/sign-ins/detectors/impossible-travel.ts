import { ConfigurationError } from '../../../errors.js';
import type { Finding } from '../../../model/finding.js';
import type { SignIn } from '../../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../../check.js';
import { cleanFinding, detectorFold, type ScanSummary } from '../detector-fold.js';
import { type EventPage, IP_MALFORMED, IP_V4 } from '../event-page.js';
import { type Cidr, cidrContains, cidrContainsV4, parseCidr } from '../ip-address.js';
import { greatCircleKm } from './great-circle.js';
import { ipv4Text } from '../../../model/ip-address.js';
import { carriedSignIn } from '../carry/carried-sign-in.js';
import { TravelHops } from './travel-hops.js';
import { TravelTimelines } from './travel-timelines.js';

export function parseEgressCidrs(values: readonly string[]): readonly Cidr[] {
  return values.map((value, index) => {
    const cidr = parseCidr(value);
    // The schema checks the shape; this catches what a pattern cannot (octets over 255, /33).
    if (!cidr) throw new ConfigurationError(`egressCidrs/${index}: "${value}" is not an IPv4 or IPv6 CIDR block`);
    return cidr;
  });
}

/**
 * `sign-ins.impossible-travel`: successive successful sign-ins of one user whose great-circle
 * distance over the time between them exceeds the policy's speed.
 *
 * Three parts: which events count (successes with a location, not from an egress address: the
 * fold below), each user's points in time order (travel-timelines.ts), and the hops over the
 * limit with their evidence (travel-hops.ts).
 */
export function impossibleTravelFold(input: CheckInput): Fold<SignIn> {
  const maxSpeed = input.params.number('maxSpeedKmh');
  const minDistance = input.params.number('minDistanceKm');
  const egress = parseEgressCidrs(input.params.strings('egressCidrs'));
  const hops = new TravelHops(maxSpeed, minDistance);
  const timelines = new TravelTimelines((user, a, b) => hops.judge(user, a, b));

  return detectorFold(input, (pass, mode) => {
    hops.names = (user) => pass.userName(user);
    return {
      add(page: EventPage, i: number) {
        if (page.errorCode[i] !== 0) return undefined;
        const kind = page.ip(i);
        if (kind === IP_MALFORMED) return 'malformedIp';
        const geo = page.raw[i]?.location?.geoCoordinates;
        const lat = geo?.latitude;
        const lon = geo?.longitude;
        if (typeof lat !== 'number' || typeof lon !== 'number') return 'noLocation';
        if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
          return 'coordinatesOutOfRange';
        // A VPN or proxy egress puts many people in one place; its location says nothing of the user's.
        if (egress.length > 0) {
          const v4 = page.ipv4[i] ?? 0;
          const v6 = page.ip6[i];
          for (const cidr of egress) {
            if (kind === IP_V4 ? cidrContainsV4(cidr, v4) : v6 !== undefined && cidrContains(cidr, v6))
              return 'egressAddress';
          }
        }
        timelines.insert(page.user[i] ?? 0, page, i, lat, lon);
        return undefined;
      },
      finish(scan: ScanSummary): readonly Finding[] {
        // Pairs still in typed arrays are judged on the numbers first: objects are made only for a hop over the limit.
        timelines.drain(
          (aLat, aLon, bLat, bLon, from, to) => {
            const distance = greatCircleKm(aLat, aLon, bLat, bLon);
            const hours = Math.max(to - from, 1000) / 3_600_000;
            return distance >= minDistance && distance / hours > maxSpeed;
          },
          (user, a, b) => hops.judge(user, a, b),
        );
        if (!mode.carrying) timelines.clear();
        const findings = hops.findings({ scan });
        if (findings.length > 0) return findings;
        return [
          cleanFinding('No impossible travel between successive successful sign-ins.', scan, {
            maxSpeedKmh: maxSpeed,
            minDistanceKm: minDistance,
          }),
        ];
      },
      carry: () => carriedPoints(timelines, hops, (user) => pass.userName(user)),
    };
  });
}

/**
 * What an incremental run carries for travel: of each user's timeline (successive successful
 * sign-ins, same-place runs already cut to their two ends), the points from the first impossible
 * hop on, or else the last point alone. Hops are judged between successive points only, and later
 * events come after these (or are read again with them), so every hop a later run can judge within
 * its window starts at a carried point or a read one: the earlier points could only be the start
 * of a hop that is already judged possible.
 */
function* carriedPoints(timelines: TravelTimelines, hops: TravelHops, userName: (user: number) => string) {
  for (const [user, points] of timelines.timelines()) {
    let from = points.length - 1;
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k];
      const b = points[k + 1];
      if (a && b && hops.impossible(a, b)) {
        from = k;
        break;
      }
    }
    const name = userName(user);
    for (let k = Math.max(0, from); k < points.length; k++) {
      const p = points[k];
      if (p === undefined) continue;
      yield carriedSignIn(
        {
          time: p.time,
          user: name,
          ip: p.ipv4 >= 0 ? ipv4Text(p.ipv4) : p.ip,
          country: p.country,
          city: p.city,
          app: p.app,
          client: p.client,
          errorCode: 0,
        },
        { lat: p.lat, lon: p.lon },
      );
    }
  }
}
