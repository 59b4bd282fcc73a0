import { createOctokit, octokitIssuesApi } from '../issues/octokit-issues-api.js';
import type { Logger } from '../logger.js';
import type { IssuesClientFactory } from '../run/publish-report.js';

/** The one issues-client factory of both entry points: Octokit with retries and throttling, logging to `logger`. */
export function octokitIssuesClient(logger: Logger): IssuesClientFactory {
  return (settings) =>
    octokitIssuesApi(createOctokit({ token: settings.token, baseUrl: settings.apiUrl, logger }), settings.repo);
}
