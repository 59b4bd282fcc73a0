import type { PolicyException } from './policy.js';

/** An exception that still applies on the run's date. */
export type ActiveException = PolicyException;

/** Exceptions apply through the end of their `expires` day, in UTC. */
export function exceptionExpired(exception: Pick<PolicyException, 'expires'>, now: Date): boolean {
  const endOfDay = Date.parse(`${exception.expires}T23:59:59.999Z`);
  return Number.isNaN(endOfDay) || endOfDay < now.getTime();
}

/** Whole days from `now` until the exception's last day. */
export function daysUntilExpiry(exception: Pick<PolicyException, 'expires'>, now: Date): number {
  const end = Date.parse(`${exception.expires}T00:00:00Z`);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((end - today) / 86_400_000);
}

/** Case-insensitive key for matching an exception to a result. */
export function exceptionKey(control: string, target: string): string {
  return `${control}\u0000${target.toLowerCase()}`;
}

/**
 * Why an exception's expiry is not allowed on `now`: too far ahead for the policy's
 * `maxExceptionDays`. `undefined` when it is allowed. The policy reader and `accept` share it.
 */
export function expiryTooFarProblem(expires: string, now: Date, maxExceptionDays: number): string | undefined {
  const days = daysUntilExpiry({ expires }, now);
  return days > maxExceptionDays
    ? `expires ${expires}, ${days} days ahead; the policy allows at most ${maxExceptionDays} days`
    : undefined;
}

/** Reason length in characters (code points, so an emoji counts once), after trimming. */
export function reasonLength(reason: string): number {
  return [...reason.trim()].length;
}

/**
 * Why an exception's reason is not enough, or `undefined`: an auditor reads it as the record of
 * why the risk was accepted, so "ok" is no reason. The policy reader and `accept` share it.
 */
export function reasonProblem(reason: string, minLength: number): string | undefined {
  const length = reasonLength(reason);
  if (length === 0) return 'an exception needs a reason';
  return length < minLength
    ? `the reason has ${length} character${length === 1 ? '' : 's'}; the policy asks for at least ${minLength} (settings.minExceptionReasonLength)`
    : undefined;
}
