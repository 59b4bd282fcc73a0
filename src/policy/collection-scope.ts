import { findControl } from '../controls/catalog.js';
import type { SourceId } from '../snapshot/source-id.js';
import type { Policy } from './policy.js';

/*
 * What the policy asks collection to fetch beyond the sources themselves. Read here, from the
 * controls' parameters, so that no collector names a control.
 */

/** Which mailboxes get `Get-InboxRule -IncludeHidden`: the `hiddenRules` parameter. */
export type HiddenRulesScope = 'flagged' | 'all' | 'off';

/** Default look-back (24 h) and overlap (60 min), as in src/controls/sign-in-window.ts. */
const DEFAULT_SPAN_MS = 24 * 3_600_000 + 60 * 60_000;

/** The `hiddenRules` parameter of the control that declares it (the inbox-rules control); `flagged` by default. */
export function hiddenRulesScope(policy: Policy): HiddenRulesScope {
  for (const control of policy.controls.values()) {
    const value = control.params.toJson().hiddenRules;
    if (value === undefined) continue;
    return value === 'all' || value === 'off' ? value : 'flagged';
  }
  return 'flagged';
}

/**
 * The time span to fetch for a source: the widest look-back window (plus overlap) of the
 * enabled controls that read it, ending at the run's clock. Each control later judges only
 * its own window, so fetching more never changes a verdict.
 */
export function fetchWindow(policy: Policy, source: SourceId, now: Date): { readonly start: Date; readonly end: Date } {
  let span = 0;
  for (const control of policy.controls.values()) {
    if (!control.enabled || !findControl(control.id)?.sources.includes(source)) continue;
    const values = control.params.toJson();
    const hours = values.lookbackHours;
    const overlap = values.overlapMinutes;
    if (typeof hours !== 'number' || typeof overlap !== 'number') continue;
    span = Math.max(span, hours * 3_600_000 + overlap * 60_000);
  }
  if (span === 0) span = DEFAULT_SPAN_MS;
  return { start: new Date(now.getTime() - span), end: now };
}
