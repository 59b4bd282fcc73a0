import type { SignIn } from '../../../snapshot/graph-types.js';
import { type EventPage, IP_V4 } from '../event-page.js';
import { type PointFields, PointPairs, SPILLED } from '../structures/point-pairs.js';
import { TextCache } from '../structures/text-cache.js';
import { greatCircleKm } from './great-circle.js';

/** Successful sign-ins kept per user at most; beyond this the oldest pair is judged early. */
export const TRAVEL_POINTS_PER_USER = 64;
/** Points closer than this are "the same place", so a run of them needs only its two ends. */
const SAME_PLACE_KM = 1;

/** A sign-in point: where and when, with the fields its evidence row shows (always a success). */
export type Point = PointFields;

export const km = (a: Point, b: Point): number => greatCircleKm(a.lat, a.lon, b.lat, b.lon);
/** Identical coordinates (the usual case) are 0 km apart without the trigonometry. */
const samePlace = (a: Point, b: Point): boolean => (a.lat === b.lat && a.lon === b.lon) || km(a, b) < SAME_PLACE_KM;
const samePlaceAt = (a: Point, lat: number, lon: number): boolean =>
  (a.lat === lat && a.lon === lon) || greatCircleKm(a.lat, a.lon, lat, lon) < SAME_PLACE_KM;

/** A text field as rows show it: the same string as `previous` when equal, else shared through `texts`. */
function field(value: string | null | undefined, previous: string | null, texts: TextCache): string | null {
  return value === previous && previous !== null ? previous : texts.get(value);
}

/**
 * Each user's successful sign-in points, sorted by time. Runs of sign-ins from the same place keep
 * only their first and last point (the inner ones cannot make a hop in a log read in time order),
 * so sign-ins must arrive newest first, as Graph pages them, or oldest first: a point arriving
 * later inside such a run meets the run's two ends, not its true neighbours, and a hop to it can be
 * missed. Keeping the runs short keeps ordinary users to one or two points: those live in typed arrays
 * (PointPairs); a user with more is spilled to an exact-size array of objects. A user with more
 * than TRAVEL_POINTS_PER_USER places has a pair handed to `evict` early: the oldest pair, or the newest
 * when the new point is the oldest (Graph pages come newest first), so an event arriving later that falls
 * between those two points would not split that hop.
 */
export class TravelTimelines {
  private readonly pairs = new PointPairs();
  private readonly points = new Map<number, Point[]>();
  // The event being added, before it is stored: one object reused for every event.
  private readonly scratch: Point = {
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
  private readonly texts = new TextCache();

  constructor(private readonly evict: (user: number, a: Point, b: Point) => void) {}

  /** Adds a success at (lat, lon) to `user`'s timeline, keeping time order and collapsing same-place runs. */
  insert(user: number, page: EventPage, i: number, lat: number, lon: number): void {
    this.pairs.ensure(user);
    const count = this.pairs.count[user] ?? 0;
    if (count !== SPILLED) {
      if (this.insertPair(user, page, i, lat, lon)) return;
      const spilled: Point[] = [];
      for (let k = 0; k < count; k++) spilled.push(this.pairs.read(user, k));
      this.pairs.spill(user);
      this.points.set(user, spilled);
    }
    const list = this.points.get(user) ?? [];
    const n = list.length;
    const time = page.time[i] ?? 0;
    let at = n;
    while (at > 0 && (list[at - 1]?.time ?? 0) > time) at--;
    const prev = list[n - 2];
    const last = list[n - 1];
    if (at === n && prev && last && samePlace(prev, last) && samePlaceAt(last, lat, lon)) {
      // Appending to a same-place run: the run's last point moves forward, nothing else changes.
      this.fill(last, page, i, lat, lon);
      return;
    }
    // A new exact-size array: a pushed-to array would reserve 17 slots per user.
    const grown = new Array<Point>(n + 1);
    for (let k = 0; k < at; k++) grown[k] = list[k] as Point;
    grown[at] = this.newPoint(page, i, lat, lon);
    for (let k = at; k < n; k++) grown[k + 1] = list[k] as Point;
    // Drop inner points of same-place runs around the insertion.
    for (let j = Math.min(at + 1, grown.length - 2); j >= Math.max(at - 1, 1); j--) {
      const before = grown[j - 1];
      const mid = grown[j];
      const after = grown[j + 1];
      if (before && mid && after && samePlace(before, mid) && samePlace(mid, after)) grown.splice(j, 1);
    }
    if (grown.length > TRAVEL_POINTS_PER_USER) {
      // Judge and drop the pair at the end away from where points arrive. Graph pages come newest
      // first, so each point lands at the front: dropping the front would lose the successor of
      // the next (older) point and pair it with one further on, missing a hop.
      const dropLast = at === 0;
      const [from, to] = dropLast ? grown.slice(-2) : grown;
      if (from && to) this.evict(user, from, to);
      if (dropLast) grown.pop();
      else grown.shift();
    }
    this.points.set(user, grown);
  }

  /**
   * The same steps as `insert` above for a user with at most two points, in the typed arrays;
   * false when the result would not be at most two points there (the caller then spills).
   */
  private insertPair(user: number, page: EventPage, i: number, lat: number, lon: number): boolean {
    const count = this.pairs.count[user] ?? 0;
    const time = page.time[i] ?? 0;
    if (!this.pairs.hasRoom()) return false;
    if (count === 0) {
      this.pairs.write(user, 0, this.fill(this.scratch, page, i, lat, lon));
      this.pairs.count[user] = 1;
      return true;
    }
    if (count === 1) {
      // Two points: no run to shorten yet.
      if (this.pairs.timeOf(user, 0) <= time) this.pairs.write(user, 1, this.fill(this.scratch, page, i, lat, lon));
      else {
        this.pairs.move(user, 0, 1);
        this.pairs.write(user, 0, this.fill(this.scratch, page, i, lat, lon));
      }
      this.pairs.count[user] = 2;
      return true;
    }
    const runOfTwo = this.samePlaceOf(user, 0, this.pairs.latOf(user, 1), this.pairs.lonOf(user, 1));
    if (this.pairs.timeOf(user, 1) <= time) {
      // After a same-place run: its last point moves forward.
      if (!runOfTwo || !this.samePlaceOf(user, 1, lat, lon)) return false;
      this.pairs.write(user, 1, this.fill(this.scratch, page, i, lat, lon));
    } else if (this.pairs.timeOf(user, 0) <= time) {
      // Inside a same-place run: an inner point, dropped.
      if (!this.samePlaceOf(user, 0, lat, lon) || !this.samePlaceOf(user, 1, lat, lon)) return false;
    } else {
      // Before a same-place run (Graph pages newest first): its first point moves back.
      if (!runOfTwo || !this.samePlaceOf(user, 0, lat, lon)) return false;
      this.pairs.write(user, 0, this.fill(this.scratch, page, i, lat, lon));
    }
    return true;
  }

  private samePlaceOf(user: number, a: number, lat: number, lon: number): boolean {
    const aLat = this.pairs.latOf(user, a);
    const aLon = this.pairs.lonOf(user, a);
    return (aLat === lat && aLon === lon) || greatCircleKm(aLat, aLon, lat, lon) < SAME_PLACE_KM;
  }

  /** Copies event `i` into `point` (a new one, or the one it replaces). */
  private fill(point: Point, page: EventPage, i: number, lat: number, lon: number): Point {
    const raw = page.raw[i] as SignIn;
    const location = raw.location;
    point.time = page.time[i] ?? 0;
    const ip = raw.ipAddress;
    // A strict dotted quad reads back as the same text, so only its number is kept.
    const v4 = page.ipKind[i] === IP_V4 && typeof ip === 'string' && !ip.includes(':') ? (page.ipv4[i] ?? -1) : -1;
    point.ipv4 = v4;
    point.ip = v4 >= 0 ? null : ip === point.ip ? point.ip : typeof ip === 'string' && ip !== '' ? ip : null;
    point.country = field(location?.countryOrRegion, point.country, this.texts);
    point.city = field(location?.city, point.city, this.texts);
    point.app = field(raw.appDisplayName, point.app, this.texts);
    point.client = field(raw.clientAppUsed, point.client, this.texts);
    point.lat = lat;
    point.lon = lon;
    return point;
  }

  private newPoint(page: EventPage, i: number, lat: number, lon: number): Point {
    return this.fill(
      { time: 0, ip: null, ipv4: -1, country: null, city: null, app: null, client: null, lat: 0, lon: 0 },
      page,
      i,
      lat,
      lon,
    );
  }

  /**
   * Every successive pair of every user once: users still in the typed arrays first, judged on
   * the numbers by `over` so objects are made only for a pair it passes, then spilled users.
   */
  drain(
    over: (aLat: number, aLon: number, bLat: number, bLon: number, from: number, to: number) => boolean,
    visit: (user: number, a: Point, b: Point) => void,
  ): void {
    const pairs = this.pairs;
    for (let user = 0; user < pairs.count.length; user++) {
      if (pairs.count[user] !== 2) continue;
      if (
        over(
          pairs.latOf(user, 0),
          pairs.lonOf(user, 0),
          pairs.latOf(user, 1),
          pairs.lonOf(user, 1),
          pairs.timeOf(user, 0),
          pairs.timeOf(user, 1),
        )
      )
        visit(user, pairs.read(user, 0), pairs.read(user, 1));
    }
    for (const [user, list] of this.points) {
      for (let i = 1; i < list.length; i++) {
        const a = list[i - 1];
        const b = list[i];
        if (a && b) visit(user, a, b);
      }
    }
  }

  /** Each user's points in time order (after drain, for an incremental run's carry). */
  *timelines(): Generator<readonly [number, readonly Point[]]> {
    const pairs = this.pairs;
    for (let user = 0; user < pairs.count.length; user++) {
      const count = pairs.count[user] ?? 0;
      if (count === 0 || count === SPILLED) continue;
      const points: Point[] = [];
      for (let k = 0; k < count; k++) points.push(pairs.read(user, k));
      yield [user, points];
    }
    yield* this.points;
  }

  /** Lets go of the spilled users' points once nothing will read them. */
  clear(): void {
    this.points.clear();
  }
}
