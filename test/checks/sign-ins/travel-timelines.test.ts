import { describe, expect, it } from 'vitest';
import { greatCircleKm } from '../../../src/checks/sign-ins/detectors/great-circle.js';
import { type Point, TravelTimelines } from '../../../src/checks/sign-ins/detectors/travel-timelines.js';
import { EventPage } from '../../../src/checks/sign-ins/event-page.js';
import { ipv4Text } from '../../../src/model/ip-address.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';

/*
 * TravelTimelines, called directly as the travel detector calls it (each event's address
 * classified by EventPage.ip first): the points a user keeps for every order in which sign-ins
 * can arrive, both while a user's points fit the two-point typed store and once they are spilled
 * to a list, and every field a kept point shows.
 */

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-27T00:00:00Z');

interface Spot {
  readonly lat: number;
  readonly lon: number;
  readonly city: string;
}

const BERLIN: Spot = { lat: 52.52, lon: 13.405, city: 'Berlin' };
const BOSTON: Spot = { lat: 42.3601, lon: -71.0589, city: 'Boston' };
const MOSCOW: Spot = { lat: 55.7558, lon: 37.6173, city: 'Moscow' };
const LIMA: Spot = { lat: -12.0464, lon: -77.0428, city: 'Lima' };

/** One sign-in: [minute after T0, spot, address]; the user is 0 unless given. */
type Arrival = readonly [minute: number, spot: Spot, ip?: string, user?: number];

/** Inserts the arrivals in the order given; returns every user's points as [minute, city, address]. */
function kept(arrivals: readonly Arrival[]) {
  const page = new EventPage(['u0@contoso.test', 'u1@contoso.test', 'u2@contoso.test', 'u3@contoso.test']);
  page.reset(arrivals.length);
  const timelines = new TravelTimelines(() => undefined);
  arrivals.forEach(([minute, spot, ip, user = 0], k) => {
    const raw: SignIn = {
      id: `e${k}`,
      createdDateTime: new Date(T0 + minute * MINUTE).toISOString(),
      userPrincipalName: `u${user}@contoso.test`,
      ipAddress: ip ?? '198.51.100.1',
      appDisplayName: 'Outlook',
      clientAppUsed: 'Browser',
      status: { errorCode: 0 },
      location: { city: spot.city, countryOrRegion: 'XX' },
    };
    page.push(raw, T0 + minute * MINUTE, user, 0);
    page.ip(k);
    timelines.insert(user, page, k, spot.lat, spot.lon);
  });
  return [...timelines.timelines()].map(
    ([user, points]) => [user, points.map((q) => [(q.time - T0) / MINUTE, q.city, shownIp(q)])] as const,
  );
}

/** The address as an evidence row shows it. */
const shownIp = (q: Point): string | null => (q.ipv4 >= 0 ? ipv4Text(q.ipv4) : q.ip);

describe('TravelTimelines: a user with at most two points (the typed store)', () => {
  it.each<[string, Arrival[], [number, string, string | null][]]>([
    [
      'a later sign-in at the same place moves the run’s last point forward',
      [
        [0, BERLIN, '198.51.100.1'],
        [10, BERLIN, '198.51.100.2'],
        [20, BERLIN, '198.51.100.3'],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [20, 'Berlin', '198.51.100.3'],
      ],
    ],
    [
      'an earlier sign-in at the same place moves the run’s first point back',
      [
        [10, BERLIN, '198.51.100.1'],
        [20, BERLIN, '198.51.100.2'],
        [0, BERLIN, '198.51.100.3'],
      ],
      [
        [0, 'Berlin', '198.51.100.3'],
        [20, 'Berlin', '198.51.100.2'],
      ],
    ],
    [
      'a sign-in inside a same-place run is dropped',
      [
        [0, BERLIN, '198.51.100.1'],
        [20, BERLIN, '198.51.100.2'],
        [10, BERLIN, '198.51.100.3'],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [20, 'Berlin', '198.51.100.2'],
      ],
    ],
    [
      'a sign-in elsewhere inside a same-place run splits it',
      [
        [0, BERLIN],
        [20, BERLIN],
        [10, BOSTON],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [10, 'Boston', '198.51.100.1'],
        [20, 'Berlin', '198.51.100.1'],
      ],
    ],
    [
      'a sign-in between two places, at the first, is kept',
      [
        [0, BERLIN],
        [20, BOSTON],
        [10, BERLIN],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [10, 'Berlin', '198.51.100.1'],
        [20, 'Boston', '198.51.100.1'],
      ],
    ],
    [
      'a sign-in between two places, at the second, is kept',
      [
        [0, BOSTON],
        [20, BERLIN],
        [10, BERLIN],
      ],
      [
        [0, 'Boston', '198.51.100.1'],
        [10, 'Berlin', '198.51.100.1'],
        [20, 'Berlin', '198.51.100.1'],
      ],
    ],
    [
      'a sign-in before two places, at the first, is kept',
      [
        [10, BERLIN],
        [20, BOSTON],
        [0, BERLIN],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [10, 'Berlin', '198.51.100.1'],
        [20, 'Boston', '198.51.100.1'],
      ],
    ],
    [
      'a sign-in elsewhere before a same-place run is kept',
      [
        [10, BERLIN],
        [20, BERLIN],
        [0, BOSTON],
      ],
      [
        [0, 'Boston', '198.51.100.1'],
        [10, 'Berlin', '198.51.100.1'],
        [20, 'Berlin', '198.51.100.1'],
      ],
    ],
    [
      'a sign-in after two places, at the second, is kept',
      [
        [0, BERLIN],
        [10, BOSTON],
        [20, BOSTON],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [10, 'Boston', '198.51.100.1'],
        [20, 'Boston', '198.51.100.1'],
      ],
    ],
    [
      'a sign-in on the same latitude far away is another place',
      [
        [0, BERLIN],
        [10, BERLIN],
        [20, { lat: BERLIN.lat, lon: 30, city: 'East' }],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [10, 'Berlin', '198.51.100.1'],
        [20, 'East', '198.51.100.1'],
      ],
    ],
    [
      'a sign-in on the same longitude far away is another place',
      [
        [0, BERLIN],
        [10, BERLIN],
        [20, { lat: 30, lon: BERLIN.lon, city: 'South' }],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [10, 'Berlin', '198.51.100.1'],
        [20, 'South', '198.51.100.1'],
      ],
    ],
    [
      'a second sign-in at the same millisecond comes after the first',
      [
        [0, BERLIN, '198.51.100.1'],
        [0, BOSTON, '198.51.100.2'],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [0, 'Boston', '198.51.100.2'],
      ],
    ],
    [
      'a sign-in at the same millisecond as a run’s last point becomes that point',
      [
        [0, BERLIN, '198.51.100.1'],
        [10, BERLIN, '198.51.100.2'],
        [10, BERLIN, '198.51.100.3'],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [10, 'Berlin', '198.51.100.3'],
      ],
    ],
    [
      'a sign-in at the same millisecond as a run’s first point is an inner one, dropped',
      [
        [0, BERLIN, '198.51.100.1'],
        [10, BERLIN, '198.51.100.2'],
        [0, BERLIN, '198.51.100.3'],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [10, 'Berlin', '198.51.100.2'],
      ],
    ],
  ])('%s', (_name, arrivals, points) => {
    expect(kept(arrivals)).toEqual([[0, points]]);
  });
});

describe('TravelTimelines: a user spilled to a list (three points or more)', () => {
  it.each<[string, Arrival[], [number, string, string | null][]]>([
    [
      'a later sign-in at the same millisecond as a kept one comes after it',
      [
        [0, BERLIN],
        [10, BOSTON],
        [20, MOSCOW],
        [10, LIMA],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [10, 'Boston', '198.51.100.1'],
        [10, 'Lima', '198.51.100.1'],
        [20, 'Moscow', '198.51.100.1'],
      ],
    ],
    [
      'an earlier sign-in at the place of the run at the end moves that run’s first point back',
      [
        [0, BERLIN],
        [10, BOSTON],
        [20, BOSTON],
        [5, BOSTON],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [5, 'Boston', '198.51.100.1'],
        [20, 'Boston', '198.51.100.1'],
      ],
    ],
    [
      'a sign-in inside a same-place run is dropped',
      [
        [0, BOSTON],
        [10, BERLIN],
        [30, BERLIN],
        [20, BERLIN],
      ],
      [
        [0, 'Boston', '198.51.100.1'],
        [10, 'Berlin', '198.51.100.1'],
        [30, 'Berlin', '198.51.100.1'],
      ],
    ],
    [
      'a sign-in just after a run, before a later place, moves the run’s last point forward',
      [
        [0, BERLIN],
        [10, BERLIN],
        [30, BOSTON],
        [20, BERLIN],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [20, 'Berlin', '198.51.100.1'],
        [30, 'Boston', '198.51.100.1'],
      ],
    ],
    [
      'a sign-in just before a run, after an earlier place, moves the run’s first point back',
      [
        [0, BOSTON],
        [20, BERLIN],
        [30, BERLIN],
        [10, BERLIN],
      ],
      [
        [0, 'Boston', '198.51.100.1'],
        [10, 'Berlin', '198.51.100.1'],
        [30, 'Berlin', '198.51.100.1'],
      ],
    ],
    [
      'a sign-in that makes a run of two with the point before it keeps both',
      [
        [0, BERLIN],
        [10, BOSTON],
        [30, MOSCOW],
        [20, BOSTON],
      ],
      [
        [0, 'Berlin', '198.51.100.1'],
        [10, 'Boston', '198.51.100.1'],
        [20, 'Boston', '198.51.100.1'],
        [30, 'Moscow', '198.51.100.1'],
      ],
    ],
  ])('%s', (_name, arrivals, points) => {
    expect(kept(arrivals)).toEqual([[0, points]]);
  });
});

describe('TravelTimelines: the same place is closer than 1 km', () => {
  it('two points exactly 1 km apart are two places, in the typed store and in a list', () => {
    const here: Spot = { lat: 0, lon: 0, city: 'Here' };
    const there: Spot = { lat: 0.00899320363724538, lon: 0, city: 'There' };
    expect(greatCircleKm(here.lat, here.lon, there.lat, there.lon)).toBe(1);
    expect(
      kept([
        [0, here],
        [10, here],
        [20, there],
      ]),
    ).toEqual([
      [
        0,
        [
          [0, 'Here', '198.51.100.1'],
          [10, 'Here', '198.51.100.1'],
          [20, 'There', '198.51.100.1'],
        ],
      ],
    ]);
    expect(
      kept([
        [0, BERLIN],
        [10, here],
        [20, here],
        [30, there],
      ]),
    ).toEqual([
      [
        0,
        [
          [0, 'Berlin', '198.51.100.1'],
          [10, 'Here', '198.51.100.1'],
          [20, 'Here', '198.51.100.1'],
          [30, 'There', '198.51.100.1'],
        ],
      ],
    ]);
  });
});

describe('TravelTimelines.timelines', () => {
  it('yields each user with points once, in the typed store by user number, then spilled users', () => {
    expect(
      kept([
        [0, BERLIN, '198.51.100.1', 3],
        [10, BOSTON, '198.51.100.2', 3],
        [20, MOSCOW, '198.51.100.3', 3],
        [0, LIMA, '198.51.100.4', 2],
        [5, LIMA, '198.51.100.5', 2],
        [7, MOSCOW, '198.51.100.6', 0],
      ]),
    ).toEqual([
      [0, [[7, 'Moscow', '198.51.100.6']]],
      [
        2,
        [
          [0, 'Lima', '198.51.100.4'],
          [5, 'Lima', '198.51.100.5'],
        ],
      ],
      [
        3,
        [
          [0, 'Berlin', '198.51.100.1'],
          [10, 'Boston', '198.51.100.2'],
          [20, 'Moscow', '198.51.100.3'],
        ],
      ],
    ]);
  });
});

describe('TravelTimelines: the fields of a kept point', () => {
  /** Sign-ins of user 0 with their own texts; returns the kept points whole. */
  function points(events: readonly (readonly [number, Spot, Partial<SignIn>])[]): Point[] {
    const page = new EventPage(['u0@contoso.test']);
    page.reset(events.length);
    const timelines = new TravelTimelines(() => undefined);
    events.forEach(([minute, spot, extra], k) => {
      page.push(
        {
          id: `e${k}`,
          createdDateTime: new Date(T0 + minute * MINUTE).toISOString(),
          userPrincipalName: 'u0@contoso.test',
          status: { errorCode: 0 },
          ...extra,
        },
        T0 + minute * MINUTE,
        0,
        0,
      );
      page.ip(k);
      timelines.insert(0, page, k, spot.lat, spot.lon);
    });
    return [...timelines.timelines()].flatMap(([, kept]) => kept.map((q) => ({ ...q })));
  }

  const texts = (n: number): Partial<SignIn> => ({
    appDisplayName: `app ${n}`,
    clientAppUsed: `client ${n}`,
    location: { city: `city ${n}`, countryOrRegion: `C${n}` },
  });
  const point = (minute: number, spot: Spot, ip: string | null, ipv4: number, n: number | null): Point => ({
    time: T0 + minute * MINUTE,
    lat: spot.lat,
    lon: spot.lon,
    ipv4,
    ip,
    country: n === null ? null : `C${n}`,
    city: n === null ? null : `city ${n}`,
    app: n === null ? null : `app ${n}`,
    client: n === null ? null : `client ${n}`,
  });

  it('each point holds its own sign-in’s address and texts when a run’s end moves (typed store)', () => {
    const kept = points([
      [0, BERLIN, { ipAddress: '2001:db8::1', ...texts(1) }],
      [10, BERLIN, { ipAddress: '2001:db8::2', ...texts(2) }],
      [20, BERLIN, { ipAddress: '::ffff:198.51.100.7', ...texts(3) }],
      [-10, BERLIN, { ipAddress: '198.51.100.9', ...texts(4) }],
    ]);
    expect(kept).toStrictEqual([
      point(-10, BERLIN, null, 3325256713, 4),
      point(20, BERLIN, '::ffff:198.51.100.7', -1, 3),
    ]);
    expect(kept.map(shownIp)).toEqual(['198.51.100.9', '::ffff:198.51.100.7']);
  });

  it('each point holds its own sign-in’s address and texts (spilled list)', () => {
    const kept = points([
      [0, BOSTON, { ipAddress: '2001:db8::1', ...texts(1) }],
      [10, BERLIN, { ipAddress: '2001:db8::2', ...texts(2) }],
      [20, BERLIN, { ipAddress: '2001:db8::2', ...texts(2) }],
      [30, BERLIN, { ipAddress: '2001:db8::3', ...texts(3) }],
      [40, MOSCOW, { ipAddress: '::ffff:198.51.100.7', ...texts(4) }],
      [50, LIMA, { ipAddress: '2001:db8::5', location: { city: null } }],
      [60, BOSTON, { ipAddress: '198.51.100.6', ...texts(6) }],
      [70, LIMA, { ipAddress: '0.0.0.0', ...texts(7) }],
    ]);
    expect(kept).toStrictEqual([
      point(0, BOSTON, '2001:db8::1', -1, 1),
      point(10, BERLIN, '2001:db8::2', -1, 2),
      point(30, BERLIN, '2001:db8::3', -1, 3),
      point(40, MOSCOW, '::ffff:198.51.100.7', -1, 4),
      point(50, LIMA, '2001:db8::5', -1, null),
      point(60, BOSTON, null, 3325256710, 6),
      point(70, LIMA, null, 0, 7),
    ]);
  });
});

describe('TravelTimelines: once the typed store’s text table is full', () => {
  it('a new user’s sign-ins go to a list from the first, and keep a same-place run to its two ends', () => {
    // Four new texts per user: after 16,384 users the shared table holds 65,536 texts, its bound.
    const users = 16_385;
    const page = new EventPage(Array.from({ length: users }, (_, u) => `u${u}@contoso.test`));
    page.reset(users + 2);
    const event = (u: number, minute: number): SignIn => ({
      id: `e${u}-${minute}`,
      createdDateTime: new Date(T0 + minute * MINUTE).toISOString(),
      userPrincipalName: `u${u}@contoso.test`,
      ipAddress: '198.51.100.1',
      appDisplayName: `app ${u}`,
      clientAppUsed: `client ${u}`,
      status: { errorCode: 0 },
      location: { city: `city ${u}`, countryOrRegion: `country ${u}` },
    });
    const timelines = new TravelTimelines(() => undefined);
    for (let u = 0; u < users; u++) {
      page.push(event(u, 0), T0, u, 0);
      page.ip(u);
      timelines.insert(u, page, u, BERLIN.lat, BERLIN.lon);
    }
    const last = users - 1;
    for (const [k, minute] of [
      [users, 10],
      [users + 1, 20],
    ] as const) {
      page.push(event(last, minute), T0 + minute * MINUTE, last, 0);
      page.ip(k);
      timelines.insert(last, page, k, BERLIN.lat, BERLIN.lon);
    }
    const found = [...timelines.timelines()].filter(([user]) => user >= last - 1);
    expect(found.map(([user, points]) => [user, points.map((q) => [(q.time - T0) / MINUTE, q.city])])).toEqual([
      [last - 1, [[0, `city ${last - 1}`]]],
      [
        last,
        [
          [0, `city ${last}`],
          [20, `city ${last}`],
        ],
      ],
    ]);
  });
});
