import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/evaluate/evaluate.js';
import type { CarriedSignIns } from '../../../src/snapshot/carried-sign-ins.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import { SNAPSHOT_FORMAT_VERSION } from '../../../src/snapshot/manifest.js';
import { memorySnapshot } from '../../../src/snapshot/snapshot.js';
import { signInPolicy } from '../../helpers/sign-in-evaluate.js';
import { PLACES, signIn } from '../../helpers/sign-in-generator.js';

/*
 * The detector fold around every sign-in detector, seen through sign-ins.impossible-travel: which
 * carried events an incremental run replays (the window and the read start bound them), and the
 * scan a run over no page at all reports.
 */

const MINUTE = 60_000;
const NOW = new Date('2027-03-01T06:00:00Z');
/** The look-back window: 24 hours and the 60-minute overlap, ending now. */
const WINDOW_START = NOW.getTime() - 25 * 60 * MINUTE;
/** Where this run's read begins: before it, events come from what the run before carried. */
const READ_FROM = NOW.getTime() - 60 * MINUTE;

async function travel(
  pages: readonly (readonly SignIn[])[],
  carried?: CarriedSignIns,
  controls: Record<string, object> = { 'sign-ins.impossible-travel': {} },
  now: Date = NOW,
  incremental = carried !== undefined,
) {
  const policy = signInPolicy(controls as never, now);
  const snapshot = memorySnapshot(
    {
      formatVersion: SNAPSHOT_FORMAT_VERSION,
      tenantId: '00000000-0000-0000-0000-00000000beef',
      capturedAt: now.toISOString(),
      tool: { name: 'mailwarden', version: 'test' },
      licences: { 'entra-id-p1': true, 'entra-id-p2': true },
      sources: { 'graph.signIns': { status: 'ok' } },
    },
    {
      'graph.signIns': {
        pages: async function* () {
          yield* pages;
        },
        ...(carried ? { carried } : {}),
      },
    },
  );
  return evaluate(snapshot, policy, {
    now,
    domains: [],
    ...(incremental ? { incremental: { horizon: now.getTime() - 60 * MINUTE } } : {}),
  });
}

describe('detectorFold: replaying what the run before carried', () => {
  it('replays the carried events from the window start up to, not including, the read start', async () => {
    const event = (id: string, time: number) =>
      signIn({ id, time, user: 'c@contoso.test', ip: '198.51.100.1', place: PLACES.boston });
    const { results } = await travel([[event('read', READ_FROM + 5 * MINUTE)]], {
      readFrom: READ_FROM,
      controls: {
        'sign-ins.impossible-travel': {
          events: [
            event('before-window', WINDOW_START - 1),
            event('window-start', WINDOW_START),
            event('last-before-read', READ_FROM - 1),
            event('read-start', READ_FROM),
          ],
          minutes: {},
        },
      },
    });
    expect(results.map((r) => r.status)).toEqual(['pass']);
    expect((results[0]?.evidence as { scan: object } | undefined)?.scan).toMatchObject({
      window: { start: new Date(WINDOW_START).toISOString(), end: NOW.toISOString() },
      incremental: { readFrom: new Date(READ_FROM).toISOString(), carriedEvents: 2 },
    });
  });
});

describe('detectorFold: the replay order', () => {
  it('replays carried events newest first, as Graph pages them, so the evidence is the full run’s', async () => {
    // A user hopping between Boston and Berlin every 2 minutes: 99 hops, all as fast, so which
    // 20 the evidence keeps depends on the order the hops are judged in.
    const events = Array.from({ length: 100 }, (_, n) =>
      signIn({
        id: `e${n}`,
        time: NOW.getTime() - (10 + n * 2) * MINUTE,
        user: 'c@contoso.test',
        ip: '198.51.100.1',
        place: n % 2 === 0 ? PLACES.berlin : PLACES.boston,
      }),
    );
    const newestFirst = (from: number, to: number) =>
      events
        .filter((e) => Date.parse(e.createdDateTime ?? '') >= from && Date.parse(e.createdDateTime ?? '') <= to)
        .sort((a, b) => Date.parse(b.createdDateTime ?? '') - Date.parse(a.createdDateTime ?? ''));
    const earlier = new Date(NOW.getTime() - 60 * MINUTE);
    const first = await travel([newestFirst(0, earlier.getTime())], undefined, undefined, earlier, true);
    const carried = first.carried?.get('sign-ins.impossible-travel');
    expect(carried?.events.length).toBeGreaterThan(20);
    const second = await travel([newestFirst(READ_FROM - 60 * MINUTE, NOW.getTime())], {
      readFrom: READ_FROM - 60 * MINUTE,
      controls: { 'sign-ins.impossible-travel': carried ?? { events: [], minutes: {} } },
    });
    const full = await travel([newestFirst(0, NOW.getTime())]);
    const hops = (r: { evidence: unknown } | undefined) => (r?.evidence as { hops?: unknown } | undefined)?.hops;
    expect(full.results.map((r) => r.message)).toEqual([
      expect.stringMatching(/^99 impossible journey\(s\) between successive sign-ins; /),
    ]);
    expect(second.results.map((r) => r.message)).toEqual(full.results.map((r) => r.message));
    expect(hops(second.results[0])).toEqual(hops(full.results[0]));
  });
});

describe('detectorFold: the window end', () => {
  it('a sign-in after the clock is outside the window', async () => {
    const event = (id: string, time: number) =>
      signIn({ id, time, user: 'c@contoso.test', ip: '198.51.100.1', place: PLACES.boston });
    const { results } = await travel([[event('later', NOW.getTime() + 1), event('now', NOW.getTime())]]);
    expect((results[0]?.evidence as { scan: object } | undefined)?.scan).toMatchObject({
      eventsRead: 2,
      eventsInWindow: 1,
      eventsAnalysed: 1,
      skipped: { outsideWindow: 1 },
    });
  });
});

describe('detectorFold: a run over no page', () => {
  it('reports an empty window whose scan counts nothing outside it', async () => {
    const { results } = await travel([]);
    expect(results).toHaveLength(1);
    expect((results[0]?.evidence as { scan: { skipped: object } } | undefined)?.scan.skipped).toMatchObject({
      outsideWindow: 0,
    });
  });
});

describe('detectorFold: records whose time cannot be read', () => {
  it('turn only a tenant pass into an error: a tenant result that is no pass, and one account’s pass, stay', async () => {
    const account = 'b1a55000-0000-4000-8000-000000000001';
    const { results } = await travel(
      [
        [
          {
            ...signIn({ id: 'bad', time: NOW.getTime(), user: 'x@contoso.test', ip: '198.51.100.1' }),
            createdDateTime: 'soon',
          },
          signIn({ id: 'ok', time: NOW.getTime() - MINUTE, user: 'a@contoso.test', ip: '198.51.100.2' }),
        ],
      ],
      undefined,
      { 'sign-ins.countries': { allowedCountries: [] }, 'sign-ins.break-glass': { breakGlassAccounts: [account] } },
    );
    expect(results.map((r) => [r.control, r.target, r.status, r.message])).toEqual([
      [
        'sign-ins.countries',
        'tenant',
        'not_evaluable',
        'Set allowedCountries in the policy (ISO 3166-1 alpha-2 codes) to judge sign-in countries.',
      ],
      [
        'sign-ins.break-glass',
        account,
        'pass',
        `No sign-in by break-glass account ${account} among 1 sign-ins from ${new Date(WINDOW_START).toISOString()} to ${NOW.toISOString()}.`,
      ],
    ]);
  });
});
