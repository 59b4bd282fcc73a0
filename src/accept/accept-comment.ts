import { ConfigurationError, errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { isRollup, parseFingerprint, parseState } from '../issues/marker.js';
import { TOOL_LABEL } from '../issues/render.js';
import { parsePolicy, type ParsedPolicy } from '../policy/parse-policy.js';
import type { AcceptApi, FileAtRef, IssueNow, PullRequestRef } from './accept-api.js';
import { parseAcceptCommand } from './command.js';
import type { CommentEvent } from './comment-event.js';
import { checkException } from './new-exception.js';
import { addPolicyException, type PolicyEdit } from './policy-edit.js';
import {
  ACCEPT_REPLY_MARKER,
  renderCommitMessage,
  renderDoneReply,
  renderFailureReply,
  renderFormReply,
  renderNoMarkerReply,
  renderNoTenantReply,
  renderNotFailingReply,
  renderPermissionReply,
  renderPolicyProblemReply,
  renderPseudonymisedReply,
  renderAlreadyInPolicyReply,
  renderPullRequestBody,
  renderPullRequestTitle,
  renderPullRequestUpdate,
  type PullRequestContext,
} from './render-accept.js';

export interface AcceptSettings {
  /**
   * The policy file's path in the repository, e.g. `policies/contoso.json`. Where one repository
   * audits several tenants, each with its own policy, `{tenant}` stands for the name in the
   * finding issue's `tenant:<name>` label: `policies/{tenant}.json`.
   */
  readonly policyPath: string;
}

/** The placeholder for the tenant's name in the policy path. */
export const TENANT_PLACEHOLDER = '{tenant}';

/** A tenant name that may stand in a path: no separators, no dot-segments. */
const TENANT_NAME = /^[a-z0-9][a-z0-9._-]*$/;

export type AcceptOutcome =
  | { readonly kind: 'ignored'; readonly why: string }
  | {
      readonly kind: 'refused';
      readonly why:
        | 'permission'
        | 'malformed'
        | 'no-marker'
        | 'not-failing'
        | 'pseudonymised'
        | 'no-tenant'
        | 'invalid'
        | 'already-accepted';
    }
  | {
      readonly kind: 'opened' | 'updated' | 'unchanged';
      readonly pullRequest: { readonly number: number; readonly htmlUrl: string };
      readonly branch: string;
    };

/** Base roles that may accept a risk; GitHub reports maintain as write (docs: collaborator permission). */
const MAY_ACCEPT = new Set(['admin', 'write']);

/** The branch of a finding's pull request: one per finding, so a repeat request finds it. */
export function acceptBranch(fingerprint: string): string {
  return `mailwarden/accept/${fingerprint}`;
}

/** A repository-relative file path, as the contents API takes it. */
export function checkPolicyPath(path: string): string {
  const clean = path.trim().replace(/^\.\//, '');
  if (
    clean === '' ||
    clean.startsWith('/') ||
    clean.split('/').some((part) => part === '' || part === '.' || part === '..') ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
    /[\u0000-\u001f\u007f\\]/.test(clean)
  ) {
    throw new ConfigurationError(
      `policy "${path}": expected the policy file's path inside the repository, e.g. policies/contoso.json`,
    );
  }
  return clean;
}

/**
 * The policy file for this issue: the path as given, or with `{tenant}` replaced by the name in
 * the issue's one `tenant:<name>` label; `undefined` when that label is missing, doubled or not a
 * plain name.
 */
export function policyPathFor(path: string, labels: readonly string[]): string | undefined {
  if (!path.includes(TENANT_PLACEHOLDER)) return checkPolicyPath(path);
  const tenants = labels.filter((l) => l.startsWith('tenant:')).map((l) => l.slice('tenant:'.length));
  const [name] = tenants;
  if (tenants.length !== 1 || name === undefined || !TENANT_NAME.test(name)) return undefined;
  return checkPolicyPath(path.replaceAll(TENANT_PLACEHOLDER, name));
}

function isOwnOrBot(event: CommentEvent): boolean {
  return (
    event.comment.userType === 'Bot' ||
    event.comment.login.endsWith('[bot]') ||
    event.comment.body.trimStart().startsWith(ACCEPT_REPLY_MARKER)
  );
}

/** The finding's control, target and state, from the issue's hidden markers only. */
function findingOf(issue: IssueNow) {
  if (issue.isPullRequest || !issue.labels.includes(TOOL_LABEL) || isRollup(issue.body)) return undefined;
  const fingerprint = parseFingerprint(issue.body);
  const state = parseState(issue.body);
  return fingerprint !== undefined && state !== undefined ? { fingerprint, state } : undefined;
}

/**
 * Handles one `issue_comment` event: a `/mailwarden accept` from someone with write access on an
 * open finding issue becomes one commit on the finding's branch and one pull request (opened, or
 * updated when it is already open). Everything else is ignored silently (not a command, a bot,
 * a pull request) or refused with one reply and no change. Control and target come from the
 * issue's hidden marker, never from the comment or the title.
 */
export async function handleAcceptComment(
  event: CommentEvent,
  api: AcceptApi,
  settings: AcceptSettings,
  context: { readonly logger: Logger; readonly now: () => Date },
): Promise<AcceptOutcome> {
  const { logger } = context;
  checkPolicyPath(settings.policyPath);
  if (event.action !== 'created') return { kind: 'ignored', why: `a comment ${event.action}, not created` };
  if (event.onPullRequest) return { kind: 'ignored', why: 'a comment on a pull request' };
  if (isOwnOrBot(event)) return { kind: 'ignored', why: 'a comment by a bot or by this workflow' };
  const command = parseAcceptCommand(event.comment.body);
  if (command.kind === 'none') return { kind: 'ignored', why: 'not a /mailwarden command' };

  const number = event.issueNumber;
  const refuse = async (why: Extract<AcceptOutcome, { kind: 'refused' }>['why'], body: string) => {
    await api.comment(number, body);
    logger.info(`#${number}: refused (${why}); replied`);
    return { kind: 'refused' as const, why };
  };

  const login = event.comment.login;
  const access = await api.getAccess(login);
  if (!MAY_ACCEPT.has(access.permission)) {
    return refuse('permission', renderPermissionReply(login, access.roleName));
  }
  if (command.kind === 'malformed') return refuse('malformed', renderFormReply(command.problem));

  const issue = await api.getIssue(number);
  const finding = findingOf(issue);
  if (!finding) return refuse('no-marker', renderNoMarkerReply());
  if (issue.state !== 'open' || finding.state.status !== 'open') return refuse('not-failing', renderNotFailingReply());
  const target = finding.state.target;
  if (target === undefined) return refuse('pseudonymised', renderPseudonymisedReply());
  const policyPath = policyPathFor(settings.policyPath, issue.labels);
  if (policyPath === undefined) return refuse('no-tenant', renderNoTenantReply());

  const base = await api.getDefaultBranch();
  const now = context.now();
  let policy: ParsedPolicy;
  let baseFile: FileAtRef | undefined;
  try {
    baseFile = await api.readFile(policyPath, base);
    if (!baseFile) throw new ConfigurationError(`${policyPath}: no such file on branch ${base}`);
    policy = parsePolicy(baseFile.text, policyPath, now);
  } catch (error: unknown) {
    await api.comment(number, renderPolicyProblemReply(policyPath, base));
    throw error instanceof ConfigurationError
      ? error
      : new ConfigurationError(`${policyPath} on ${base}: ${errorMessage(error)}`);
  }

  const checked = checkException(
    {
      control: finding.state.control,
      target,
      reason: command.request.reason,
      approvedBy: login,
      expiry: command.request.expiry,
      ...(command.request.ticket !== undefined ? { ticket: command.request.ticket } : {}),
    },
    policy.policy,
    now,
  );
  if (!checked.ok) return refuse('invalid', renderFormReply(checked.problem, policy.policy));
  const exception = checked.exception;

  const branch = acceptBranch(finding.fingerprint);
  const open = await api.findOpenPullRequest(branch);
  let file = baseFile;
  if (open) {
    const onBranch = await api.readFile(policyPath, branch);
    if (!onBranch) throw new Error(`${policyPath} is missing on ${branch}, the branch of #${open.number}`);
    file = onBranch;
  }
  const edit = addPolicyException(file.text, policyPath, exception, now);
  if (edit.text === file.text) {
    await api.comment(number, open ? renderDoneReply('unchanged', open, exception) : renderAlreadyInPolicyReply(base));
    return open ? { kind: 'unchanged', pullRequest: open, branch } : { kind: 'refused', why: 'already-accepted' };
  }
  const pullContext = {
    issue: { number, htmlUrl: issue.htmlUrl },
    state: finding.state,
    exception,
    expiry: command.request.expiry,
    requester: login,
    commentUrl: event.comment.htmlUrl,
    policyPath,
    pointer: edit.pointer,
    fingerprint: finding.fingerprint,
  };
  let pullRequest: PullRequestRef;
  try {
    pullRequest = await writePullRequest(api, { base, branch, open, file, edit, context: pullContext });
  } catch (error: unknown) {
    // The person who asked would otherwise see nothing: say that it failed, then fail the step.
    try {
      await api.comment(number, renderFailureReply(statusOf(error), errorMessage(error)));
    } catch (replyError: unknown) {
      logger.warning(`#${number}: could not reply about the failure (${errorMessage(replyError)})`);
    }
    throw error;
  }
  await api.comment(number, renderDoneReply(open ? 'updated' : 'opened', pullRequest, exception));
  logger.info(`#${number}: ${open ? 'updated' : 'opened'} pull request #${pullRequest.number} on ${branch}`);
  return { kind: open ? 'updated' : 'opened', pullRequest, branch };
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number'
    ? error.status
    : undefined;
}

/** The branch (new, or reset from a closed pull request), the commit, and the pull request opened or updated. */
async function writePullRequest(
  api: AcceptApi,
  write: {
    readonly base: string;
    readonly branch: string;
    readonly open: PullRequestRef | undefined;
    readonly file: FileAtRef;
    readonly edit: PolicyEdit;
    readonly context: PullRequestContext;
  },
): Promise<PullRequestRef> {
  const { base, branch, open, context } = write;
  if (!open) {
    // A branch left from a closed pull request starts again from the default branch.
    const baseSha = await api.getBranch(base);
    if (!baseSha) throw new Error(`the default branch ${base} has no ref`);
    if ((await api.getBranch(branch)) === undefined) await api.createBranch(branch, baseSha);
    else await api.resetBranch(branch, baseSha);
  }
  await api.writeFile({
    path: context.policyPath,
    branch,
    text: write.edit.text,
    sha: write.file.sha,
    message: renderCommitMessage(context),
  });
  const title = renderPullRequestTitle(context.exception);
  const body = renderPullRequestBody(context);
  if (!open) return api.createPullRequest({ title, body, head: branch, base });
  await api.updatePullRequest(open.number, { title, body });
  // A new commit and a rewritten body notify nobody; a comment tells the reviewers.
  await api.comment(open.number, renderPullRequestUpdate(context));
  return open;
}
