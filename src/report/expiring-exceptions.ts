import { daysUntilExpiry, exceptionExpired } from '../policy/exceptions.js';
import type { PolicyException } from '../policy/policy.js';
import { escapeMarkdown } from './escape.js';

/** How far ahead the job summary warns about exceptions running out. */
export const EXPIRY_WARNING_DAYS = 14;

export interface ExpiringException {
  readonly control: string;
  readonly target: string;
  readonly expires: string;
  readonly daysLeft: number;
  readonly approvedBy: string;
  readonly ticket?: string;
}

/** Unexpired exceptions whose last day is within `days` of `now`, soonest first. */
export function expiringExceptions(
  exceptions: readonly PolicyException[],
  now: Date,
  days = EXPIRY_WARNING_DAYS,
): ExpiringException[] {
  return exceptions
    .filter((e) => !exceptionExpired(e, now) && daysUntilExpiry(e, now) <= days)
    .map((e) => ({
      control: e.control,
      target: e.target,
      expires: e.expires,
      daysLeft: daysUntilExpiry(e, now),
      approvedBy: e.approvedBy,
      ...(e.ticket !== undefined ? { ticket: e.ticket } : {}),
    }))
    .sort((a, b) => a.daysLeft - b.daysLeft || a.control.localeCompare(b.control) || a.target.localeCompare(b.target));
}

/**
 * The job-summary section listing exceptions that expire soon, so the risk owner renews or
 * fixes them before the findings fail again. No section when there are none.
 */
export function renderExpiringExceptions(expiring: readonly ExpiringException[]): string[] {
  if (expiring.length === 0) return [];
  const lines = [
    `### Exceptions expiring within ${EXPIRY_WARNING_DAYS} days`,
    '',
    '| Control | Target | Expires | Days left | Approved by | Ticket |',
    '| --- | --- | --- | ---: | --- | --- |',
  ];
  for (const e of expiring) {
    lines.push(
      `| \`${e.control}\` | ${escapeMarkdown(e.target)} | ${escapeMarkdown(e.expires)} | ${e.daysLeft} | ${escapeMarkdown(e.approvedBy)} | ${e.ticket === undefined ? '' : escapeMarkdown(e.ticket)} |`,
    );
  }
  return [lines.join('\n')];
}
