import { findControl } from '../controls/catalog.js';
import { reasonProblem } from '../policy/exceptions.js';
import type { Policy, PolicyException } from '../policy/policy.js';
import { resolveExpiry, type ExpirySpec } from './expiry.js';

/** An exception about to be written: the policy entry's fields, in the order they are written. */
export type NewException = Omit<PolicyException, 'pointer'>;

/** What a person asks for, from a comment or from command-line flags. */
export interface ExceptionRequest {
  readonly control: string;
  readonly target: string;
  readonly reason: string;
  readonly approvedBy: string;
  readonly expiry: ExpirySpec;
  readonly ticket?: string;
}

/** A reason long enough to say why, short enough to review and to quote in a reply. */
export const MAX_REASON_LENGTH = 500;

/** Ticket references: CHG-1234, RISK-12, INC0012345, a Jira key, a path-like ID. */
const TICKET = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;

/**
 * Characters a reviewer cannot see or that reorder what they see: C0/C1 controls, zero-width
 * characters, line and paragraph separators, and bidirectional overrides ("Trojan Source",
 * CVE-2021-42574). A reason with them could read one way in the pull request and mean another.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: combining marks and variation selectors are listed on purpose
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8]/u;

export type CheckedException =
  | { readonly ok: true; readonly exception: NewException }
  | { readonly ok: false; readonly problem: string };

const refuse = (problem: string): CheckedException => ({ ok: false, problem });

/**
 * Checks a request against the catalog and the policy's own rules (`maxExceptionDays`,
 * `minExceptionReasonLength`, the same functions the policy reader applies), on `now`. Problems
 * are built from fixed words and validated values only, so they are safe to echo.
 */
export function checkException(
  request: ExceptionRequest,
  policy: Pick<Policy, 'maxExceptionDays' | 'minExceptionReasonLength'>,
  now: Date,
): CheckedException {
  if (!findControl(request.control)) return refuse('the control is not in the catalog');
  const target = request.target;
  if (target.trim() === '' || target !== target.trim()) return refuse('the target is empty or has spaces around it');
  if (INVISIBLE.test(target)) return refuse('the target holds control or invisible characters');
  const reason = request.reason.trim();
  if (INVISIBLE.test(reason)) return refuse('the reason holds control, invisible or bidirectional characters');
  const weak = reasonProblem(reason, policy.minExceptionReasonLength);
  if (weak) return refuse(weak);
  const length = [...reason].length;
  if (length > MAX_REASON_LENGTH) {
    return refuse(`the reason has ${length} characters; at most ${MAX_REASON_LENGTH} fit in one exception`);
  }
  const approvedBy = request.approvedBy.trim();
  if (approvedBy === '' || INVISIBLE.test(approvedBy))
    return refuse('the approver is empty or holds control characters');
  if (request.ticket !== undefined && !TICKET.test(request.ticket)) {
    return refuse('the ticket must be one reference of letters, digits and . _ / - (up to 64), e.g. CHG-1234');
  }
  const expiry = resolveExpiry(request.expiry, now, policy.maxExceptionDays);
  if ('problem' in expiry) return refuse(expiry.problem);
  return {
    ok: true,
    exception: {
      control: request.control,
      target,
      reason,
      approvedBy,
      expires: expiry.expires,
      ...(request.ticket !== undefined ? { ticket: request.ticket } : {}),
    },
  };
}
