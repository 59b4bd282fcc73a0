import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/evaluate/evaluate.js';
import { horizonOf, nextState, planIncremental } from '../../../src/run/incremental/plan-incremental.js';
import { SNAPSHOT_FORMAT_VERSION } from '../../../src/snapshot/manifest.js';
import { memorySnapshot, type Snapshot } from '../../../src/snapshot/snapshot.js';
import type { SignInState } from '../../../src/run/incremental/sign-in-state.js';
import { openState, problemText, sealState } from '../../../src/run/incremental/state-codec.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import {
  allSignInControls,
  BREAK_GLASS_ACCOUNTS,
  DEVICE_CODE_ON,
  failingTargets,
  signInPolicy,
} from '../../helpers/sign-in-evaluate.js';
import { backgroundPages, collectPages, PLACES, signIn } from '../../helpers/sign-in-generator.js';
import { comparable, fullRun, incrementalRun, STATE_KEY, TENANT } from '../../helpers/incremental-runs.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SPAN = 25 * HOUR;

/** A day of activity and an impossible-travel pair early in it, so a run that reads less than its full window misses it. */
async function day(end: number): Promise<SignIn[]> {
  const events = (
    await collectPages(backgroundPages({ users: 40, events: 4000, end, spanMs: 30 * HOUR, seed: 3 }))
  ).flat();
  events.push(signIn({ id: 'a', time: end - 20 * HOUR, user: 'traveller@contoso.test', ip: '198.51.100.40' }));
  events.push(
    signIn({
      id: 'b',
      time: end - 20 * HOUR + 20 * MINUTE,
      user: 'traveller@contoso.test',
      ip: '198.51.100.41',
      place: PLACES.seattle,
    }),
  );
  return events;
}

/** A state left by a real run an hour before `end`, and the run at `end` that continues it. */
async function setting(first: number) {
  const end = first + 2 * HOUR;
  const events = await day(end);
  const policy = signInPolicy(allSignInControls(), new Date(end));
  const earlier = await incrementalRun(events, policy, new Date(end - HOUR), SPAN, undefined);
  const sealed = earlier.sealed;
  if (sealed === undefined) throw new Error('the first run left no state');
  return { end, events, policy, sealed };
}

/**
 * A run given a state it must not trust: it starts fresh, reads the full look-back window, says
 * why, and judges exactly as a full run (the early travel pair is found, not passed over).
 */
async function startsFresh(
  s: Awaited<ReturnType<typeof setting>>,
  sealed: Buffer,
  why: RegExp,
  options: { readonly key?: string; readonly at?: number } = {},
): Promise<void> {
  const at = options.at ?? s.end;
  const run = await incrementalRun(s.events, s.policy, new Date(at), SPAN, sealed, options.key);
  expect(run.start.kind).toBe('fresh');
  expect(run.start.kind === 'fresh' ? run.start.reason : '').toMatch(why);
  const full = await fullRun(s.events, s.policy, new Date(at), SPAN);
  expect(failingTargets(run.results)['sign-ins.impossible-travel']).toEqual(['traveller@contoso.test']);
  expect(run.results.map(comparable)).toEqual(full.map(comparable));
  // It leaves a good state, so the run after it continues.
  const after = await incrementalRun(s.events, s.policy, new Date(at + HOUR), SPAN, run.sealed, options.key);
  expect(after.start.kind).toBe('continue');
}

const FIRST = Date.parse('2026-11-26T03:41:00Z');

/** A snapshot whose only source is a sign-in log read through `pages`, captured at `now`. */
function signInLogSnapshot(now: Date, pages: () => AsyncIterable<readonly SignIn[]>): Snapshot {
  return memorySnapshot(
    {
      formatVersion: SNAPSHOT_FORMAT_VERSION,
      tenantId: TENANT,
      capturedAt: now.toISOString(),
      tool: { name: 'mailwarden', version: 'test' },
      licences: { 'entra-id-p1': true, 'entra-id-p2': true },
      sources: { 'graph.signIns': { status: 'ok' } },
    },
    { 'graph.signIns': { pages } },
  );
}

describe('a state that cannot be continued is a fresh start over the full window, never a gap', () => {
  it('a good state is continued (the twin of the cases below)', async () => {
    const s = await setting(FIRST);
    const run = await incrementalRun(s.events, s.policy, new Date(s.end), SPAN, s.sealed);
    expect(run.start.kind).toBe('continue');
    expect(failingTargets(run.results)['sign-ins.impossible-travel']).toEqual(['traveller@contoso.test']);
  });

  it('the same at the real clock', async () => {
    const s = await setting(Math.floor(Date.now() / MINUTE) * MINUTE - 2 * HOUR);
    const run = await incrementalRun(s.events, s.policy, new Date(s.end), SPAN, s.sealed);
    expect(run.start.kind).toBe('continue');
    await startsFresh(s, s.sealed.subarray(0, s.sealed.length - 1), /unreadable/);
  });

  it('missing: the first run reads the full window', async () => {
    const s = await setting(FIRST);
    const run = await incrementalRun(s.events, s.policy, new Date(s.end), SPAN, undefined);
    expect(run.start.kind).toBe('none');
    expect(run.results.map(comparable)).toEqual(
      (await fullRun(s.events, s.policy, new Date(s.end), SPAN)).map(comparable),
    );
  });

  it('truncated, at any length', async () => {
    const s = await setting(FIRST);
    for (const length of [0, 5, 8, 30, 60, s.sealed.length - 1]) {
      const opened = openState(s.sealed.subarray(0, length), STATE_KEY);
      expect('problem' in opened && opened.problem.kind, `length ${length}`).toMatch(/truncated|unreadable/);
    }
    await startsFresh(s, s.sealed.subarray(0, s.sealed.length - 40), /unreadable/);
  });

  it('tampered: one bit changed anywhere after the header', async () => {
    const s = await setting(FIRST);
    for (const at of [30, 45, s.sealed.length - 1]) {
      const bytes = Buffer.from(s.sealed);
      bytes[at] = (bytes[at] ?? 0) ^ 1;
      expect(openState(bytes, STATE_KEY)).toEqual({ problem: { kind: 'unreadable' } });
    }
    const bytes = Buffer.from(s.sealed);
    bytes[9] = (bytes[9] ?? 0) ^ 1; // the salt, bound as additional data
    await startsFresh(s, bytes, /unreadable/);
  });

  it('a wrong key', async () => {
    const s = await setting(FIRST);
    expect(problemText({ kind: 'unreadable' })).toMatch(/another key/);
    await startsFresh(s, s.sealed, /unreadable/, { key: 'another key, also long enough to be one' });
  });

  it('another format version, and a file that is no state', async () => {
    const s = await setting(FIRST);
    const newer = Buffer.from(s.sealed);
    newer[8] = 2;
    expect(openState(newer, STATE_KEY)).toEqual({ problem: { kind: 'version', found: 2 } });
    expect(problemText({ kind: 'version', found: 2 })).toMatch(/state format 2.*reads format 1/);
    await startsFresh(s, newer, /version/);
    await startsFresh(s, Buffer.from('{"runAt": 0, "readFrom": 0, "controls": {}}'), /not-a-state/);
  });

  it('the clock went back: a run earlier than the state', async () => {
    const s = await setting(FIRST);
    // The state is from end − 1 h; this run's clock says end − 3 h.
    await startsFresh(s, s.sealed, /clock went back/, { at: s.end - 3 * HOUR });
  });

  it('another tenant, other detector settings, older than the log keeps, or a detector it does not carry', async () => {
    const s = await setting(FIRST);
    const opened = openState(s.sealed, STATE_KEY);
    if (!('state' in opened)) throw new Error('the state did not open');
    const state: SignInState = opened.state;
    const now = new Date(s.end);
    const context = { now, policy: s.policy, tenantId: TENANT };
    const reason = (changed: SignInState, policy = s.policy) => {
      const start = planIncremental(changed, { ...context, policy });
      return start.kind === 'fresh' ? start.reason : 'continued';
    };
    expect(reason(state)).toBe('continued');
    expect(reason({ ...state, tenantId: 'another' })).toMatch(/another tenant/);
    const stricter = signInPolicy(allSignInControls({ 'sign-ins.password-spray': { minUsers: 5 } }), now);
    expect(reason(state, stricter)).toMatch(/other sign-in detector settings/);
    expect(reason({ ...state, readFrom: s.end - 721 * HOUR, runAt: s.end - 720 * HOUR })).toMatch(/30 days/);
    const { 'sign-ins.countries': _dropped, ...fewer } = state.controls;
    expect(reason({ ...state, controls: fewer })).toMatch(/carries nothing for sign-ins.countries/);
    // Sealed as a real state, the changed tenant still starts a fresh, full run.
    await startsFresh(s, sealState({ ...state, tenantId: 'another' }, STATE_KEY), /another tenant/);
  });
});

describe('a run that could not read the log in full leaves no new state', () => {
  it('a run whose beta log was refused (read from v1.0) leaves no state: the next run reads its span again from beta', async () => {
    const end = Date.parse('2026-11-26T09:00:00Z');
    const events = await day(end);
    // Phished after the first run, and older than the refused run's own re-read horizon.
    events.push(
      signIn({
        id: 'phish',
        time: end - 3 * HOUR - 30 * MINUTE,
        user: 'phished@contoso.test',
        ip: '198.51.100.80',
        protocol: 'deviceCode',
        transfer: 'deviceCodeFlow',
        appId: '29d9ed98-a469-4536-ade2-f981bc1d605e',
      }),
    );
    const policy = signInPolicy(allSignInControls(DEVICE_CODE_ON), new Date(end));
    const first = await incrementalRun(events, policy, new Date(end - 4 * HOUR), SPAN, undefined);
    const refused = await incrementalRun(
      events,
      policy,
      new Date(end - 2 * HOUR),
      SPAN,
      first.sealed,
      STATE_KEY,
      false,
      {
        status: 'ok',
        betaRefused: 'GET /beta/auditLogs/signIns answered HTTP 404 NotFound: Resource not found for the segment.',
      },
    );
    expect(refused.start.kind).toBe('continue');
    expect(refused.results.find((r) => r.control === 'sign-ins.device-code')?.status).toBe('not_evaluable');
    // The other detectors were judged over the v1.0 log as usual.
    expect(
      refused.results.filter((r) => r.status === 'error' && r.control !== 'sign-ins.risky-users').map((r) => r.control),
    ).toEqual([]);
    expect(refused.results.filter((r) => r.control === 'sign-ins.break-glass').map((r) => r.status)).toEqual([
      'pass',
      'pass',
    ]);
    expect(refused.sealed).toBeUndefined();
    // The next run continues the first run's state, so it reads the refused run's span again.
    const next = await incrementalRun(events, policy, new Date(end), SPAN, first.sealed);
    expect(next.start).toMatchObject({ kind: 'continue', readFrom: end - 5 * HOUR });
    expect(failingTargets(next.results)['sign-ins.device-code']).toEqual(['phished@contoso.test']);
    const full = await fullRun(events, policy, new Date(end), SPAN);
    expect(next.results.map(comparable)).toEqual(full.map(comparable));
  });

  it('a stream cut part-way carries nothing, so the previous state stays and the next run reads again from it', async () => {
    const now = new Date(Date.parse('2026-11-26T05:23:00Z'));
    const policy = signInPolicy(allSignInControls(), now);
    const page =
      (await collectPages(backgroundPages({ users: 20, events: 500, end: now.getTime(), spanMs: HOUR })))[0] ?? [];
    const snapshot = signInLogSnapshot(now, async function* () {
      yield page;
      throw new Error('Graph answered 503 for page 2');
    });
    const evaluation = await evaluate(snapshot, policy, {
      now,
      domains: [],
      incremental: { horizon: horizonOf(now, policy) },
    });
    expect(evaluation.results.filter((r) => r.control === 'sign-ins.impossible-travel').map((r) => r.status)).toEqual([
      'error',
    ]);
    expect(nextState(evaluation, { now, policy, tenantId: TENANT })).toEqual({
      reason: expect.stringMatching(
        /the sign-in log was not read in full for legacy-auth.sign-ins, sign-ins.break-glass, sign-ins.countries/,
      ),
    });
  });
});

describe('a record that could not be read keeps the account unjudged in every run whose window holds it', () => {
  const end = Date.parse('2026-11-26T09:00:00Z');
  const glass = BREAK_GLASS_ACCOUNTS[0] ?? '';
  const spare = BREAK_GLASS_ACCOUNTS[1] ?? '';

  /** Hourly runs continuing one state, each judged against a full run at the same clock. */
  async function chain(events: readonly SignIn[], runs: readonly number[], account: string): Promise<string[]> {
    const policy = signInPolicy(allSignInControls(), new Date(end));
    const statusOf = (rs: readonly { control: string; target: string; status: string }[]) =>
      rs.find((r) => r.control === 'sign-ins.break-glass' && r.target === account)?.status ?? 'none';
    const out: string[] = [];
    let sealed: Buffer | undefined;
    for (const at of runs) {
      const run = await incrementalRun(events, policy, new Date(at), SPAN, sealed);
      const full = await fullRun(events, policy, new Date(at), SPAN);
      if (sealed !== undefined) expect(run.start.kind).toBe('continue');
      expect(statusOf(run.results)).toBe(statusOf(full));
      out.push(statusOf(run.results));
      sealed = run.sealed;
    }
    return out;
  }

  it('a break-glass record without a status, read by one hourly run, is unknown to the next ones until it leaves the window', async () => {
    const events = await day(end);
    const record = signIn({
      id: 'glass-unread',
      time: end - 3 * HOUR,
      user: 'glass@contoso.test',
      userId: glass,
      ip: '198.51.100.70',
    });
    events.push({ ...record, status: null } as unknown as SignIn);
    // Read by the first run only (the later ones read from an hour before their clock); 25 h later it is out of the window.
    expect(await chain(events, [end - 2 * HOUR, end - HOUR, end, end + 3 * HOUR, end + 23 * HOUR], glass)).toEqual([
      'error',
      'error',
      'error',
      'error',
      'pass',
    ]);
    // The other account is judged: a record of one account says nothing about another.
    expect(await chain(events, [end - 2 * HOUR, end], spare)).toEqual(['pass', 'pass']);
  });

  it('a record whose time cannot be read keeps every detector from a clean result in the runs after the one that read it', async () => {
    const events = await day(end);
    const policy = signInPolicy(allSignInControls(), new Date(end));
    // The first run reads the record (Graph's own time filter let it through), as the helper cannot serve it.
    const now = new Date(end - 2 * HOUR);
    const bad = {
      ...signIn({ id: 'bad-time', time: end, user: 'una@contoso.test', ip: '198.51.100.9' }),
      createdDateTime: 'yesterday',
    };
    const pages = [[bad, ...(await fullRunPages(events, now))]];
    const snapshot = signInLogSnapshot(now, async function* () {
      yield* pages;
    });
    const evaluation = await evaluate(snapshot, policy, {
      now,
      domains: [],
      incremental: { horizon: horizonOf(now, policy) },
    });
    const unclean = (rs: readonly { control: string; target: string; status: string; message: string }[]) =>
      rs
        .filter(
          (r) =>
            r.target === 'tenant' && r.status === 'error' && /createdDateTime that is not an ISO 8601/.test(r.message),
        )
        .map((r) => r.control)
        .sort();
    const first = unclean(evaluation.results);
    expect(first.length).toBeGreaterThan(0);
    const next = nextState(evaluation, { now, policy, tenantId: TENANT });
    if (!('state' in next)) throw new Error(next.reason);
    const later = await incrementalRun(events, policy, new Date(end), SPAN, sealState(next.state, STATE_KEY));
    expect(later.start.kind).toBe('continue');
    expect(unclean(later.results)).toEqual(first);
    // Once the latest minute it can lie in has left the window, the detectors judge cleanly again.
    const after = await incrementalRun(events, policy, new Date(end + 24 * HOUR), SPAN, later.sealed);
    expect(unclean(after.results)).toEqual([]);
  });

  it('a record that names no user may be any account: every break-glass account stays unknown across runs', async () => {
    const events = await day(end);
    const record = signIn({ id: 'nobody', time: end - 3 * HOUR, user: '', ip: '198.51.100.71' });
    events.push({ ...record, userId: null, userPrincipalName: null } as unknown as SignIn);
    for (const account of [glass, spare])
      expect(await chain(events, [end - 2 * HOUR, end - HOUR, end + 3 * HOUR], account)).toEqual([
        'error',
        'error',
        'error',
      ]);
  });
});

/** The pages a full read at `now` returns. */
async function fullRunPages(events: readonly SignIn[], now: Date): Promise<SignIn[]> {
  return events
    .filter((e) => {
      const t = Date.parse(e.createdDateTime ?? '');
      return t >= now.getTime() - SPAN && t <= now.getTime();
    })
    .sort((a, b) => (a.createdDateTime < b.createdDateTime ? 1 : -1));
}
