import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/evaluate/evaluate.js';
import type { CarriedControl, CarriedSignIns } from '../../../src/snapshot/carried-sign-ins.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import { SNAPSHOT_FORMAT_VERSION } from '../../../src/snapshot/manifest.js';
import { memorySnapshot } from '../../../src/snapshot/snapshot.js';
import { signInPolicy } from '../../helpers/sign-in-evaluate.js';
import { signIn } from '../../helpers/sign-in-generator.js';

/*
 * What an incremental run carries for password spray (docs/incremental-sign-ins.md): each
 * source's failures newest first, the named successes of the sources that failed, and of the
 * other successes one per source and minute, only those a later burst could reach (near a
 * failure, or in the last time bucket before the next read). The look-back window is 25 hours,
 * so the time buckets are 5 minutes; the spray window is 60 minutes.
 */

const MINUTE = 60_000;
const TENANT = '00000000-0000-0000-0000-00000000beef';
const NOW1 = new Date('2027-03-01T05:00:00Z');
const NOW2 = new Date('2027-03-01T06:00:00Z');
/** Run 1 carries what lies before this (the default overlap is 60 minutes); run 2 reads from it. */
const HORIZON1 = NOW1.getTime() - 60 * MINUTE;
const at = (hhmm: string): number => Date.parse(`2027-03-01T${hhmm}:00Z`);
const upn = (user: string): string => `${user}@contoso.test`;
const CONTROLS = { 'sign-ins.password-spray': { minUsers: 3 } };

const failure = (id: string, hhmm: string, user: string, ip: string): SignIn =>
  signIn({ id, time: at(hhmm), user: upn(user), ip, errorCode: 50126 });
const success = (id: string, hhmm: string, user: string, ip: string): SignIn =>
  signIn({ id, time: at(hhmm), user: upn(user), ip });

/** One evaluation of the spray control over one page read in the order given. */
async function run(now: Date, events: readonly SignIn[], incremental: boolean, carried?: CarriedSignIns) {
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
        ...(carried ? { carried } : {}),
      },
    },
  );
  return evaluate(snapshot, signInPolicy(CONTROLS, now), {
    now,
    domains: [],
    ...(incremental ? { incremental: { horizon: now.getTime() - 60 * MINUTE } } : {}),
  });
}

/** `time user ip result` of each carried event, in the order carried. */
const carriedRows = (control: CarriedControl | undefined): string[] =>
  (control?.events ?? []).map(
    (e) =>
      `${e.createdDateTime?.slice(11, 16)} ${e.userPrincipalName?.replace('@contoso.test', '')} ${e.ipAddress} ${
        e.status?.errorCode === 0 ? 'ok' : 'failed'
      }`,
  );

/**
 * Four sources, read in this order (so numbered 0 to 3):
 * - Z 192.0.2.0/24: one failure, two successes long before it (named, so carried however far);
 * - A 203.0.113.0/24: a spray before the horizon read out of order, and named successes far
 *   before it, just after it (also a success of its minute), and after the horizon;
 * - B 198.51.100.0/24: successes only, four around the start of the last bucket before the
 *   horizon (03:55) and one long before;
 * - C 100.64.0.0/24: two failures read oldest first, four successes after the horizon (which
 *   take its named places), and older ones at and just past the reach of its failures: from one
 *   bucket before a failure to two windows and a bucket after it.
 */
function firstRunLog(): SignIn[] {
  return [
    failure('z-f', '03:50', 'zf', '192.0.2.1'),
    success('z-s1', '03:00', 'zs1', '192.0.2.2'),
    success('z-s2', '02:30', 'zs2', '192.0.2.3'),
    success('a-late', '04:45', 'al', '203.0.113.1'),
    success('b-1', '03:56', 'b1', '198.51.100.1'),
    success('c-4', '04:33', 'c4', '100.64.0.4'),
    success('c-3', '04:32', 'c3', '100.64.0.3'),
    success('c-2', '04:31', 'c2', '100.64.0.2'),
    success('c-1', '04:30', 'c1', '100.64.0.1'),
    success('b-2', '03:55', 'b2', '198.51.100.2'),
    success('b-3', '03:54', 'b3', '198.51.100.3'),
    failure('a-f1', '03:10', 'u1', '203.0.113.11'),
    failure('a-f3', '03:30', 'u3', '203.0.113.13'),
    failure('a-f2', '03:20', 'u2', '203.0.113.12'),
    success('a-near', '03:40', 'an', '203.0.113.2'),
    success('c-reach', '03:05', 'cr', '100.64.0.5'),
    success('c-past', '03:06', 'cp', '100.64.0.6'),
    success('a-early', '02:00', 'ae', '203.0.113.3'),
    success('b-old', '01:00', 'bo', '198.51.100.4'),
    failure('c-f2', '00:30', 'v2', '100.64.0.21'),
    failure('c-f1', '01:00', 'v1', '100.64.0.22'),
    success('c-before', '00:25', 'cb', '100.64.0.7'),
    success('c-early', '00:24', 'ce', '100.64.0.8'),
  ];
}

describe('password spray: what an incremental run carries', () => {
  it('carries failures newest first, the named successes of failing sources once, and only the successes a later burst could reach', async () => {
    const first = await run(NOW1, firstRunLog(), true);
    expect(carriedRows(first.carried?.get('sign-ins.password-spray'))).toEqual([
      // Failures, by source in the order first seen, each newest first.
      '03:50 zf 192.0.2.1 failed',
      '03:30 u3 203.0.113.13 failed',
      '03:20 u2 203.0.113.12 failed',
      '03:10 u1 203.0.113.11 failed',
      '01:00 v1 100.64.0.22 failed',
      '00:30 v2 100.64.0.21 failed',
      // The named successes before the horizon of the sources that failed (C's are all after it).
      '03:00 zs1 192.0.2.2 ok',
      '02:30 zs2 192.0.2.3 ok',
      '03:40 an 203.0.113.2 ok',
      '02:00 ae 203.0.113.3 ok',
      // Of the other successes: B's in the last bucket before the horizon, C's within reach of its failures.
      '03:56 b1 198.51.100.1 ok',
      '03:55 b2 198.51.100.2 ok',
      '03:05 cr 100.64.0.5 ok',
      '00:25 cb 100.64.0.7 ok',
    ]);
  });

  it("carries at most a source's newest 4,096 failures", async () => {
    const start = at('00:00');
    const failures = Array.from({ length: 4100 }, (_, k) =>
      signIn({ id: `f-${k}`, time: start + k * 1000, user: upn(`u${k}`), ip: '203.0.113.1', errorCode: 50126 }),
    );
    const first = await run(NOW1, failures, true);
    const events = first.carried?.get('sign-ins.password-spray')?.events ?? [];
    expect(events).toHaveLength(4096);
    expect(events[0]?.userPrincipalName).toBe(upn('u4099'));
    expect(events[4095]?.userPrincipalName).toBe(upn('u4'));
  });

  it('a run over the carried part and the log after the horizon judges as one full run', async () => {
    const later = [
      // B is sprayed after the horizon; A fails once more.
      failure('b-f1', '04:10', 'w1', '198.51.100.21'),
      failure('b-f2', '04:05', 'w2', '198.51.100.22'),
      failure('b-f3', '04:00', 'w3', '198.51.100.23'),
      failure('a-f4', '04:05', 'u4', '203.0.113.14'),
    ];
    const log = [...later, ...firstRunLog()];
    const first = await run(
      NOW1,
      log.filter((e) => Date.parse(e.createdDateTime ?? '') <= NOW1.getTime()),
      true,
    );
    const second = await run(
      NOW2,
      log.filter((e) => Date.parse(e.createdDateTime ?? '') >= HORIZON1),
      true,
      {
        readFrom: HORIZON1,
        controls: Object.fromEntries(first.carried ?? []) as Record<string, CarriedControl>,
      },
    );
    const full = await run(NOW2, log, false);
    const summary = (results: typeof full.results) =>
      results.map((r) => ({
        target: r.target,
        message: r.message,
        successes: r.evidence.successesFromSource,
        users: r.evidence.users,
        rows: r.evidence.failedSignIns,
      }));
    expect(summary(second.results)).toEqual(summary(full.results));
    expect(full.results.map((r) => [r.target, r.severity, r.evidence.compromisedUsers])).toEqual([
      // B's successes lie before its burst: none of them got in.
      ['198.51.100.0/24', 'high', []],
      // A's success just after its first burst was carried; the one after the horizon read again.
      ['203.0.113.0/24', 'critical', [upn('al'), upn('an')]],
    ]);
  });
});
