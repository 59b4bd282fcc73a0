/**
 * The `/mailwarden accept` comment, read by a strict grammar. A comment is untrusted input: it
 * is matched piece by piece against one fixed form, never evaluated, never passed to a shell,
 * and every problem message is built from fixed words and already-validated fragments only, so
 * a reply never echoes unparsed comment text.
 *
 *   /mailwarden accept until YYYY-MM-DD because REASON[; ticket TICKET]
 *   /mailwarden accept for NNd because REASON[; ticket TICKET]
 */

import { parseExpirySpec, type ExpirySpec } from './expiry.js';

/** The exact forms a reply shows when a command cannot be used. */
export const ACCEPT_FORMS: readonly string[] = [
  '/mailwarden accept until YYYY-MM-DD because REASON; ticket TICKET',
  '/mailwarden accept for 90d because REASON',
];

export interface AcceptRequest {
  readonly expiry: ExpirySpec;
  /** Trimmed; checked against the policy's rules in new-exception.ts. */
  readonly reason: string;
  readonly ticket?: string;
}

export type CommandParse =
  /** Not addressed to mailwarden: ignored without a reply. */
  | { readonly kind: 'none' }
  /** Addressed to mailwarden but not in the accepted form: one reply with the form. */
  | { readonly kind: 'malformed'; readonly problem: string }
  | { readonly kind: 'accept'; readonly request: AcceptRequest };

const malformed = (problem: string): CommandParse => ({ kind: 'malformed', problem });

/** Whether the comment is addressed to mailwarden at all: its text starts with `/mailwarden`. */
export function isMailwardenCommand(body: string): boolean {
  return /^\/mailwarden(?=$|[ \t\r\n])/.test(body.replace(/^\uFEFF/, '').trimStart());
}

/**
 * Reads one comment body. The whole comment is the command, on one line: text before or after
 * it would be a second, unreviewed statement beside the one recorded.
 */
export function parseAcceptCommand(body: string): CommandParse {
  if (!isMailwardenCommand(body)) return { kind: 'none' };
  const text = body.replace(/^\uFEFF/, '').trim();
  if (/[\r\n]/.test(text)) return malformed('the command must be the whole comment, on one line');

  let rest = text.slice('/mailwarden'.length);
  const word = (expected: string): boolean => {
    const match = new RegExp(`^[ \\t]+${expected}(?=[ \\t]|$)`).exec(rest);
    if (!match) return false;
    rest = rest.slice(match[0].length);
    return true;
  };
  if (!word('accept')) return malformed('the only command is `accept`');

  const keyword = word('until') ? 'until' : word('for') ? 'for' : undefined;
  if (keyword === undefined) {
    return malformed('the expiry is missing: `until YYYY-MM-DD` or `for 90d` comes right after `accept`');
  }
  const token = /^[ \t]+(\S+)/.exec(rest);
  const expiry = token?.[1] === undefined ? undefined : parseExpirySpec(token[1]);
  if (!token || expiry?.kind !== keyword) {
    return malformed(
      keyword === 'until' ? '`until` takes a calendar date, YYYY-MM-DD' : '`for` takes a number of days, like 90d',
    );
  }
  rest = rest.slice(token[0].length);
  if (!word('because')) return malformed('the reason is missing: `because REASON` comes after the expiry');

  let reason = rest.trim();
  let ticket: string | undefined;
  // Only a final `; ticket X` is a ticket; any other `;` belongs to the reason.
  const ticketAt = reason.lastIndexOf(';');
  const tail = ticketAt >= 0 ? /^;[ \t]*ticket(?:[ \t]+(.*))?$/.exec(reason.slice(ticketAt)) : null;
  if (tail) {
    ticket = (tail[1] ?? '').trim();
    reason = reason.slice(0, ticketAt).trim();
    if (ticket === '') return malformed('the ticket is empty: `; ticket TICKET` ends the command, or leave it out');
  }
  if (reason === '') return malformed('the reason is missing: `because REASON` comes after the expiry');
  // Values (reason length, ticket form, expiry window) are checked in new-exception.ts, the same
  // rules as `mailwarden accept` on the command line.
  return { kind: 'accept', request: { expiry, reason, ...(ticket !== undefined ? { ticket } : {}) } };
}
