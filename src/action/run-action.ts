import * as core from '@actions/core';
import { createCollector } from '../entry/create-collector.js';
import { ENV, type Env } from '../entry/env.js';
import { octokitIssuesClient } from '../entry/issues-client.js';
import { errorMessage, isConfigurationError } from '../errors.js';
import { EXIT } from '../run/exit-codes.js';
import type { IssuesClientFactory, PublishOutcome } from '../run/publish-report.js';
import type { Logger } from '../logger.js';
import { runAudit } from '../run/run-audit.js';
import { runMerge } from '../run/run-merge.js';
import { createDisclosure } from '../report/disclosure.js';
import { failuresAtThreshold, renderFindingsLog } from '../report/findings-log.js';
import type { PublicReport } from '../report/disclosure.js';
import type { FailOn } from '../model/severity.js';
import { actionsLogger } from './actions-logger.js';
import { githubIdToken } from './github-id-token.js';
import { incrementalCacheInput, readActionMode } from './inputs.js';
import { restoreState, saveState, type StateCacheRun } from './state-cache.js';

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

/** The Action's outputs, exactly as declared in action.yml. A test keeps the two in step. */
export const ACTION_OUTPUTS = [
  'report-path',
  'failed',
  'passed',
  'errors',
  'not-evaluable',
  'result',
  'sarif-path',
  'issues-opened',
  'issues-closed',
  'evidence-dir',
] as const;

/** The overall result: `pass`, `fail` (findings at or above fail-on) or `error` (the audit could not be trusted or finished). */
export function overallResult(exitCode: number, errors: number): 'pass' | 'fail' | 'error' {
  if (exitCode === EXIT.findings) return 'fail';
  if (exitCode !== EXIT.done) return 'error';
  // A green step over controls that could not be judged is no pass.
  return errors > 0 ? 'error' : 'pass';
}

/**
 * What a test may change of the Action's wiring: the GitHub client's pacing (production spaces
 * creates 3 s apart), everything else stays as the runner runs it.
 */
export interface ActionWiring {
  readonly issuesClient?: (logger: Logger) => IssuesClientFactory;
}

/** The Action: read inputs, run the pipeline, publish outputs and the job summary. */
export async function runAction(wiring: ActionWiring = {}): Promise<void> {
  // The one redaction step wraps the log first, so every line (the clients' too) goes through it.
  const disclosure = createDisclosure();
  const logger = disclosure.logger(actionsLogger());
  const env: Env = process.env;
  const now = () => new Date();
  // The findings table stands out of any group, before the issues are written.
  const onShown = (shown: PublicReport, failOn: FailOn): void => {
    for (const line of renderFindingsLog(shown, failOn)) logger.info(line);
  };
  try {
    const workspace = env[ENV.githubWorkspace] ?? process.cwd();
    const mode = readActionMode((name) => core.getInput(name), workspace, env);
    const issuesClient = (wiring.issuesClient ?? octokitIssuesClient)(logger);
    const settings = mode.settings;
    let outcome: PublishOutcome;
    if (mode.kind === 'merge') {
      outcome = await runMerge(mode.settings, { logger, now, issuesClient, workspace, disclosure, onShown });
    } else {
      const collector = createCollector(mode.settings.target, mode.settings.dns, {
        logger,
        now,
        getIdToken: githubIdToken,
      });
      const incremental = mode.settings.incremental;
      const useCache = incrementalCacheInput((name) => core.getInput(name), mode.settings);
      const cached: StateCacheRun | undefined =
        incremental && useCache
          ? {
              file: incremental.statePath,
              tenant: mode.settings.target.kind === 'tenant' ? mode.settings.target.tenantId : 'tenant',
              runId: env[ENV.githubRunId] ?? String(now().getTime()),
              runAttempt: env[ENV.githubRunAttempt] ?? '1',
              logger,
            }
          : undefined;
      if (cached) await restoreState(cached);
      try {
        outcome = await runAudit(mode.settings, {
          logger,
          now,
          collector,
          runContext: runContext(env),
          issuesClient,
          workspace,
          disclosure,
          onShown,
        });
      } finally {
        await collector.close?.();
        // Saved even when the run failed: the state it found is saved again, and the next run continues from it.
        if (cached) await saveState(cached);
      }
    }
    const { byStatus } = outcome.report.summary;
    core.setOutput('report-path', settings.reportJsonPath ?? '');
    core.setOutput('failed', byStatus.fail);
    core.setOutput('passed', byStatus.pass);
    core.setOutput('errors', byStatus.error);
    core.setOutput('not-evaluable', byStatus.not_evaluable);
    core.setOutput('result', overallResult(outcome.exitCode, byStatus.error));
    core.setOutput('sarif-path', settings.sarifPath ?? '');
    core.setOutput('issues-opened', outcome.issues?.opened ?? 0);
    core.setOutput('issues-closed', outcome.issues?.closed ?? 0);
    core.setOutput('evidence-dir', mode.kind === 'audit' ? (mode.settings.evidence?.dir ?? '') : '');
    if (env[ENV.githubStepSummary]) await core.summary.addRaw(outcome.summaryMarkdown).write();
    if (outcome.exitCode === EXIT.findings) {
      const at = failuresAtThreshold(outcome.shown, mode.settings.failOn).length;
      core.setFailed(
        `${at} failing finding${at === 1 ? '' : 's'} at or above ${mode.settings.failOn} (fail-on), listed above; ${byStatus.fail} failed in all`,
      );
    } else if (outcome.exitCode === EXIT.nothingAudited)
      core.setFailed('Nothing was audited (no tenant source read, or no source at all); see the error above');
    else if (outcome.exitCode === EXIT.issues)
      core.setFailed(disclosure.text(outcome.issuesError ?? 'The GitHub issues stage failed'));
  } catch (error: unknown) {
    core.setOutput('result', 'error');
    if (isConfigurationError(error)) {
      core.setFailed(disclosure.text([error.message, ...error.details].join('\n')));
    } else {
      core.setFailed(`mailwarden internal error: ${disclosure.text(errorMessage(error))}`);
      if (error instanceof Error && error.stack) core.debug(error.stack);
    }
  }
}

/** `@github/local-action` (README, "The Action") calls the entry point's export named `run`. */
export const run = (): Promise<void> => runAction();
