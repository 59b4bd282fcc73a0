import { describe, expect, it } from 'vitest';
import { greatCircleKm } from '../../../src/checks/sign-ins/detectors/great-circle.js';
import { evaluate } from '../../../src/evaluate/evaluate.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import { SNAPSHOT_FORMAT_VERSION } from '../../../src/snapshot/manifest.js';
import { memorySnapshot } from '../../../src/snapshot/snapshot.js';
import { signInPolicy } from '../../helpers/sign-in-evaluate.js';
import { PLACES, signIn } from '../../helpers/sign-in-generator.js';

/*
 * sign-ins.impossible-travel through the engine's own entry, in memory: coordinates that are no
 * numbers, the minimum distance for a user whose two points the detector judges on the numbers
 * alone, and the sign-ins an incremental run carries for travel.
 */

const MINUTE = 60_000;
const NOW = new Date('2027-03-01T06:00:00Z');
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * MINUTE;

async function travel(events: readonly SignIn[], params: Record<string, unknown> = {}, incremental = false) {
  const policy = signInPolicy({ 'sign-ins.impossible-travel': params as never }, NOW);
  const sorted = [...events].sort((a, b) => Date.parse(b.createdDateTime ?? '') - Date.parse(a.createdDateTime ?? ''));
  const snapshot = memorySnapshot(
    {
      formatVersion: SNAPSHOT_FORMAT_VERSION,
      tenantId: '00000000-0000-0000-0000-00000000beef',
      capturedAt: NOW.toISOString(),
      tool: { name: 'mailwarden', version: 'test' },
      licences: { 'entra-id-p1': true, 'entra-id-p2': true },
      sources: { 'graph.signIns': { status: 'ok' } },
    },
    {
      'graph.signIns': {
        pages: async function* () {
          yield sorted;
        },
      },
    },
  );
  return evaluate(snapshot, policy, {
    now: NOW,
    domains: [],
    ...(incremental ? { incremental: { horizon: NOW.getTime() - 60 * MINUTE } } : {}),
  });
}

const withCoordinates = (event: SignIn, latitude: number, longitude: number): SignIn => ({
  ...event,
  location: { city: 'X', state: null, countryOrRegion: 'US', geoCoordinates: { latitude, longitude, altitude: null } },
});

describe('sign-ins.impossible-travel: which sign-ins count', () => {
  it('sets aside coordinates that are not finite numbers as out of range', async () => {
    const base = (id: string, minutes: number) =>
      signIn({ id, time: at(minutes), user: 'c@contoso.test', ip: '198.51.100.1', place: PLACES.boston });
    const { results } = await travel([
      base('ok', 10),
      withCoordinates(base('nan-lat', 11), Number.NaN, 0),
      withCoordinates(base('nan-lon', 12), 0, Number.NaN),
      withCoordinates(base('inf-lat', 13), Number.POSITIVE_INFINITY, 0),
      withCoordinates(base('inf-lon', 14), 0, Number.NEGATIVE_INFINITY),
    ]);
    expect(results.map((r) => r.status)).toEqual(['pass']);
    expect(results[0]?.evidence).toMatchObject({
      scan: { eventsInWindow: 5, eventsAnalysed: 1, skipped: { coordinatesOutOfRange: 4 } },
    });
  });
});

describe('sign-ins.impossible-travel: a user with two points', () => {
  it('a hop exactly the minimum distance long is judged, and found when too fast', async () => {
    const { berlin, moscow } = PLACES;
    const distance = greatCircleKm(berlin.lat, berlin.lon, moscow.lat, moscow.lon);
    const { results } = await travel(
      [
        signIn({ id: 'a', time: at(30), user: 'c@contoso.test', ip: '198.51.100.1', place: berlin }),
        signIn({ id: 'b', time: at(20), user: 'c@contoso.test', ip: '198.51.100.2', place: moscow }),
      ],
      { minDistanceKm: distance },
    );
    expect(results.map((r) => [r.target, r.status, (r.evidence as { hops?: { total: number } }).hops?.total])).toEqual([
      ['c@contoso.test', 'fail', 1],
    ]);
  });
});

describe('sign-ins.impossible-travel: what an incremental run carries', () => {
  it('carries each kept point with its address as text: an IPv6 address, 0.0.0.0, a dotted quad', async () => {
    const { boston, berlin } = PLACES;
    const { carried } = await travel(
      [
        // a: an impossible hop before the next read start, so both points are carried.
        signIn({ id: 'a1', time: at(120), user: 'a@contoso.test', ip: '2001:db8::7', place: boston }),
        signIn({ id: 'a2', time: at(110), user: 'a@contoso.test', ip: '0.0.0.0', place: berlin }),
        // c: no impossible hop, so only the last point is carried.
        signIn({ id: 'c1', time: at(130), user: 'c@contoso.test', ip: '198.51.100.6', place: boston }),
        signIn({ id: 'c2', time: at(100), user: 'c@contoso.test', ip: '198.51.100.7', place: boston }),
      ],
      {},
      true,
    );
    const events = carried?.get('sign-ins.impossible-travel')?.events ?? [];
    expect(events.map((e) => [e.userPrincipalName, e.createdDateTime, e.ipAddress]).sort()).toEqual([
      ['a@contoso.test', new Date(at(120)).toISOString(), '2001:db8::7'],
      ['a@contoso.test', new Date(at(110)).toISOString(), '0.0.0.0'],
      ['c@contoso.test', new Date(at(100)).toISOString(), '198.51.100.7'],
    ]);
  });
});
