import type { IssueState } from '../issues/marker.js';
import type { Policy } from '../policy/policy.js';
import { codeSpan, escapeMarkdown, fencedJson, plainTitle } from '../report/escape.js';
import { ACCEPT_FORMS } from './command.js';
import { describeExpirySpec, type ExpirySpec } from './expiry.js';
import type { NewException } from './new-exception.js';

/**
 * What `/mailwarden accept` writes on GitHub: replies, the pull request and the commit. The
 * commenter's reason and login and the tenant's target are escaped wherever they are shown;
 * `problem` texts are built from fixed words and validated values only (command.ts,
 * new-exception.ts), so they are shown as they are.
 */

/** First line of every reply: the workflow ignores comments that carry it (its own). */
export const ACCEPT_REPLY_MARKER = '<!-- mailwarden:accept-reply -->';

const NOTHING_CHANGED = 'Nothing was changed.';

function reply(lines: readonly string[]): string {
  return [ACCEPT_REPLY_MARKER, ...lines].join('\n');
}

/** The rules a reply can quote, once the policy has been read. */
type Limits = Pick<Policy, 'maxExceptionDays' | 'minExceptionReasonLength'>;

export function renderFormReply(problem: string, limits?: Limits): string {
  return reply([
    `This \`/mailwarden accept\` was not used: ${problem}. ${NOTHING_CHANGED}`,
    '',
    'The accepted form is the whole comment, on one line:',
    '',
    '```text',
    ...ACCEPT_FORMS,
    '```',
    '',
    limits
      ? `The expiry is a date or a number of days, at most ${limits.maxExceptionDays} days ahead (the policy's \`maxExceptionDays\`); the reason has at least ${limits.minExceptionReasonLength} characters (\`minExceptionReasonLength\`); \`; ticket TICKET\` is optional.`
      : "The expiry is a date or a number of days, within the policy's `maxExceptionDays`; the reason is as long as the policy's `minExceptionReasonLength` asks; `; ticket TICKET` is optional.",
  ]);
}

export function renderPermissionReply(login: string, roleName: string): string {
  return reply([
    `Only people with write, maintain or admin access to this repository can accept a risk; ${codeSpan(login)} has ${codeSpan(roleName)}. ${NOTHING_CHANGED}`,
  ]);
}

export function renderNoMarkerReply(): string {
  return reply([
    `This is not a mailwarden finding issue (it has no finding marker, or not the \`mailwarden\` label), so there is no finding to accept here. ${NOTHING_CHANGED}`,
  ]);
}

export function renderNotFailingReply(): string {
  return reply([
    `This finding is not failing any more (mailwarden closed its issue), so there is no risk to accept. If it fails again, the next run reopens the issue. ${NOTHING_CHANGED}`,
  ]);
}

export function renderPseudonymisedReply(): string {
  return reply([
    `This finding's target is pseudonymised in this repository's issues, and the pull request would have to carry the real one. Add the exception with \`mailwarden accept\` on the command line instead, with the target from the run's JSON evidence report. ${NOTHING_CHANGED}`,
  ]);
}

export function renderNoTenantReply(): string {
  return reply([
    `This workflow keeps one policy file per tenant, and this issue has no single \`tenant:<name>\` label to say which. ${NOTHING_CHANGED}`,
  ]);
}

export function renderPolicyProblemReply(policyPath: string, branch: string): string {
  return reply([
    `The policy file ${codeSpan(policyPath)} on ${codeSpan(branch)} cannot be read or is invalid, so no exception can be added; the workflow run's log says why. ${NOTHING_CHANGED}`,
  ]);
}

export interface PullRequestContext {
  readonly issue: { readonly number: number; readonly htmlUrl: string };
  readonly state: IssueState;
  readonly exception: NewException;
  readonly expiry: ExpirySpec;
  readonly requester: string;
  readonly commentUrl: string;
  readonly policyPath: string;
  readonly pointer: string;
  readonly fingerprint: string;
}

export function renderDoneReply(
  kind: 'opened' | 'updated' | 'unchanged',
  pull: { readonly number: number; readonly htmlUrl: string },
  exception: NewException,
): string {
  const what = `${codeSpan(exception.control)} on ${codeSpan(exception.target)} until ${exception.expires}, approved by ${codeSpan(exception.approvedBy)}`;
  const link = `[#${pull.number}](${pull.htmlUrl})`;
  const lead =
    kind === 'opened'
      ? `Opened ${link} to add the exception: ${what}.`
      : kind === 'updated'
        ? `Updated ${link} with this request: ${what}.`
        : `${link} already holds exactly this exception (${what}); it was not changed.`;
  return reply([
    lead,
    '',
    'Merging the pull request is the acceptance: the next mailwarden run then closes this issue as excepted. Closing it unmerged leaves the finding open.',
  ]);
}

export function renderAlreadyInPolicyReply(branch: string): string {
  return reply([
    `The policy on ${codeSpan(branch)} already holds exactly this exception; the next mailwarden run closes this issue as excepted. ${NOTHING_CHANGED}`,
  ]);
}

/** Comment on an open pull request that a later request changed. */
export function renderPullRequestUpdate(context: PullRequestContext): string {
  return reply([
    `Updated by a new [request](${context.commentUrl}) in #${context.issue.number} from ${codeSpan(context.requester)}: expires ${context.exception.expires}.`,
    '',
    `> ${escapeMarkdown(context.exception.reason)}`,
  ]);
}

/**
 * The request was valid but GitHub refused a write (branch, commit or pull request). A 403 on
 * the pull request is most often the repository setting that keeps Actions from opening one.
 */
export function renderFailureReply(status: number | undefined, message: string): string {
  return reply([
    `This request was valid, but the workflow could not open or update the pull request: GitHub answered ${status ?? 'with an error'} (${escapeMarkdown(message.slice(0, 300))}). The workflow run's log has the details; a new \`/mailwarden accept\` comment tries again.`,
    ...(status === 403
      ? [
          '',
          'If the default token may not open pull requests, turn on Settings → Actions → General → "Allow GitHub Actions to create and approve pull requests", or give the workflow a GitHub App token.',
        ]
      : []),
  ]);
}

/** Pull request title: plain text, one line. */
export function renderPullRequestTitle(exception: NewException): string {
  return plainTitle(`[mailwarden] Accept risk: ${exception.control} on ${exception.target} until ${exception.expires}`);
}

/** The pull request body: the finding, the request quoted, the entry added, and how it is reviewed. */
export function renderPullRequestBody(context: PullRequestContext): string {
  const { exception, state } = context;
  const entry = {
    control: exception.control,
    target: exception.target,
    reason: exception.reason,
    approvedBy: exception.approvedBy,
    expires: exception.expires,
    ...(exception.ticket !== undefined ? { ticket: exception.ticket } : {}),
  };
  return [
    `<!-- mailwarden:accept fingerprint=${context.fingerprint} issue=${context.issue.number} -->`,
    `Accepts the risk of the finding in #${context.issue.number}, as requested there. Merging this pull request is the acceptance; the next mailwarden run closes the issue as excepted, and it reopens when the exception expires.`,
    '',
    '### The finding',
    '',
    `- Control: ${codeSpan(exception.control)}`,
    `- Target: ${codeSpan(exception.target)}`,
    `- Severity: ${state.severity}, first seen ${state.firstSeen}, last seen ${state.lastSeen}`,
    `- Issue: [#${context.issue.number}](${context.issue.htmlUrl})`,
    '',
    '### The request',
    '',
    `[Requested](${context.commentUrl}) by ${codeSpan(context.requester)}, ${describeExpirySpec(context.expiry)} (expires ${exception.expires}):`,
    '',
    `> ${escapeMarkdown(exception.reason)}`,
    ...(exception.ticket !== undefined ? ['', `Ticket: ${codeSpan(exception.ticket)}`] : []),
    '',
    '### The change',
    '',
    `One entry at ${codeSpan(context.pointer)} in ${codeSpan(context.policyPath)}; every other byte of the file is unchanged:`,
    '',
    '```json',
    fencedJson(entry),
    '```',
    '',
    'Review it as any policy change: the reason, the expiry and the approver are what an auditor will read. Each later request on the issue adds a commit here.',
  ].join('\n');
}

/** Commit message: names the control, the expiry and the issue (`#N` links them on GitHub). */
export function renderCommitMessage(context: Pick<PullRequestContext, 'exception' | 'issue' | 'requester'>): string {
  const { exception } = context;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  return [
    `mailwarden: accept ${exception.control} until ${exception.expires} (#${context.issue.number})`,
    '',
    `Target: ${oneLine(exception.target)}`,
    `Approved by: ${oneLine(exception.approvedBy)}, in #${context.issue.number}`,
    ...(exception.ticket !== undefined ? [`Ticket: ${exception.ticket}`] : []),
  ].join('\n');
}
