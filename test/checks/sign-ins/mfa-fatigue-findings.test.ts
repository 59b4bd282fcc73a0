import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/evaluate/evaluate.js';
import type { CarriedControl } from '../../../src/snapshot/carried-sign-ins.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import { SNAPSHOT_FORMAT_VERSION } from '../../../src/snapshot/manifest.js';
import { memorySnapshot } from '../../../src/snapshot/snapshot.js';
import { evaluateSignIns, resultsOf, signInPolicy } from '../../helpers/sign-in-evaluate.js';
import { signIn } from '../../helpers/sign-in-generator.js';

/*
 * What an auditor reads in an MFA-fatigue finding (the message, every evidence field), and what
 * an incremental run carries for it: each user's denials newest first, and of the successes one
 * per user and minute that a later burst could reach.
 */

const NOW = new Date('2026-11-27T06:00:00Z');
const MINUTE = 60_000;
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * MINUTE;
const iso = (minutesBefore: number): string => new Date(at(minutesBefore)).toISOString();
const upn = (user: string): string => `${user}@contoso.test`;

const denial = (id: string, minutesBefore: number, user: string): SignIn =>
  signIn({ id, time: at(minutesBefore), user: upn(user), ip: '198.51.100.60', errorCode: 500121 });
const success = (id: string, minutesBefore: number, user: string): SignIn =>
  signIn({ id, time: at(minutesBefore), user: upn(user), ip: '198.51.100.60' });

const row = (minutesBefore: number, user: string) => ({
  time: iso(minutesBefore),
  user: upn(user),
  ip: '198.51.100.60',
  country: 'US',
  city: 'Boston',
  app: 'Office 365 Exchange Online',
  client: 'Browser',
  result: 'failure',
  errorCode: 500121,
});

async function fatigue(events: readonly SignIn[], params: Record<string, unknown> = {}) {
  const results = await evaluateSignIns({
    now: NOW,
    pages: [events],
    controls: { 'sign-ins.mfa-fatigue': { minDenials: 3, ...params } as never },
  });
  return resultsOf(results, 'sign-ins.mfa-fatigue');
}

const scanOf = (read: number) => ({
  window: { start: '2026-11-26T05:00:00.000Z', end: '2026-11-27T06:00:00.000Z' },
  eventsRead: read,
  eventsInWindow: read,
  eventsAnalysed: read,
  skipped: { noId: 0, badTime: 0, noUser: 0, noStatus: 0, duplicate: 0, outsideWindow: 0 },
});

describe('sign-ins.mfa-fatigue findings', () => {
  it('a burst followed by a success: the message and every evidence field', async () => {
    const results = await fatigue(
      [
        // A success 20 minutes after the burst's last denial: within successWithinMinutes (30).
        success('ok', 80, 'g'),
        denial('d3', 100, 'g'),
        denial('d2', 110, 'g'),
        denial('d1', 120, 'g'),
        // Hours before: a row of the evidence, not of the burst.
        denial('d0', 400, 'g'),
      ],
      { successWithinMinutes: 30 },
    );
    expect(results.map((r) => [r.target, r.status, r.severity, r.message])).toEqual([
      [upn('g'), 'fail', 'critical', '3 MFA denials or timeouts within 60 minutes, followed by a successful sign-in.'],
    ]);
    expect(results[0]?.evidence).toEqual({
      user: upn('g'),
      denialsInBurst: 3,
      minDenials: 3,
      burst: { start: iso(120), end: iso(100) },
      denials: { items: [row(400, 'g'), row(120, 'g'), row(110, 'g'), row(100, 'g')], total: 4 },
      successDuringOrAfter: true,
      successWindow: { start: iso(120), end: iso(70) },
      successResolutionMinutes: 5,
      scan: scanOf(5),
    });
  });

  it('a burst with no success after it is high and ends its sentence', async () => {
    const results = await fatigue([
      denial('d3', 100, 'g'),
      denial('d2', 110, 'g'),
      denial('d1', 120, 'g'),
      // After the 15 minutes that follow the burst.
      success('late', 80, 'g'),
    ]);
    expect(results.map((r) => [r.severity, r.message])).toEqual([
      ['high', '3 MFA denials or timeouts within 60 minutes.'],
    ]);
    expect(results[0]?.evidence).toMatchObject({
      successDuringOrAfter: false,
      successWindow: { start: iso(120), end: iso(85) },
    });
  });

  it('no burst: a pass naming the threshold and window', async () => {
    const results = await fatigue(
      [
        // Two denials only.
        denial('a1', 10, 'a'),
        denial('a2', 11, 'a'),
        // Three denials, never three within 30 minutes.
        denial('b1', 100, 'b'),
        denial('b2', 140, 'b'),
        denial('b3', 180, 'b'),
        // Failures that are no MFA denial.
        ...[20, 21, 22].map((m) =>
          signIn({ id: `p${m}`, time: at(m), user: upn('c'), ip: '198.51.100.61', errorCode: 50126 }),
        ),
      ],
      { windowMinutes: 30 },
    );
    expect(results.map((r) => [r.target, r.status, r.message])).toEqual([
      [
        'tenant',
        'pass',
        'No user reached the MFA-fatigue threshold among 8 events from 2026-11-26T05:00:00.000Z to 2026-11-27T06:00:00.000Z.',
      ],
    ]);
    expect(results[0]?.evidence).toEqual({ minDenials: 3, windowMinutes: 30, scan: scanOf(8) });
  });
});

const TENANT = '00000000-0000-0000-0000-00000000beef';
const NOW1 = new Date('2027-03-01T05:00:00Z');
const NOW2 = new Date('2027-03-01T06:00:00Z');
const HORIZON1 = NOW1.getTime() - 60 * MINUTE;
const clock = (hhmm: string): number => Date.parse(`2027-03-01T${hhmm}:00Z`);

/** One evaluation of the fatigue control (minDenials 3, window 60, success within 15) over one page in the order given. */
async function run(
  now: Date,
  events: readonly SignIn[],
  incremental: boolean,
  carried?: Record<string, CarriedControl>,
) {
  const snapshot = memorySnapshot(
    {
      formatVersion: SNAPSHOT_FORMAT_VERSION,
      tenantId: TENANT,
      capturedAt: now.toISOString(),
      tool: { name: 'mailwarden', version: 'test' },
      licences: { 'entra-id-p1': true, 'entra-id-p2': true },
      sources: { 'graph.signIns': { status: 'ok' } },
    },
    {
      'graph.signIns': {
        pages: async function* () {
          yield events;
        },
        ...(carried ? { carried: { readFrom: HORIZON1, controls: carried } } : {}),
      },
    },
  );
  return evaluate(snapshot, signInPolicy({ 'sign-ins.mfa-fatigue': { minDenials: 3 } }, now), {
    now,
    domains: [],
    ...(incremental ? { incremental: { horizon: now.getTime() - 60 * MINUTE } } : {}),
  });
}

const denialAt = (id: string, hhmm: string, user: string): SignIn =>
  signIn({ id, time: clock(hhmm), user: upn(user), ip: '198.51.100.60', errorCode: 500121 });
const successAt = (id: string, hhmm: string, user: string): SignIn =>
  signIn({ id, time: clock(hhmm), user: upn(user), ip: '198.51.100.60' });

/** `time user result` of each carried event, in the order carried. */
const carriedRows = (control: CarriedControl | undefined): string[] =>
  (control?.events ?? []).map(
    (e) =>
      `${e.createdDateTime?.slice(11, 16)} ${e.userPrincipalName?.replace('@contoso.test', '')} ${
        e.status?.errorCode === 0 ? 'ok' : 'denied'
      }`,
  );

describe('MFA fatigue: what an incremental run carries', () => {
  it('carries denials newest first by user, and only the successes a later burst could reach', async () => {
    // Reach of a denial at t: from t - 5 minutes (one bucket) to t + 60 + 15 + 5 minutes.
    const first = await run(
      NOW1,
      [
        // g: successes after the horizon (not carried), in its last bucket before it (03:55 on), long before.
        successAt('g-after', '04:10', 'g'),
        successAt('g-last', '03:56', 'g'),
        successAt('g-edge', '03:55', 'g'),
        successAt('g-before-edge', '03:54', 'g'),
        successAt('g-old', '01:00', 'g'),
        // h: two denials read oldest first, and successes at and just past their reach.
        denialAt('h-d2', '00:30', 'h'),
        denialAt('h-d1', '01:00', 'h'),
        successAt('h-reach', '02:20', 'h'),
        successAt('h-past', '02:21', 'h'),
        successAt('h-from', '00:25', 'h'),
        successAt('h-early', '00:24', 'h'),
      ],
      true,
    );
    expect(carriedRows(first.carried?.get('sign-ins.mfa-fatigue'))).toEqual([
      '01:00 h denied',
      '00:30 h denied',
      '03:56 g ok',
      '03:55 g ok',
      '02:20 h ok',
      '00:25 h ok',
    ]);
  });

  it("carries at most a user's newest 1,024 denials", async () => {
    const start = clock('00:00');
    const denials = Array.from({ length: 1030 }, (_, k) =>
      signIn({ id: `d-${k}`, time: start + k * 1000, user: upn('g'), ip: '198.51.100.60', errorCode: 500121 }),
    );
    const first = await run(NOW1, denials, true);
    const events = first.carried?.get('sign-ins.mfa-fatigue')?.events ?? [];
    expect(events).toHaveLength(1024);
    expect(events[0]?.createdDateTime).toBe(new Date(start + 1029 * 1000).toISOString());
    expect(events[1023]?.createdDateTime).toBe(new Date(start + 6 * 1000).toISOString());
  });

  it('a run over the carried part and the log after the horizon judges as one full run', async () => {
    const log = [
      denialAt('d4', '04:02', 'g'),
      denialAt('d3', '03:58', 'g'),
      denialAt('d2', '03:50', 'g'),
      denialAt('d1', '03:45', 'g'),
      successAt('ok', '03:40', 'g'),
      successAt('ok-2', '03:30', 'h'),
      denialAt('h1', '03:20', 'h'),
      denialAt('h2', '03:10', 'h'),
      denialAt('h3', '03:00', 'h'),
    ];
    const first = await run(
      NOW1,
      log.filter((e) => Date.parse(e.createdDateTime ?? '') <= NOW1.getTime()),
      true,
    );
    const second = await run(
      NOW2,
      log.filter((e) => Date.parse(e.createdDateTime ?? '') >= HORIZON1),
      true,
      Object.fromEntries(first.carried ?? []) as Record<string, CarriedControl>,
    );
    const full = await run(NOW2, log, false);
    const summary = (results: typeof full.results) =>
      results.map((r) => ({
        target: r.target,
        message: r.message,
        burst: r.evidence.burst,
        denials: r.evidence.denials,
      }));
    expect(summary(second.results)).toEqual(summary(full.results));
    expect(full.results.map((r) => [r.target, r.message])).toEqual([
      [upn('g'), '4 MFA denials or timeouts within 60 minutes.'],
      [upn('h'), '3 MFA denials or timeouts within 60 minutes, followed by a successful sign-in.'],
    ]);
  });
});
