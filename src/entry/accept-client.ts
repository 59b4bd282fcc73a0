import type { AcceptApi, RepoRef } from '../accept/accept-api.js';
import { octokitAcceptApi } from '../accept/octokit-accept-api.js';
import { createOctokit } from '../issues/octokit-issues-api.js';
import type { Logger } from '../logger.js';

/** Builds the accept workflow's GitHub client from a token, a REST base URL and a repository. */
export type AcceptClientFactory = (token: string, apiUrl: string, repo: RepoRef) => AcceptApi;

/** The one accept-client factory: the same throttled, retried Octokit as the issues stage. */
export function octokitAcceptClient(logger: Logger): AcceptClientFactory {
  return (token, apiUrl, repo) => octokitAcceptApi(createOctokit({ token, baseUrl: apiUrl, logger }), repo);
}
