import { readFile } from 'node:fs/promises';
import { ConfigurationError, errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AcceptApi, RepoRef } from './accept-api.js';
import { handleAcceptComment, type AcceptOutcome } from './accept-comment.js';
import { readAcceptInputs, type AcceptActionEnv, type GetInput } from './accept-inputs.js';
import { parseCommentEvent } from './comment-event.js';

export interface AcceptActionDeps {
  readonly getInput: GetInput;
  readonly env: AcceptActionEnv;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Builds the GitHub client; the entry passes Octokit, tests the same over the loopback fake. */
  readonly api: (token: string, apiUrl: string, repo: RepoRef) => AcceptApi;
  readonly setOutput: (name: string, value: string) => void;
}

/** The accept Action's outputs, exactly as declared in accept/action.yml. */
export const ACCEPT_ACTION_OUTPUTS = ['result', 'pull-request-number', 'pull-request-url'] as const;

/**
 * The accept Action: read the inputs and the `issue_comment` event, handle the comment, publish
 * the outcome. A refusal is a normal outcome (the step stays green, the reply says why); a bad
 * input, an unreadable policy or a failed GitHub call throws and fails the step.
 */
export async function runAcceptAction(deps: AcceptActionDeps): Promise<AcceptOutcome> {
  const settings = readAcceptInputs(deps.getInput, deps.env);
  deps.logger.secret(settings.token);
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(settings.eventPath, 'utf8'));
  } catch (error: unknown) {
    throw new ConfigurationError(
      `GITHUB_EVENT_PATH ${settings.eventPath}: cannot read the event (${errorMessage(error)})`,
    );
  }
  const event = parseCommentEvent(payload, settings.eventName);
  const api = deps.api(settings.token, settings.apiUrl, settings.repo);
  const outcome = await handleAcceptComment(event, api, { policyPath: settings.policyPath }, deps);
  deps.setOutput('result', outcome.kind === 'refused' ? `refused:${outcome.why}` : outcome.kind);
  const pull = 'pullRequest' in outcome ? outcome.pullRequest : undefined;
  deps.setOutput('pull-request-number', pull ? String(pull.number) : '');
  deps.setOutput('pull-request-url', pull?.htmlUrl ?? '');
  deps.logger.info(
    outcome.kind === 'ignored'
      ? `Ignored: ${outcome.why}`
      : outcome.kind === 'refused'
        ? `Refused (${outcome.why}); replied on #${event.issueNumber}`
        : `${outcome.kind} pull request #${outcome.pullRequest.number}: ${outcome.pullRequest.htmlUrl}`,
  );
  return outcome;
}
