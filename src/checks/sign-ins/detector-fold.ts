import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import type { SignIn } from '../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../check.js';
import { sharedPass } from './sign-in-pass.js';
import type { SignInEvent } from './sign-in-event.js';

/** Why a detector set an event aside. Bad input is counted in the evidence, never a crash. */
export type SkipReason =
  | 'noLocation'
  | 'coordinatesOutOfRange'
  | 'unknownClientApp'
  | 'malformedIp'
  | 'egressAddress';

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
  /** Looks at one event inside the window; returns why it was set aside, if it was. */
  add(event: SignInEvent): SkipReason | undefined;
  finish(scan: ScanSummary): readonly Finding[];
}

/**
 * Wraps a detector as the engine's fold: shares the normalising pass with the other sign-in
 * detectors, keeps events outside the look-back window out, and counts what was skipped.
 */
export function detectorFold(input: CheckInput, detector: SignInDetector): Fold<SignIn> {
  const pass = sharedPass(input.snapshot.data('graph.signIns'));
  const window = windowOf(input);
  const skipped: Record<string, number> = { outsideWindow: 0 };
  let analysed = 0;
  const windowJson = { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() };
  return {
    add(page) {
      for (const event of pass.prepare(page)) {
        if (event.time < window.start || event.time > window.end) {
          skipped.outsideWindow = (skipped.outsideWindow ?? 0) + 1;
          continue;
        }
        const reason = detector.add(event);
        if (reason === undefined) analysed++;
        else skipped[reason] = (skipped[reason] ?? 0) + 1;
      }
    },
    finish() {
      return detector.finish({
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
