import { describe, expect, it } from 'vitest';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import { allSignInControls, failingTargets, signInPolicy } from '../../helpers/sign-in-evaluate.js';
import {
  backgroundPages,
  collectPages,
  HOME_PLACES,
  PLACES,
  signIn,
  userName,
} from '../../helpers/sign-in-generator.js';
import { comparable, fullRun, incrementalRun } from '../../helpers/incremental-runs.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Default look-back (24 h) plus overlap (60 min). */
const SPAN = 24 * HOUR + 60 * MINUTE;

/**
 * A day and a half of ordinary activity, with attacks planted across run boundaries: each
 * attack's first events are read (and carried) by one hourly run, its last ones only by a later
 * run that no longer reads the first.
 */
async function stream(runAt: (k: number) => number): Promise<SignIn[]> {
  const last = runAt(24);
  const background = (
    await collectPages(backgroundPages({ users: 120, events: 30_000, end: last, spanMs: 50 * HOUR, seed: 7 }))
  ).flat();
  const events: SignIn[] = [...background];
  let n = 0;
  const add = (spec: Omit<Parameters<typeof signIn>[0], 'id'>) => events.push(signIn({ id: `plant-${n++}`, ...spec }));
  // Impossible travel: Boston 65 min before run 10 (read by run 10, carried past run 11's
  // overlap), Seattle 5 min after it (read by run 11 only).
  add({ time: runAt(10) - 65 * MINUTE, user: 'traveller@contoso.test', ip: '198.51.100.40' });
  add({ time: runAt(10) + 5 * MINUTE, user: 'traveller@contoso.test', ip: '198.51.100.41', place: PLACES.seattle });
  // Password spray from one /24: 12 users, one every 5 minutes from 70 min before run 15, then a
  // success from the same /24 after it.
  for (let u = 0; u < 12; u++) {
    add({
      time: runAt(15) - 70 * MINUTE + u * 5 * MINUTE,
      user: userName(u),
      ip: `203.0.113.${7 + (u % 3)}`,
      place: PLACES.moscow,
      errorCode: 50126,
    });
  }
  add({ time: runAt(15) + 2 * MINUTE, user: userName(3), ip: '203.0.113.50', place: HOME_PLACES[3] });
  // MFA fatigue: six denials from 75 min before run 18, ten minutes apart, then a success.
  for (let i = 0; i < 6; i++)
    add({
      time: runAt(18) - 75 * MINUTE + i * 10 * MINUTE,
      user: 'push@contoso.test',
      ip: '198.51.100.60',
      errorCode: 500121,
    });
  add({ time: runAt(18) - 20 * MINUTE, user: 'push@contoso.test', ip: '198.51.100.60' });
  // Legacy protocol early in the day (carried for 20 runs), a country outside the list.
  add({ time: runAt(3) - 30 * MINUTE, user: 'legacy@contoso.test', ip: '198.51.100.20', client: 'IMAP4' });
  add({ time: runAt(7) - 90 * MINUTE, user: 'abroad@contoso.test', ip: '102.88.1.1', place: PLACES.lagos });
  return events;
}

const EXPECTED = {
  'legacy-auth.sign-ins': ['legacy@contoso.test'],
  'sign-ins.countries': ['abroad@contoso.test'],
  'sign-ins.impossible-travel': ['traveller@contoso.test'],
  'sign-ins.password-spray': ['203.0.113.0/24'],
  'sign-ins.mfa-fatigue': ['push@contoso.test'],
};

async function equivalence(first: number, readAll = false): Promise<void> {
  // Hourly at 23 minutes past, as the README's workflow runs; seconds into the minute, as cron does.
  const runAt = (k: number) => first + k * HOUR;
  const events = await stream(runAt);
  const at = (k: number) => new Date(runAt(k) + 17_000);
  const policy = signInPolicy(allSignInControls(), at(24));

  let sealed: Buffer | undefined;
  let last: Awaited<ReturnType<typeof incrementalRun>> | undefined;
  const reads: number[] = [];
  for (let k = 1; k <= 24; k++) {
    last = await incrementalRun(events, policy, at(k), SPAN, sealed, undefined, readAll);
    expect(last.start.kind, `run ${k}`).toBe(k === 1 ? 'none' : 'continue');
    expect(last.sealed, `run ${k} leaves a state`).toBeDefined();
    sealed = last.sealed;
    reads.push(last.read);
  }
  const full = await fullRun(events, policy, new Date(runAt(24)), SPAN);

  expect(failingTargets(full)).toEqual(EXPECTED);
  const incremental = last?.results ?? [];
  expect(failingTargets(incremental)).toEqual(EXPECTED);
  // Same results, same evidence: every control, every target, every row.
  const key = (r: { control: string; target: string }) => `${r.control} ${r.target}`;
  const sorted = (rs: typeof full) => [...rs].sort((a, b) => (key(a) < key(b) ? -1 : 1)).map(comparable);
  expect(sorted(incremental)).toEqual(sorted(full));
  // And each hourly run read about two hours of the log, not twenty-five.
  const firstRead = reads[0] ?? 0;
  if (!readAll) for (const read of reads.slice(1)) expect(read).toBeLessThan(firstRead / 6);
}

describe('incremental sign-in runs (plan-incremental.ts, carried-sign-ins.ts)', () => {
  it('24 hourly runs with state judge as one run over the day, attacks straddling run boundaries included', async () => {
    await equivalence(Date.parse('2026-11-26T00:23:00Z'));
  }, 120_000);

  it('a log that holds more than the runs ask for is not counted twice (what lies before the read start is carried)', async () => {
    await equivalence(Date.parse('2026-11-26T00:23:00Z'), true);
  }, 120_000);

  it('the same at the real clock', async () => {
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    await equivalence(now - 24 * HOUR);
  }, 120_000);
});
