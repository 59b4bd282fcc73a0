import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Result } from '../../src/model/result.js';
import type { Policy } from '../../src/policy/policy.js';
import {
  horizonOf,
  type IncrementalStart,
  incrementalClock,
  nextState,
  planIncremental,
} from '../../src/run/incremental/plan-incremental.js';
import { openState, sealState } from '../../src/run/incremental/state-codec.js';
import type { SignIn } from '../../src/snapshot/graph-types.js';
import { SNAPSHOT_FORMAT_VERSION, type Manifest } from '../../src/snapshot/manifest.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';

export const TENANT = '00000000-0000-0000-0000-00000000beef';
export const STATE_KEY = 'a state key for tests, 32 characters or more';

/** What Graph returns for `createdDateTime ge from and le to`: newest first, in pages of 1,000. */
export function logBetween(events: readonly SignIn[], from: number, to: number): SignIn[][] {
  const picked = events
    .map((event) => ({ event, time: Date.parse(event.createdDateTime ?? '') }))
    .filter(({ time }) => time >= from && time <= to)
    .sort((a, b) => b.time - a.time)
    .map(({ event }) => event);
  const pages: SignIn[][] = [];
  for (let i = 0; i < picked.length; i += 1000) pages.push(picked.slice(i, i + 1000));
  return pages;
}

/** The log as read from beta, so the device-code detector judges it too. */
const BETA_LOG: SourceStatus = { status: 'ok', graphApi: 'beta' };

function manifest(now: Date, signIns: SourceStatus = BETA_LOG): Manifest {
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    tenantId: TENANT,
    capturedAt: now.toISOString(),
    tool: { name: 'mailwarden', version: 'test' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources: { 'graph.signIns': signIns },
  };
}

/** One full (nightly-style) run at `now` over the log: the whole look-back window read. */
export async function fullRun(events: readonly SignIn[], policy: Policy, now: Date, spanMs: number) {
  const pages = logBetween(events, now.getTime() - spanMs, now.getTime());
  const snapshot = memorySnapshot(manifest(now), {
    'graph.signIns': {
      pages: async function* () {
        yield* pages;
      },
    },
  });
  return (await evaluate(snapshot, policy, { now, domains: [] })).results;
}

export interface IncrementalStep {
  readonly results: readonly Result[];
  readonly start: IncrementalStart | { readonly kind: 'none' };
  /** Events this run read from the log. */
  readonly read: number;
  /** The sealed state it left (undefined when it could leave none). */
  readonly sealed: Buffer | undefined;
}

/**
 * One incremental run at `at` (made a whole minute), as the pipeline does it: open the sealed
 * state, plan, read the log from the plan's start (or the full look-back), evaluate with the
 * carried part, seal the next state.
 */
export async function incrementalRun(
  events: readonly SignIn[],
  policy: Policy,
  at: Date,
  spanMs: number,
  sealed: Buffer | undefined,
  key = STATE_KEY,
  /** Read the whole look-back window even when continuing, as a snapshot replay would hold it. */
  readAll = false,
  /** How the sign-in log's read ended (default: read from beta). */
  signIns: SourceStatus = BETA_LOG,
): Promise<IncrementalStep> {
  const now = incrementalClock(at);
  const context = { now, policy, tenantId: TENANT };
  let start: IncrementalStep['start'] = { kind: 'none' };
  if (sealed !== undefined) {
    const opened = openState(sealed, key);
    start = 'state' in opened ? planIncremental(opened.state, context) : { kind: 'fresh', reason: opened.problem.kind };
  }
  const from = start.kind === 'continue' && !readAll ? start.readFrom : now.getTime() - spanMs;
  const pages = logBetween(events, from, at.getTime());
  const snapshot = memorySnapshot(manifest(now, signIns), {
    'graph.signIns': {
      pages: async function* () {
        yield* pages;
      },
      ...(start.kind === 'continue' ? { carried: start.carried } : {}),
    },
  });
  const evaluation = await evaluate(snapshot, policy, {
    now,
    domains: [],
    incremental: { horizon: horizonOf(now, policy) },
  });
  const next = nextState(evaluation, context);
  return {
    results: evaluation.results,
    start,
    read: pages.reduce((n, p) => n + p.length, 0),
    sealed: 'state' in next ? sealState(next.state, key) : undefined,
  };
}

/**
 * A result as compared between a full run and incremental runs: everything but what says how
 * this run read the log (events read, events outside the window, the incremental note).
 */
export function comparable(result: Result): unknown {
  return JSON.parse(
    JSON.stringify(result, (key, value: unknown) => {
      if (key === 'eventsRead' || key === 'incremental' || key === 'outsideWindow') return undefined;
      return value;
    }),
  );
}
