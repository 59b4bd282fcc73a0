import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import type { SignIn } from '../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../check.js';
import { type SignInPass, sharedPass } from './sign-in-pass.js';
import type { EventPage } from './event-page.js';

/** Why a detector set an event aside. Bad input is counted in the evidence, never a crash. */
export type SkipReason = 'noLocation' | 'coordinatesOutOfRange' | 'unknownClientApp' | 'malformedIp' | 'egressAddress';

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

/** What was read, shown with every finding so a reviewer can judge how complete it is. */
export interface ScanSummary extends JsonObject {
  readonly window: { readonly start: string; readonly end: string };
  readonly eventsRead: number;
  /** Events whose time falls inside this control's window (analysed or set aside). */
  readonly eventsInWindow: number;
  readonly eventsAnalysed: number;
  readonly skipped: JsonObject;
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

/** The per-control logic of one sign-in detector; the fold around it is shared. */
export interface SignInDetector {
  /** Looks at event `i` of a page, inside the window; returns why it was set aside, if it was. */
  add(page: EventPage, i: number): SkipReason | undefined;
  finish(scan: ScanSummary): readonly Finding[];
}

/**
 * Wraps a detector as the engine's fold: shares the normalising pass with the other sign-in
 * detectors, keeps events outside the look-back window out, and counts what was skipped.
 */
export function detectorFold(
  input: CheckInput,
  detector: SignInDetector | ((pass: SignInPass) => SignInDetector),
): Fold<SignIn> {
  const pass = sharedPass(input.snapshot.data('graph.signIns'));
  const logic = typeof detector === 'function' ? detector(pass) : detector;
  const window = windowOf(input);
  // Read at start, as folds read what they need before the stream is swept (run-checks.ts).
  const members = enabledMembers(input);
  const skipped: Record<string, number> = { outsideWindow: 0 };
  let outsideWindow = 0;
  let inWindow = 0;
  let analysed = 0;
  const windowJson = { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() };
  return {
    add(records) {
      const page = pass.prepare(records);
      const times = page.time;
      for (let i = 0, n = page.count; i < n; i++) {
        const time = times[i] ?? Number.NaN;
        if (time < window.start || time > window.end) {
          outsideWindow++;
          continue;
        }
        inWindow++;
        const reason = logic.add(page, i);
        if (reason === undefined) analysed++;
        else skipped[reason] = (skipped[reason] ?? 0) + 1;
      }
      skipped.outsideWindow = outsideWindow;
    },
    finish() {
      const scan: ScanSummary = {
        window: windowJson,
        eventsRead: pass.read,
        eventsInWindow: inWindow,
        eventsAnalysed: analysed,
        skipped: { ...pass.problems, ...skipped },
      };
      if (inWindow === 0) return [emptyWindow(scan, members)];
      return logic.finish(scan);
    },
    coverage() {
      return { window: windowJson, ...pass.coverage() };
    },
  };
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
