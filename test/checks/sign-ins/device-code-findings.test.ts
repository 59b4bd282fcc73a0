import { describe, expect, it } from 'vitest';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import type { SourceStatus } from '../../../src/snapshot/source-status.js';
import { evaluateSignIns, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { signIn } from '../../helpers/sign-in-generator.js';

/*
 * What sign-ins.device-code says: which beta flow values are the device-code flow (exactly, in
 * any case), its findings' words, its pass, and what it says when the log came from v1.0.
 */

const NOW = new Date('2026-11-27T06:00:00Z');
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * 60_000;
const BETA: SourceStatus = { status: 'ok', graphApi: 'beta' };

const flow = (id: string, protocol: string | null, transfer: string | null, extra: Partial<SignIn> = {}): SignIn => ({
  ...signIn({ id, time: at(10), user: 'd@contoso.test', ip: '203.0.113.40', protocol, transfer }),
  appId: 'c0ffee00-0000-4000-8000-000000000001',
  deviceDetail: { deviceId: 'dev-1', displayName: 'Kiosk', operatingSystem: 'Android' },
  ...extra,
});

async function deviceCode(events: readonly SignIn[], signIns: SourceStatus = BETA, params: object = {}) {
  const results = await evaluateSignIns({
    now: NOW,
    pages: [events],
    controls: { 'sign-ins.device-code': { useBetaSignInLog: true, ...params } as never },
    statuses: { 'graph.signIns': signIns },
  });
  return resultsOf(results, 'sign-ins.device-code');
}

describe('sign-ins.device-code', () => {
  it.each([
    ['deviceCode', 'none', true],
    ['DEVICECODE', null, true],
    ['none', 'deviceCodeFlow', true],
    ['oAuth2', 'DeviceCodeFlow', true],
    // Other values of the same length are other flows.
    ['nativeAuth', 'none', false],
    ['none', 'deviceCodeFlox', false],
    ['deviceCod', 'deviceCodeFlo', false],
  ])('protocol %j with transfer %j is the device-code flow: %s', async (protocol, transfer, isDeviceCode) => {
    const results = await deviceCode([flow('x', protocol, transfer)]);
    expect(results.map((r) => [r.target, r.status])).toEqual([
      isDeviceCode ? ['d@contoso.test', 'fail'] : ['tenant', 'pass'],
    ]);
  });

  it('a device-code sign-in naming no app says so', async () => {
    const results = await deviceCode([flow('x', 'deviceCode', null, { appId: null, appDisplayName: null })]);
    expect(results.map((r) => r.message)).toEqual([
      '1 successful device-code sign-in(s) (app not named), not from an allowed app or device.',
    ]);
    expect(results[0]?.evidence).toMatchObject({
      apps: [],
      devices: [{ deviceId: 'dev-1', displayName: 'Kiosk', operatingSystem: 'Android' }],
    });
  });

  it('one success of known flow beside one of unknown flow: the unknown one keeps the control from passing', async () => {
    const results = await deviceCode([flow('known', 'none', 'none'), flow('unknown', null, null)]);
    expect(results.map((r) => [r.target, r.status, r.message])).toEqual([
      [
        'tenant',
        'error',
        '1 successful sign-in(s) carry neither authenticationProtocol nor originalTransferMethod, so whether they used the device-code flow is unknown.',
      ],
    ]);
  });

  it('a pass names what it examined and the allowed apps and devices', async () => {
    const results = await deviceCode(
      [
        flow('allowed-device', 'deviceCode', 'none', {
          deviceDetail: { deviceId: 'DE71CE00-0000-4000-8000-000000000001', displayName: null, operatingSystem: null },
        }),
        flow('plain', 'none', 'none'),
      ],
      BETA,
      { allowedDevices: ['de71ce00-0000-4000-8000-000000000001'] },
    );
    expect(results.map((r) => [r.target, r.status, r.message])).toEqual([
      [
        'tenant',
        'pass',
        'No successful device-code sign-in outside the allowed apps and devices among 2 events from 2026-11-26T05:00:00.000Z to 2026-11-27T06:00:00.000Z.',
      ],
    ]);
    expect(results[0]?.evidence).toMatchObject({
      allowed: {
        byDevice: { 'de71ce00-0000-4000-8000-000000000001': 1 },
        byApp: {},
        allowedDevices: ['de71ce00-0000-4000-8000-000000000001'],
        allowedApps: [],
      },
    });
  });

  it.each([
    [
      'read from v1.0',
      { status: 'ok' } as SourceStatus,
      'The sign-in log was read from Graph v1.0, which does not say which sign-ins used the device-code flow; set useBetaSignInLog to read it from beta.',
    ],
    [
      'refused by beta',
      { status: 'ok', betaRefused: 'HTTP 403' } as SourceStatus,
      'The beta sign-in log was refused (HTTP 403), so the run read the log from Graph v1.0, which does not say which sign-ins used the device-code flow; the other sign-in detectors judged the v1.0 log.',
    ],
  ])('a log %s is not evaluable, saying why', async (_case, status, message) => {
    const results = await deviceCode([flow('x', null, null)], status);
    expect(results.map((r) => [r.target, r.status, r.message])).toEqual([['tenant', 'not_evaluable', message]]);
  });

  it('a v1.0 log cut part-way is an error whose evidence says nothing of it was covered', async () => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: {
        // biome-ignore lint/correctness/useYield: a log that fails before its first page
        async *pages() {
          throw new Error('connection reset');
        },
      },
      controls: { 'sign-ins.device-code': { useBetaSignInLog: true } },
      statuses: { 'graph.signIns': { status: 'ok' } },
    });
    expect(resultsOf(results, 'sign-ins.device-code').map((r) => [r.status, r.evidence])).toStrictEqual([
      ['error', { source: 'graph.signIns', error: 'connection reset', covered: {} }],
    ]);
  });
});
