import { ipv4Text } from '../../../model/ip-address.js';
import type { Finding } from '../../../model/finding.js';
import type { JsonObject } from '../../../model/json.js';
import { ROW_CAP, type SignInRow } from '../evidence-rows.js';
import { km, type Point } from './travel-timelines.js';

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

/** Two sign-ins in the same second are treated as one second apart, so the speed stays a number. */
function hopHours(a: Point, b: Point): number {
  return Math.max(b.time - a.time, 1000) / 3_600_000;
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

/** The impossible journeys found so far, per user, with the fastest kept as evidence rows. */
export class TravelHops {
  private readonly hops = new Map<number, Hops>();
  /** User names for evidence; set once the shared pass is known. */
  names: (user: number) => string = () => '';

  constructor(
    private readonly maxSpeed: number,
    private readonly minDistance: number,
  ) {}

  /** Whether the hop a → b is longer than the minimum and faster than the limit. */
  impossible(a: Point, b: Point): boolean {
    const distance = km(a, b);
    return distance >= this.minDistance && distance / hopHours(a, b) > this.maxSpeed;
  }

  /** Records the hop a → b of `user` when it is longer than the minimum and faster than the limit. */
  judge(user: number, a: Point, b: Point): void {
    const distance = km(a, b);
    if (distance < this.minDistance) return;
    const speed = distance / hopHours(a, b);
    if (speed <= this.maxSpeed) return;
    let found = this.hops.get(user);
    if (!found) {
      found = { items: [], total: 0 };
      this.hops.set(user, found);
    }
    found.total++;
    const name = this.names(user);
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
  }

  /** One `fail` per user with impossible journeys, the rows in time order. */
  findings(evidence: JsonObject): Finding[] {
    const findings: Finding[] = [];
    for (const [user, found] of this.hops) {
      const name = this.names(user);
      const items = [...found.items].sort((x, y) =>
        x.from.time < y.from.time ? -1 : x.from.time > y.from.time ? 1 : 0,
      );
      const fastest = Math.max(...items.map((h) => h.speedKmh));
      findings.push({
        target: name,
        status: 'fail',
        message: `${found.total} impossible journey(s) between successive sign-ins; fastest ${fastest} km/h (limit ${this.maxSpeed} km/h).`,
        evidence: {
          user: name,
          maxSpeedKmh: this.maxSpeed,
          minDistanceKm: this.minDistance,
          hops: { items, total: found.total },
          ...evidence,
        },
      });
    }
    return findings;
  }
}
