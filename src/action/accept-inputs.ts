import { checkPolicyPath } from '../accept/accept-comment.js';
import { ENV, type Env } from '../entry/env.js';
import { ConfigurationError } from '../errors.js';
import type { RepoRef } from '../issues/github-api.js';
import { ISSUES_OFF } from '../run/settings.js';
import type { GetInput } from './inputs.js';
import { plausibleSecret } from '../model/secrets.js';

/** The accept Action's inputs, exactly as declared in accept/action.yml. A test keeps the two in step. */
export const ACCEPT_ACTION_INPUTS = ['policy', 'github-token'] as const;

export interface AcceptActionSettings {
  readonly policyPath: string;
  readonly token: string;
  readonly repo: RepoRef;
  /** REST base URL: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  readonly apiUrl: string;
  readonly eventName: string;
  readonly eventPath: string;
}

/** Reads the accept Action's inputs and context once; every mistake is a `ConfigurationError`. */
export function readAcceptInputs(getInput: GetInput, env: Env): AcceptActionSettings {
  const policy = getInput('policy').trim();
  if (policy === '') {
    throw new ConfigurationError(
      'Input "policy": the path of the policy file in this repository is required, e.g. policies/contoso.json',
    );
  }
  const token = getInput('github-token').trim();
  if (token === '')
    throw new ConfigurationError('Input "github-token": a token is required (the default is github.token)');
  const [owner, repo, extra] = (env[ENV.githubRepository] ?? '').split('/');
  if (!owner || !repo || extra !== undefined) {
    throw new ConfigurationError(
      `${ENV.githubRepository} is not set as OWNER/NAME; mailwarden accept runs in a workflow`,
    );
  }
  const eventPath = env[ENV.githubEventPath];
  if (!eventPath)
    throw new ConfigurationError(`${ENV.githubEventPath} is not set; mailwarden accept runs in a workflow`);
  return {
    policyPath: checkPolicyPath(policy),
    token: plausibleSecret(token, 'Input "github-token"', 'GitHub token'),
    repo: { owner, repo },
    apiUrl: env[ENV.githubApiUrl]?.replace(/\/+$/, '') || ISSUES_OFF.apiUrl,
    eventName: env[ENV.githubEventName] ?? '',
    eventPath,
  };
}
