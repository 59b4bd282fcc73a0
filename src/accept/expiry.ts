import { exceptionExpired, expiryTooFarProblem } from '../policy/exceptions.js';

/** How an expiry was asked for: a last day, or a number of days from today (UTC). */
export type ExpirySpec =
  | { readonly kind: 'until'; readonly date: string }
  | { readonly kind: 'for'; readonly days: number };

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` when `text` is exactly a real calendar date (no 2027-02-30), else `undefined`. */
export function parseCalendarDate(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? text
    : undefined;
}

/** `2027-03-31` (a last day) or `90d` (days from today); anything else is `undefined`. */
export function parseExpirySpec(text: string): ExpirySpec | undefined {
  const date = parseCalendarDate(text);
  if (date !== undefined) return { kind: 'until', date };
  const days = /^([1-9][0-9]{0,3})d$/.exec(text);
  return days?.[1] !== undefined ? { kind: 'for', days: Number(days[1]) } : undefined;
}

/** The expiry as text, as a person wrote it: `until 2027-03-31` or `for 90d`. */
export function describeExpirySpec(spec: ExpirySpec): string {
  return spec.kind === 'until' ? `until ${spec.date}` : `for ${spec.days}d`;
}

export type ResolvedExpiry = { readonly expires: string } | { readonly problem: string };

/**
 * The exception's last day (`YYYY-MM-DD`, UTC) on `now`, or why it cannot be allowed: a day
 * already past, or further ahead than the policy's `maxExceptionDays` (the same rule the policy
 * reader applies to every exception).
 */
export function resolveExpiry(spec: ExpirySpec, now: Date, maxExceptionDays: number): ResolvedExpiry {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const expires = spec.kind === 'until' ? spec.date : new Date(today + spec.days * DAY_MS).toISOString().slice(0, 10);
  if (exceptionExpired({ expires }, now)) {
    return { problem: `${expires} is already past; an exception must expire today or later` };
  }
  const tooFar = expiryTooFarProblem(expires, now, maxExceptionDays);
  return tooFar ? { problem: tooFar } : { expires };
}
