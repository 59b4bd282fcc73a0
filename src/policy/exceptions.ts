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
