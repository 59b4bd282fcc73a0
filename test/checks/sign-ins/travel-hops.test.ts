import { describe, expect, it } from 'vitest';
import { TravelHops } from '../../../src/checks/sign-ins/detectors/travel-hops.js';
import { km, type Point } from '../../../src/checks/sign-ins/detectors/travel-timelines.js';

/*
 * TravelHops, called directly: which hops count (the bounds of the minimum distance and the
 * speed limit), and every field of the finding a reviewer reads.
 */

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-27T00:00:00Z');

const BOSTON = { lat: 42.3601, lon: -71.0589 };
const BERLIN = { lat: 52.52, lon: 13.405 };
const MOSCOW = { lat: 55.7558, lon: 37.6173 };
/** About 100 km north of the Berlin point. */
const NORTH_OF_BERLIN = { lat: 53.42, lon: 13.405 };

function point(minute: number, at: { lat: number; lon: number }, ip: string | number, city: string | null): Point {
  return {
    time: T0 + minute * MINUTE,
    lat: at.lat,
    lon: at.lon,
    ipv4: typeof ip === 'number' ? ip : -1,
    ip: typeof ip === 'number' ? null : ip,
    country: city === null ? null : 'XX',
    city,
    app: 'Outlook',
    client: 'Browser',
  };
}

describe('TravelHops.impossible and judge: the bounds', () => {
  it('a hop exactly the minimum distance long counts; one exactly at the speed limit does not', () => {
    const a = point(0, BOSTON, 1, 'Boston');
    const b = point(60, BERLIN, 2, 'Berlin');
    const distance = km(a, b);
    // One hour apart: the speed in km/h is the distance in km.
    const atMinimum = new TravelHops(100, distance);
    const atLimit = new TravelHops(distance, 200);
    expect([atMinimum.impossible(a, b), atLimit.impossible(a, b)]).toEqual([true, false]);
    atMinimum.judge(0, a, b);
    atLimit.judge(0, a, b);
    expect(atMinimum.findings({}).map((f) => f.message)).toEqual([
      `1 impossible journey(s) between successive sign-ins; fastest ${Math.round(distance)} km/h (limit 100 km/h).`,
    ]);
    expect(atLimit.findings({})).toEqual([]);
  });

  it.each([
    ['shorter than the minimum, however fast (about 100 km in a minute)', NORTH_OF_BERLIN, 1, 900, 200, false],
    [
      'long but slower than the limit (about 6,000 km in two hours under a 4,000 km/h limit)',
      BOSTON,
      120,
      4000,
      200,
      false,
    ],
    [
      'long and faster than the limit (about 6,000 km in two hours over a 2,000 km/h limit)',
      BOSTON,
      120,
      2000,
      200,
      true,
    ],
  ])('a hop %s', (_name, from, minutes, maxSpeed, minDistance, impossible) => {
    const hops = new TravelHops(maxSpeed, minDistance);
    const a = point(0, from, 1, 'A');
    const b = point(minutes, BERLIN, 2, 'B');
    expect(hops.impossible(a, b)).toBe(impossible);
    hops.judge(0, a, b);
    expect(hops.findings({}).length).toBe(impossible ? 1 : 0);
  });
});

describe('TravelHops.findings', () => {
  it('shows each hop’s two sign-ins as evidence rows, the address as text, and its distance, minutes and speed', () => {
    const hops = new TravelHops(900, 200);
    hops.names = (user) => `user${user}@contoso.test`;
    const a = point(0, BOSTON, 0, 'Boston');
    const b = point(30, BERLIN, '2001:db8::1', null);
    const c = point(90, MOSCOW, 3325256713, 'Moscow');
    hops.judge(4, a, b);
    hops.judge(4, b, c);
    const distance = Math.round(km(a, b));
    const second = Math.round(km(b, c));
    const row = (p: Point, ip: string | null) => ({
      time: new Date(p.time).toISOString(),
      user: 'user4@contoso.test',
      ip,
      country: p.country,
      city: p.city,
      app: 'Outlook',
      client: 'Browser',
      result: 'success',
      errorCode: 0,
    });
    expect(hops.findings({ scan: 'scan' })).toStrictEqual([
      {
        target: 'user4@contoso.test',
        status: 'fail',
        message: `2 impossible journey(s) between successive sign-ins; fastest ${Math.round(km(a, b) * 2)} km/h (limit 900 km/h).`,
        evidence: {
          user: 'user4@contoso.test',
          maxSpeedKmh: 900,
          minDistanceKm: 200,
          hops: {
            items: [
              {
                from: row(a, '0.0.0.0'),
                to: row(b, '2001:db8::1'),
                distanceKm: distance,
                minutes: 30,
                speedKmh: Math.round(km(a, b) * 2),
              },
              {
                from: row(b, '2001:db8::1'),
                to: row(c, '198.51.100.9'),
                distanceKm: second,
                minutes: 60,
                speedKmh: Math.round(km(b, c)),
              },
            ],
            total: 2,
          },
          scan: 'scan',
        },
      },
    ]);
  });

  it('before the user names are known, a hop names no user', () => {
    const hops = new TravelHops(900, 200);
    hops.judge(0, point(0, BOSTON, 1, 'Boston'), point(10, BERLIN, 2, 'Berlin'));
    const [finding] = hops.findings({});
    expect(finding?.target).toBe('');
    expect(finding?.evidence).toMatchObject({ user: '', hops: { items: [{ from: { user: '' }, to: { user: '' } }] } });
  });

  it('hops leaving at the same millisecond keep the order they were judged in; others go by time', () => {
    const hops = new TravelHops(900, 200);
    hops.names = () => 'u@contoso.test';
    // Two sign-ins in the same millisecond (Boston, then Berlin), then Moscow; an earlier hop judged last.
    hops.judge(0, point(100, BOSTON, 1, 'Boston'), point(100, BERLIN, 2, 'Berlin'));
    hops.judge(0, point(100, BERLIN, 2, 'Berlin'), point(110, MOSCOW, 3, 'Moscow'));
    hops.judge(0, point(200, MOSCOW, 3, 'Moscow'), point(210, BOSTON, 1, 'Boston'));
    hops.judge(0, point(0, BERLIN, 2, 'Berlin'), point(5, BOSTON, 1, 'Boston'));
    const items =
      (hops.findings({})[0]?.evidence as { hops: { items: { from: { city: string }; to: { city: string } }[] } })?.hops
        .items ?? [];
    expect(items.map((h) => `${h.from.city}→${h.to.city}`)).toEqual([
      'Berlin→Boston',
      'Boston→Berlin',
      'Berlin→Moscow',
      'Moscow→Boston',
    ]);
  });
});
