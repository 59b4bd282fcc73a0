import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import type { SignIn } from '../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../check.js';
import { type SignInPass, sharedPass } from './sign-in-pass.js';
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

/** What was read, shown with every finding so a reviewer can judge how complete it is. */
export interface ScanSummary extends JsonObject {
  readonly window: { readonly start: string; readonly end: string };
  readonly eventsRead: number;
  readonly eventsAnalysed: number;
  readonly skipped: JsonObject;
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
  const skipped: Record<string, number> = { outsideWindow: 0 };
  let outsideWindow = 0;
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
        const reason = logic.add(page, i);
        if (reason === undefined) analysed++;
        else skipped[reason] = (skipped[reason] ?? 0) + 1;
      }
      skipped.outsideWindow = outsideWindow;
    },
    finish() {
      return logic.finish({
        window: windowJson,
        eventsRead: pass.read,
        eventsAnalysed: analysed,
        skipped: { ...pass.problems, ...skipped },
      });
    },
    coverage() {
      return { window: windowJson, ...pass.coverage() };
    },
  };
}

/** The single tenant-level result of a detector that found nothing. */
export function cleanFinding(message: string, scan: ScanSummary, extra: JsonObject = {}): Finding {
  return { target: TENANT_TARGET, status: 'pass', message, evidence: { ...extra, scan } };
}
