import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, errorMessage, isConfigurationError } from '../errors.js';
import type { IssuesApi, RepoRef } from '../issues/github-api.js';
import { pinWarning } from '../issues/pin-dashboard.js';
import { renderSyncSummary, type SyncOutcome, syncIssues } from '../issues/sync.js';
import type { Logger } from '../logger.js';
import { type FailOn, severityRank } from '../model/severity.js';
import type { Policy } from '../policy/policy.js';
import type { Disclosure, PublicReport } from '../report/disclosure.js';
import { escapeMarkdown } from '../report/escape.js';
import { expiringExceptions, renderExpiringExceptions } from '../report/expiring-exceptions.js';
import type { Report } from '../report/report.js';
import { renderSarif } from '../report/sarif.js';
import { renderSummaryMarkdown } from '../report/summary-markdown.js';
import { tenantLabel } from '../report/tenant-label.js';
import { fileOutput, type OutputPath, writingTo } from './output-paths.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { nothingAudited } from './nothing-audited.js';
import type { IssuesSettings } from './settings.js';

/** Builds the GitHub client for the issues stage; the entries pass Octokit, tests a fake. */
export type IssuesClientFactory = (
  settings: IssuesSettings & { readonly token: string; readonly repo: RepoRef },
) => IssuesApi;

/** The repository as the redaction decision read it (disclosure-decision.ts); the issues stage reuses both. */
export interface IssuesAccess {
  readonly api?: IssuesApi;
  readonly repository?: Awaited<ReturnType<IssuesApi['getRepository']>>;
}

/** The issues stage: a missing token or repository is a clear error; the report is already written. */
async function issuesStage(
  settings: IssuesSettings,
  report: PublicReport,
  policy: Policy,
  deps: Pick<PublishDeps, 'logger' | 'now' | 'issuesClient'>,
  access: IssuesAccess,
): Promise<SyncOutcome> {
  if (!settings.token) {
    throw new ConfigurationError(
      'The issues stage needs a GitHub token: set GITHUB_TOKEN (CLI) or the `github-token` input (Action).',
    );
  }
  if (!settings.repo)
    throw new ConfigurationError('The issues stage needs a repository: --repo OWNER/NAME (or GITHUB_REPOSITORY).');
  if (!deps.issuesClient) throw new Error('no GitHub client factory was passed to the pipeline');
  deps.logger.secret(settings.token);
  const api = access.api ?? deps.issuesClient({ ...settings, token: settings.token, repo: settings.repo });
  return syncIssues(
    api,
    report,
    policy,
    {
      mode: settings.mode === 'on' ? 'on' : 'dry-run',
      repo: settings.repo,
      labels: settings.labels,
      maxNewIssues: settings.maxNewIssues,
      ...(access.repository ? { repository: access.repository } : {}),
      dashboard: true,
      ...(settings.tenantName !== undefined ? { tenant: tenantLabel(report.run.tenantId, settings.tenantName) } : {}),
    },
    { logger: deps.logger, now: deps.now },
  );
}

async function writeOutput(file: string, what: string, text: string): Promise<void> {
  await writingTo({ path: file, kind: 'file', what }, async () => {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(file, text);
  });
}

/** The files a report is published to, for checking before the run does any work. */
export function publishOutputs(settings: PublishSettings): (OutputPath | undefined)[] {
  return [
    fileOutput(settings.reportJsonPath, 'the JSON report'),
    fileOutput(settings.sarifPath, 'the SARIF file'),
    fileOutput(settings.summaryMarkdownPath, 'the Markdown summary'),
  ];
}

/** What a run or a merge writes besides the report object: the outputs and the issues. */
export interface PublishSettings {
  readonly reportJsonPath: string | undefined;
  readonly summaryMarkdownPath: string | undefined;
  readonly sarifPath?: string | undefined;
  readonly failOn: FailOn;
  readonly issues?: IssuesSettings;
}

/**
 * The tail shared by an audit and by `merge-reports`: the JSON report, SARIF, the issues stage
 * (dashboard and pin included), the job summary and the exit code. A sharded run's partial report
 * never comes here with issues on: only the merged report is synced.
 */
export interface PublishOutcome {
  /** The complete report, as written to the JSON evidence report. */
  readonly report: Report;
  /** The report as it may be shown (the one redaction step): what the console and the log render. */
  readonly shown: PublicReport;
  readonly summaryMarkdown: string;
  readonly warnings: readonly string[];
  readonly exitCode: ExitCode;
  /** What the issues stage did, when it ran. */
  readonly issues?: SyncOutcome;
  /** Why the issues stage did not run or stopped, when it failed. */
  readonly issuesError?: string;
}

/** What publishing needs from the entry point besides settings. */
export interface PublishDeps {
  readonly logger: Logger;
  readonly now: () => Date;
  /** The GitHub client factory for the issues stage; required when `settings.issues.mode` is not `off`. */
  readonly issuesClient?: IssuesClientFactory;
  /** The repository checkout: SARIF locations are relative to it. Defaults to the working directory. */
  readonly workspace?: string;
  /**
   * Called with the report as it may be shown, once the outputs are written and before the
   * issues stage: the Action prints its findings table here, so it stands before the long
   * stretch of issue writes.
   */
  readonly onShown?: (shown: PublicReport, failOn: FailOn) => void;
}

export async function publishReport(
  report: Report,
  policy: Policy | undefined,
  settings: PublishSettings,
  deps: PublishDeps,
  context: {
    readonly warnings: readonly string[];
    readonly now: Date;
    /** The one redaction step, decided before the run began (runAudit, runMerge). */
    readonly disclosure: Disclosure;
    readonly access: IssuesAccess;
  },
): Promise<PublishOutcome> {
  const { disclosure } = context;
  const warnings = [...context.warnings];
  const now = context.now;
  // The evidence report is written before the issues stage, so it exists whatever GitHub does.
  // It is complete: it stays with the organisation (an artifact upload of it is another matter, README).
  if (settings.reportJsonPath)
    await writeOutput(settings.reportJsonPath, 'the JSON report', `${JSON.stringify(report, null, 2)}\n`);
  // Everything below leaves the runner, so it is rendered from the public view only.
  const shown = disclosure.show(report, deps.workspace !== undefined ? { workspace: deps.workspace } : {});
  if (settings.sarifPath) {
    if (!policy) throw new Error('SARIF needs the policy');
    await writeOutput(
      settings.sarifPath,
      'the SARIF file',
      `${JSON.stringify(renderSarif(shown, policy, deps.workspace ?? process.cwd()), null, 2)}\n`,
    );
  }

  deps.logger.stage?.(undefined);
  deps.onShown?.(shown, settings.failOn);

  let issues: SyncOutcome | undefined;
  let issuesError: string | undefined;
  const sections: string[] = policy ? [...renderExpiringExceptions(expiringExceptions(policy.exceptions, now))] : [];
  if (settings.issues && settings.issues.mode !== 'off') {
    if (!policy) throw new Error('the issues stage needs the policy');
    deps.logger.stage?.(`GitHub issues (${settings.issues.mode})`);
    try {
      issues = await issuesStage(settings.issues, shown, policy, deps, context.access);
      sections.push(renderSyncSummary(issues, settings.issues.mode === 'on' ? 'on' : 'dry-run'));
      for (const failure of issues.outcome.failures) warnings.push(`GitHub issues: ${failure}`);
      // Logged once by the stage; the exit code (5) and the summary say it too.
      if (issues.outcome.refused !== undefined) {
        issuesError = issues.outcome.refused;
        sections.push(`**Stopped:** ${escapeMarkdown(disclosure.text(issuesError))}\n`);
      } else if (issues.outcome.failures.length > 0)
        issuesError = `${issues.outcome.failures.length} GitHub write(s) failed; the next run retries them`;
      if (issues.dashboard?.historyStatus === 'corrupt') {
        const warning = `dashboard history corrupt (${issues.dashboard.historyProblem ?? 'unreadable'}); started afresh`;
        deps.logger.warning(warning);
        warnings.push(warning);
      }
      if (issues.dashboard?.status === 'failed')
        warnings.push(`GitHub issues: dashboard write failed: ${issues.dashboard.error ?? ''}`);
      const pin = issues.pin ? pinWarning(issues.pin) : undefined;
      if (pin) warnings.push(`GitHub issues: ${pin}`);
    } catch (error: unknown) {
      issuesError = isConfigurationError(error)
        ? [error.message, ...error.details].join(' ')
        : `GitHub issues sync failed: ${errorMessage(error)}`;
      deps.logger.error(issuesError);
      sections.push(`### GitHub issues\n\n**Not synced:** ${escapeMarkdown(disclosure.text(issuesError))}\n`);
    }
  }
  deps.logger.stage?.(undefined);
  const history = issues?.dashboard?.history;
  const summaryMarkdown = renderSummaryMarkdown(shown, {
    warnings: warnings.map((w) => disclosure.text(w)),
    sections,
    ...(history ? { history } : {}),
  });
  if (settings.summaryMarkdownPath)
    await writeOutput(settings.summaryMarkdownPath, 'the Markdown summary', summaryMarkdown);

  let exitCode: ExitCode = EXIT.done;
  const notAudited = nothingAudited(report.snapshot);
  if (notAudited !== undefined) {
    exitCode = EXIT.nothingAudited;
    deps.logger.error(`Nothing was audited: ${notAudited}.`);
  } else if (
    settings.failOn !== 'none' &&
    report.results.some(
      (r) =>
        r.status === 'fail' &&
        severityRank(r.severity) >= severityRank(settings.failOn as Exclude<typeof settings.failOn, 'none'>),
    )
  ) {
    exitCode = EXIT.findings;
  }
  if (issuesError !== undefined && exitCode === EXIT.done) exitCode = EXIT.issues;
  return {
    report,
    shown,
    summaryMarkdown,
    warnings,
    exitCode,
    ...(issues ? { issues } : {}),
    ...(issuesError !== undefined ? { issuesError } : {}),
  };
}
