import { ConfigurationError } from '../../errors.js';
import type { Finding } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import type { SignIn } from '../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../check.js';
import { cleanFinding, detectorFold, type ScanSummary } from './detector-fold.js';
import { ROW_CAP, type RowFields, rowFields, type SignInRow, toRow } from './evidence-rows.js';
import { TextCache } from './text-cache.js';
import { greatCircleKm } from './great-circle.js';
import { type Cidr, cidrContains, parseCidr } from './ip-address.js';
import { coordinatesOf, ipOf, type SignInEvent } from './sign-in-event.js';

/** Successful sign-ins kept per user at most; beyond this the oldest pair is judged early. */
export const TRAVEL_POINTS_PER_USER = 64;
/** Points closer than this are "the same place", so a run of them needs only its two ends. */
const SAME_PLACE_KM = 1;

/** A sign-in point: where and when, with the row fields it is shown with (one object, no array). */
interface Point extends RowFields {
  readonly lat: number;
  readonly lon: number;
}

interface Hop extends JsonObject {
  readonly from: SignInRow;
  readonly to: SignInRow;
  readonly distanceKm: number;
  readonly minutes: number;
  readonly speedKmh: number;
}

interface TravelUser {
  /** Sorted by time; exact-size, replaced on change (see TimeList). */
  points: readonly Point[];
  hops?: Hop[];
  hopTotal: number;
}

const km = (a: Point, b: Point): number => greatCircleKm(a.lat, a.lon, b.lat, b.lon);

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
 * Time order per user: each user keeps a small list of sign-in points sorted by time, so pages
 * may arrive in any order. Runs of sign-ins from the same place keep only their first and last
 * point (the inner ones cannot make a hop), which keeps ordinary users to one or two points.
 * A user with more than TRAVEL_POINTS_PER_USER places has the oldest hop judged early, so an
 * event arriving later that falls between those two points would not split that hop.
 */
export function impossibleTravelFold(input: CheckInput): Fold<SignIn> {
  const maxSpeed = input.params.number('maxSpeedKmh');
  const minDistance = input.params.number('minDistanceKm');
  const egress = parseEgressCidrs(input.params.strings('egressCidrs'));
  const users = new Map<string, TravelUser>();
  const texts = new TextCache();

  const judge = (state: TravelUser, a: Point, b: Point): void => {
    const distance = km(a, b);
    if (distance < minDistance) return;
    // Two sign-ins in the same second are treated as one second apart, so the speed stays a number.
    const hours = Math.max(b.time - a.time, 1000) / 3_600_000;
    const speed = distance / hours;
    if (speed <= maxSpeed) return;
    state.hopTotal++;
    const hop: Hop = {
      from: toRow(a),
      to: toRow(b),
      distanceKm: Math.round(distance),
      minutes: Math.round(((b.time - a.time) / 60_000) * 10) / 10,
      speedKmh: Math.round(speed),
    };
    // Keep the fastest hops as evidence.
    const hops = (state.hops ??= []);
    hops.push(hop);
    if (hops.length > ROW_CAP) {
      hops.sort((x, y) => y.speedKmh - x.speedKmh);
      hops.pop();
    }
  };

  const insert = (state: TravelUser, point: Point): void => {
    let at = state.points.length;
    while (at > 0 && (state.points[at - 1]?.time ?? 0) > point.time) at--;
    const points = [...state.points.slice(0, at), point, ...state.points.slice(at)];
    // Drop inner points of same-place runs around the insertion.
    for (let j = Math.min(at + 1, points.length - 2); j >= Math.max(at - 1, 1); j--) {
      const prev = points[j - 1];
      const mid = points[j];
      const next = points[j + 1];
      if (prev && mid && next && km(prev, mid) < SAME_PLACE_KM && km(mid, next) < SAME_PLACE_KM) points.splice(j, 1);
    }
    if (points.length > TRAVEL_POINTS_PER_USER) {
      const [first, second] = points;
      if (first && second) judge(state, first, second);
      points.shift();
    }
    state.points = points;
  };

  return detectorFold(input, {
    add(event: SignInEvent) {
      if (!event.success) return undefined;
      const ip = ipOf(event);
      if (!ip) return 'malformedIp';
      const coordinates = coordinatesOf(event.raw);
      if (typeof coordinates === 'string') return coordinates;
      // A VPN or proxy egress puts many people in one place; its location says nothing of the user's.
      if (egress.some((cidr) => cidrContains(cidr, ip))) return 'egressAddress';
      let state = users.get(event.user);
      if (!state) {
        state = { points: [], hopTotal: 0 };
        users.set(event.user, state);
      }
      insert(state, { ...rowFields(event, texts), lat: coordinates.lat, lon: coordinates.lon });
      return undefined;
    },
    finish(scan: ScanSummary): readonly Finding[] {
      const findings: Finding[] = [];
      for (const [user, state] of users) {
        for (let i = 1; i < state.points.length; i++) {
          const a = state.points[i - 1];
          const b = state.points[i];
          if (a && b) judge(state, a, b);
        }
        state.points = [];
        if (state.hopTotal === 0) continue;
        const hops = [...(state.hops ?? [])].sort((x, y) => (x.from.time < y.from.time ? -1 : x.from.time > y.from.time ? 1 : 0));
        const fastest = Math.max(...hops.map((h) => h.speedKmh));
        findings.push({
          target: user,
          status: 'fail',
          message: `${state.hopTotal} impossible journey(s) between successive sign-ins; fastest ${fastest} km/h (limit ${maxSpeed} km/h).`,
          evidence: { user, maxSpeedKmh: maxSpeed, minDistanceKm: minDistance, hops: { items: hops, total: state.hopTotal }, scan },
        });
      }
      if (findings.length > 0) return findings;
      return [cleanFinding('No impossible travel between successive successful sign-ins.', scan, { maxSpeedKmh: maxSpeed, minDistanceKm: minDistance })];
    },
  });
}
