import { ConfigurationError } from '../errors.js';
import type { RepoRef } from '../issues/github-api.js';
import { plausibleSecret } from '../model/secrets.js';
import { checkPolicyPath } from './accept-comment.js';

/** How inputs are read: `core.getInput` in the Action, a map in tests. */
export type GetInput = (name: string) => string;

/** The accept Action's inputs, exactly as declared in accept/action.yml. A test keeps the two in step. */
export const ACCEPT_ACTION_INPUTS = ['policy', 'github-token'] as const;

/** The runner's context variables the accept Action reads. */
export interface AcceptActionEnv {
  readonly GITHUB_EVENT_NAME?: string;
  readonly GITHUB_EVENT_PATH?: string;
  readonly GITHUB_REPOSITORY?: string;
  readonly GITHUB_API_URL?: string;
}

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
export function readAcceptInputs(getInput: GetInput, env: AcceptActionEnv): AcceptActionSettings {
  const policy = getInput('policy').trim();
  if (policy === '') {
    throw new ConfigurationError(
      'Input "policy": the path of the policy file in this repository is required, e.g. policies/contoso.json',
    );
  }
  const token = getInput('github-token').trim();
  if (token === '')
    throw new ConfigurationError('Input "github-token": a token is required (the default is github.token)');
  const [owner, repo, extra] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || extra !== undefined) {
    throw new ConfigurationError('GITHUB_REPOSITORY is not set as OWNER/NAME; mailwarden accept runs in a workflow');
  }
  if (!env.GITHUB_EVENT_PATH)
    throw new ConfigurationError('GITHUB_EVENT_PATH is not set; mailwarden accept runs in a workflow');
  return {
    policyPath: checkPolicyPath(policy),
    token: plausibleSecret(token, 'Input "github-token"', 'GitHub token'),
    repo: { owner, repo },
    apiUrl: env.GITHUB_API_URL?.replace(/\/+$/, '') || 'https://api.github.com',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    eventPath: env.GITHUB_EVENT_PATH,
  };
}
