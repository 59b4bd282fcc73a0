import { describe, expect, it } from 'vitest';
import { integerList } from '../../../src/checks/sign-ins/number-list.js';
import { parseEgressCidrs } from '../../../src/checks/sign-ins/detectors/impossible-travel.js';
import { countryCode, parseGraphTime } from '../../../src/checks/sign-ins/sign-in-event.js';
import { ControlParams } from '../../../src/controls/params.js';
import { ConfigurationError } from '../../../src/errors.js';
import type { RiskDetection, RiskyUser } from '../../../src/snapshot/graph-types.js';
import { evaluateSignIns, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { PLACES, signIn } from '../../helpers/sign-in-generator.js';

/*
 * What an auditor reads in the sign-in detectors' findings, for the cases the existing recall and
 * precision tests do not reach: hidden risk, several detections and successes to order, empty
 * texts, the per-address grouping, and the small parsers' refusals.
 */

const NOW = new Date('2026-11-27T06:00:00Z');
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * 60_000;
const iso = (minutesBefore: number): string => new Date(at(minutesBefore)).toISOString();

describe('sign-ins.risky-users', () => {
  const user = (n: number, riskLevel: string, riskState: string): RiskyUser => ({
    id: `0000000${n}-0000-4000-8000-000000000000`,
    userPrincipalName: `Risky${n}@contoso.test`,
    riskLevel,
    riskState,
    riskDetail: null,
    riskLastUpdatedDateTime: iso(60),
  });
  const detection = (id: string, minutesBefore: number, upn: string | null, userId: string | null): RiskDetection => ({
    id,
    userId,
    userPrincipalName: upn,
    riskEventType: 'unfamiliarFeatures',
    riskLevel: 'High',
    riskState: 'atRisk',
    detectedDateTime: iso(minutesBefore),
    ipAddress: '203.0.113.9',
    location: { city: 'Lagos', countryOrRegion: 'NG' },
  });

  it('names a hidden risk as such, and lists the high detections of the window oldest first', async () => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: [[signIn({ id: 's', time: at(5), user: 'someone@contoso.test', ip: '198.51.100.1' })]],
      controls: { 'sign-ins.risky-users': {} },
      riskyUsers: [user(1, 'hidden', 'atRisk'), user(2, 'high', 'confirmedCompromised')],
      riskDetections: [
        detection('d-2', 30, 'risky1@contoso.test', null),
        detection('d-1', 90, null, '00000001-0000-4000-8000-000000000000'),
        detection('d-3', 10, 'RISKY1@contoso.test', '00000001-0000-4000-8000-000000000000'),
        { ...detection('d-low', 20, 'risky1@contoso.test', null), riskLevel: 'medium' },
        { ...detection('d-no-level', 20, 'risky1@contoso.test', null), riskLevel: null },
        detection('d-old', 60 * 30, 'risky1@contoso.test', null),
      ],
    });
    const risky = resultsOf(results, 'sign-ins.risky-users');
    expect(risky.map((r) => [r.target, r.status, r.severity, r.message])).toEqual([
      ['risky1@contoso.test', 'fail', 'high', 'Identity Protection rates this user atRisk with a hidden risk.'],
      [
        'risky2@contoso.test',
        'fail',
        'critical',
        'Identity Protection rates this user confirmedCompromised with high risk.',
      ],
    ]);
    const detections = risky[0]?.evidence.highRiskDetections as { items: { id: string }[]; total: number };
    expect(detections.items.map((d) => d.id)).toEqual(['d-1', 'd-2', 'd-3']);
    expect(detections.total).toBe(3);
    expect(risky[1]?.evidence.highRiskDetections).toEqual({ items: [], total: 0 });
  });
});

describe('sign-ins.countries', () => {
  it('a success from abroad with no address and no app names neither in the evidence', async () => {
    const abroad = {
      ...signIn({ id: 'x', time: at(10), user: 'a@contoso.test', ip: '', place: PLACES.berlin }),
      ipAddress: null,
      appDisplayName: '',
    };
    const results = await evaluateSignIns({
      now: NOW,
      pages: [[abroad]],
      controls: { 'sign-ins.countries': { allowedCountries: ['US'] } },
    });
    const [finding] = resultsOf(results, 'sign-ins.countries');
    expect(finding?.message).toBe('1 successful sign-in(s) from DE, outside the allowed countries.');
    expect(finding?.evidence).toMatchObject({ countries: { DE: 1 }, ips: [], apps: [], allowedCountries: ['US'] });
  });
});

describe('legacy-auth.sign-ins', () => {
  it('counts a sign-in with an empty or missing client app as unknown, not analysed', async () => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: [
        [
          signIn({ id: 'imap', time: at(5), user: 'a@contoso.test', ip: '198.51.100.1', client: 'IMAP4' }),
          signIn({ id: 'empty', time: at(6), user: 'b@contoso.test', ip: '198.51.100.2', client: '' }),
          { ...signIn({ id: 'none', time: at(7), user: 'c@contoso.test', ip: '198.51.100.3' }), clientAppUsed: null },
          signIn({ id: 'new', time: at(8), user: 'd@contoso.test', ip: '198.51.100.4', client: 'Holo client' }),
        ],
      ],
      controls: { 'legacy-auth.sign-ins': {} },
    });
    const [finding] = resultsOf(results, 'legacy-auth.sign-ins');
    expect(finding?.message).toBe('1 successful legacy-protocol sign-in(s) (IMAP4).');
    expect(finding?.evidence).toMatchObject({
      protocols: ['IMAP4'],
      scan: { eventsInWindow: 4, eventsAnalysed: 1, skipped: { unknownClientApp: 3 } },
    });
  });
});

describe('sign-ins.password-spray grouped by address', () => {
  it.each([
    ['newest first', false],
    ['oldest first', true],
  ])(
    'names the source address, and the successes from it in time order (successes read %s)',
    async (_order, oldestFirst) => {
      const source = '203.0.113.77';
      const failures = ['u1', 'u2', 'u3'].map((u, k) =>
        signIn({ id: `f-${u}`, time: at(50 - k), user: `${u}@contoso.test`, ip: source, errorCode: 50126 }),
      );
      const successes = [
        signIn({ id: 'ok-late', time: at(20), user: 'u3@contoso.test', ip: source }),
        signIn({ id: 'ok-early', time: at(40), user: 'u1@contoso.test', ip: source }),
      ];
      const results = await evaluateSignIns({
        now: NOW,
        pages: [[...(oldestFirst ? successes.reverse() : successes), ...failures.reverse()]],
        controls: { 'sign-ins.password-spray': { minUsers: 3, groupBy: 'ip' } },
      });
      const [finding] = resultsOf(results, 'sign-ins.password-spray');
      expect(finding?.target).toBe(source);
      expect(finding?.message).toBe(
        `3 distinct users failed to sign in from ${source} within 60 minutes, and a sign-in from it then succeeded.`,
      );
      expect(finding?.evidence).toMatchObject({
        source,
        grouping: 'ip',
        ips: [source],
        successesFromSource: [
          { user: 'u1@contoso.test', time: iso(40) },
          { user: 'u3@contoso.test', time: iso(20) },
        ],
        compromisedUsers: ['u1@contoso.test', 'u3@contoso.test'],
      });
    },
  );
});

describe('the small parsers behind the detectors', () => {
  it.each([
    '2026-1a-27T00:00:00Z',
    '2026-11-2xT00:00:00Z',
    'x026-11-27T00:00:00Z',
    '2026-11-27T0x:00:00Z',
    '2026-11-27T00:0x:00Z',
    '2026-11-27T00:00:0xZ',
  ])('%j is no date-time', (text) => {
    expect(parseGraphTime(text)).toBeUndefined();
  });

  it.each([
    ['US', 0x5553],
    ['us', 0x5553],
    ['U1', -1],
    ['1U', -1],
    ['U[', -1],
    ['@U', -1],
    ['USA', -1],
  ])('country %j is %i', (text, code) => {
    expect(countryCode(text)).toBe(code);
  });

  it('an error-code list that is not integers is refused, naming the parameter', () => {
    expect(integerList(new ControlParams({ errorCodes: [50126, 50053] }), 'errorCodes')).toEqual([50126, 50053]);
    for (const value of [[50126, 1.5], ['50126'], 50126]) {
      expect(() => integerList(new ControlParams({ errorCodes: value }), 'errorCodes')).toThrow(
        new Error('parameter errorCodes is not a list of integers'),
      );
    }
  });

  it('an egress block a pattern cannot refuse is a configuration error naming its place', () => {
    expect(parseEgressCidrs(['198.51.100.0/24', '2001:db8::/32'])).toHaveLength(2);
    expect(() => parseEgressCidrs(['198.51.100.0/24', '198.51.100.0/33'])).toThrow(
      new ConfigurationError('egressCidrs/1: "198.51.100.0/33" is not an IPv4 or IPv6 CIDR block'),
    );
  });
});
