import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { handleAcceptComment, type AcceptOutcome } from '../accept/accept-comment.js';
import { parseCommentEvent } from '../accept/comment-event.js';
import { type AcceptClientFactory, octokitAcceptClient } from '../entry/accept-client.js';
import type { Env } from '../entry/env.js';
import { ConfigurationError, errorMessage, isConfigurationError } from '../errors.js';
import type { Logger } from '../logger.js';
import { readAcceptInputs } from './accept-inputs.js';
import { actionsLogger } from './actions-logger.js';
import type { GetInput } from './inputs.js';

export interface AcceptActionDeps {
  readonly getInput: GetInput;
  readonly env: Env;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Builds the GitHub client; the entry passes Octokit, tests the same over the loopback fake. */
  readonly api: AcceptClientFactory;
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

/** The accept Action's entry: the runner's inputs, environment and clock; a failure fails the step. */
export async function acceptActionMain(): Promise<void> {
  const logger = actionsLogger();
  try {
    await runAcceptAction({
      getInput: (name) => core.getInput(name),
      env: process.env,
      logger,
      now: () => new Date(),
      api: octokitAcceptClient(logger),
      setOutput: (name, value) => core.setOutput(name, value),
    });
  } catch (error: unknown) {
    if (isConfigurationError(error)) {
      core.setFailed([error.message, ...error.details].join('\n'));
    } else {
      core.setFailed(`mailwarden accept: ${errorMessage(error)}`);
      if (error instanceof Error && error.stack) core.debug(error.stack);
    }
  }
}
