import { describe, expect, it } from 'vitest';
import type { RiskDetection, RiskyUser, SignIn } from '../../../src/snapshot/graph-types.js';
import { allSignInControls, evaluateSignIns, failingTargets } from '../../helpers/sign-in-evaluate.js';
import {
  backgroundPages,
  collectPages,
  HOME_PLACES,
  PLACES,
  prng,
  signIn,
  userName,
} from '../../helpers/sign-in-generator.js';

const NOW = new Date('2026-11-27T06:00:00Z');
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * 60_000;

/** One anomaly of every kind, injected into ordinary activity. */
function injected(): SignIn[] {
  const events: SignIn[] = [];
  let n = 0;
  const add = (spec: Omit<Parameters<typeof signIn>[0], 'id'>) => events.push(signIn({ id: `inj-${n++}`, ...spec }));
  // Legacy protocol: one success (finding) and a failed attempt in its evidence; a user with only a blocked attempt.
  add({ time: at(300), user: 'legacy@contoso.test', ip: '198.51.100.20', client: 'IMAP4' });
  add({ time: at(310), user: 'legacy@contoso.test', ip: '198.51.100.20', client: 'POP3', errorCode: 50126 });
  add({
    time: at(200),
    user: 'blocked@contoso.test',
    ip: '198.51.100.21',
    client: 'Authenticated SMTP',
    errorCode: 53003,
  });
  // Unexpected country, slowly enough not to be travel (Boston to Lagos in almost 12 hours).
  add({ time: at(900), user: 'abroad@contoso.test', ip: '198.51.100.30' });
  add({ time: at(200), user: 'abroad@contoso.test', ip: '102.88.1.1', place: PLACES.lagos });
  // Impossible travel: Boston, then Seattle 30 minutes later.
  add({ time: at(600), user: 'traveller@contoso.test', ip: '198.51.100.40' });
  add({ time: at(570), user: 'traveller@contoso.test', ip: '198.51.100.41', place: PLACES.seattle });
  // IPv4 spray from one /24 against 12 users in 30 minutes, then a success from the same /24.
  for (let u = 0; u < 12; u++) {
    add({
      time: at(400 - u * 2.5),
      user: userName(u),
      ip: `203.0.113.${7 + (u % 3)}`,
      place: PLACES.moscow,
      errorCode: 50126,
    });
  }
  add({ time: at(360), user: userName(3), ip: '203.0.113.50', place: HOME_PLACES[3] });
  // IPv6 spray from one /64 against 10 users, with no success.
  for (let u = 100; u < 110; u++) {
    add({
      time: at(120 - (u - 100) * 2),
      user: userName(u),
      ip: `2001:db8:5:1::${(u - 99).toString(16)}`,
      place: PLACES.moscow,
      errorCode: 50053,
    });
  }
  // MFA fatigue: six denials in 25 minutes and a success 3 minutes after; and five denials with no success.
  for (let i = 0; i < 6; i++)
    add({ time: at(240 - i * 5), user: 'push@contoso.test', ip: '198.51.100.60', errorCode: 500121 });
  add({ time: at(212), user: 'push@contoso.test', ip: '198.51.100.60' });
  for (let i = 0; i < 5; i++)
    add({ time: at(100 - i * 10), user: 'push2@contoso.test', ip: '198.51.100.61', errorCode: 500121 });
  return events;
}

const riskyUsers: RiskyUser[] = [
  { id: 'r1', userPrincipalName: 'risky@contoso.test', riskLevel: 'high', riskState: 'atRisk' },
  { id: 'r2', userPrincipalName: 'compromised@contoso.test', riskLevel: 'medium', riskState: 'confirmedCompromised' },
  { id: 'r3', userPrincipalName: 'low@contoso.test', riskLevel: 'low', riskState: 'atRisk' },
  { id: 'r4', userPrincipalName: 'remediated@contoso.test', riskLevel: 'high', riskState: 'remediated' },
];
const riskDetections: RiskDetection[] = [
  {
    id: 'd1',
    userId: 'r1',
    userPrincipalName: 'risky@contoso.test',
    riskEventType: 'unlikelyTravel',
    riskLevel: 'high',
    detectedDateTime: new Date(at(60)).toISOString(),
  },
  {
    id: 'd2',
    userId: 'r1',
    userPrincipalName: 'risky@contoso.test',
    riskEventType: 'leakedCredentials',
    riskLevel: 'high',
    detectedDateTime: new Date(at(3000)).toISOString(),
  },
];

const EXPECTED = {
  'legacy-auth.sign-ins': ['legacy@contoso.test'],
  'sign-ins.countries': ['abroad@contoso.test'],
  'sign-ins.impossible-travel': ['traveller@contoso.test'],
  'sign-ins.password-spray': ['2001:db8:5:1::/64', '203.0.113.0/24'],
  'sign-ins.mfa-fatigue': ['push2@contoso.test', 'push@contoso.test'],
  'sign-ins.risky-users': ['compromised@contoso.test', 'risky@contoso.test'],
};

/** Background and anomalies merged newest first, in pages of 1,000, as Graph returns them. */
async function stream(): Promise<SignIn[][]> {
  const background = (
    await collectPages(backgroundPages({ users: 2000, events: 20_000, end: NOW.getTime(), spanMs: 24 * 3_600_000 }))
  ).flat();
  const all = [...background, ...injected()].sort(
    (a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime),
  );
  const pages: SignIn[][] = [];
  for (let i = 0; i < all.length; i += 1000) pages.push(all.slice(i, i + 1000));
  return pages;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('sign-in detectors over a generated stream with one anomaly of every kind', () => {
  it('finds every injected anomaly and nothing else (recall and precision)', async () => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: await stream(),
      controls: allSignInControls(),
      riskyUsers,
      riskDetections,
    });
    expect(failingTargets(results)).toEqual(EXPECTED);
  });

  it('raises severity where the anomaly succeeded, and shows the evidence', async () => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: await stream(),
      controls: allSignInControls(),
      riskyUsers,
      riskDetections,
    });
    const find = (control: string, target: string) => results.find((r) => r.control === control && r.target === target);
    expect(find('sign-ins.password-spray', '203.0.113.0/24')?.severity).toBe('critical');
    expect(find('sign-ins.password-spray', '203.0.113.0/24')?.evidence).toMatchObject({
      distinctUsers: 12,
      compromisedUsers: [userName(3)],
      ips: ['203.0.113.7', '203.0.113.8', '203.0.113.9'],
    });
    expect(find('sign-ins.password-spray', '2001:db8:5:1::/64')?.severity).toBe('high');
    expect(find('sign-ins.mfa-fatigue', 'push@contoso.test')?.severity).toBe('critical');
    expect(find('sign-ins.mfa-fatigue', 'push@contoso.test')?.evidence).toMatchObject({
      denialsInBurst: 6,
      successDuringOrAfter: true,
    });
    expect(find('sign-ins.mfa-fatigue', 'push2@contoso.test')?.severity).toBe('high');
    expect(find('sign-ins.risky-users', 'compromised@contoso.test')?.severity).toBe('critical');
    expect(find('sign-ins.risky-users', 'risky@contoso.test')?.evidence).toMatchObject({
      highRiskDetections: { total: 1 },
    });

    const legacy = find('legacy-auth.sign-ins', 'legacy@contoso.test')?.evidence;
    expect(legacy).toMatchObject({
      protocols: ['IMAP4'],
      successfulSignIns: {
        total: 1,
        items: [
          { ip: '198.51.100.20', country: 'US', city: 'Boston', client: 'IMAP4', result: 'success', errorCode: 0 },
        ],
      },
      failedAttempts: { total: 1, items: [{ client: 'POP3', result: 'failure', errorCode: 50126 }] },
      tenantLegacyAttempts: { failedLegacyAttempts: 2, usersWithOnlyFailedLegacyAttempts: 1 },
    });
    const travel = find('sign-ins.impossible-travel', 'traveller@contoso.test')?.evidence;
    expect(travel).toMatchObject({
      hops: { total: 1, items: [{ from: { city: 'Boston' }, to: { city: 'Seattle' }, minutes: 30 }] },
    });
    const hop = (travel!.hops as { items: { speedKmh: number; distanceKm: number }[] }).items[0];
    expect(hop?.distanceKm).toBeGreaterThan(3900);
    expect(hop?.speedKmh).toBeGreaterThan(7500);
    const abroad = find('sign-ins.countries', 'abroad@contoso.test')?.evidence;
    expect(abroad).toMatchObject({ countries: { NG: 1 }, ips: ['102.88.1.1'], signIns: { total: 1 } });
  });

  it('gives the same verdicts when pages and the events in them arrive in any order', async () => {
    const ordered = await evaluateSignIns({
      now: NOW,
      pages: await stream(),
      controls: allSignInControls(),
      riskyUsers,
      riskDetections,
    });
    const events = shuffled((await stream()).flat(), 7);
    const pages: SignIn[][] = [];
    for (let i = 0; i < events.length; i += 700) pages.push(events.slice(i, i + 700));
    const scrambled = await evaluateSignIns({
      now: NOW,
      pages,
      controls: allSignInControls(),
      riskyUsers,
      riskDetections,
    });
    const verdict = (r: (typeof ordered)[number]) => [r.control, r.target, r.status, r.severity];
    expect(scrambled.map(verdict)).toEqual(ordered.map(verdict));
    const travel = (rs: typeof ordered) =>
      rs.find((r) => r.control === 'sign-ins.impossible-travel' && r.status === 'fail')?.evidence.hops;
    expect(travel(scrambled)).toEqual(travel(ordered));
  });

  it('reports the scan with every finding: window, events read and skipped', async () => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: await stream(),
      controls: allSignInControls(),
      riskyUsers,
      riskDetections,
    });
    const scan = results.find((r) => r.control === 'sign-ins.countries')?.evidence.scan;
    expect(scan).toMatchObject({
      window: { start: '2026-11-26T05:00:00.000Z', end: '2026-11-27T06:00:00.000Z' },
      eventsRead: 20_000 + injected().length,
      skipped: { duplicate: 0, outsideWindow: 0 },
    });
  });
});
