import { describe, expect, it } from 'vitest';
import { carriedSignIn } from '../../../src/checks/sign-ins/carry/carried-sign-in.js';
import { MinuteTally } from '../../../src/checks/sign-ins/carry/minute-tally.js';
import { evaluate } from '../../../src/evaluate/evaluate.js';
import type { Result } from '../../../src/model/result.js';
import type { CarriedControl, CarriedSignIns } from '../../../src/snapshot/carried-sign-ins.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import { SNAPSHOT_FORMAT_VERSION } from '../../../src/snapshot/manifest.js';
import { memorySnapshot } from '../../../src/snapshot/snapshot.js';
import {
  allSignInControls,
  BREAK_GLASS_ACCOUNTS,
  DEVICE_CODE_ON,
  signInPolicy,
} from '../../helpers/sign-in-evaluate.js';
import { PLACES, signIn } from '../../helpers/sign-in-generator.js';

/*
 * An incremental sign-in run (docs/incremental-sign-ins.md) replays what earlier runs carried and
 * carries on what later runs need. These call the engine's own entry (evaluate with `incremental`
 * and a sign-in stream holding the carried part), one run at a time, in memory.
 */

const MINUTE = 60_000;
const row = {
  time: Date.parse('2027-03-01T03:00:00Z'),
  user: 'a@contoso.test',
  ip: '198.51.100.7',
  country: null,
  city: null,
  app: 'Outlook',
  client: 'IMAP4',
  errorCode: 0,
};

describe('carriedSignIn: a carried event in Graph shape', () => {
  it('holds the row fields, no ID, and no location when the row has none', () => {
    expect(carriedSignIn(row)).toStrictEqual({
      id: '',
      createdDateTime: '2027-03-01T03:00:00.000Z',
      userPrincipalName: 'a@contoso.test',
      appDisplayName: 'Outlook',
      clientAppUsed: 'IMAP4',
      ipAddress: '198.51.100.7',
      status: { errorCode: 0 },
      location: null,
    });
  });

  it.each([
    [{ country: 'US' }, {}, { city: null, countryOrRegion: 'US' }],
    [{ city: 'Boston' }, {}, { city: 'Boston', countryOrRegion: null }],
    [{ country: 'US', city: 'Boston' }, {}, { city: 'Boston', countryOrRegion: 'US' }],
    [
      {},
      { lat: 42.36, lon: -71.06 },
      { city: null, countryOrRegion: null, geoCoordinates: { latitude: 42.36, longitude: -71.06 } },
    ],
    [{}, { lat: 0, lon: 0 }, { city: null, countryOrRegion: null, geoCoordinates: { latitude: 0, longitude: 0 } }],
    [{}, { lat: 42.36 }, null],
    [{}, { lon: -71.06 }, null],
    [{ country: 'US' }, { lat: 42.36 }, { city: null, countryOrRegion: 'US' }],
  ])('location of %j with %j is %j', (fields, extras, location) => {
    expect(carriedSignIn({ ...row, ...fields }, extras).location).toStrictEqual(location);
  });

  it('names the object ID only when given (null included), and spreads the flow fields', () => {
    expect('userId' in carriedSignIn(row, {})).toBe(false);
    expect(carriedSignIn(row, { userId: null })).toMatchObject({ userId: null });
    const flow = {
      authenticationProtocol: 'deviceCode',
      originalTransferMethod: null,
      appId: 'app-1',
      deviceDetail: null,
    };
    expect(carriedSignIn(row, { userId: 'ID-1', flow })).toStrictEqual({
      ...carriedSignIn(row),
      userId: 'ID-1',
      ...flow,
    });
  });
});

describe('MinuteTally', () => {
  it('counts by minute inside the window only, totals carried minutes before the read and counted ones after', () => {
    const start = Date.parse('2027-03-01T00:00:00Z');
    const end = start + 10 * MINUTE;
    const readFrom = start + 4 * MINUTE;
    const tally = new MinuteTally(start, end, readFrom, {
      analysed: [
        [start, 1],
        [start + MINUTE, 2],
        [start + 3 * MINUTE, 1],
        // From the read start on, this run counts: the carried figures for these minutes are not used.
        [start + 4 * MINUTE, 9],
        [start + 5 * MINUTE, 50],
        // Before the window.
        [start - MINUTE, 7],
      ],
      'unreadable:x': [[start + 2 * MINUTE, 1]],
      // Only before the window: no total, nothing carried on.
      old: [[start - 2 * MINUTE, 4]],
    });
    tally.count('analysed', start - 1);
    tally.count('analysed', start + 5 * MINUTE + 30_000);
    tally.count('analysed', end);
    tally.count('analysed', end + MINUTE);
    tally.count('noLocation', start + 9 * MINUTE);
    expect(tally.totals()).toEqual(
      new Map([
        ['analysed', 6],
        ['noLocation', 1],
        ['unreadable:x', 1],
      ]),
    );
    expect(tally.carriedTotals()).toEqual(
      new Map([
        ['analysed', 4],
        ['unreadable:x', 1],
      ]),
    );
    expect(tally.carry(start + 6 * MINUTE)).toEqual({
      analysed: [
        [start, 1],
        [start + MINUTE, 2],
        [start + 3 * MINUTE, 1],
        [start + 5 * MINUTE, 1],
      ],
      'unreadable:x': [[start + 2 * MINUTE, 1]],
    });
  });
});

const TENANT = '00000000-0000-0000-0000-00000000beef';
const NOW2 = new Date('2027-03-01T06:00:00Z');
const NOW1 = new Date(NOW2.getTime() - 60 * MINUTE);
/** The default overlap is 60 minutes: run 1 carries what lies before this, run 2 reads from it. */
const HORIZON1 = NOW1.getTime() - 60 * MINUTE;
const BG1 = BREAK_GLASS_ACCOUNTS[0] as string;
const BG2 = BREAK_GLASS_ACCOUNTS[1] as string;
const at = (iso: string): number => Date.parse(`2027-03-01T${iso}:00Z`);
/** The object ID of the n-th made-up account whose sign-in records cannot be read. */
const accountId = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** A sign-in record with no ID (so unreadable) at `time`, naming the account `userId`. */
const unreadableRecord = (n: number, time: number, userId: string | null): SignIn => ({
  ...signIn({ id: '', time, user: `x${n}@contoso.test`, ip: '198.51.100.9' }),
  userId,
});

interface Run {
  readonly now: Date;
  readonly events: readonly SignIn[];
  readonly carried?: CarriedSignIns;
  /** Whether the run is incremental (carries on); a full run reads the whole window and carries nothing. */
  readonly incremental: boolean;
  readonly controls?: Record<string, object>;
  /** Keep the events in the order given (by default they come newest first, as Graph pages them). */
  readonly keepOrder?: boolean;
  /** Where the next run reads from (default: the clock minus the default 60-minute overlap). */
  readonly horizon?: number;
}

const ALLOWED_DEVICE = 'de71ce00-0000-4000-8000-000000000001';
const ALLOWED_APP = 'a11ed000-0000-4000-8000-000000000002';
const CONTROLS = allSignInControls({
  'sign-ins.device-code': { useBetaSignInLog: true, allowedDevices: [ALLOWED_DEVICE], allowedApps: [ALLOWED_APP] },
  'sign-ins.mfa-fatigue': { minDenials: 3 },
  'sign-ins.password-spray': { minUsers: 3 },
});

async function run(r: Run) {
  const policy = signInPolicy((r.controls ?? CONTROLS) as never, r.now);
  const events = r.keepOrder
    ? r.events
    : [...r.events].sort((a, b) => Date.parse(b.createdDateTime ?? '') - Date.parse(a.createdDateTime ?? ''));
  const snapshot = memorySnapshot(
    {
      formatVersion: SNAPSHOT_FORMAT_VERSION,
      tenantId: TENANT,
      capturedAt: r.now.toISOString(),
      tool: { name: 'mailwarden', version: 'test' },
      licences: { 'entra-id-p1': true, 'entra-id-p2': true },
      sources: {
        'graph.signIns': { status: 'ok', graphApi: 'beta' },
        'graph.riskyUsers': { status: 'ok' },
        'graph.riskDetections': { status: 'ok' },
      },
    },
    {
      'graph.signIns': {
        pages: async function* () {
          yield events;
        },
        ...(r.carried ? { carried: r.carried } : {}),
      },
      'graph.riskyUsers': [],
      'graph.riskDetections': [],
    },
  );
  return evaluate(snapshot, policy, {
    now: r.now,
    domains: [],
    ...(r.incremental ? { incremental: { horizon: r.horizon ?? r.now.getTime() - 60 * MINUTE } } : {}),
  });
}

/** What says how a run read the log (the pass's problems count this run's read only). */
const READ_KEYS = new Set(['eventsRead', 'incremental', 'outsideWindow', 'noId', 'noUser', 'noStatus', 'duplicate']);

/** A result without what says how the run read the log. */
function comparable(result: Result): unknown {
  return JSON.parse(JSON.stringify(result, (key, value: unknown) => (READ_KEYS.has(key) ? undefined : value)));
}

const deviceCode = (id: string, time: number, user: string, extra: Partial<SignIn> = {}): SignIn => ({
  ...signIn({ id, time, user, ip: '203.0.113.40', place: PLACES.chicago, protocol: 'deviceCode', transfer: null }),
  appId: 'c0ffee00-0000-4000-8000-000000000001',
  deviceDetail: { deviceId: 'dev-1', displayName: 'Kiosk', operatingSystem: 'Android' },
  ...extra,
});

/** A log with something for every detector before run 2's read start, and after it. */
function log(): SignIn[] {
  const events: SignIn[] = [
    // Break-glass: the first account signs in (successes and a failure); the second has an unreadable record.
    signIn({ id: 'bg-1', time: at('02:00'), user: 'breakglass1@contoso.test', userId: BG1, ip: '198.51.100.1' }),
    signIn({
      id: 'bg-2',
      time: at('04:40'),
      user: 'BreakGlass1@contoso.test',
      userId: BG1.toUpperCase(),
      ip: '198.51.100.1',
      errorCode: 50126,
    }),
    { ...signIn({ id: '', time: at('03:10'), user: 'breakglass2@contoso.test', userId: BG2, ip: '198.51.100.2' }) },
    { ...signIn({ id: '', time: at('03:15'), user: 'z@contoso.test', userId: 'ID-Z', ip: '198.51.100.2' }) },
    // A record naming no user, and one named only by its object ID.
    { ...signIn({ id: 'nouser', time: at('03:20'), user: '', ip: '198.51.100.3' }), userId: null },
    { ...signIn({ id: 'nouser-2', time: at('04:20'), user: '', ip: '198.51.100.3' }), userId: '' },
    { ...signIn({ id: 'idonly', time: at('03:25'), user: '', userId: 'Only-An-Id', ip: '198.51.100.4' }) },
    // Countries: a success from Germany before the read start, one from Nigeria after.
    signIn({ id: 'de', time: at('02:30'), user: 'a@contoso.test', ip: '198.51.100.10', place: PLACES.berlin }),
    signIn({ id: 'ng', time: at('05:10'), user: 'a@contoso.test', ip: '198.51.100.11', place: PLACES.lagos }),
    // Legacy: IMAP success before, POP failure after.
    signIn({ id: 'imap', time: at('03:00'), user: 'b@contoso.test', ip: '198.51.100.20', client: 'IMAP4' }),
    signIn({
      id: 'pop',
      time: at('04:50'),
      user: 'b@contoso.test',
      ip: '198.51.100.21',
      client: 'POP3',
      errorCode: 50126,
    }),
    // Travel: Boston then Berlin within half an hour (carried), then Berlin and Moscow after the read start.
    signIn({ id: 't1', time: at('01:00'), user: 'c@contoso.test', ip: '198.51.100.30', place: PLACES.boston }),
    signIn({ id: 't2', time: at('01:30'), user: 'c@contoso.test', ip: '198.51.100.31', place: PLACES.berlin }),
    signIn({ id: 't3', time: at('04:30'), user: 'c@contoso.test', ip: '198.51.100.32', place: PLACES.berlin }),
    signIn({ id: 't4', time: at('04:45'), user: 'c@contoso.test', ip: '198.51.100.33', place: PLACES.moscow }),
    // A user who stays in one place (only the last point carries).
    signIn({ id: 's1', time: at('00:30'), user: 'e@contoso.test', ip: '198.51.100.40', place: PLACES.denver }),
    signIn({ id: 's2', time: at('02:30'), user: 'e@contoso.test', ip: '198.51.100.40', place: PLACES.denver }),
    signIn({ id: 's3', time: at('05:30'), user: 'e@contoso.test', ip: '198.51.100.40', place: PLACES.chicago }),
    // Device code: one outside the allowed list before, one after; and a success of unknown flow.
    deviceCode('dc-1', at('03:30'), 'd@contoso.test'),
    deviceCode('dc-2', at('05:20'), 'd@contoso.test', { deviceDetail: null }),
    deviceCode('dc-device', at('03:35'), 'd@contoso.test', {
      deviceDetail: { deviceId: ALLOWED_DEVICE.toUpperCase(), displayName: null, operatingSystem: 'Windows' },
    }),
    deviceCode('dc-app', at('03:40'), 'd@contoso.test', { appId: ALLOWED_APP }),
    deviceCode('dc-app-2', at('04:35'), 'd@contoso.test', { appId: ALLOWED_APP }),
    { ...signIn({ id: 'unknown-flow', time: at('02:45'), user: 'f@contoso.test', ip: '198.51.100.50' }) },
    // MFA fatigue: denials that straddle the read start, then a success.
    ...[3, 2, 1].map((k) =>
      signIn({
        id: `mfa-${k}`,
        time: HORIZON1 - k * 4 * MINUTE,
        user: 'g@contoso.test',
        ip: '198.51.100.60',
        errorCode: 500121,
      }),
    ),
    signIn({
      id: 'mfa-4',
      time: HORIZON1 + 2 * MINUTE,
      user: 'g@contoso.test',
      ip: '198.51.100.60',
      errorCode: 500121,
    }),
    signIn({ id: 'mfa-ok', time: HORIZON1 + 5 * MINUTE, user: 'g@contoso.test', ip: '198.51.100.60' }),
    // Password spray: one source failing for three users across the read start.
    ...['h1', 'h2', 'h3'].map((u, k) =>
      signIn({
        id: `spray-${u}`,
        time: HORIZON1 + (k - 1) * 3 * MINUTE,
        user: `${u}@contoso.test`,
        ip: '203.0.113.99',
        errorCode: 50126,
      }),
    ),
  ];
  // Device code rows need the beta flow fields on every success: the rest are plain browser sign-ins.
  return events.map((e) =>
    e.authenticationProtocol !== undefined || e.id === 'unknown-flow'
      ? e
      : { ...e, authenticationProtocol: 'none', originalTransferMethod: 'none' },
  );
}

describe('an incremental run over a carried part', () => {
  it('judges its window as one full run over it would, from what the run before carried', async () => {
    const events = log();
    const first = await run({
      now: NOW1,
      incremental: true,
      events: events.filter((e) => Date.parse(e.createdDateTime ?? '') <= NOW1.getTime()),
    });
    const carried = first.carried;
    expect(carried).toBeDefined();
    const controls = Object.fromEntries(carried ?? []) as Record<string, CarriedControl>;
    const readAfter = events.filter((e) => {
      const t = Date.parse(e.createdDateTime ?? '');
      return t >= HORIZON1 && t <= NOW2.getTime();
    });
    const second = await run({
      now: NOW2,
      incremental: true,
      events: readAfter,
      carried: { readFrom: HORIZON1, controls },
    });
    const full = await run({ now: NOW2, incremental: false, events });
    // The pass's problems count what each run read: the full run read the record without an ID and those naming no user.
    const problems = (r: Result | undefined) =>
      (r?.evidence as { scan: { skipped: object } } | undefined)?.scan.skipped;
    const statuses = (results: readonly Result[]) => results.map((r) => `${r.control} ${r.target} ${r.status}`).sort();
    expect(statuses(second.results)).toEqual(statuses(full.results));
    expect(statuses(full.results)).toEqual([
      `legacy-auth.sign-ins b@contoso.test fail`,
      `sign-ins.break-glass ${BG1} fail`,
      `sign-ins.break-glass ${BG2} error`,
      'sign-ins.countries a@contoso.test fail',
      'sign-ins.countries c@contoso.test fail',
      'sign-ins.device-code d@contoso.test fail',
      'sign-ins.device-code tenant error',
      'sign-ins.impossible-travel a@contoso.test fail',
      'sign-ins.impossible-travel c@contoso.test fail',
      'sign-ins.mfa-fatigue g@contoso.test fail',
      'sign-ins.password-spray 203.0.113.0/24 fail',
      'sign-ins.risky-users tenant pass',
    ]);
    expect(second.results.map(comparable)).toEqual(full.results.map(comparable));
    // What the incremental run says it read and carried (break-glass: one carried sign-in, and the
    // two unreadable records of accounts and the one naming no user).
    const glass = second.results.find((r) => r.control === 'sign-ins.break-glass' && r.target === BG1);
    expect((glass?.evidence as { scan: object } | undefined)?.scan).toMatchObject({
      incremental: { readFrom: '2027-03-01T04:00:00.000Z', carriedEvents: 1, carriedUnreadable: 3 },
    });
    // A run reading the whole log again (a snapshot replay) judges the same, counting what lies
    // before its read start as outside its window.
    const readable = events.filter((e) => !Number.isNaN(Date.parse(e.createdDateTime ?? '')));
    const again = await run({
      now: NOW2,
      incremental: true,
      events: readable,
      carried: { readFrom: HORIZON1, controls },
    });
    expect(statuses(again.results)).toEqual(statuses(full.results));
    // Known difference: break-glass counts the unreadable records the replay read again before its
    // read start on top of those carried for them (its message says 2 records where there is 1).
    const besideBg2 = (results: readonly Result[]) =>
      results.filter((r) => !(r.control === 'sign-ins.break-glass' && r.target === BG2)).map(comparable);
    expect(besideBg2(again.results)).toEqual(besideBg2(full.results));
    const before = readable.filter(
      (e) => e.id !== '' && (e.userPrincipalName || e.userId) && Date.parse(e.createdDateTime ?? '') < HORIZON1,
    );
    expect(problems(again.results.find((r) => r.control === 'legacy-auth.sign-ins'))).toEqual({
      badTime: 0,
      duplicate: 0,
      noId: 2,
      noStatus: 0,
      noUser: 2,
      outsideWindow: before.length,
    });
    expect(problems(second.results.find((r) => r.control === 'legacy-auth.sign-ins'))).toEqual({
      badTime: 0,
      duplicate: 0,
      noId: 0,
      noStatus: 0,
      noUser: 1,
      outsideWindow: 0,
    });
    expect(problems(full.results.find((r) => r.control === 'legacy-auth.sign-ins'))).toEqual({
      badTime: 0,
      duplicate: 0,
      noId: 2,
      noStatus: 0,
      noUser: 2,
      outsideWindow: 0,
    });
    const tenantDeviceCode = full.results.find((r) => r.control === 'sign-ins.device-code' && r.target === 'tenant');
    expect(tenantDeviceCode?.message).toBe(
      '1 successful sign-in(s) carry neither authenticationProtocol nor originalTransferMethod, so whether they used the device-code flow is unknown.',
    );
    expect(tenantDeviceCode?.evidence).toMatchObject({ unknownFlow: 1, scan: { skipped: { unknownFlow: 1 } } });
    const deviceCodeUser = full.results.find((r) => r.control === 'sign-ins.device-code' && r.target !== 'tenant');
    expect(deviceCodeUser?.evidence).toMatchObject({
      allowed: { byDevice: { [ALLOWED_DEVICE]: 1 }, byApp: { [ALLOWED_APP]: 2 } },
    });
  });

  it('carries every break-glass, foreign, legacy and device-code event before the horizon, as Graph shapes', async () => {
    const events = log().filter((e) => Date.parse(e.createdDateTime ?? '') <= NOW1.getTime());
    const { carried } = await run({ now: NOW1, incremental: true, events });
    const of = (control: string) => carried?.get(control)?.events ?? [];
    expect(of('sign-ins.break-glass')).toStrictEqual([
      {
        id: '',
        createdDateTime: '2027-03-01T02:00:00.000Z',
        userPrincipalName: 'breakglass1@contoso.test',
        userId: BG1,
        appDisplayName: 'Office 365 Exchange Online',
        clientAppUsed: 'Browser',
        ipAddress: '198.51.100.1',
        status: { errorCode: 0 },
        location: { city: 'Boston', countryOrRegion: 'US' },
      },
    ]);
    expect(of('sign-ins.countries').map((e) => [e.createdDateTime, e.location?.countryOrRegion])).toEqual([
      ['2027-03-01T02:30:00.000Z', 'DE'],
      ['2027-03-01T01:30:00.000Z', 'DE'],
    ]);
    expect(of('legacy-auth.sign-ins').map((e) => [e.userPrincipalName, e.clientAppUsed])).toEqual([
      ['b@contoso.test', 'IMAP4'],
    ]);
    const deviceCodes = of('sign-ins.device-code');
    expect(deviceCodes.map((e) => [e.createdDateTime, e.appId, e.deviceDetail?.deviceId])).toEqual([
      ['2027-03-01T03:40:00.000Z', ALLOWED_APP, 'dev-1'],
      ['2027-03-01T03:35:00.000Z', 'c0ffee00-0000-4000-8000-000000000001', ALLOWED_DEVICE.toUpperCase()],
      ['2027-03-01T03:30:00.000Z', 'c0ffee00-0000-4000-8000-000000000001', 'dev-1'],
      ['2027-03-01T02:45:00.000Z', null, undefined],
    ]);
    expect(deviceCodes[1]?.deviceDetail).toStrictEqual({
      deviceId: ALLOWED_DEVICE.toUpperCase(),
      displayName: null,
      operatingSystem: 'Windows',
    });
    expect(deviceCodes.slice(2)).toStrictEqual([
      {
        id: '',
        createdDateTime: '2027-03-01T03:30:00.000Z',
        userPrincipalName: 'd@contoso.test',
        userId: 'id-d@contoso.test',
        authenticationProtocol: 'deviceCode',
        originalTransferMethod: null,
        appId: 'c0ffee00-0000-4000-8000-000000000001',
        deviceDetail: { deviceId: 'dev-1', displayName: 'Kiosk', operatingSystem: 'Android' },
        appDisplayName: 'Office 365 Exchange Online',
        clientAppUsed: 'Browser',
        ipAddress: '203.0.113.40',
        status: { errorCode: 0 },
        location: { city: 'Chicago', countryOrRegion: 'US' },
      },
      expect.objectContaining({
        createdDateTime: '2027-03-01T02:45:00.000Z',
        userPrincipalName: 'f@contoso.test',
        authenticationProtocol: null,
        originalTransferMethod: null,
        appId: null,
        deviceDetail: null,
      }),
    ]);
    // Travel: from the first impossible hop on for c; the last point alone for e.
    expect(
      of('sign-ins.impossible-travel')
        .filter((e) => e.userPrincipalName === 'c@contoso.test' || e.userPrincipalName === 'e@contoso.test')
        .map((e) => [e.userPrincipalName, e.createdDateTime, e.location?.geoCoordinates?.latitude]),
    ).toEqual([
      ['e@contoso.test', '2027-03-01T02:30:00.000Z', PLACES.denver.lat],
      ['c@contoso.test', '2027-03-01T01:00:00.000Z', PLACES.boston.lat],
      ['c@contoso.test', '2027-03-01T01:30:00.000Z', PLACES.berlin.lat],
    ]);
    // Every other user's last point before the horizon (d's last point, at 04:35, is read again).
    expect(of('sign-ins.impossible-travel')).toHaveLength(8);
    // Nothing at or after the horizon is carried: the next run reads it again.
    for (const control of carried?.values() ?? []) {
      for (const event of control.events) expect(Date.parse(event.createdDateTime ?? '')).toBeLessThan(HORIZON1);
    }
    // The unreadable records are carried as counts: one of the second account, one of nobody.
    expect(Object.keys(carried?.get('sign-ins.break-glass')?.minutes ?? {}).sort()).toEqual([
      'analysed',
      'unreadable:',
      `unreadable:${BG2}`,
      'unreadable:id-z',
    ]);
  });
});

describe('incremental edge cases', () => {
  const minute = (iso: string): number => Math.floor(at(iso) / MINUTE) * MINUTE;

  it('a v1.0 log carries nothing for device code: an empty part, so the next run stays not evaluable', async () => {
    const policy = signInPolicy(DEVICE_CODE_ON, NOW1);
    const snapshot = memorySnapshot(
      {
        formatVersion: SNAPSHOT_FORMAT_VERSION,
        tenantId: TENANT,
        capturedAt: NOW1.toISOString(),
        tool: { name: 'mailwarden', version: 'test' },
        licences: { 'entra-id-p1': true, 'entra-id-p2': true },
        sources: { 'graph.signIns': { status: 'ok' } },
      },
      { 'graph.signIns': { pages: async function* () {} } },
    );
    const evaluation = await evaluate(snapshot, policy, {
      now: NOW1,
      domains: [],
      incremental: { horizon: HORIZON1 },
    });
    expect(evaluation.carried?.get('sign-ins.device-code')).toStrictEqual({ events: [], minutes: {} });
    expect(evaluation.results.map((r) => r.status)).toEqual(['not_evaluable']);
  });

  it('device code: carried counts with no carried event to judge are no clean pass', async () => {
    const { results } = await run({
      now: NOW2,
      incremental: true,
      events: [],
      controls: DEVICE_CODE_ON,
      carried: {
        readFrom: HORIZON1,
        controls: { 'sign-ins.device-code': { events: [], minutes: { unknownFlow: [[minute('03:00'), 1]] } } },
      },
    });
    expect(results.map((r) => [r.target, r.status, r.message])).toEqual([
      [
        'tenant',
        'error',
        'No sign-in is in the window, which is far likelier a collection fault than a quiet day: device-code sign-ins cannot be ruled out.',
      ],
    ]);
    expect(results[0]?.evidence).toMatchObject({ scan: { eventsInWindow: 1, eventsAnalysed: 0 } });
  });

  it('break-glass: carried counts with no analysed event are no pass for any account', async () => {
    const { results } = await run({
      now: NOW2,
      incremental: true,
      events: [],
      controls: { 'sign-ins.break-glass': { breakGlassAccounts: BREAK_GLASS_ACCOUNTS } },
      carried: {
        readFrom: HORIZON1,
        controls: { 'sign-ins.break-glass': { events: [], minutes: { noLocation: [[minute('03:00'), 2]] } } },
      },
    });
    expect(results.map((r) => [r.target, r.status, r.message])).toEqual(
      [BG1, BG2].map((id) => [
        id,
        'error',
        `Whether break-glass account ${id} signed in is unknown: no sign-in at all is in the window, which is far likelier a collection fault than a quiet day.`,
      ]),
    );
  });

  it('a carried event named only by its object ID is that user; one without user or status fails the run', async () => {
    const controls = { 'sign-ins.break-glass': { breakGlassAccounts: BREAK_GLASS_ACCOUNTS } };
    const carriedEvent = { ...carriedSignIn({ ...row, user: '' }, { userId: BG1 }), userPrincipalName: null };
    const ok = await run({
      now: NOW2,
      incremental: true,
      events: [],
      controls,
      carried: {
        readFrom: HORIZON1,
        controls: {
          'sign-ins.break-glass': { events: [carriedEvent], minutes: { analysed: [[minute('03:00'), 1]] } },
        },
      },
    });
    expect(ok.results.map((r) => [r.target, r.status])).toEqual([
      [BG1, 'fail'],
      [BG2, 'pass'],
    ]);
    expect(ok.results[0]?.evidence).toMatchObject({ userPrincipalNames: [BG1] });
    for (const broken of [
      { ...carriedEvent, status: {} },
      { ...carriedEvent, userId: null },
      { ...carriedEvent, userId: '' },
    ]) {
      const failed = await run({
        now: NOW2,
        incremental: true,
        events: [],
        controls,
        carried: {
          readFrom: HORIZON1,
          controls: {
            'sign-ins.break-glass': { events: [broken as SignIn], minutes: { analysed: [[minute('03:00'), 1]] } },
          },
        },
      });
      expect(failed.results.map((r) => [r.status, r.message])).toEqual([
        ['error', 'Reading graph.signIns failed part-way: a carried sign-in lacks its time, user or status'],
      ]);
    }
  });
});

describe('unreadable records an incremental run carries', () => {
  it('keeps 64 accounts apart; the records of more accounts are carried as any account (*), and still keep break-glass from passing', async () => {
    const controls = { 'sign-ins.break-glass': { breakGlassAccounts: BREAK_GLASS_ACCOUNTS } };
    const noId = (n: number, userId: string | null): SignIn => unreadableRecord(n, at('03:50') - n * MINUTE, userId);
    const others = Array.from({ length: 64 }, (_, n) => noId(n, accountId(n)));
    const events = [
      ...others,
      noId(64, BG2),
      noId(65, null),
      // The first account again, after the 64th: still its own series.
      { ...noId(66, others[0]?.userId ?? null) },
      signIn({ id: 'ok', time: at('04:50'), user: 'y@contoso.test', ip: '198.51.100.8' }),
    ];
    const first = await run({ now: NOW1, incremental: true, events: events.slice().reverse(), controls });
    const minutes = first.carried?.get('sign-ins.break-glass')?.minutes ?? {};
    const names = Object.keys(minutes);
    expect(names).toContain('unreadable:*');
    expect(names).toContain('unreadable:');
    expect(names).not.toContain(`unreadable:${BG2}`);
    expect(names.filter((n) => n.startsWith('unreadable:') && n.length > 12)).toHaveLength(64);
    expect(minutes['unreadable:*']).toEqual([[at('03:50') - 64 * MINUTE, 1]]);
    expect(minutes[`unreadable:${others[0]?.userId}`]).toEqual([
      [at('03:50') - 66 * MINUTE, 1],
      [at('03:50'), 1],
    ]);
    const second = await run({
      now: NOW2,
      incremental: true,
      events: [signIn({ id: 'later', time: at('05:30'), user: 'y@contoso.test', ip: '198.51.100.8' })],
      controls,
      carried: {
        readFrom: HORIZON1,
        controls: Object.fromEntries(first.carried ?? []) as Record<string, CarriedControl>,
      },
    });
    expect(second.results.map((r) => [r.target, r.status, r.message])).toEqual(
      [BG1, BG2].map((id) => [
        id,
        'error',
        `Whether break-glass account ${id} signed in is unknown: 1 sign-in record(s) of this account could not be read (no ID, time or status).`,
      ]),
    );
  });

  it('a window whose every record has an unreadable time is no clean result', async () => {
    const controls = { 'legacy-auth.sign-ins': {} };
    const events = [
      {
        ...signIn({ id: 'bad-1', time: at('05:00'), user: 'a@contoso.test', ip: '198.51.100.1' }),
        createdDateTime: 'soon',
      },
    ];
    const { results } = await run({ now: NOW2, incremental: false, events, controls });
    expect(results.map((r) => [r.target, r.status, r.message])).toEqual([
      [
        'tenant',
        'error',
        '1 sign-in record has a createdDateTime that is not an ISO 8601 date-time, so whether it falls in the window is unknown: no clean result can be given (the evidence names the first ones).',
      ],
    ]);
    expect(results[0]?.evidence).toMatchObject({
      scan: { eventsInWindow: 0, unparseableDates: { count: 1, examples: [{ id: 'bad-1', createdDateTime: 'soon' }] } },
    });
  });
});

describe('records whose time cannot be read', () => {
  const legacyOnly = { 'legacy-auth.sign-ins': {} };
  const badTime = (id: string, userId: string): SignIn => ({
    ...signIn({ id, time: at('03:00'), user: `${userId}@contoso.test`, userId, ip: '198.51.100.1' }),
    createdDateTime: 'soon',
  });

  it('carried as counts, keep the next run from a clean result; a record with no ID but a time is no such record', async () => {
    const first = await run({
      now: NOW1,
      incremental: true,
      controls: legacyOnly,
      events: [
        badTime('bad', 'id-x'),
        { ...signIn({ id: '', time: at('03:30'), user: 'y@contoso.test', userId: 'id-y', ip: '198.51.100.2' }) },
        signIn({ id: 'ok', time: at('02:00'), user: 'a@contoso.test', ip: '198.51.100.3' }),
      ],
    });
    const second = await run({
      now: NOW2,
      incremental: true,
      controls: legacyOnly,
      events: [signIn({ id: 'ok-2', time: at('05:00'), user: 'a@contoso.test', ip: '198.51.100.3' })],
      carried: {
        readFrom: HORIZON1,
        controls: Object.fromEntries(first.carried ?? []) as Record<string, CarriedControl>,
      },
    });
    expect(second.results.map((r) => [r.status, r.message])).toEqual([
      [
        'error',
        '1 sign-in record has a createdDateTime that is not an ISO 8601 date-time, so whether it falls in the window is unknown: no clean result can be given (the evidence names the first ones).',
      ],
    ]);
    expect(second.results[0]?.evidence).toMatchObject({
      scan: { eventsInWindow: 2, incremental: { readFrom: '2027-03-01T04:00:00.000Z', carriedUnreadable: 2 } },
    });
  });

  it('turn clean results into errors, never a real finding; two or more are named in the plural', async () => {
    const { results } = await run({
      now: NOW2,
      incremental: false,
      controls: { ...legacyOnly, 'sign-ins.countries': { allowedCountries: ['US'] } },
      events: [
        badTime('bad-1', 'id-1'),
        badTime('bad-2', 'id-2'),
        signIn({ id: 'imap', time: at('05:00'), user: 'a@contoso.test', ip: '198.51.100.3', client: 'IMAP4' }),
      ],
    });
    expect(results.map((r) => [r.control, r.status, r.message])).toEqual([
      ['legacy-auth.sign-ins', 'fail', '1 successful legacy-protocol sign-in(s) (IMAP4).'],
      [
        'sign-ins.countries',
        'error',
        '2 sign-in records have a createdDateTime that is not an ISO 8601 date-time, so whether they fall in the window is unknown: no clean result can be given (the evidence names the first ones).',
      ],
    ]);
  });

  it('a window of nothing but unreadable times gives the bare scan as evidence', async () => {
    const { results } = await run({
      now: NOW2,
      incremental: false,
      controls: legacyOnly,
      events: [badTime('b', 'id-1')],
    });
    expect(results[0]?.evidence).toEqual({
      scan: {
        window: { start: '2027-02-28T05:00:00.000Z', end: '2027-03-01T06:00:00.000Z' },
        eventsRead: 1,
        eventsInWindow: 0,
        eventsAnalysed: 0,
        skipped: { badTime: 1, duplicate: 0, noId: 0, noStatus: 0, noUser: 0, outsideWindow: 0 },
        unparseableDates: { count: 1, examples: [{ id: 'b', createdDateTime: 'soon' }] },
      },
    });
  });
});

describe('the window edges', () => {
  it('an event at the very start or end of the window is in it; a millisecond earlier is not', async () => {
    const start = NOW2.getTime() - 25 * 60 * MINUTE;
    const { results } = await run({
      now: NOW2,
      incremental: false,
      controls: { 'legacy-auth.sign-ins': {} },
      events: [
        signIn({ id: 'first', time: start, user: 'a@contoso.test', ip: '198.51.100.1' }),
        signIn({ id: 'last', time: NOW2.getTime(), user: 'a@contoso.test', ip: '198.51.100.1' }),
        signIn({ id: 'early', time: start - 1, user: 'a@contoso.test', ip: '198.51.100.1' }),
      ],
    });
    expect(results[0]?.evidence).toMatchObject({
      scan: { eventsRead: 3, eventsInWindow: 2, skipped: { outsideWindow: 1 } },
    });
  });

  it('unreadable records outside the window or before the read start take no place among the 64 accounts kept apart', async () => {
    const start = NOW1.getTime() - 25 * 60 * MINUTE;
    const events = [
      ...Array.from({ length: 64 }, (_, n) => unreadableRecord(n, start - (n + 1) * MINUTE, accountId(n))),
      ...Array.from({ length: 64 }, (_, n) =>
        unreadableRecord(100 + n, NOW1.getTime() + (n + 1) * MINUTE, accountId(100 + n)),
      ),
      unreadableRecord(200, start, accountId(200)),
      unreadableRecord(201, NOW1.getTime(), accountId(201)),
      unreadableRecord(202, at('03:00'), BG2),
      signIn({ id: 'ok', time: at('03:30'), user: 'y@contoso.test', ip: '198.51.100.8' }),
    ];
    // The 128 records before the window and after it come first, ahead of the accounts' own.
    const { carried } = await run({
      now: NOW1,
      incremental: true,
      keepOrder: true,
      events,
      controls: { 'sign-ins.break-glass': { breakGlassAccounts: BREAK_GLASS_ACCOUNTS } },
    });
    const names = Object.keys(carried?.get('sign-ins.break-glass')?.minutes ?? {}).sort();
    expect(names).toEqual(['analysed', `unreadable:${accountId(200)}`, `unreadable:${BG2}`]);
  });
});

describe('unreadable records at the very end of the window', () => {
  it('take their place among the 64 accounts kept apart', async () => {
    const events = [
      ...Array.from({ length: 64 }, (_, n) => unreadableRecord(n, NOW1.getTime(), accountId(n))),
      unreadableRecord(99, at('03:00'), BG2),
      signIn({ id: 'ok', time: at('03:30'), user: 'y@contoso.test', ip: '198.51.100.8' }),
    ];
    const { carried } = await run({
      now: NOW1,
      incremental: true,
      events,
      controls: { 'sign-ins.break-glass': { breakGlassAccounts: BREAK_GLASS_ACCOUNTS } },
    });
    expect(Object.keys(carried?.get('sign-ins.break-glass')?.minutes ?? {}).sort()).toEqual([
      'analysed',
      'unreadable:*',
    ]);
  });
});

describe('a replay that reads the log before its read start again', () => {
  it('leaves those unreadable records to the carried counts: they take no place among the 64 accounts', async () => {
    const events = [
      ...Array.from({ length: 64 }, (_, n) => unreadableRecord(n, HORIZON1 - (n + 1) * MINUTE, accountId(n))),
      unreadableRecord(99, at('04:30'), BG2),
      signIn({ id: 'ok', time: at('04:40'), user: 'y@contoso.test', ip: '198.51.100.8' }),
    ];
    // Oldest first: the records before the read start come before the account's.
    const { carried } = await run({
      now: NOW2,
      incremental: true,
      keepOrder: true,
      events,
      controls: { 'sign-ins.break-glass': { breakGlassAccounts: BREAK_GLASS_ACCOUNTS } },
      carried: { readFrom: HORIZON1, controls: { 'sign-ins.break-glass': { events: [], minutes: {} } } },
    });
    expect(Object.keys(carried?.get('sign-ins.break-glass')?.minutes ?? {}).sort()).toEqual([
      'analysed',
      `unreadable:${BG2}`,
    ]);
  });
});

describe('MFA fatigue across runs with no overlap', () => {
  it('carries the success of the last bucket before the next read, which a burst read later may reach', async () => {
    // 48 hours in 9-minute buckets; the bucket from 04:57 holds the success and the burst's start.
    const controls = { 'sign-ins.mfa-fatigue': { lookbackHours: 48, overlapMinutes: 0, minDenials: 3 } };
    const success = signIn({ id: 'ok', time: at('04:59'), user: 'g@contoso.test', ip: '198.51.100.60' });
    const denials = ['05:01', '05:02', '05:03'].map((t) =>
      signIn({ id: `d-${t}`, time: at(t), user: 'g@contoso.test', ip: '198.51.100.60', errorCode: 500121 }),
    );
    const first = await run({ now: NOW1, incremental: true, horizon: NOW1.getTime(), controls, events: [success] });
    const second = await run({
      now: NOW2,
      incremental: true,
      horizon: NOW2.getTime(),
      controls,
      events: denials,
      carried: {
        readFrom: NOW1.getTime(),
        controls: Object.fromEntries(first.carried ?? []) as Record<string, CarriedControl>,
      },
    });
    const full = await run({ now: NOW2, incremental: false, controls, events: [success, ...denials] });
    expect(full.results.map((r) => r.message)).toEqual([
      '3 MFA denials or timeouts within 60 minutes, followed by a successful sign-in.',
    ]);
    expect(second.results.map(comparable)).toEqual(full.results.map(comparable));
  });
});

describe('clean results say what they examined', () => {
  it('the travel and MFA-fatigue passes end their own sentence once', async () => {
    const { results } = await run({
      now: NOW2,
      incremental: false,
      controls: { 'sign-ins.impossible-travel': {}, 'sign-ins.mfa-fatigue': {} },
      events: [signIn({ id: 'a', time: at('05:00'), user: 'a@contoso.test', ip: '198.51.100.1' })],
    });
    expect(results.map((r) => r.message)).toEqual([
      'No impossible travel between successive successful sign-ins among 1 events from 2027-02-28T05:00:00.000Z to 2027-03-01T06:00:00.000Z.',
      'No user reached the MFA-fatigue threshold among 1 events from 2027-02-28T05:00:00.000Z to 2027-03-01T06:00:00.000Z.',
    ]);
  });
});
