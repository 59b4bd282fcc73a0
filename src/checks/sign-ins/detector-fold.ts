import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import type { CarriedControl } from '../../snapshot/carried-sign-ins.js';
import type { SignIn } from '../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../check.js';
import { MinuteTally } from './carry/minute-tally.js';
import { type SignInPass, sharedPass } from './sign-in-pass.js';
import { parseGraphTime } from './sign-in-event.js';
import type { EventPage } from './event-page.js';

/** Why a detector set an event aside. Bad input is counted in the evidence, never a crash. */
export type SkipReason =
  | 'noLocation'
  | 'coordinatesOutOfRange'
  | 'unknownClientApp'
  | 'malformedIp'
  | 'egressAddress'
  /** A successful sign-in whose flow the beta log left empty (sign-ins.device-code). */
  | 'unknownFlow';

/** The look-back window of a run: `[now − lookback − overlap, now]`. */
export interface SignInWindow {
  readonly start: number;
  readonly end: number;
}

export function windowOf(input: CheckInput): SignInWindow {
  const end = input.context.now.getTime();
  const span = input.params.number('lookbackHours') * 3_600_000 + input.params.number('overlapMinutes') * 60_000;
  return { start: end - span, end };
}

/**
 * What was read, shown with every finding so a reviewer can judge how complete it is. In an
 * incremental run, `eventsAnalysed` and the detector's own skip reasons count the whole window
 * (the minutes before this run's read as earlier runs counted them); `eventsRead`, the pass's
 * problems and `outsideWindow` say what this run read, and `incremental` what it carried.
 */
export interface ScanSummary extends JsonObject {
  readonly window: { readonly start: string; readonly end: string };
  readonly eventsRead: number;
  /** Events whose time falls inside this control's window (analysed or set aside). */
  readonly eventsInWindow: number;
  readonly eventsAnalysed: number;
  readonly skipped: JsonObject;
}

/** Where an incremental run's carried events end: the next run reads the log again from `before`. */
export interface CarryHorizon {
  readonly before: number;
  /** This run's window start: older events are never needed again. */
  readonly windowStart: number;
}

/** What a detector's factory is told about the run. */
export interface DetectorMode {
  /**
   * An incremental run that carries state on: the detector keeps, as it folds, what its `carry`
   * will need (only then, so a nightly run's memory is as before).
   */
  readonly carrying: boolean;
}

/** Enabled member users (graph.users, when read): who could have signed in at all. */
function enabledMembers(input: CheckInput): number | undefined {
  if (input.snapshot.status('graph.users')?.status !== 'ok') return undefined;
  let members = 0;
  for (const user of input.snapshot.data('graph.users'))
    if (user.accountEnabled === true && user.userType?.toLowerCase() === 'member') members++;
  return members;
}

/**
 * An empty window is no evidence of a quiet tenant: an ingestion delay, a retention gap or a
 * filter that matched nothing look exactly like it, so a detector that saw no event concludes
 * nothing (`error`). Only a tenant with no enabled member user can truly have none.
 */
function emptyWindow(scan: ScanSummary, members: number | undefined): Finding {
  if (members === 0) {
    return {
      target: TENANT_TARGET,
      status: 'pass',
      message: `No sign-in event from ${scan.window.start} to ${scan.window.end}, and the tenant has no enabled member user who could sign in.`,
      evidence: { scan, enabledMembers: 0 },
    };
  }
  const who = members === undefined ? 'the users were not read' : `the tenant has ${members} enabled member users`;
  return {
    target: TENANT_TARGET,
    status: 'error',
    message: `The sign-in log holds no event from ${scan.window.start} to ${scan.window.end}, while ${who}: an empty window is far likelier a collection fault (ingestion delay, retention gap, a filter that matched nothing) than a fact, so nothing can be concluded.`,
    evidence: { scan, enabledMembers: members ?? null },
  };
}

/**
 * Records of the window that earlier incremental runs could not read (no ID, time or status) or
 * that named no user, as those runs carried them: this run did not read them again, yet they may
 * be the window's events, so a detector that must say "none" counts them as its own run's.
 * Empty in a run that carries nothing.
 */
export interface EarlierUnreadable {
  /** By lower-case `userId`; `*` counts records of accounts past the number kept apart. */
  readonly byUserId: ReadonlyMap<string, number>;
  readonly unattributed: number;
  /** Records whose `createdDateTime` could not be read (placed at the latest minute they can be). */
  readonly badTime: number;
}

/** Carried series of unreadable records: `unreadable:<userId>`, `unreadable:` (no user), `unreadable:*`, `unreadableTime`. */
const UNREADABLE = 'unreadable';
const UNREADABLE_TIME = 'unreadableTime';
/** Accounts whose unreadable records are carried apart; past this, they are carried as `*` (any account). */
const UNREADABLE_ACCOUNTS = 64;

function earlierUnreadable(totals: ReadonlyMap<string, number>): EarlierUnreadable {
  const byUserId = new Map<string, number>();
  let unattributed = 0;
  for (const [name, total] of totals) {
    if (!name.startsWith(`${UNREADABLE}:`)) continue;
    const id = name.slice(UNREADABLE.length + 1);
    if (id === '') unattributed += total;
    else byUserId.set(id, total);
  }
  return { byUserId, unattributed, badTime: totals.get(UNREADABLE_TIME) ?? 0 };
}

const NOTHING_EARLIER: EarlierUnreadable = { byUserId: new Map(), unattributed: 0, badTime: 0 };

/** The per-control logic of one sign-in detector; the fold around it is shared. */
export interface SignInDetector {
  /** Looks at event `i` of a page, inside the window; returns why it was set aside, if it was. */
  add(page: EventPage, i: number): SkipReason | undefined;
  finish(scan: ScanSummary, earlier: EarlierUnreadable): readonly Finding[];
  /**
   * After `finish`, in an incremental run: the events of the window that a later run needs so
   * that, with what it reads, it judges exactly as one run over its whole window would
   * (docs/incremental-sign-ins.md says what each detector keeps and why that suffices). In
   * Graph's shape with the fields `add` reads. Events from `horizon.before` on, or before the
   * window, may be included; they are dropped.
   */
  carry(horizon: CarryHorizon): Iterable<SignIn>;
}

/**
 * Wraps a detector as the engine's fold: shares the normalising pass with the other sign-in
 * detectors, keeps events outside the look-back window out, and counts what was skipped.
 */
export function detectorFold(
  input: CheckInput,
  detector: SignInDetector | ((pass: SignInPass, mode: DetectorMode) => SignInDetector),
): Fold<SignIn> {
  const stream = input.snapshot.data('graph.signIns');
  const pass = sharedPass(stream);
  const carry = input.carry;
  const logic = typeof detector === 'function' ? detector(pass, { carrying: carry !== undefined }) : detector;
  const window = windowOf(input);
  // Read at start, as folds read what they need before the stream is swept (run-checks.ts).
  const members = enabledMembers(input);
  const skipped: Record<string, number> = { outsideWindow: 0 };
  let outsideWindow = 0;
  let inWindow = 0;
  let analysed = 0;
  // An incremental run counts its window by minute, so the next run can take over the counts.
  const tally = carry ? new MinuteTally(window.start, window.end, carry.readFrom, carry.carried?.minutes) : undefined;
  const readFrom = carry?.readFrom ?? Number.NEGATIVE_INFINITY;
  const windowJson = { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() };
  let replayed = 0;

  /** The events earlier runs carried, judged as if read now (newest first, as Graph pages). */
  const replay = (carried: CarriedControl): void => {
    const inWindow = carried.events
      .map((event) => ({ event, time: parseGraphTime(event.createdDateTime) ?? Number.NaN }))
      .filter(({ time }) => time >= window.start && time <= window.end && time < (carry?.readFrom ?? -Infinity))
      .sort((a, b) => b.time - a.time)
      .map(({ event }) => event);
    const page = pass.carriedPage(inWindow);
    for (let i = 0; i < page.count; i++) logic.add(page, i);
    replayed = page.count;
  };

  // The unreadable records an incremental run carries, by series (see UNREADABLE).
  const unreadableSeries = new Set<string>();
  const tallyUnreadable = (t: MinuteTally, horizon: number): void => {
    for (const { userId, time } of pass.pageUnread) {
      // A time that cannot be read lies, by the read's own filter, in this read: it is placed at
      // the latest minute the next run does not read again, so it stays in windows at least as long.
      const at = time ?? Math.max(readFrom, horizon - 1);
      if (at < window.start || at > window.end || at < readFrom) continue;
      let name = `${UNREADABLE}:${userId ?? ''}`;
      if (!unreadableSeries.has(name)) {
        if (unreadableSeries.size >= UNREADABLE_ACCOUNTS && userId !== null) name = `${UNREADABLE}:*`;
        else unreadableSeries.add(name);
      }
      t.count(name, at);
      if (time === undefined) t.count(UNREADABLE_TIME, at);
    }
  };

  return {
    add(records) {
      const page = pass.prepare(records);
      if (tally && carry && pass.pageUnread.length > 0) tallyUnreadable(tally, carry.horizon);
      const times = page.time;
      for (let i = 0, n = page.count; i < n; i++) {
        const time = times[i] ?? Number.NaN;
        // In an incremental run, what lies before the read start was judged from the carried part:
        // a log (or snapshot) that holds more is not counted twice.
        if (time < window.start || time > window.end || time < readFrom) {
          outsideWindow++;
          continue;
        }
        inWindow++;
        const reason = logic.add(page, i);
        if (reason === undefined) analysed++;
        else skipped[reason] = (skipped[reason] ?? 0) + 1;
        tally?.count(reason ?? 'analysed', time);
      }
      skipped.outsideWindow = outsideWindow;
    },
    finish() {
      if (carry?.carried) replay(carry.carried);
      let earlier = NOTHING_EARLIER;
      if (tally) {
        // The window's figures: this run's read, and before it what earlier runs counted.
        const totals = tally.totals();
        analysed = totals.get('analysed') ?? 0;
        inWindow = 0;
        for (const key of Object.keys(skipped)) if (key !== 'outsideWindow') delete skipped[key];
        for (const [name, total] of totals) {
          if (name.startsWith(UNREADABLE)) continue;
          inWindow += total;
          if (name !== 'analysed') skipped[name] = total;
        }
        earlier = earlierUnreadable(tally.carriedTotals());
      }
      const scan: ScanSummary = {
        window: windowJson,
        eventsRead: pass.read,
        eventsInWindow: inWindow,
        eventsAnalysed: analysed,
        skipped: { ...pass.problems, ...skipped },
        ...(pass.problems.badTime > 0
          ? { unparseableDates: { count: pass.problems.badTime, examples: pass.badTimes.map((e) => ({ ...e })) } }
          : {}),
        ...(carry
          ? {
              incremental: {
                readFrom: Number.isFinite(carry.readFrom) ? new Date(carry.readFrom).toISOString() : null,
                carriedEvents: replayed,
                carriedUnreadable: [...earlier.byUserId.values()].reduce((a, b) => a + b, 0) + earlier.unattributed,
              },
            }
          : {}),
      };
      const badTime = pass.problems.badTime + earlier.badTime;
      // Unreadable times outrank an empty window: those records may be the window's events.
      if (inWindow === 0 && badTime === 0) return [emptyWindow(scan, members)];
      const findings = inWindow === 0 ? [cleanFinding('No event', scan)] : logic.finish(scan, earlier);
      return withUnreadableTimes(findings, badTime);
    },
    coverage() {
      return { window: windowJson, ...pass.coverage() };
    },
    carried() {
      if (!carry || !tally) throw new Error('carried() asked of a fold that was not started to carry');
      const before = carry.horizon;
      const events: SignIn[] = [];
      for (const event of logic.carry({ before, windowStart: window.start })) {
        const time = parseGraphTime(event.createdDateTime);
        if (time !== undefined && time >= window.start && time < before) events.push(event);
      }
      return { events, minutes: tally.carry(before) };
    },
  };
}

/**
 * A detector cannot say "none in the window" when some records' times could not be read: they
 * may lie inside it. Its clean result becomes `error`; what it did find still fails.
 */
function withUnreadableTimes(findings: readonly Finding[], unreadable: number): readonly Finding[] {
  if (unreadable === 0) return findings;
  return findings.map((finding) =>
    finding.status === 'pass' && finding.target === TENANT_TARGET
      ? {
          ...finding,
          status: 'error',
          message: `${unreadable} sign-in record${unreadable === 1 ? ' has' : 's have'} a createdDateTime that is not an ISO 8601 date-time, so whether ${unreadable === 1 ? 'it falls' : 'they fall'} in the window is unknown: no clean result can be given (the evidence names the first ones).`,
        }
      : finding,
  );
}

/**
 * The single tenant-level result of a detector that found nothing. A pass says what it examined:
 * `message` ("No successful legacy-protocol sign-ins") is completed with the events and the span.
 */
export function cleanFinding(message: string, scan: ScanSummary, extra: JsonObject = {}): Finding {
  const events = scan.eventsInWindow.toLocaleString('en-US');
  return {
    target: TENANT_TARGET,
    status: 'pass',
    message: `${message.replace(/\.$/, '')} among ${events} events from ${scan.window.start} to ${scan.window.end}.`,
    evidence: { ...extra, scan },
  };
}
