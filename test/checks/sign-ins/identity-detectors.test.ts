import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src/model/result.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import type { SourceStatus } from '../../../src/snapshot/source-status.js';
import { evaluateSignIns, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { PLACES, signIn, type SignInSpec } from '../../helpers/sign-in-generator.js';

/*
 * sign-ins.break-glass and sign-ins.device-code over a small, quiet day of sign-ins: one
 * mutation per case, and the false friends (a break-glass account with no sign-in, a meeting-room
 * device allowed by ID) that must stay passes.
 */

const NOW = new Date('2026-11-27T06:00:00Z');
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * 60_000;

const GLASS_1 = 'b1a55000-0000-4000-8000-000000000001';
const GLASS_2 = 'b1a55000-0000-4000-8000-000000000002';
const ROOM_DEVICE = 'de71ce00-0000-4000-8000-0000000000aa';
const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const BROKER = '29d9ed98-a469-4536-ade2-f981bc1d605e';
const BETA: Partial<Record<'graph.signIns', SourceStatus>> = { 'graph.signIns': { status: 'ok', graphApi: 'beta' } };

let n = 0;
/** A sign-in as the beta log returns it: every record carries the flow fields. */
const beta = (spec: Omit<SignInSpec, 'id'>): SignIn =>
  signIn({ id: `e-${n++}`, protocol: 'none', transfer: 'none', ...spec });

/** Twenty quiet sign-ins of ordinary users. */
function quietDay(): SignIn[] {
  return Array.from({ length: 20 }, (_, i) =>
    beta({ time: at(30 + i * 60), user: `user${i % 5}@contoso.test`, ip: `198.51.100.${i % 5}` }),
  );
}

async function run(
  events: readonly SignIn[],
  controls: Record<string, Record<string, unknown>>,
  statuses: Partial<Record<'graph.signIns', SourceStatus>> = BETA,
  exceptions: readonly Record<string, unknown>[] = [],
): Promise<readonly Result[]> {
  const sorted = [...events].sort((a, b) => (a.createdDateTime < b.createdDateTime ? 1 : -1));
  return evaluateSignIns({
    now: NOW,
    pages: [sorted.slice(0, 7), sorted.slice(7)],
    controls: controls as never,
    statuses,
    exceptions: exceptions as never,
  });
}

const glass = (accounts: readonly string[] = [GLASS_1, GLASS_2]) => ({
  'sign-ins.break-glass': { breakGlassAccounts: accounts },
});
const deviceCode = (params: Record<string, unknown> = {}) => ({
  'sign-ins.device-code': { useBetaSignInLog: true, ...params },
});
const summary = (rs: readonly Result[]) => rs.map((r) => `${r.target} ${r.status}`).sort();

describe('sign-ins.break-glass', () => {
  it('false friend: break-glass accounts with no sign-in pass, one result each, saying what was read', async () => {
    const rs = resultsOf(await run(quietDay(), glass()), 'sign-ins.break-glass');
    expect(summary(rs)).toEqual([`${GLASS_1} pass`, `${GLASS_2} pass`]);
    expect(rs[0]?.message).toMatch(/among 20 sign-ins from 2026-11-26T05:00:00.000Z to 2026-11-27T06:00:00.000Z/);
    expect(rs[0]?.evidence).toMatchObject({ scan: { eventsAnalysed: 20 } });
  });

  it('a successful sign-in by a break-glass account fails that account only, at critical, with its rows', async () => {
    const events = [
      ...quietDay(),
      beta({
        time: at(90),
        user: 'breakglass@contoso.onmicrosoft.com',
        userId: GLASS_1,
        ip: '203.0.113.9',
        app: 'Azure Portal',
      }),
    ];
    const rs = resultsOf(await run(events, glass()), 'sign-ins.break-glass');
    expect(summary(rs)).toEqual([`${GLASS_1} fail`, `${GLASS_2} pass`]);
    const fail = rs.find((r) => r.target === GLASS_1);
    expect(fail).toMatchObject({
      severity: 'critical',
      evidence: {
        account: GLASS_1,
        userPrincipalNames: ['breakglass@contoso.onmicrosoft.com'],
        successes: 1,
        failures: 0,
        signIns: {
          total: 1,
          items: [{ time: '2026-11-27T04:30:00.000Z', ip: '203.0.113.9', app: 'Azure Portal', result: 'success' }],
        },
      },
    });
  });

  it('a failed sign-in is a finding too, at the policy severity; the match is on the object ID, in any case', async () => {
    const events = [
      ...quietDay(),
      beta({
        time: at(45),
        user: 'emergency@contoso.onmicrosoft.com',
        userId: GLASS_2.toUpperCase(),
        ip: '203.0.113.10',
        errorCode: 50126,
      }),
      beta({
        time: at(44),
        user: 'emergency@contoso.onmicrosoft.com',
        userId: GLASS_2.toUpperCase(),
        ip: '203.0.113.10',
        errorCode: 50126,
      }),
    ];
    const rs = resultsOf(await run(events, glass([GLASS_1.toUpperCase(), GLASS_2])), 'sign-ins.break-glass');
    expect(summary(rs)).toEqual([`${GLASS_1} pass`, `${GLASS_2} fail`]);
    expect(rs.find((r) => r.target === GLASS_2)).toMatchObject({
      severity: 'high',
      evidence: { successes: 0, failures: 2, signIns: { total: 2 } },
    });
  });

  it('a sign-in outside the look-back window does not count; a planned drill is excepted until its date', async () => {
    const drill = beta({ time: at(100), user: 'bg@contoso.test', userId: GLASS_1, ip: '203.0.113.9' });
    const old = beta({ time: at(60 * 30), user: 'bg@contoso.test', userId: GLASS_2, ip: '203.0.113.9' });
    const rs = resultsOf(
      await run([...quietDay(), drill, old], glass(), BETA, [
        {
          control: 'sign-ins.break-glass',
          target: GLASS_1,
          reason: 'Quarterly break-glass drill, ticket CHG-4711, run by the on-call lead',
          approvedBy: 'ciso@contoso.test',
          expires: '2026-12-31',
        },
      ]),
      'sign-ins.break-glass',
    );
    expect(summary(rs)).toEqual([`${GLASS_1} excepted`, `${GLASS_2} pass`]);
  });

  it('without accounts listed the control is not evaluable; an empty window is an error, never a pass', async () => {
    expect(summary(resultsOf(await run(quietDay(), glass([])), 'sign-ins.break-glass'))).toEqual([
      'tenant not_evaluable',
    ]);
    // The shared fold: a window with no event at all concludes nothing, for every listed account.
    const rs = resultsOf(await run([], glass()), 'sign-ins.break-glass');
    expect(summary(rs)).toEqual(['tenant error']);
    expect(rs[0]?.message).toMatch(/holds no event/);
  });

  it("an unreadable record of an account makes that account unknown (error); another user's does not", async () => {
    const unreadable = (userId: string) => ({
      ...beta({ time: at(10), user: 'someone@contoso.test', userId, ip: '198.51.100.1' }),
      createdDateTime: 'yesterday',
    });
    const own = resultsOf(await run([...quietDay(), unreadable(GLASS_1)], glass()), 'sign-ins.break-glass');
    expect(summary(own)).toEqual([`${GLASS_1} error`, `${GLASS_2} pass`]);
    expect(own[0]?.message).toMatch(/1 sign-in record\(s\) of this account could not be read/);
    // The match is on userId, compared without case.
    const upper = resultsOf(
      await run([...quietDay(), { ...unreadable(GLASS_2.toUpperCase()), status: null }], glass()),
      'sign-ins.break-glass',
    );
    expect(summary(upper)).toEqual([`${GLASS_1} pass`, `${GLASS_2} error`]);
    const other = resultsOf(
      await run([...quietDay(), unreadable('00000000-0000-4000-8000-0000000000aa')], glass()),
      'sign-ins.break-glass',
    );
    expect(summary(other)).toEqual([`${GLASS_1} pass`, `${GLASS_2} pass`]);
  });

  it('a record that names no user may be any account: every account without sign-ins is an error', async () => {
    const {
      userId: _id,
      userPrincipalName: _upn,
      ...anonymous
    } = beta({
      time: at(10),
      user: 'x@contoso.test',
      ip: '198.51.100.1',
    });
    const rs = resultsOf(await run([...quietDay(), anonymous as SignIn], glass()), 'sign-ins.break-glass');
    expect(summary(rs)).toEqual([`${GLASS_1} error`, `${GLASS_2} error`]);
    expect(rs[0]?.message).toMatch(/name no user/);
  });

  it('reads the v1.0 log as well: it needs nothing beta has', async () => {
    const events = [
      ...quietDay(),
      signIn({ id: 'v1-glass', time: at(20), user: 'bg@contoso.test', userId: GLASS_1, ip: '203.0.113.9' }),
    ];
    const rs = resultsOf(await run(events, glass(), {}), 'sign-ins.break-glass');
    expect(summary(rs)).toEqual([`${GLASS_1} fail`, `${GLASS_2} pass`]);
  });
});

describe('sign-ins.device-code', () => {
  it('a quiet day passes, naming how many sign-ins were examined', async () => {
    const rs = resultsOf(await run(quietDay(), deviceCode()), 'sign-ins.device-code');
    expect(summary(rs)).toEqual(['tenant pass']);
    expect(rs[0]?.message).toMatch(/among 20 events from /);
  });

  it('a successful device-code sign-in fails its user, with the app and device', async () => {
    const events = [
      ...quietDay(),
      beta({
        time: at(75),
        user: 'victim@contoso.test',
        ip: '198.51.100.77',
        protocol: 'deviceCode',
        transfer: 'deviceCodeFlow',
        appId: BROKER,
        app: 'Microsoft Authentication Broker',
      }),
    ];
    const rs = resultsOf(await run(events, deviceCode()), 'sign-ins.device-code');
    expect(summary(rs)).toEqual(['victim@contoso.test fail']);
    expect(rs[0]?.evidence).toMatchObject({
      apps: [{ appId: BROKER, appDisplayName: 'Microsoft Authentication Broker' }],
      devices: [{ deviceId: null }],
      signIns: { total: 1, items: [{ result: 'success', ip: '198.51.100.77' }] },
    });
  });

  it('a later request of a device-code session (originalTransferMethod) counts; a failed one does not', async () => {
    const events = [
      ...quietDay(),
      beta({
        time: at(15),
        user: 'session@contoso.test',
        ip: '198.51.100.8',
        transfer: 'deviceCodeFlow',
        protocol: 'oAuth2',
      }),
      beta({
        time: at(16),
        user: 'blocked@contoso.test',
        ip: '198.51.100.9',
        protocol: 'deviceCode',
        errorCode: 530033,
      }),
    ];
    expect(summary(resultsOf(await run(events, deviceCode()), 'sign-ins.device-code'))).toEqual([
      'session@contoso.test fail',
    ]);
  });

  it('false friend: the meeting-room device allowed by ID passes; the same flow from another device fails', async () => {
    const room = (id: string) =>
      beta({
        time: at(300),
        user: 'room-3a@contoso.test',
        ip: '198.51.100.30',
        protocol: 'deviceCode',
        transfer: 'deviceCodeFlow',
        appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
        app: 'Microsoft Teams',
        device: { deviceId: id, displayName: 'CONF-ROOM-3A' },
      });
    const allowed = resultsOf(
      await run([...quietDay(), room(ROOM_DEVICE)], deviceCode({ allowedDevices: [ROOM_DEVICE.toUpperCase()] })),
      'sign-ins.device-code',
    );
    expect(summary(allowed)).toEqual(['tenant pass']);
    expect(allowed[0]?.evidence).toMatchObject({ allowed: { byDevice: { [ROOM_DEVICE]: 1 } } });
    const other = resultsOf(
      await run(
        [...quietDay(), room('de71ce00-0000-4000-8000-0000000000bb')],
        deviceCode({ allowedDevices: [ROOM_DEVICE] }),
      ),
      'sign-ins.device-code',
    );
    expect(summary(other)).toEqual(['room-3a@contoso.test fail']);
  });

  it('an allowed app passes; a device that is not registered is never allowed by device', async () => {
    const cli = beta({
      time: at(50),
      user: 'admin@contoso.test',
      ip: '198.51.100.50',
      protocol: 'deviceCode',
      appId: AZURE_CLI,
      app: 'Microsoft Azure CLI',
      device: { deviceId: '', displayName: null },
    });
    expect(
      summary(
        resultsOf(await run([...quietDay(), cli], deviceCode({ allowedApps: [AZURE_CLI] })), 'sign-ins.device-code'),
      ),
    ).toEqual(['tenant pass']);
    expect(
      summary(
        resultsOf(
          await run([...quietDay(), cli], deviceCode({ allowedDevices: [ROOM_DEVICE] })),
          'sign-ins.device-code',
        ),
      ),
    ).toEqual(['admin@contoso.test fail']);
  });

  it('a log read from v1.0 is not evaluable, naming the option; nothing is guessed from other fields', async () => {
    // The same device-code sign-in, as v1.0 returns it: no flow fields at all.
    const v1 = signIn({
      id: 'v1-dc',
      time: at(75),
      user: 'victim@contoso.test',
      ip: '198.51.100.77',
      client: 'Mobile Apps and Desktop clients',
    });
    const rs = resultsOf(await run([...quietDay(), v1], deviceCode(), {}), 'sign-ins.device-code');
    expect(rs).toMatchObject([
      { target: 'tenant', status: 'not_evaluable', evidence: { parameter: 'useBetaSignInLog', graphApi: 'v1.0' } },
    ]);
  });

  it('a beta log whose success carries no flow fields cannot pass: error, beside what it did find', async () => {
    const blank = signIn({ id: 'blank', time: at(75), user: 'who@contoso.test', ip: '198.51.100.71' });
    const rs = resultsOf(await run([...quietDay(), blank], deviceCode()), 'sign-ins.device-code');
    expect(summary(rs)).toEqual(['tenant error']);
    expect(rs[0]?.evidence).toMatchObject({ unknownFlow: 1 });
    const found = beta({ time: at(70), user: 'victim@contoso.test', ip: '198.51.100.77', protocol: 'deviceCode' });
    expect(summary(resultsOf(await run([...quietDay(), blank, found], deviceCode()), 'sign-ins.device-code'))).toEqual([
      'tenant error',
      'victim@contoso.test fail',
    ]);
  });

  it('an empty window is an error, never a pass', async () => {
    expect(summary(resultsOf(await run([], deviceCode()), 'sign-ins.device-code'))).toEqual(['tenant error']);
  });

  it('device-code sign-ins by other users and from anywhere are judged per user', async () => {
    const events = [
      ...quietDay(),
      beta({ time: at(200), user: 'a@contoso.test', ip: '102.88.1.1', place: PLACES.lagos, protocol: 'deviceCode' }),
      beta({ time: at(210), user: 'a@contoso.test', ip: '102.88.1.1', place: PLACES.lagos, protocol: 'DeviceCode' }),
      beta({ time: at(220), user: 'b@contoso.test', ip: '198.51.100.2', protocol: 'deviceCode' }),
    ];
    const rs = resultsOf(await run(events, deviceCode()), 'sign-ins.device-code');
    expect(summary(rs)).toEqual(['a@contoso.test fail', 'b@contoso.test fail']);
    expect(rs.find((r) => r.target === 'a@contoso.test')?.evidence).toMatchObject({ signIns: { total: 2 } });
  });
});
