import { describe, expect, it } from 'vitest';
import { EventPage } from '../../../src/checks/sign-ins/event-page.js';
import { TravelHops } from '../../../src/checks/sign-ins/detectors/travel-hops.js';
import {
  type Point,
  TRAVEL_POINTS_PER_USER,
  TravelTimelines,
} from '../../../src/checks/sign-ins/detectors/travel-timelines.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';

/*
 * The travel detector's two parts, called directly: each user's timeline of successful sign-in
 * points (same-place runs cut to their ends, a bound per user) and the hops over the limit.
 */

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-27T00:00:00Z');

interface Spot {
  readonly lat: number;
  readonly lon: number;
  readonly city?: string;
  readonly ip?: string;
}

const BOSTON: Spot = { lat: 42.3601, lon: -71.0589, city: 'Boston' };
const BERLIN: Spot = { lat: 52.52, lon: 13.405, city: 'Berlin' };
/** About 0.4 km from the Berlin point: the same place. */
const BERLIN_NEAR: Spot = { lat: 52.5236, lon: 13.405, city: 'Berlin' };
const MOSCOW: Spot = { lat: 55.7558, lon: 37.6173, city: 'Moscow' };

/** A page of successes of user number 0 at the given minutes and spots, in the order given. */
function page(events: readonly (readonly [number, Spot])[]): EventPage {
  const p = new EventPage(['c@contoso.test']);
  p.reset(events.length);
  events.forEach(([minute, spot], k) => {
    const raw: SignIn = {
      id: `e${k}`,
      createdDateTime: new Date(T0 + minute * MINUTE).toISOString(),
      userPrincipalName: 'c@contoso.test',
      ipAddress: spot.ip ?? `198.51.100.${k % 250}`,
      appDisplayName: 'Outlook',
      clientAppUsed: 'Browser',
      status: { errorCode: 0 },
      location: { city: spot.city ?? null, countryOrRegion: 'XX' },
    };
    p.push(raw, T0 + minute * MINUTE, 0, 0);
    p.ip(k);
  });
  return p;
}

/** Inserts every event of the page in order; returns user 0's timeline as [minute, city]. */
function timeline(events: readonly (readonly [number, Spot])[], evicted: [Point, Point][] = []) {
  const p = page(events);
  const timelines = new TravelTimelines((_user, a, b) => evicted.push([a, b]));
  events.forEach(([, spot], k) => {
    timelines.insert(0, p, k, spot.lat, spot.lon);
  });
  const all = [...timelines.timelines()];
  return all.flatMap(([, points]) => points.map((q) => [(q.time - T0) / MINUTE, q.city, q.lat] as const));
}

describe('TravelTimelines', () => {
  it('a same-place run of two keeps its two ends; a later point elsewhere is kept too', () => {
    expect(
      timeline([
        [0, BOSTON],
        [10, BOSTON],
        [20, BERLIN],
      ]),
    ).toEqual([
      [0, 'Boston', BOSTON.lat],
      [10, 'Boston', BOSTON.lat],
      [20, 'Berlin', BERLIN.lat],
    ]);
  });

  it('appending to a same-place run moves its last point forward', () => {
    expect(
      timeline([
        [0, BOSTON],
        [10, BERLIN],
        [20, BERLIN],
        [30, BERLIN_NEAR],
        [40, BERLIN],
      ]),
    ).toEqual([
      [0, 'Boston', BOSTON.lat],
      [10, 'Berlin', BERLIN.lat],
      [40, 'Berlin', BERLIN.lat],
    ]);
  });

  it.each([
    ['the same latitude', { lat: BERLIN.lat, lon: 30, city: 'East' }],
    ['the same longitude', { lat: 30, lon: BERLIN.lon, city: 'South' }],
    ['far away', { ...MOSCOW }],
  ])('a point at %s after a same-place run is a new point', (_name, spot) => {
    expect(
      timeline([
        [0, BOSTON],
        [10, BERLIN],
        [20, BERLIN],
        [30, spot],
      ]),
    ).toEqual([
      [0, 'Boston', BOSTON.lat],
      [10, 'Berlin', BERLIN.lat],
      [20, 'Berlin', BERLIN.lat],
      [30, spot.city, spot.lat],
    ]);
  });

  it(`keeps at most ${TRAVEL_POINTS_PER_USER} points per user, handing the oldest pair over as it drops it`, () => {
    const events = Array.from(
      { length: TRAVEL_POINTS_PER_USER + 2 },
      (_, k) => [k * 60, k % 2 === 0 ? BOSTON : BERLIN] as const,
    );
    const evicted: [Point, Point][] = [];
    const kept = timeline(events, evicted);
    expect(kept).toHaveLength(TRAVEL_POINTS_PER_USER);
    expect(kept[0]).toEqual([120, 'Boston', BOSTON.lat]);
    expect(kept.at(-1)).toEqual([(TRAVEL_POINTS_PER_USER + 1) * 60, 'Berlin', BERLIN.lat]);
    expect(evicted.map(([a, b]) => [(a.time - T0) / MINUTE, (b.time - T0) / MINUTE])).toEqual([
      [0, 60],
      [60, 120],
    ]);
  });

  it(`read newest first, keeps the ${TRAVEL_POINTS_PER_USER} oldest points and hands over the newest pair, so no hop is lost`, () => {
    const events = Array.from(
      { length: TRAVEL_POINTS_PER_USER + 2 },
      (_, k) => [k * 60, k % 2 === 0 ? BOSTON : BERLIN] as const,
    ).reverse();
    const evicted: [Point, Point][] = [];
    const kept = timeline(events, evicted);
    expect(kept).toHaveLength(TRAVEL_POINTS_PER_USER);
    expect(kept[0]).toEqual([0, 'Boston', BOSTON.lat]);
    expect(kept.at(-1)).toEqual([(TRAVEL_POINTS_PER_USER - 1) * 60, 'Berlin', BERLIN.lat]);
    expect(evicted.map(([a, b]) => [(a.time - T0) / MINUTE, (b.time - T0) / MINUTE])).toEqual([
      [TRAVEL_POINTS_PER_USER * 60, (TRAVEL_POINTS_PER_USER + 1) * 60],
      [(TRAVEL_POINTS_PER_USER - 1) * 60, TRAVEL_POINTS_PER_USER * 60],
    ]);
  });

  it('past 65,536 distinct texts a new user still has its points, held apart', () => {
    const users = 16_385;
    const p = new EventPage(Array.from({ length: users }, (_, u) => `u${u}@contoso.test`));
    p.reset(users);
    for (let u = 0; u < users; u++) {
      p.push(
        {
          id: `e${u}`,
          createdDateTime: new Date(T0).toISOString(),
          userPrincipalName: `u${u}@contoso.test`,
          ipAddress: '198.51.100.1',
          appDisplayName: `app ${u}`,
          clientAppUsed: `client ${u}`,
          status: { errorCode: 0 },
          location: { city: `city ${u}`, countryOrRegion: `country ${u}` },
        },
        T0 + u,
        u,
        0,
      );
    }
    const timelines = new TravelTimelines(() => undefined);
    for (let u = 0; u < users; u++) timelines.insert(u, p, u, BOSTON.lat, BOSTON.lon);
    const last = [...timelines.timelines()].find(([user]) => user === users - 1);
    expect(last?.[1].map((q) => [q.time - T0, q.city, q.app, q.client, q.country])).toEqual([
      [users - 1, `city ${users - 1}`, `app ${users - 1}`, `client ${users - 1}`, `country ${users - 1}`],
    ]);
  });
});

describe('TravelHops', () => {
  const point = (minute: number, spot: Spot): Point => ({
    time: T0 + minute * MINUTE,
    lat: spot.lat,
    lon: spot.lon,
    ipv4: -1,
    ip: spot.ip ?? '2001:db8::1',
    country: null,
    city: spot.city ?? null,
    app: null,
    client: null,
  });

  it(`keeps the fastest hops of a user as evidence (at most 20), in time order, and counts them all`, () => {
    const hops = new TravelHops(900, 200);
    hops.names = () => 'c@contoso.test';
    // 22 Boston → Berlin hops: the k-th takes 10 + k minutes, so the later ones are slower.
    const order = [5, 0, 21, 3, 1, 2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    for (const k of order) hops.judge(0, point(k * 1000, BOSTON), point(k * 1000 + 10 + k, BERLIN));
    // Slower than the limit: not a hop.
    hops.judge(0, point(50_000, BOSTON), point(50_000 + 24 * 60, BERLIN));
    // Shorter than the minimum distance: not a hop.
    hops.judge(0, point(60_000, BERLIN), point(60_000, BERLIN_NEAR));
    const [finding, ...others] = hops.findings({ scan: 'x' });
    expect(others).toEqual([]);
    const evidence = finding?.evidence as {
      hops: {
        items: { from: { time: string; ip: string | null }; speedKmh: number; minutes: number }[];
        total: number;
      };
    };
    expect(evidence.hops.total).toBe(22);
    expect(evidence.hops.items.map((h) => (Date.parse(h.from.time) - T0) / MINUTE / 1000)).toEqual(
      Array.from({ length: 20 }, (_, k) => k),
    );
    expect(evidence.hops.items[0]?.minutes).toBe(10);
    expect(evidence.hops.items[0]?.from.ip).toBe('2001:db8::1');
    expect(finding?.message).toBe(
      `22 impossible journey(s) between successive sign-ins; fastest ${evidence.hops.items[0]?.speedKmh} km/h (limit 900 km/h).`,
    );
    expect(finding?.target).toBe('c@contoso.test');
  });

  it('shows the hops of a user in time order whatever order they were judged in', () => {
    const hops = new TravelHops(900, 200);
    hops.names = (user) => `user${user}@contoso.test`;
    for (const k of [3, 1, 4, 0, 2]) hops.judge(7, point(k * 100, BOSTON), point(k * 100 + 30, MOSCOW));
    const [finding] = hops.findings({});
    const items =
      (finding?.evidence as { hops: { items: { from: { time: string } }[] } } | undefined)?.hops.items ?? [];
    expect(items.map((h) => (Date.parse(h.from.time) - T0) / MINUTE)).toEqual([0, 100, 200, 300, 400]);
    expect(finding?.target).toBe('user7@contoso.test');
  });
});
