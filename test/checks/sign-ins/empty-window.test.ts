import { describe, expect, it } from 'vitest';
import type { GraphUser, SignIn } from '../../../src/snapshot/graph-types.js';
import {
  allSignInControls,
  evaluateSignIns,
  resultsOf,
  SIGN_IN_STREAM_CONTROLS,
} from '../../helpers/sign-in-evaluate.js';

/*
 * No pass over nothing: a sign-in detector that saw no event in its window concludes nothing.
 * An empty window is far likelier an ingestion delay, a retention gap or a filter bug than a
 * quiet tenant (Maester's users reported it as "success when nothing to check").
 */

const NOW = new Date('2027-03-01T06:00:00Z');
const member = (n: number, extra: Partial<GraphUser> = {}): GraphUser => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  userPrincipalName: `user${n}@contoso.example`,
  displayName: `User ${n}`,
  accountEnabled: true,
  userType: 'Member',
  ...extra,
});
const users = [member(1), member(2), member(3), member(4, { accountEnabled: false }), member(5, { userType: 'Guest' })];

function signIn(n: number, hoursAgo: number): SignIn {
  return {
    id: `si-${n}`,
    createdDateTime: new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString(),
    userId: member(1).id,
    userPrincipalName: member(1).userPrincipalName,
    clientAppUsed: 'Browser',
    ipAddress: '203.0.113.10',
    status: { errorCode: 0, failureReason: null, additionalDetails: null },
    location: {
      city: 'Seattle',
      state: 'WA',
      countryOrRegion: 'US',
      geoCoordinates: { latitude: 47.6, longitude: -122.3, altitude: null },
    },
  } as unknown as SignIn;
}

const statuses = async (pages: readonly (readonly SignIn[])[], given: readonly GraphUser[] | undefined) => {
  const results = await evaluateSignIns({
    now: NOW,
    pages,
    controls: allSignInControls(),
    ...(given ? { users: given } : {}),
  });
  return Object.fromEntries(
    SIGN_IN_STREAM_CONTROLS.map((c) => [c, resultsOf(results, c).map((r) => `${r.target} ${r.status}`)]),
  );
};
const every = (value: readonly string[]) => Object.fromEntries(SIGN_IN_STREAM_CONTROLS.map((c) => [c, value]));

describe('a sign-in window with no event', () => {
  it('is an error for every sign-in control when the tenant has enabled members', async () => {
    expect(await statuses([[]], users)).toEqual(every(['tenant error']));
    const results = await evaluateSignIns({ now: NOW, pages: [], controls: allSignInControls(), users });
    const legacy = resultsOf(results, 'legacy-auth.sign-ins')[0];
    expect(legacy?.message).toMatch(/holds no event .* the tenant has 3 enabled member users/);
    expect(legacy?.evidence).toMatchObject({ enabledMembers: 3, scan: { eventsInWindow: 0, eventsRead: 0 } });
  });

  it('is an error when every event read lies outside the window (a stale or misfiltered log)', async () => {
    const stale = [[signIn(1, 24 * 8), signIn(2, 24 * 9)]];
    expect(await statuses(stale, users)).toEqual(every(['tenant error']));
  });

  it('is an error when the users were not read: nothing says the tenant is empty', async () => {
    expect(await statuses([[]], undefined)).toEqual(every(['tenant error']));
  });

  it('passes, saying why, only in a tenant with no enabled member user', async () => {
    const nobody = [member(4, { accountEnabled: false }), member(5, { userType: 'Guest' })];
    expect(await statuses([[]], nobody)).toEqual(every(['tenant pass']));
  });

  it('a clean window passes saying how many events it examined and over which span', async () => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: [[signIn(1, 1), signIn(2, 2), signIn(3, 3)]],
      controls: allSignInControls(),
      users,
    });
    const legacy = resultsOf(results, 'legacy-auth.sign-ins');
    expect(legacy.map((r) => r.status)).toEqual(['pass']);
    expect(legacy[0]?.message).toBe(
      'No successful legacy-protocol sign-ins among 3 events from 2027-02-28T05:00:00.000Z to 2027-03-01T06:00:00.000Z.',
    );
  });

  it.each([
    [
      'no enabled member (a user without a type is none)',
      [member(4, { accountEnabled: false }), member(6, { userType: undefined }), member(5, { userType: 'Guest' })],
      'pass',
      'No sign-in event from 2027-02-28T05:00:00.000Z to 2027-03-01T06:00:00.000Z, and the tenant has no enabled member user who could sign in.',
      0,
    ],
    [
      'users not read',
      undefined,
      'error',
      'The sign-in log holds no event from 2027-02-28T05:00:00.000Z to 2027-03-01T06:00:00.000Z, while the users were not read: an empty window is far likelier a collection fault (ingestion delay, retention gap, a filter that matched nothing) than a fact, so nothing can be concluded.',
      null,
    ],
    [
      'members',
      users,
      'error',
      'The sign-in log holds no event from 2027-02-28T05:00:00.000Z to 2027-03-01T06:00:00.000Z, while the tenant has 3 enabled member users: an empty window is far likelier a collection fault (ingestion delay, retention gap, a filter that matched nothing) than a fact, so nothing can be concluded.',
      3,
    ],
  ])('says what it knows of the tenant: %s', async (_case, given, status, message, members) => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: [[]],
      controls: { 'sign-ins.countries': { allowedCountries: ['US'] } },
      ...(given ? { users: given } : {}),
    });
    expect(results.map((r) => [r.target, r.status, r.message])).toEqual([['tenant', status, message]]);
    expect(results[0]?.evidence).toEqual({
      enabledMembers: members,
      scan: {
        window: { start: '2027-02-28T05:00:00.000Z', end: '2027-03-01T06:00:00.000Z' },
        eventsRead: 0,
        eventsInWindow: 0,
        eventsAnalysed: 0,
        skipped: { badTime: 0, duplicate: 0, noId: 0, noStatus: 0, noUser: 0, outsideWindow: 0 },
      },
    });
  });
});
