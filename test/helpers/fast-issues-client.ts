import { octokitIssuesClient } from '../../src/entry/issues-client.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import type { IssuesClientFactory } from '../../src/run/publish-report.js';

/** Write and retry pacing for the fake GitHub: no waiting between writes, 1 ms retry base. */
export const FAST_PACING = { writeMs: 0, notificationMs: 0, retryBaseMs: 1 } as const;

/** The production issues-client factory (src/entry/issues-client.ts) with FAST_PACING. */
export function fastIssuesClient(logger: Logger = silentLogger): IssuesClientFactory {
  return octokitIssuesClient(logger, { pacing: FAST_PACING });
}
