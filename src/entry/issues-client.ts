import { createOctokit, type OctokitOptions, octokitIssuesApi } from '../issues/octokit-issues-api.js';
import type { Logger } from '../logger.js';
import type { IssuesClientFactory } from '../run/publish-report.js';

/**
 * The one issues-client factory: Octokit with retries and throttling, logging to `logger`. The
 * entry points use GitHub's pacing; tests pass a faster one against the fake GitHub.
 */
export function octokitIssuesClient(logger: Logger, options: Pick<OctokitOptions, 'pacing'> = {}): IssuesClientFactory {
  return (settings) =>
    octokitIssuesApi(
      createOctokit({
        token: settings.token,
        baseUrl: settings.apiUrl,
        logger,
        ...(options.pacing ? { pacing: options.pacing } : {}),
      }),
      settings.repo,
    );
}
