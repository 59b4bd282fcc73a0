import { findControl } from '../../controls/catalog.js';
import type { Policy } from '../../policy/policy.js';
import type { SourceId } from '../../snapshot/source-id.js';

/** Default look-back (24 h) and overlap (60 min), as in src/controls/sign-in-window.ts. */
const DEFAULT_SPAN_MS = 24 * 3_600_000 + 60 * 60_000;

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

/** An OData date-time literal: ISO 8601 in UTC, unquoted, whole seconds. */
export function odataTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
