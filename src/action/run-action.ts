import * as core from '@actions/core';
import { createCollector } from '../entry/create-collector.js';
import { ENV, type Env } from '../entry/env.js';
import { octokitIssuesClient } from '../entry/issues-client.js';
import { errorMessage, isConfigurationError } from '../errors.js';
import { EXIT } from '../run/exit-codes.js';
import type { PublishOutcome } from '../run/publish-report.js';
import { runAudit } from '../run/run-audit.js';
import { runMerge } from '../run/run-merge.js';
import { actionsLogger } from './actions-logger.js';
import { readActionMode } from './inputs.js';

function runContext(env: Env): { repository?: string; gitSha?: string; runUrl?: string } {
  const server = env[ENV.githubServerUrl] ?? 'https://github.com';
  const repository = env[ENV.githubRepository];
  const sha = env[ENV.githubSha];
  const runId = env[ENV.githubRunId];
  return {
    ...(repository ? { repository } : {}),
    ...(sha ? { gitSha: sha } : {}),
    ...(repository && runId ? { runUrl: `${server}/${repository}/actions/runs/${runId}` } : {}),
  };
}

/** GitHub's OIDC token for the cloud's token-exchange audience (workload identity federation). */
async function githubIdToken(audience: string): Promise<string> {
  try {
    return await core.getIDToken(audience);
  } catch (error: unknown) {
    throw new Error(
      `cannot get a GitHub OIDC token (${errorMessage(error)}); give the job \`permissions: id-token: write\`, or pass client-secret or certificate`,
    );
  }
}

/** The Action: read inputs, run the pipeline, publish outputs and the job summary. */
export async function runAction(): Promise<void> {
  const logger = actionsLogger();
  const env: Env = process.env;
  const now = () => new Date();
  try {
    const workspace = env[ENV.githubWorkspace] ?? process.cwd();
    const mode = readActionMode((name) => core.getInput(name), workspace, env);
    const issuesClient = octokitIssuesClient(logger);
    const settings = mode.settings;
    let outcome: PublishOutcome;
    if (mode.kind === 'merge') {
      outcome = await runMerge(mode.settings, { logger, now, issuesClient, workspace });
    } else {
      const collector = createCollector(mode.settings.target, mode.settings.dns, {
        logger,
        now,
        getIdToken: githubIdToken,
      });
      try {
        outcome = await runAudit(mode.settings, {
          logger,
          now,
          collector,
          runContext: runContext(env),
          issuesClient,
          workspace,
        });
      } finally {
        await collector.close?.();
      }
    }
    const { byStatus } = outcome.report.summary;
    core.setOutput('report-path', settings.reportJsonPath ?? '');
    core.setOutput('failed', byStatus.fail);
    core.setOutput('passed', byStatus.pass);
    core.setOutput('errors', byStatus.error);
    core.setOutput('sarif-path', settings.sarifPath ?? '');
    core.setOutput('issues-opened', outcome.issues?.opened ?? 0);
    core.setOutput('issues-closed', outcome.issues?.closed ?? 0);
    core.setOutput('evidence-dir', mode.kind === 'audit' ? (mode.settings.evidence?.dir ?? '') : '');
    if (env[ENV.githubStepSummary]) await core.summary.addRaw(outcome.summaryMarkdown).write();
    if (outcome.exitCode === EXIT.findings) core.setFailed(`Findings at or above fail-on: ${byStatus.fail} failed`);
    else if (outcome.exitCode === EXIT.allSourcesFailed) core.setFailed('Every data source failed; nothing was judged');
    else if (outcome.exitCode === EXIT.issues) core.setFailed(outcome.issuesError ?? 'The GitHub issues stage failed');
  } catch (error: unknown) {
    if (isConfigurationError(error)) {
      core.setFailed([error.message, ...error.details].join('\n'));
    } else {
      core.setFailed(`mailwarden internal error: ${errorMessage(error)}`);
      if (error instanceof Error && error.stack) core.debug(error.stack);
    }
  }
}

/** `@github/local-action` (README, "The Action") calls the entry point's export named `run`. */
export const run = runAction;
