import { describe, expect, it } from 'vitest';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import { allSignInControls, evaluateSignIns, failingTargets, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { PLACES, signIn, type SignInSpec } from '../../helpers/sign-in-generator.js';

const NOW = new Date('2026-11-27T06:00:00Z');
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * 60_000;

let counter = 0;
const ev = (spec: Omit<SignInSpec, 'id'>): SignIn => signIn({ id: `p-${counter++}`, ...spec });

async function verdicts(events: readonly SignIn[], overrides: Parameters<typeof allSignInControls>[0] = {}, now = NOW) {
  const sorted = [...events].sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime));
  return failingTargets(await evaluateSignIns({ now, pages: [sorted], controls: allSignInControls(overrides) }));
}

describe('look-alikes that must not be flagged (precision)', () => {
  it('fast travel between two cities 30 km apart (Boston to Framingham in one minute)', async () => {
    const events = [
      ev({ time: at(61), user: 'a@contoso.test', ip: '198.51.100.1', place: PLACES.boston }),
      ev({ time: at(60), user: 'a@contoso.test', ip: '198.51.100.2', place: PLACES.framingham }),
    ];
    expect(await verdicts(events)).toEqual({});
    // The same pair is flagged once the distance floor is lowered, so the case can fail.
    expect(await verdicts(events, { 'sign-ins.impossible-travel': { minDistanceKm: 10 } })).toEqual({
      'sign-ins.impossible-travel': ['a@contoso.test'],
    });
  });

  it('a VPN egress address (IPv4 and IPv6) geolocated abroad', async () => {
    const events = [
      ev({ time: at(90), user: 'v@contoso.test', ip: '198.51.100.1', place: PLACES.boston }),
      ev({ time: at(80), user: 'v@contoso.test', ip: '192.0.2.77', place: PLACES.frankfurt }),
      ev({ time: at(70), user: 'v@contoso.test', ip: '198.51.100.1', place: PLACES.boston }),
      ev({ time: at(60), user: 'v@contoso.test', ip: '2001:db8:aa:1::99', place: PLACES.amsterdam }),
    ];
    const egress = { 'sign-ins.impossible-travel': { egressCidrs: ['192.0.2.0/24', '2001:db8:aa::/48'] } };
    const flagged = await verdicts(events, egress);
    expect(flagged['sign-ins.impossible-travel']).toBeUndefined();
    const results = await evaluateSignIns({ now: NOW, pages: [events], controls: allSignInControls(egress) });
    expect(resultsOf(results, 'sign-ins.impossible-travel')[0]?.evidence.scan).toMatchObject({
      skipped: { egressAddress: 2 },
    });
    expect((await verdicts(events))['sign-ins.impossible-travel']).toEqual(['v@contoso.test']);
  });

  it('two IPs in the same city a minute apart', async () => {
    const events = [
      ev({ time: at(61), user: 'c@contoso.test', ip: '198.51.100.1', place: PLACES.chicago }),
      ev({ time: at(60), user: 'c@contoso.test', ip: '203.0.113.200', place: PLACES.chicago }),
      ev({ time: at(59), user: 'c@contoso.test', ip: '2001:db8:1::5', place: PLACES.chicago }),
    ];
    expect(await verdicts(events)).toEqual({});
  });

  it('a single mistyped password followed by a success', async () => {
    const events = [
      ev({ time: at(30), user: 'm@contoso.test', ip: '198.51.100.9', errorCode: 50126 }),
      ev({ time: at(29), user: 'm@contoso.test', ip: '198.51.100.9' }),
    ];
    expect(await verdicts(events)).toEqual({});
    // Three office colleagues mistyping behind one NAT are still far from a spray.
    const office = ['x', 'y', 'z'].map((u, i) =>
      ev({ time: at(20 - i), user: `${u}@contoso.test`, ip: '198.51.100.9', errorCode: 50126 }),
    );
    expect(await verdicts([...events, ...office])).toEqual({});
    expect(await verdicts([...events, ...office], { 'sign-ins.password-spray': { minUsers: 4 } })).toEqual({
      'sign-ins.password-spray': ['198.51.100.0/24'],
    });
  });

  it("one sign-in from an allowed country's border region", async () => {
    const events = [
      ev({ time: at(600), user: 'b@contoso.test', ip: '198.51.100.1', place: PLACES.detroit }),
      // Windsor, Ontario: across the river from Detroit, in an allowed country.
      ev({ time: at(300), user: 'b@contoso.test', ip: '198.51.100.2', place: PLACES.windsor }),
      // El Paso: on the Mexican border, geolocated in the US.
      ev({ time: at(30), user: 'b@contoso.test', ip: '198.51.100.3', place: PLACES.elPaso }),
    ];
    expect(await verdicts(events)).toEqual({});
    expect(
      (await verdicts(events, { 'sign-ins.countries': { allowedCountries: ['US'] } }))['sign-ins.countries'],
    ).toEqual(['b@contoso.test']);
  });

  it('daylight-saving and time-zone edges: offsets and zone-less times are read as instants', async () => {
    // Berlin 02:30+02:00 (00:30Z, before summer time ends) then Amsterdam 02:20+01:00 (01:20Z):
    // 577 km in 50 minutes. Read as local wall-clock times it would be 10 minutes, backwards.
    const europe = [
      ev({ time: '2026-10-25T02:30:00+02:00', user: 'dst@contoso.test', ip: '198.51.100.1', place: PLACES.berlin }),
      ev({ time: '2026-10-25T02:20:00+01:00', user: 'dst@contoso.test', ip: '198.51.100.2', place: PLACES.amsterdam }),
    ];
    const now = new Date('2026-10-25T12:00:00Z');
    const controls = { 'sign-ins.countries': { allowedCountries: ['DE', 'NL', 'US'] } };
    expect(await verdicts(europe, controls, now)).toEqual({});
    // The US "fall back" hour: 01:30 EDT (05:30Z) then 01:10 EST (06:10Z), New York to Washington.
    const us = [
      ev({ time: '2026-11-01T01:30:00-04:00', user: 'dst2@contoso.test', ip: '198.51.100.3', place: PLACES.newYork }),
      ev({
        time: '2026-11-01T01:10:00-05:00',
        user: 'dst2@contoso.test',
        ip: '198.51.100.4',
        place: PLACES.washington,
      }),
    ];
    expect(await verdicts(us, {}, new Date('2026-11-01T12:00:00Z'))).toEqual({});
    // A time without a zone is UTC whatever the machine's zone: here it sits 20 minutes after
    // a Boston sign-in and is Seattle, so it must be flagged, in any TZ.
    const previous = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      const zoneless = [
        ev({ time: '2026-11-27T05:00:00Z', user: 'tz@contoso.test', ip: '198.51.100.5', place: PLACES.boston }),
        ev({ time: '2026-11-27T05:20:00.1234567', user: 'tz@contoso.test', ip: '198.51.100.6', place: PLACES.seattle }),
      ];
      expect(await verdicts(zoneless)).toEqual({ 'sign-ins.impossible-travel': ['tz@contoso.test'] });
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('events out of order across pages: a hop split over pages, success seen before the denials', async () => {
    const events = [
      ev({ time: at(100), user: 'o@contoso.test', ip: '198.51.100.1', place: PLACES.boston }),
      ev({ time: at(400), user: 'o@contoso.test', ip: '198.51.100.1', place: PLACES.boston }),
      ev({ time: at(300), user: 'o@contoso.test', ip: '198.51.100.2', place: PLACES.seattle }),
      ev({ time: at(200), user: 'o@contoso.test', ip: '198.51.100.2', place: PLACES.seattle }),
    ];
    // Boston 400 → Seattle 300 → Seattle 200 → Boston 100: each hop takes 100 minutes or more at
    // about 2,400 km/h. Pages arrive newest-last and shuffled.
    const pages = [[events[2] as SignIn], [events[0] as SignIn, events[3] as SignIn], [events[1] as SignIn]];
    const results = await evaluateSignIns({ now: NOW, pages, controls: allSignInControls() });
    const hops = resultsOf(results, 'sign-ins.impossible-travel')[0]?.evidence.hops as { total: number };
    expect(hops.total).toBe(2);
    // The same places eight hours apart are plausible, whatever order they arrive in.
    const slow = [
      ev({ time: at(1000), user: 's@contoso.test', ip: '198.51.100.1', place: PLACES.boston }),
      ev({ time: at(500), user: 's@contoso.test', ip: '198.51.100.2', place: PLACES.seattle }),
      ev({ time: at(10), user: 's@contoso.test', ip: '198.51.100.1', place: PLACES.boston }),
    ];
    expect(await verdicts([slow[2] as SignIn, slow[0] as SignIn, slow[1] as SignIn])).toEqual({});
  });
});

describe('bad input is skipped and counted, never a crash', () => {
  it('counts missing location, coordinates out of range, unknown clients, malformed IPs, bad times and duplicates', async () => {
    const good = ev({ time: at(50), user: 'g@contoso.test', ip: '198.51.100.1' });
    const noLocation = ev({ time: at(49), user: 'g@contoso.test', ip: '198.51.100.1', place: null });
    const outOfRange = { ...ev({ time: at(48), user: 'g@contoso.test', ip: '198.51.100.1' }) };
    const broken: SignIn = {
      ...outOfRange,
      location: { city: 'Nowhere', countryOrRegion: 'US', geoCoordinates: { latitude: 123, longitude: 0 } },
    };
    const unknownClient = ev({ time: at(47), user: 'g@contoso.test', ip: '198.51.100.1', client: 'Carrier pigeon' });
    const badIp = ev({ time: at(46), user: 'g@contoso.test', ip: '123.456.7.89' });
    const badTime = {
      ...ev({ time: at(45), user: 'g@contoso.test', ip: '198.51.100.1' }),
      createdDateTime: 'yesterday',
    };
    const noStatus = { ...ev({ time: at(44), user: 'g@contoso.test', ip: '198.51.100.1' }), status: null };
    const junk = { id: 'junk', createdDateTime: 42, status: 'ok', location: 'here' } as unknown as SignIn;
    // The same event delivered by two overlapping pages.
    const page1 = [good, noLocation, broken, unknownClient];
    const page2 = [good, badIp, badTime, noStatus, junk];
    const results = await evaluateSignIns({ now: NOW, pages: [page1, page2], controls: allSignInControls() });
    // Two records' times cannot be read, so they may lie in the window: no detector can give a
    // clean result. The other oddities are counted and skipped without changing a verdict.
    const detectors = results.filter((r) => r.control !== 'sign-ins.risky-users');
    expect(detectors.length).toBeGreaterThan(0);
    for (const r of detectors) {
      expect(r.status, r.control).toBe('error');
      expect(r.message).toMatch(/^2 sign-in records have a createdDateTime that is not an ISO 8601 date-time/);
    }
    const scan = (control: string) => resultsOf(results, control)[0]?.evidence.scan;
    expect(scan('sign-ins.impossible-travel')).toMatchObject({
      eventsRead: 9,
      skipped: { duplicate: 1, badTime: 2, noStatus: 1, noLocation: 1, coordinatesOutOfRange: 1, malformedIp: 1 },
      unparseableDates: {
        count: 2,
        examples: [
          { id: badTime.id, createdDateTime: 'yesterday' },
          { id: 'junk', createdDateTime: '42' },
        ],
      },
    });
    expect(scan('legacy-auth.sign-ins')).toMatchObject({ skipped: { unknownClientApp: 1 } });
    expect(scan('sign-ins.countries')).toMatchObject({ skipped: { noLocation: 1 } });

    // Without the two unreadable times, the same oddities leave every detector passing.
    const readable = await evaluateSignIns({
      now: NOW,
      pages: [page1, [good, badIp, noStatus]],
      controls: allSignInControls(),
    });
    expect(readable.every((r) => r.status === 'pass' || r.control === 'sign-ins.risky-users')).toBe(true);
    expect(resultsOf(readable, 'sign-ins.impossible-travel')[0]?.evidence.scan).toMatchObject({
      skipped: { duplicate: 1, badTime: 0, noStatus: 1, noLocation: 1, coordinatesOutOfRange: 1, malformedIp: 1 },
    });
  });

  it('counts a duplicated denial once, so three denials sent twice are not a burst of six', async () => {
    const denials = [0, 1, 2].map((i) =>
      ev({ time: at(30 - i), user: 'd@contoso.test', ip: '198.51.100.1', errorCode: 500121 }),
    );
    const results = await evaluateSignIns({
      now: NOW,
      pages: [denials, [...denials].reverse()],
      controls: allSignInControls({ 'sign-ins.mfa-fatigue': { minDenials: 4 } }),
    });
    expect(failingTargets(results)).toEqual({});
    expect(resultsOf(results, 'sign-ins.mfa-fatigue')[0]?.evidence.scan).toMatchObject({ skipped: { duplicate: 3 } });
  });

  it('ignores events outside the look-back window', async () => {
    const old = ev({ time: at(26 * 60), user: 'old@contoso.test', ip: '198.51.100.1', client: 'IMAP4' });
    const results = await evaluateSignIns({ now: NOW, pages: [[old]], controls: allSignInControls() });
    expect(failingTargets(results)).toEqual({});
    const wide = await evaluateSignIns({
      now: NOW,
      pages: [[old]],
      controls: allSignInControls({ 'legacy-auth.sign-ins': { lookbackHours: 48 } }),
    });
    expect(failingTargets(wide)).toEqual({ 'legacy-auth.sign-ins': ['old@contoso.test'] });
  });
});
