import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src/model/result.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import { evaluateSignIns, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { signIn } from '../../helpers/sign-in-generator.js';

/*
 * What an auditor reads in a password-spray finding: the message, every evidence field, the
 * caps on its lists, and which successes from the source it names (the newest four per source,
 * those within the burst and one window after it).
 */

const NOW = new Date('2026-11-27T06:00:00Z');
const MINUTE = 60_000;
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * MINUTE;
const iso = (minutesBefore: number): string => new Date(at(minutesBefore)).toISOString();
const upn = (user: string): string => `${user}@contoso.test`;

const failure = (id: string, minutesBefore: number, user: string, ip: string): SignIn =>
  signIn({ id, time: at(minutesBefore), user: upn(user), ip, errorCode: 50126 });
const success = (id: string, minutesBefore: number, user: string, ip: string): SignIn =>
  signIn({ id, time: at(minutesBefore), user: upn(user), ip });

/** The failed sign-in row of the evidence, as the generator writes its events. */
const row = (minutesBefore: number, user: string, ip: string) => ({
  time: iso(minutesBefore),
  user: upn(user),
  ip,
  country: 'US',
  city: 'Boston',
  app: 'Office 365 Exchange Online',
  client: 'Browser',
  result: 'failure',
  errorCode: 50126,
});

async function spray(pages: readonly (readonly SignIn[])[], params: Record<string, unknown> = {}) {
  const results = await evaluateSignIns({
    now: NOW,
    pages,
    controls: { 'sign-ins.password-spray': { minUsers: 3, ...params } as never },
  });
  return resultsOf(results, 'sign-ins.password-spray');
}

const scanOf = (read: number, analysed: number, skipped: Record<string, number> = {}) => ({
  window: { start: '2026-11-26T05:00:00.000Z', end: '2026-11-27T06:00:00.000Z' },
  eventsRead: read,
  eventsInWindow: read,
  eventsAnalysed: analysed,
  skipped: { noId: 0, badTime: 0, noUser: 0, noStatus: 0, duplicate: 0, outsideWindow: 0, ...skipped },
});

/** `user time` of each named success of a finding. */
const named = (finding: Result | undefined): string[] =>
  ((finding?.evidence.successesFromSource ?? []) as { user: string; time: string }[]).map((s) => `${s.user} ${s.time}`);

describe('sign-ins.password-spray findings', () => {
  it('a spray with no success: the message and every evidence field', async () => {
    const [finding, ...rest] = await spray([
      [
        failure('a', 100, 'u3', '203.0.113.5'),
        failure('b', 110, 'u1', '203.0.113.6'),
        failure('c', 120, 'u2', '203.0.113.7'),
        // Hours before the burst: counted in the rows, not among the sprayed users.
        failure('d', 400, 'u9', '203.0.113.7'),
      ],
    ]);
    expect(rest).toEqual([]);
    expect(finding?.target).toBe('203.0.113.0/24');
    expect(finding?.status).toBe('fail');
    expect(finding?.severity).toBe('high');
    expect(finding?.message).toBe('3 distinct users failed to sign in from 203.0.113.0/24 within 60 minutes.');
    expect(finding?.evidence).toEqual({
      source: '203.0.113.0/24',
      grouping: 'prefix',
      ips: ['203.0.113.5', '203.0.113.6', '203.0.113.7'],
      distinctUsers: 3,
      minUsers: 3,
      burst: { start: iso(120), end: iso(100) },
      users: { items: [upn('u1'), upn('u2'), upn('u3')], total: 3 },
      failedSignIns: {
        items: [
          row(400, 'u9', '203.0.113.7'),
          row(120, 'u2', '203.0.113.7'),
          row(110, 'u1', '203.0.113.6'),
          row(100, 'u3', '203.0.113.5'),
        ],
        total: 4,
      },
      successFromSource: false,
      successesFromSource: [],
      compromisedUsers: [],
      successResolutionMinutes: 5,
      scan: scanOf(4, 4),
    });
  });

  it('no spray: a pass naming the threshold, window and what was skipped', async () => {
    const results = await spray(
      [
        [
          // Two users only.
          failure('a1', 10, 'u1', '198.51.100.1'),
          failure('a2', 12, 'u2', '198.51.100.2'),
          // Three failures of one user.
          failure('b1', 10, 'u1', '192.0.2.1'),
          failure('b2', 11, 'u1', '192.0.2.1'),
          failure('b3', 12, 'u1', '192.0.2.1'),
          // Three users, but never within 30 minutes.
          failure('c1', 100, 'u1', '203.0.113.1'),
          failure('c2', 140, 'u2', '203.0.113.1'),
          failure('c3', 180, 'u3', '203.0.113.1'),
          // An address that cannot be read.
          { ...failure('m', 20, 'u4', '198.51.100.3'), ipAddress: 'not an address' },
          // Neither a success nor a password failure.
          signIn({ id: 'mfa', time: at(5), user: upn('u5'), ip: '198.51.100.4', errorCode: 500121 }),
        ],
      ],
      { windowMinutes: 30 },
    );
    expect(results).toEqual([
      {
        control: 'sign-ins.password-spray',
        controlVersion: 1,
        area: 'sign-ins',
        title: 'Password spray from one source',
        target: 'tenant',
        status: 'pass',
        severity: 'high',
        message:
          'No source reached the password-spray threshold among 10 events from 2026-11-26T05:00:00.000Z to 2026-11-27T06:00:00.000Z.',
        evidence: {
          minUsers: 3,
          windowMinutes: 30,
          scan: scanOf(10, 9, { malformedIp: 1 }),
        },
        fingerprint: expect.any(String),
      },
    ]);
  });

  it('an address that cannot be read is no source, even when three users fail from it', async () => {
    const results = await spray([
      ['u1', 'u2', 'u3'].map((u, k) => ({ ...failure(`m-${u}`, 10 + k, u, '198.51.100.3'), ipAddress: 'bogus' })),
    ]);
    expect(results.map((r) => [r.target, r.status])).toEqual([['tenant', 'pass']]);
    expect(results[0]?.evidence.scan).toEqual(scanOf(3, 0, { malformedIp: 3 }));
  });

  it('lists at most 20 addresses and 20 users (the first by name), with the totals', async () => {
    const users = Array.from({ length: 25 }, (_, k) => `user${String(k).padStart(2, '0')}`);
    const events = users.map((u, k) => failure(`f-${k}`, 200 - k, u, `203.0.113.${100 + k}`));
    const [finding] = await spray([events], { minUsers: 25 });
    expect(finding?.message).toBe('25 distinct users failed to sign in from 203.0.113.0/24 within 60 minutes.');
    // The addresses of the first 20 failures read, in text order.
    expect(finding?.evidence.ips).toEqual(Array.from({ length: 20 }, (_, k) => `203.0.113.${100 + k}`).sort());
    expect(finding?.evidence.users).toEqual({ items: users.slice(0, 20).map(upn), total: 25 });
    expect(finding?.evidence.distinctUsers).toBe(25);
    expect(finding?.evidence.failedSignIns).toMatchObject({ total: 25 });
  });

  it('an IPv6 spray names its /64 and the addresses in their readable form', async () => {
    const [finding] = await spray([
      [
        failure('a', 10, 'u1', '2001:DB8:5:1::A'),
        failure('b', 11, 'u2', '2001:db8:5:1:0:0:0:b'),
        failure('c', 12, 'u3', '2001:db8:5:1::c'),
      ],
    ]);
    expect(finding?.target).toBe('2001:db8:5:1::/64');
    expect(finding?.evidence).toMatchObject({
      source: '2001:db8:5:1::/64',
      grouping: 'prefix',
      ips: ['2001:db8:5:1::a', '2001:db8:5:1::b', '2001:db8:5:1::c'],
    });
  });

  it('names the successes from the first failure of the burst to one window after its last, inclusive', async () => {
    // Burst: 300 to 280 minutes ago; one window (60 minutes) after it ends 220 minutes ago.
    const ip = '203.0.113.9';
    const [finding] = await spray([
      [
        success('late', 219, 'after', ip),
        success('until', 220, 'amy', ip),
        failure('f3', 280, 'u3', ip),
        failure('f2', 290, 'u2', ip),
        failure('f1', 300, 'u1', ip),
        success('from', 300, 'zed', ip),
        success('early', 301, 'before', ip),
      ],
    ]);
    expect(finding?.severity).toBe('critical');
    expect(finding?.message).toBe(
      '3 distinct users failed to sign in from 203.0.113.0/24 within 60 minutes, and a sign-in from it then succeeded.',
    );
    expect(finding?.evidence).toMatchObject({
      successFromSource: true,
      successesFromSource: [
        { user: upn('zed'), time: iso(300) },
        { user: upn('amy'), time: iso(220) },
      ],
      compromisedUsers: [upn('amy'), upn('zed')],
    });
  });

  // Successes at the burst start plus these minutes, in the order read: the newest four are named.
  it.each([
    ['an older one read second', [20, 10, 30, 40, 50], ['s0 20', 's2 30', 's3 40', 's4 50']],
    ['newest first, the fifth older than all', [50, 40, 30, 20, 10], ['s3 20', 's2 30', 's1 40', 's0 50']],
    ['a fifth as old as the oldest kept', [10, 10, 30, 40, 10], ['s0 10', 's1 10', 's2 30', 's3 40']],
    ['two oldest at one time, then a newer one', [10, 10, 30, 40, 50], ['s1 10', 's2 30', 's3 40', 's4 50']],
  ])('names the newest four successes of a source (%s)', async (_case, minutes, expected) => {
    const ip = '203.0.113.9';
    const start = 300;
    const [finding] = await spray([
      [
        failure('f1', start, 'u1', ip),
        failure('f2', start - 5, 'u2', ip),
        failure('f3', start - 10, 'u3', ip),
        ...minutes.map((m, k) => success(`s${k}`, start - m, `s${k}`, ip)),
      ],
    ]);
    const sorted = expected.map((e) => {
      const [user, m] = e.split(' ');
      return `${upn(user ?? '')} ${iso(start - Number(m))}`;
    });
    // In time order; successes of one time in the order they were kept.
    expect(named(finding)).toEqual(sorted);
  });

  it('keeps each source its own four named successes when a source read later holds an older one', async () => {
    const a = '203.0.113.9';
    const b = '198.51.100.9';
    const results = await spray([
      [
        failure('a1', 300, 'u1', a),
        failure('b1', 300, 'u1', b),
        failure('a2', 295, 'u2', a),
        failure('b2', 295, 'u2', b),
        failure('a3', 290, 'u3', a),
        failure('b3', 290, 'u3', b),
        ...[10, 20, 30, 40].map((m) => success(`a-${m}`, 300 - m, `a${m}`, a)),
        success('b-5', 295, 'b5', b),
        success('a-50', 250, 'a50', a),
      ],
    ]);
    const byTarget = Object.fromEntries(results.map((r) => [r.target, named(r)]));
    expect(byTarget).toEqual({
      '203.0.113.0/24': [20, 30, 40, 50].map((m) => `${upn(`a${m}`)} ${iso(300 - m)}`),
      '198.51.100.0/24': [`${upn('b5')} ${iso(295)}`],
    });
  });

  it.each([
    ['read first, then 1,100 other sources succeed', 'first', 1100],
    ['read after 1,024 sources that only failed', 'last', 1024],
    ['read after 2,100 sources that only failed', 'last', 2100],
  ])('names the successes of a source %s', async (_case, place, count) => {
    const ip = '203.0.113.9';
    const burst = [
      failure('f1', 300, 'u1', ip),
      failure('f2', 295, 'u2', ip),
      failure('f3', 290, 'u3', ip),
      success('won', 280, 'winner', ip),
    ];
    // Each other source its own /24 (10.x.y.0/24).
    const address = (k: number): string => `10.${k >> 8}.${k & 255}.1`;
    const others =
      place === 'first'
        ? Array.from({ length: count }, (_, k) => success(`o-${k}`, 100, 'other', address(k)))
        : Array.from({ length: count }, (_, k) => failure(`o-${k}`, 100, 'other', address(k)));
    const results = await spray2(place === 'first' ? [...burst, ...others] : [...others, ...burst]);
    const finding = results.find((r) => r.target === '203.0.113.0/24');
    expect(named(finding)).toEqual([`${upn('winner')} ${iso(280)}`]);
    expect(finding?.evidence.compromisedUsers).toEqual([upn('winner')]);
  });
});

/** One page, minUsers 3. */
async function spray2(events: readonly SignIn[]) {
  const results = await evaluateSignIns({
    now: NOW,
    pages: [events],
    controls: { 'sign-ins.password-spray': { minUsers: 3 } },
  });
  return resultsOf(results, 'sign-ins.password-spray');
}
