import { describe, expect, it } from 'vitest';
import type { RiskDetection, RiskyUser } from '../../../src/snapshot/graph-types.js';
import { evaluateSignIns, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { signIn } from '../../helpers/sign-in-generator.js';

/*
 * What an auditor reads in sign-ins.risky-users: each evidence field of a user at risk, which
 * high-risk detections are the user's (by UPN or object ID, inside the window, edges included),
 * and what a pass says it read.
 */

const NOW = new Date('2026-11-27T06:00:00Z');
const MINUTE = 60_000;
/** The default look-back window: 25 hours up to the clock. */
const START = NOW.getTime() - 25 * 60 * MINUTE;
const iso = (time: number): string => new Date(time).toISOString();
const ID = 'AbCd0001-0000-4000-8000-000000000000';

const riskyUser = (extra: Partial<RiskyUser> = {}): RiskyUser => ({
  id: ID,
  userPrincipalName: 'Risky@contoso.test',
  riskLevel: 'high',
  riskState: 'atRisk',
  riskDetail: 'userPerformedSecuredPasswordReset',
  riskLastUpdatedDateTime: '2026-11-27T05:00:00Z',
  ...extra,
});

const detection = (id: string, time: number, extra: Partial<RiskDetection> = {}): RiskDetection => ({
  id,
  userId: null,
  userPrincipalName: 'risky@contoso.test',
  riskEventType: 'unfamiliarFeatures',
  riskLevel: 'high',
  riskState: 'atRisk',
  detectedDateTime: iso(time),
  ipAddress: '203.0.113.9',
  location: { city: 'Lagos', countryOrRegion: 'NG' },
  ...extra,
});

async function risky(users: readonly RiskyUser[], detections: readonly RiskDetection[]) {
  const results = await evaluateSignIns({
    now: NOW,
    pages: [[signIn({ id: 's', time: NOW.getTime() - 5 * MINUTE, user: 'someone@contoso.test', ip: '198.51.100.1' })]],
    controls: { 'sign-ins.risky-users': { minRiskLevel: 'high' } },
    riskyUsers: users,
    riskDetections: detections,
  });
  return resultsOf(results, 'sign-ins.risky-users');
}

describe('sign-ins.risky-users findings', () => {
  it('a user at risk: every evidence field, and the high detections of the window (edges included) oldest first', async () => {
    const results = await risky(
      [riskyUser()],
      [
        detection('at-end', NOW.getTime()),
        detection('at-start', START),
        detection('before-start', START - 1),
        detection('after-end', NOW.getTime() + 1),
        // Named by an old UPN and the object ID (in another case): the user's by the ID.
        detection('by-id', START + 60 * MINUTE, {
          userPrincipalName: 'old-name@contoso.test',
          userId: ID.toUpperCase(),
        }),
        {
          ...detection('bare', START + 120 * MINUTE),
          location: null,
          ipAddress: null,
          riskEventType: null,
          riskState: null,
        },
        detection('upper-level', START + 180 * MINUTE, { riskLevel: 'HIGH' }),
        detection('medium', START + 180 * MINUTE, { riskLevel: 'medium' }),
      ],
    );
    expect(results.map((r) => [r.target, r.status, r.severity, r.message])).toEqual([
      ['risky@contoso.test', 'fail', 'high', 'Identity Protection rates this user atRisk with high risk.'],
    ]);
    const full = (id: string, time: number, extra: object = {}) => ({
      id,
      riskEventType: 'unfamiliarFeatures',
      riskLevel: 'high',
      riskState: 'atRisk',
      detectedDateTime: iso(time),
      ipAddress: '203.0.113.9',
      country: 'NG',
      city: 'Lagos',
      ...extra,
    });
    expect(results[0]?.evidence).toEqual({
      user: 'risky@contoso.test',
      userId: ID,
      riskLevel: 'high',
      riskState: 'atRisk',
      riskDetail: 'userPerformedSecuredPasswordReset',
      riskLastUpdatedDateTime: '2026-11-27T05:00:00Z',
      minRiskLevel: 'high',
      highRiskDetections: {
        items: [
          full('at-start', START),
          full('by-id', START + 60 * MINUTE),
          full('bare', START + 120 * MINUTE, {
            riskEventType: null,
            riskState: null,
            ipAddress: null,
            country: null,
            city: null,
          }),
          full('upper-level', START + 180 * MINUTE, { riskLevel: 'HIGH' }),
          full('at-end', NOW.getTime()),
        ],
        total: 5,
      },
    });
  });

  it('without risk detail or update time the evidence says null', async () => {
    const [finding] = await risky([riskyUser({ riskDetail: null, riskLastUpdatedDateTime: null })], []);
    expect(finding?.evidence).toMatchObject({ riskDetail: null, riskLastUpdatedDateTime: null });
  });

  it('lists 20 detections and the total; detections of one time in the order read', async () => {
    const time = START + 60 * MINUTE;
    const detections = Array.from({ length: 22 }, (_, k) => detection(`d-${String(k).padStart(2, '0')}`, time));
    const [finding] = await risky([riskyUser()], detections);
    const listed = finding?.evidence.highRiskDetections as { items: { id: string }[]; total: number };
    expect(listed.items.map((d) => d.id)).toEqual(detections.slice(0, 20).map((d) => d.id));
    expect(listed.total).toBe(22);
  });

  it("a detection naming no user is no one's, not even that of a risky user with an empty UPN", async () => {
    const [finding] = await risky(
      [riskyUser({ userPrincipalName: '' })],
      [detection('nobody', START + 60 * MINUTE, { userPrincipalName: null, userId: null })],
    );
    expect(finding?.target).toBe('');
    expect(finding?.evidence.highRiskDetections).toEqual({ items: [], total: 0 });
  });

  it('a pass says how many users and high detections of the window it read', async () => {
    const results = await risky(
      [riskyUser({ riskLevel: 'medium' }), riskyUser({ id: 'other', riskState: 'remediated' })],
      [
        detection('in', START + 60 * MINUTE),
        detection('in-2', START + 90 * MINUTE, { userPrincipalName: 'someone-else@contoso.test' }),
        detection('out', START - 1),
        detection('low', START + 60 * MINUTE, { riskLevel: 'low' }),
        // A time that cannot be read places a detection in no window.
        detection('no-time', START + 60 * MINUTE, { detectedDateTime: null }),
        detection('bad-time', START + 60 * MINUTE, { detectedDateTime: 'soon' }),
      ],
    );
    expect(results).toEqual([
      expect.objectContaining({
        target: 'tenant',
        status: 'pass',
        message:
          'No user is at risk at level high or above among 2 users Identity Protection lists, with 2 high-risk detections from 2026-11-26T05:00:00.000Z to 2026-11-27T06:00:00.000Z.',
        evidence: {
          minRiskLevel: 'high',
          riskyUsersRead: 2,
          highRiskDetectionsInWindow: 2,
          window: { start: '2026-11-26T05:00:00.000Z', end: '2026-11-27T06:00:00.000Z' },
        },
      }),
    ]);
  });
});
