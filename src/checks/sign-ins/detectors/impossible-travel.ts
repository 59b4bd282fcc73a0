import { ConfigurationError } from '../../../errors.js';
import { ipv4Text } from '../../../mailauth/ip-address.js';
import type { Finding } from '../../../model/finding.js';
import type { JsonObject } from '../../../model/json.js';
import type { SignIn } from '../../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../../check.js';
import { cleanFinding, detectorFold, type ScanSummary } from '../detector-fold.js';
import { type EventPage, IP_MALFORMED, IP_V4 } from '../event-page.js';
import { ROW_CAP, type SignInRow } from '../evidence-rows.js';
import { type PointFields, PointPairs, SPILLED } from '../structures/point-pairs.js';
import { TextCache } from '../structures/text-cache.js';
import { greatCircleKm } from './great-circle.js';
import { type Cidr, cidrContains, cidrContainsV4, parseCidr } from '../ip-address.js';

/** Successful sign-ins kept per user at most; beyond this the oldest pair is judged early. */
export const TRAVEL_POINTS_PER_USER = 64;
/** Points closer than this are "the same place", so a run of them needs only its two ends. */
const SAME_PLACE_KM = 1;

/** A sign-in point: where and when, with the fields its evidence row shows (always a success). */
type Point = PointFields;

interface Hop extends JsonObject {
  readonly from: SignInRow;
  readonly to: SignInRow;
  readonly distanceKm: number;
  readonly minutes: number;
  readonly speedKmh: number;
}

/** The hops over the speed limit of one user: the fastest ROW_CAP, and how many in all. */
interface Hops {
  readonly items: Hop[];
  total: number;
}

/** A point as an evidence row, in the key order of toRow (evidence-rows.ts). */
function pointRow(point: Point, user: string): SignInRow {
  return {
    time: new Date(point.time).toISOString(),
    user,
    ip: point.ipv4 >= 0 ? ipv4Text(point.ipv4) : point.ip,
    country: point.country,
    city: point.city,
    app: point.app,
    client: point.client,
    result: 'success',
    errorCode: 0,
  };
}

const km = (a: Point, b: Point): number => greatCircleKm(a.lat, a.lon, b.lat, b.lon);
/** Identical coordinates (the usual case) are 0 km apart without the trigonometry. */
const samePlace = (a: Point, b: Point): boolean => (a.lat === b.lat && a.lon === b.lon) || km(a, b) < SAME_PLACE_KM;
const samePlaceAt = (a: Point, lat: number, lon: number): boolean =>
  (a.lat === lat && a.lon === lon) || greatCircleKm(a.lat, a.lon, lat, lon) < SAME_PLACE_KM;

export function parseEgressCidrs(values: readonly string[]): readonly Cidr[] {
  return values.map((value, index) => {
    const cidr = parseCidr(value);
    // The schema checks the shape; this catches what a pattern cannot (octets over 255, /33).
    if (!cidr) throw new ConfigurationError(`egressCidrs/${index}: "${value}" is not an IPv4 or IPv6 CIDR block`);
    return cidr;
  });
}

/** A text field as rows show it: the same string as `previous` when equal, else shared through `texts`. */
function field(value: string | null | undefined, previous: string | null, texts: TextCache): string | null {
  return value === previous && previous !== null ? previous : texts.get(value);
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
  // Each user's points sorted by time: the first two in typed arrays (most users never need
  // more), a spilled user's in an exact-size array of objects.
  const pairs = new PointPairs();
  const points = new Map<number, Point[]>();
  // The event being added, before it is stored: one object reused for every event.
  const scratch: Point = {
    time: 0,
    ip: null,
    ipv4: -1,
    country: null,
    city: null,
    app: null,
    client: null,
    lat: 0,
    lon: 0,
  };
  const hops = new Map<number, Hops>();
  const texts = new TextCache();
  // Set once the shared pass is known (detectorFold below); names only go into evidence.
  let names: (user: number) => string = () => '';

  const judge = (user: number, a: Point, b: Point): void => {
    const distance = km(a, b);
    if (distance < minDistance) return;
    // Two sign-ins in the same second are treated as one second apart, so the speed stays a number.
    const hours = Math.max(b.time - a.time, 1000) / 3_600_000;
    const speed = distance / hours;
    if (speed <= maxSpeed) return;
    let found = hops.get(user);
    if (!found) {
      found = { items: [], total: 0 };
      hops.set(user, found);
    }
    found.total++;
    const name = names(user);
    // Keep the fastest hops as evidence.
    found.items.push({
      from: pointRow(a, name),
      to: pointRow(b, name),
      distanceKm: Math.round(distance),
      minutes: Math.round(((b.time - a.time) / 60_000) * 10) / 10,
      speedKmh: Math.round(speed),
    });
    if (found.items.length > ROW_CAP) {
      found.items.sort((x, y) => y.speedKmh - x.speedKmh);
      found.items.pop();
    }
  };

  /** Copies event `i` into `point` (a new one, or the one it replaces). */
  const fill = (point: Point, page: EventPage, i: number, lat: number, lon: number): Point => {
    const raw = page.raw[i] as SignIn;
    const location = raw.location;
    point.time = page.time[i] ?? 0;
    const ip = raw.ipAddress;
    // A strict dotted quad reads back as the same text, so only its number is kept.
    const v4 = page.ipKind[i] === IP_V4 && typeof ip === 'string' && !ip.includes(':') ? (page.ipv4[i] ?? -1) : -1;
    point.ipv4 = v4;
    point.ip = v4 >= 0 ? null : ip === point.ip ? point.ip : typeof ip === 'string' && ip !== '' ? ip : null;
    point.country = field(location?.countryOrRegion, point.country, texts);
    point.city = field(location?.city, point.city, texts);
    point.app = field(raw.appDisplayName, point.app, texts);
    point.client = field(raw.clientAppUsed, point.client, texts);
    point.lat = lat;
    point.lon = lon;
    return point;
  };

  const newPoint = (page: EventPage, i: number, lat: number, lon: number): Point =>
    fill(
      { time: 0, ip: null, ipv4: -1, country: null, city: null, app: null, client: null, lat: 0, lon: 0 },
      page,
      i,
      lat,
      lon,
    );

  const samePlaceOf = (user: number, a: number, lat: number, lon: number): boolean => {
    const aLat = pairs.latOf(user, a);
    const aLon = pairs.lonOf(user, a);
    return (aLat === lat && aLon === lon) || greatCircleKm(aLat, aLon, lat, lon) < SAME_PLACE_KM;
  };

  /**
   * The same steps as `insert` below for a user with at most two points, in the typed arrays;
   * false when the result would not be at most two points there (the caller then spills).
   */
  const insertPair = (user: number, page: EventPage, i: number, lat: number, lon: number): boolean => {
    const count = pairs.count[user] ?? 0;
    const time = page.time[i] ?? 0;
    if (!pairs.hasRoom()) return false;
    if (count === 0) {
      pairs.write(user, 0, fill(scratch, page, i, lat, lon));
      pairs.count[user] = 1;
      return true;
    }
    if (count === 1) {
      // Two points: no run to shorten yet.
      if (pairs.timeOf(user, 0) <= time) pairs.write(user, 1, fill(scratch, page, i, lat, lon));
      else {
        pairs.move(user, 0, 1);
        pairs.write(user, 0, fill(scratch, page, i, lat, lon));
      }
      pairs.count[user] = 2;
      return true;
    }
    const runOfTwo = samePlaceOf(user, 0, pairs.latOf(user, 1), pairs.lonOf(user, 1));
    if (pairs.timeOf(user, 1) <= time) {
      // After a same-place run: its last point moves forward.
      if (!runOfTwo || !samePlaceOf(user, 1, lat, lon)) return false;
      pairs.write(user, 1, fill(scratch, page, i, lat, lon));
    } else if (pairs.timeOf(user, 0) <= time) {
      // Inside a same-place run: an inner point, dropped.
      if (!samePlaceOf(user, 0, lat, lon) || !samePlaceOf(user, 1, lat, lon)) return false;
    } else {
      // Before a same-place run (Graph pages newest first): its first point moves back.
      if (!runOfTwo || !samePlaceOf(user, 0, lat, lon)) return false;
      pairs.write(user, 0, fill(scratch, page, i, lat, lon));
    }
    return true;
  };

  const insert = (user: number, page: EventPage, i: number, lat: number, lon: number): void => {
    pairs.ensure(user);
    const count = pairs.count[user] ?? 0;
    if (count !== SPILLED) {
      if (insertPair(user, page, i, lat, lon)) return;
      const spilled: Point[] = [];
      for (let k = 0; k < count; k++) spilled.push(pairs.read(user, k));
      pairs.spill(user);
      points.set(user, spilled);
    }
    const list = points.get(user) ?? [];
    const n = list.length;
    const time = page.time[i] ?? 0;
    let at = n;
    while (at > 0 && (list[at - 1]?.time ?? 0) > time) at--;
    const prev = list[n - 2];
    const last = list[n - 1];
    if (at === n && prev && last && samePlace(prev, last) && samePlaceAt(last, lat, lon)) {
      // Appending to a same-place run: the run's last point moves forward, nothing else changes.
      fill(last, page, i, lat, lon);
      return;
    }
    // A new exact-size array: a pushed-to array would reserve 17 slots per user.
    const grown = new Array<Point>(n + 1);
    for (let k = 0; k < at; k++) grown[k] = list[k] as Point;
    grown[at] = newPoint(page, i, lat, lon);
    for (let k = at; k < n; k++) grown[k + 1] = list[k] as Point;
    // Drop inner points of same-place runs around the insertion.
    for (let j = Math.min(at + 1, grown.length - 2); j >= Math.max(at - 1, 1); j--) {
      const before = grown[j - 1];
      const mid = grown[j];
      const after = grown[j + 1];
      if (before && mid && after && samePlace(before, mid) && samePlace(mid, after)) grown.splice(j, 1);
    }
    if (grown.length > TRAVEL_POINTS_PER_USER) {
      const [first, second] = grown;
      if (first && second) judge(user, first, second);
      grown.shift();
    }
    points.set(user, grown);
  };

  return detectorFold(input, (pass) => {
    names = (user) => pass.userName(user);
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
        insert(page.user[i] ?? 0, page, i, lat, lon);
        return undefined;
      },
      finish(scan: ScanSummary): readonly Finding[] {
        const findings: Finding[] = [];
        for (let user = 0; user < pairs.count.length; user++) {
          if (pairs.count[user] !== 2) continue;
          // Judged on the numbers first: objects are made only for a hop over the limit.
          const distance = greatCircleKm(
            pairs.latOf(user, 0),
            pairs.lonOf(user, 0),
            pairs.latOf(user, 1),
            pairs.lonOf(user, 1),
          );
          const hours = Math.max(pairs.timeOf(user, 1) - pairs.timeOf(user, 0), 1000) / 3_600_000;
          if (distance >= minDistance && distance / hours > maxSpeed)
            judge(user, pairs.read(user, 0), pairs.read(user, 1));
        }
        for (const [user, list] of points) {
          for (let i = 1; i < list.length; i++) {
            const a = list[i - 1];
            const b = list[i];
            if (a && b) judge(user, a, b);
          }
        }
        points.clear();
        for (const [user, found] of hops) {
          const name = pass.userName(user);
          const items = [...found.items].sort((x, y) =>
            x.from.time < y.from.time ? -1 : x.from.time > y.from.time ? 1 : 0,
          );
          const fastest = Math.max(...items.map((h) => h.speedKmh));
          findings.push({
            target: name,
            status: 'fail',
            message: `${found.total} impossible journey(s) between successive sign-ins; fastest ${fastest} km/h (limit ${maxSpeed} km/h).`,
            evidence: {
              user: name,
              maxSpeedKmh: maxSpeed,
              minDistanceKm: minDistance,
              hops: { items, total: found.total },
              scan,
            },
          });
        }
        if (findings.length > 0) return findings;
        return [
          cleanFinding('No impossible travel between successive successful sign-ins.', scan, {
            maxSpeedKmh: maxSpeed,
            minDistanceKm: minDistance,
          }),
        ];
      },
    };
  });
}
