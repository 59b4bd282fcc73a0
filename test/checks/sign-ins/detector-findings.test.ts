import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src/model/result.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import type { SourceStatus } from '../../../src/snapshot/source-status.js';
import { BREAK_GLASS_ACCOUNTS, evaluateSignIns, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { PLACES, signIn } from '../../helpers/sign-in-generator.js';

/*
 * Whole findings (verdict, words, evidence) of break-glass, countries and device code, each built
 * in the test: what an auditor reads, pinned exactly.
 */

const NOW = new Date('2026-11-27T06:00:00Z');
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * 60_000;
const iso = (minutesBefore: number): string => new Date(at(minutesBefore)).toISOString();
const WINDOW = { start: '2026-11-26T05:00:00.000Z', end: '2026-11-27T06:00:00.000Z' };
const BG1 = BREAK_GLASS_ACCOUNTS[0] as string;
const BG2 = BREAK_GLASS_ACCOUNTS[1] as string;

function scan(events: number, extra: Record<string, unknown> = {}, skipped: Record<string, number> = {}) {
  return {
    window: WINDOW,
    eventsRead: events,
    eventsInWindow: events,
    eventsAnalysed: events,
    skipped: { badTime: 0, duplicate: 0, noId: 0, noStatus: 0, noUser: 0, outsideWindow: 0, ...skipped },
    ...extra,
  };
}

const view = (r: Result | undefined) =>
  r && { target: r.target, status: r.status, message: r.message, evidence: r.evidence };

async function judge(
  control: string,
  params: Record<string, unknown>,
  events: readonly SignIn[],
  statuses?: Partial<Record<'graph.signIns', SourceStatus>>,
) {
  const sorted = [...events].sort((a, b) => (a.createdDateTime < b.createdDateTime ? 1 : -1));
  const results = await evaluateSignIns({
    now: NOW,
    pages: [sorted],
    controls: { [control]: params as never },
    ...(statuses ? { statuses } : {}),
  });
  return resultsOf(results, control).map(view);
}

const quiet = (n: number) =>
  signIn({ id: `q${n}`, time: at(100 + n), user: `user${n}@contoso.test`, ip: '198.51.100.1' });

describe('sign-ins.break-glass findings', () => {
  it('with no account listed: not evaluable, saying which parameter to set', async () => {
    expect(await judge('sign-ins.break-glass', { breakGlassAccounts: [] }, [quiet(1)])).toEqual([
      {
        target: 'tenant',
        status: 'not_evaluable',
        message: 'List the break-glass accounts (object IDs) in breakGlassAccounts to watch their sign-ins.',
        evidence: { reason: 'no break-glass accounts configured', parameter: 'breakGlassAccounts', scan: scan(1) },
      },
    ]);
  });

  it('names the account by its sign-in names, counts successes and failures, and passes the one that did not sign in', async () => {
    const glass = (id: string, minutes: number, user: string, errorCode = 0) =>
      signIn({ id, time: at(minutes), user, userId: BG1.toUpperCase(), ip: '203.0.113.5', errorCode });
    const results = await judge('sign-ins.break-glass', { breakGlassAccounts: [BG1.toUpperCase(), BG2] }, [
      glass('g1', 30, 'Glass1@contoso.test'),
      glass('g2', 20, 'glass1@contoso.test', 50126),
      glass('g3', 10, 'zz-alias@contoso.test'),
      quiet(1),
    ]);
    const row = (minutes: number, user: string, errorCode: number) => ({
      time: iso(minutes),
      user,
      ip: '203.0.113.5',
      country: 'US',
      city: 'Boston',
      app: 'Office 365 Exchange Online',
      client: 'Browser',
      result: errorCode === 0 ? 'success' : 'failure',
      errorCode,
    });
    expect(results).toEqual([
      {
        target: BG1,
        status: 'fail',
        message: `3 sign-in(s) by break-glass account glass1@contoso.test (2 successful, 1 failed): confirm each was a drill or an emergency.`,
        evidence: {
          account: BG1,
          userPrincipalNames: ['glass1@contoso.test', 'zz-alias@contoso.test'],
          successes: 2,
          failures: 1,
          signIns: {
            items: [
              row(30, 'glass1@contoso.test', 0),
              row(20, 'glass1@contoso.test', 50126),
              row(10, 'zz-alias@contoso.test', 0),
            ],
            total: 3,
          },
          scan: scan(4),
        },
      },
      {
        target: BG2,
        status: 'pass',
        message: `No sign-in by break-glass account ${BG2} among 4 sign-ins from ${WINDOW.start} to ${WINDOW.end}.`,
        evidence: { account: BG2, signIns: { items: [], total: 0 }, scan: scan(4) },
      },
    ]);
  });

  it('an account record that cannot be read makes that account unknown, not clean', async () => {
    const unreadable = { ...signIn({ id: '', time: at(15), user: 'x@contoso.test', userId: BG2, ip: '198.51.100.2' }) };
    const results = await judge('sign-ins.break-glass', { breakGlassAccounts: [BG2] }, [quiet(1), unreadable]);
    expect(results).toEqual([
      {
        target: BG2,
        status: 'error',
        message: `Whether break-glass account ${BG2} signed in is unknown: 1 sign-in record(s) of this account could not be read (no ID, time or status).`,
        evidence: { account: BG2, scan: { ...scan(1, {}, { noId: 1 }), eventsRead: 2 } },
      },
    ]);
  });

  it('keeps at most eight sign-in names of an account', async () => {
    const events = Array.from({ length: 10 }, (_, n) =>
      signIn({ id: `n${n}`, time: at(10 + n), user: `name${n}@contoso.test`, userId: BG1, ip: '203.0.113.5' }),
    );
    const [finding] = await judge('sign-ins.break-glass', { breakGlassAccounts: [BG1] }, events);
    expect((finding?.evidence as { userPrincipalNames: string[] } | undefined)?.userPrincipalNames).toHaveLength(8);
  });
});

describe('sign-ins.countries findings', () => {
  it('with no allowed country: not evaluable, saying which parameter to set', async () => {
    expect(await judge('sign-ins.countries', { allowedCountries: [] }, [quiet(1)])).toEqual([
      {
        target: 'tenant',
        status: 'not_evaluable',
        message: 'Set allowedCountries in the policy (ISO 3166-1 alpha-2 codes) to judge sign-in countries.',
        evidence: { reason: 'no allowed countries configured', parameter: 'allowedCountries', scan: scan(1) },
      },
    ]);
  });

  it('lists the countries, addresses and apps of the foreign successes, sorted, and the allowed list sorted', async () => {
    const abroad = (
      id: string,
      minutes: number,
      place: (typeof PLACES)[keyof typeof PLACES],
      ip: string,
      app: string,
    ) => signIn({ id, time: at(minutes), user: 'a@contoso.test', ip, place, app });
    const results = await judge('sign-ins.countries', { allowedCountries: ['US', 'CA'] }, [
      abroad('1', 50, PLACES.moscow, '203.0.113.9', 'Teams'),
      abroad('2', 40, PLACES.berlin, '198.51.100.20', 'Outlook'),
      abroad('3', 30, PLACES.berlin, '198.51.100.20', 'Teams'),
      abroad('4', 20, PLACES.amsterdam, '192.0.2.1', 'Outlook'),
      signIn({ id: '5', time: at(10), user: 'a@contoso.test', ip: '198.51.100.1', place: PLACES.toronto }),
      signIn({
        id: '6',
        time: at(9),
        user: 'b@contoso.test',
        ip: '198.51.100.1',
        place: PLACES.moscow,
        errorCode: 50126,
      }),
    ]);
    expect(results).toHaveLength(1);
    expect(results[0]?.message).toBe('4 successful sign-in(s) from DE, NL, RU, outside the allowed countries.');
    expect(results[0]?.evidence).toMatchObject({
      user: 'a@contoso.test',
      countries: { DE: 2, NL: 1, RU: 1 },
      ips: ['192.0.2.1', '198.51.100.20', '203.0.113.9'],
      apps: ['Outlook', 'Teams'],
      allowedCountries: ['CA', 'US'],
    });
    expect(Object.keys((results[0]?.evidence as { countries: object } | undefined)?.countries ?? {})).toEqual([
      'DE',
      'NL',
      'RU',
    ]);
  });

  it('a clean window passes, naming the allowed list', async () => {
    expect(await judge('sign-ins.countries', { allowedCountries: ['US', 'CA'] }, [quiet(1)])).toEqual([
      {
        target: 'tenant',
        status: 'pass',
        message: `No successful sign-in from a country outside the allowed list among 1 events from ${WINDOW.start} to ${WINDOW.end}.`,
        evidence: { allowedCountries: ['CA', 'US'], scan: scan(1) },
      },
    ]);
  });
});

describe('sign-ins.device-code findings', () => {
  const BETA: Partial<Record<'graph.signIns', SourceStatus>> = { 'graph.signIns': { status: 'ok', graphApi: 'beta' } };
  const flow = (id: string, minutes: number, extra: Partial<SignIn> = {}): SignIn => ({
    ...signIn({
      id,
      time: at(minutes),
      user: 'd@contoso.test',
      ip: '198.51.100.7',
      protocol: 'DeviceCode',
      transfer: null,
    }),
    ...extra,
  });

  it('over a v1.0 log it is not evaluable, saying how to read beta', async () => {
    expect(await judge('sign-ins.device-code', { useBetaSignInLog: true }, [quiet(1)])).toEqual([
      {
        target: 'tenant',
        status: 'not_evaluable',
        message:
          'The sign-in log was read from Graph v1.0, which does not say which sign-ins used the device-code flow; set useBetaSignInLog to read it from beta.',
        evidence: {
          reason: 'v1.0 signIn has no authenticationProtocol or originalTransferMethod',
          parameter: 'useBetaSignInLog',
          graphApi: 'v1.0',
        },
      },
    ]);
  });

  it('when beta was refused it says what Graph answered', async () => {
    const refused = { 'graph.signIns': { status: 'ok', betaRefused: '403 Forbidden' } as SourceStatus };
    expect(await judge('sign-ins.device-code', { useBetaSignInLog: true }, [quiet(1)], refused)).toEqual([
      {
        target: 'tenant',
        status: 'not_evaluable',
        message:
          'The beta sign-in log was refused (403 Forbidden), so the run read the log from Graph v1.0, which does not say which sign-ins used the device-code flow; the other sign-in detectors judged the v1.0 log.',
        evidence: {
          reason:
            'the beta sign-in log was refused; v1.0 signIn has no authenticationProtocol or originalTransferMethod',
          betaRefused: '403 Forbidden',
          parameter: 'useBetaSignInLog',
          graphApi: 'v1.0',
        },
      },
    ]);
  });

  it('names the apps and devices of a user, and counts the allowed ones by device and app', async () => {
    const device = 'de71ce00-0000-4000-8000-0000000000aa';
    const app = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
    const results = await judge(
      'sign-ins.device-code',
      { useBetaSignInLog: true, allowedDevices: [device.toUpperCase()], allowedApps: [app] },
      [
        flow('1', 50, {
          appId: 'APP-1',
          appDisplayName: 'Azure CLI',
          deviceDetail: { deviceId: '', displayName: 'Kiosk', operatingSystem: '' },
        }),
        flow('2', 40, {
          appId: 'APP-2',
          appDisplayName: '',
          deviceDetail: { deviceId: 'dev-9', displayName: null, operatingSystem: 'Linux' },
        }),
        flow('3', 30, { appId: '' }),
        flow('4', 20, { deviceDetail: { deviceId: device, displayName: 'Room', operatingSystem: 'Android' } }),
        flow('5', 15, { deviceDetail: { deviceId: device, displayName: 'Room', operatingSystem: 'Android' } }),
        flow('6', 10, { appId: app.toUpperCase() }),
        { ...flow('7', 5), authenticationProtocol: 'none', originalTransferMethod: 'deviceCodeFlow' },
        { ...quiet(1), authenticationProtocol: 'none', originalTransferMethod: 'none' },
        // A flow beta did name on one field only is a known flow, not device code.
        { ...quiet(2), authenticationProtocol: 'none', originalTransferMethod: null },
        { ...quiet(3), authenticationProtocol: null, originalTransferMethod: 'none' },
      ],
      BETA,
    );
    expect(results.map((r) => [r?.target, r?.status, r?.message])).toEqual([
      [
        'd@contoso.test',
        'fail',
        '4 successful device-code sign-in(s) (APP-2, Azure CLI), not from an allowed app or device.',
      ],
    ]);
    expect(results[0]?.evidence).toMatchObject({
      // In the order they came (newest first); the first of a device key is kept.
      apps: [
        { appId: 'APP-2', appDisplayName: null },
        { appId: 'APP-1', appDisplayName: 'Azure CLI' },
      ],
      devices: [
        { deviceId: null, displayName: null, operatingSystem: null },
        { deviceId: 'dev-9', displayName: null, operatingSystem: 'Linux' },
      ],
      allowed: {
        byDevice: { [device]: 2 },
        byApp: { [app]: 1 },
        allowedDevices: [device],
        allowedApps: [app],
      },
    });
  });

  it('counts allowed sign-ins for at most 64 devices', async () => {
    const devices = Array.from({ length: 65 }, (_, n) => `de71ce00-0000-4000-8000-${String(n).padStart(12, '0')}`);
    const events = devices.map((deviceId, n) =>
      flow(`a${n}`, 10 + n, { deviceDetail: { deviceId, displayName: null, operatingSystem: null } }),
    );
    const [finding] = await judge(
      'sign-ins.device-code',
      { useBetaSignInLog: true, allowedDevices: devices },
      [...events, flow('x', 5, { appId: 'APP-X' })],
      BETA,
    );
    expect(
      Object.keys((finding?.evidence as { allowed: { byDevice: object } } | undefined)?.allowed.byDevice ?? {}),
    ).toHaveLength(64);
  });

  it('keeps at most eight apps and devices of a user, and lists the allowed ones sorted', async () => {
    const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const own = Array.from({ length: 9 }, (_, n) =>
      flow(`o${n}`, 10 + n, {
        appId: `APP-${n}`,
        appDisplayName: `App ${n}`,
        deviceDetail: { deviceId: `dev-${n}`, displayName: null, operatingSystem: null },
      }),
    );
    const allowedDevices = [uuid(9), uuid(3)];
    const allowedApps = [uuid(8), uuid(2)];
    const allowedEvents = [...allowedDevices, ...allowedApps].map((id, n) =>
      flow(
        `a${n}`,
        30 + n,
        id.endsWith('9') || id.endsWith('3')
          ? { deviceDetail: { deviceId: id, displayName: null, operatingSystem: null } }
          : { appId: id },
      ),
    );
    const [finding] = await judge(
      'sign-ins.device-code',
      { useBetaSignInLog: true, allowedDevices, allowedApps },
      [...own, ...allowedEvents],
      BETA,
    );
    const evidence = finding?.evidence as
      | {
          apps: unknown[];
          devices: unknown[];
          allowed: { byDevice: object; byApp: object; allowedDevices: string[]; allowedApps: string[] };
        }
      | undefined;
    expect(evidence?.apps).toHaveLength(8);
    expect(evidence?.devices).toHaveLength(8);
    expect(evidence?.allowed).toEqual({
      byDevice: { [uuid(3)]: 1, [uuid(9)]: 1 },
      byApp: { [uuid(2)]: 1, [uuid(8)]: 1 },
      allowedDevices: [uuid(3), uuid(9)],
      allowedApps: [uuid(2), uuid(8)],
    });
    expect(Object.keys(evidence?.allowed.byDevice ?? {})).toEqual([uuid(3), uuid(9)]);
    expect(Object.keys(evidence?.allowed.byApp ?? {})).toEqual([uuid(2), uuid(8)]);
  });
});
