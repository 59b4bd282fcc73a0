import { describe, expect, it } from 'vitest';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import { evaluateSignIns, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { PLACES, signIn } from '../../helpers/sign-in-generator.js';

/*
 * sign-ins.impossible-travel through the engine: which events it sets aside (and why), the
 * egress addresses, the per-user bound, and its findings' words and evidence.
 */

const NOW = new Date('2026-11-27T06:00:00Z');
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * 60_000;

async function travel(events: readonly SignIn[], params: Record<string, unknown> = {}, oldestFirst = false) {
  const sorted = [...events].sort((a, b) => (a.createdDateTime < b.createdDateTime ? 1 : -1));
  if (oldestFirst) sorted.reverse();
  const results = await evaluateSignIns({
    now: NOW,
    pages: [sorted],
    controls: { 'sign-ins.impossible-travel': params as never },
  });
  return resultsOf(results, 'sign-ins.impossible-travel');
}

const at0 = (id: string, minutes: number, extra: Partial<SignIn> = {}): SignIn => ({
  ...signIn({ id, time: at(minutes), user: 'c@contoso.test', ip: '198.51.100.1', place: PLACES.boston }),
  ...extra,
});
const coords = (latitude: unknown, longitude: unknown) => ({
  location: { city: 'X', state: null, countryOrRegion: 'US', geoCoordinates: { latitude, longitude, altitude: null } },
});

describe('sign-ins.impossible-travel', () => {
  it('sets aside successes with no place, coordinates out of range, or an egress address, and counts each reason', async () => {
    const [finding] = await travel(
      [
        at0('ok', 10),
        at0('edge', 11, coords(-90, 180) as Partial<SignIn>),
        at0('no-location', 12, { location: null }),
        at0('no-geo', 13, { location: { city: 'Boston', state: null, countryOrRegion: 'US', geoCoordinates: null } }),
        at0('no-lon', 14, coords(42.36, null) as Partial<SignIn>),
        at0('no-lat', 15, coords(undefined, -71.05) as Partial<SignIn>),
        at0('lat-91', 16, coords(91, 0) as Partial<SignIn>),
        at0('lon-181', 17, coords(0, -181) as Partial<SignIn>),
        at0('egress-v4', 18, { ipAddress: '203.0.113.77' }),
        at0('egress-v6', 19, { ipAddress: '2001:db8:5::1' }),
        at0('other-v6', 20, { ipAddress: '2001:db9::1' }),
        at0('bad-ip', 21, { ipAddress: 'not-an-ip' }),
        at0('failure', 22, { status: { errorCode: 50126, failureReason: 'x', additionalDetails: null } }),
      ],
      { egressCidrs: ['203.0.113.0/24', '2001:db8::/32'] },
    );
    expect(finding?.status).toBe('fail');
    expect(finding?.evidence.scan).toMatchObject({
      eventsInWindow: 13,
      eventsAnalysed: 4,
      skipped: { noLocation: 4, coordinatesOutOfRange: 2, egressAddress: 2, malformedIp: 1 },
    });
  });

  it('a clean window passes with its limits in the evidence', async () => {
    const results = await travel([at0('a', 10), at0('b', 5)], { maxSpeedKmh: 800, minDistanceKm: 150 });
    expect(results.map((r) => [r.status, r.message])).toEqual([
      [
        'pass',
        'No impossible travel between successive successful sign-ins among 2 events from 2026-11-26T05:00:00.000Z to 2026-11-27T06:00:00.000Z.',
      ],
    ]);
    expect(results[0]?.evidence).toMatchObject({ maxSpeedKmh: 800, minDistanceKm: 150, scan: { eventsAnalysed: 2 } });
  });

  it.each([
    ['newest first, as Graph pages them', false],
    ['oldest first', true],
  ])('judges every hop of a user with more points than it keeps, read %s', async (_order, oldestFirst) => {
    // 66 successes 20 minutes apart, alternating between Boston and Berlin: 65 impossible hops.
    const events = Array.from({ length: 66 }, (_, k) =>
      signIn({
        id: `h${k}`,
        time: at(10 + k * 20),
        user: 'c@contoso.test',
        ip: '198.51.100.1',
        place: k % 2 === 0 ? PLACES.boston : PLACES.berlin,
      }),
    );
    const [finding] = await travel(events, {}, oldestFirst);
    expect(finding?.status).toBe('fail');
    expect(finding?.message).toMatch(
      /^65 impossible journey\(s\) between successive sign-ins; fastest \d+ km\/h \(limit 900 km\/h\)\.$/,
    );
    expect(finding?.evidence).toMatchObject({
      user: 'c@contoso.test',
      maxSpeedKmh: 900,
      minDistanceKm: 200,
      hops: { total: 65 },
      scan: { eventsAnalysed: 66 },
    });
  });
});
