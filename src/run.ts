import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Collector } from './collect/collector.js';
import { evaluate, startEarlyStream, type StartedStream } from './evaluate/evaluate.js';
import { writeEvidencePack, type EvidenceOutcome } from './evidence/write-evidence.js';
import { collectedSources, selectControls } from './evaluate/selection.js';
import type { Logger } from './logger.js';
import { severityRank } from './model/severity.js';
import { loadPolicy } from './policy/load-policy.js';
import type { Policy } from './policy/policy.js';
import { buildReport, type Report, type RunInfo } from './report/report.js';
import { renderSarif } from './report/sarif.js';
import { renderSummaryMarkdown } from './report/summary-markdown.js';
import { ConfigurationError, errorMessage, isConfigurationError } from './errors.js';
import type { IssuesApi, RepoRef } from './issues/github-api.js';
import { pinWarning } from './issues/pin-dashboard.js';
import { renderSyncSummary, syncIssues, type SyncOutcome } from './issues/sync.js';
import { escapeMarkdown } from './report/escape.js';
import { tenantLabel } from './report/tenant-label.js';
import { expiringExceptions, renderExpiringExceptions } from './report/expiring-exceptions.js';
import type { IssuesSettings, Settings } from './settings.js';
import { readSnapshotFolder } from './snapshot/read-folder.js';
import type { Manifest } from './snapshot/manifest.js';
import type { Snapshot } from './snapshot/snapshot.js';
import type { SourceId } from './snapshot/source-id.js';
import { writeSnapshotFolder } from './snapshot/write-folder.js';
import { TOOL } from './version.js';

/** Process exit codes, shared by the CLI and the Action. */
export const EXIT = {
  done: 0,
  findings: 1,
  configuration: 2,
  allSourcesFailed: 3,
  /** The GitHub issues stage could not run or sync (the report is still written). */
  issues: 5,
} as const;

/** Builds the GitHub client for the issues stage; the entries pass Octokit, tests a fake. */
export type IssuesClientFactory = (
  settings: IssuesSettings & { readonly token: string; readonly repo: RepoRef },
) => IssuesApi;

/** What the entry points pass in: the logger, the clock and the clients. */
export interface RunDeps {
  readonly logger: Logger;
  readonly now: () => Date;
  readonly collector: Collector;
  /** Facts about the CI run (repository, commit, run URL), when there is one. */
  readonly runContext?: Pick<RunInfo, 'repository' | 'gitSha' | 'runUrl'>;
  /** The GitHub client factory for the issues stage; required when `settings.issues.mode` is not `off`. */
  readonly issuesClient?: IssuesClientFactory;
  /** The repository checkout: SARIF locations are relative to it. Defaults to the working directory. */
  readonly workspace?: string;
}

export interface RunOutcome {
  readonly report: Report;
  readonly policy: Policy;
  readonly summaryMarkdown: string;
  readonly warnings: readonly string[];
  readonly exitCode: number;
  /** What the issues stage did, when it ran. */
  readonly issues?: SyncOutcome;
  /** Why the issues stage did not run or stopped, when it failed. */
  readonly issuesError?: string;
  /** The evidence pack's report, when `--evidence-dir` was given. */
  readonly evidence?: EvidenceOutcome;
}

/** The issues stage: a missing token or repository is a clear error; the report is already written. */
async function issuesStage(
  settings: IssuesSettings,
  report: Report,
  policy: Policy,
  deps: Pick<RunDeps, 'logger' | 'now' | 'issuesClient'>,
): Promise<SyncOutcome> {
  if (!settings.token) {
    throw new ConfigurationError(
      'The issues stage needs a GitHub token: set GITHUB_TOKEN (CLI) or the `github-token` input (Action).',
    );
  }
  if (!settings.repo)
    throw new ConfigurationError('The issues stage needs a repository: --repo OWNER/NAME (or GITHUB_REPOSITORY).');
  if (!deps.issuesClient) throw new Error('no GitHub client factory was passed to run()');
  deps.logger.secret(settings.token);
  const api = deps.issuesClient({ ...settings, token: settings.token, repo: settings.repo });
  return syncIssues(
    api,
    report,
    policy,
    {
      mode: settings.mode === 'on' ? 'on' : 'dry-run',
      repo: settings.repo,
      labels: settings.labels,
      maxNewIssues: settings.maxNewIssues,
      redact: settings.redact,
      // Without a secret key, the tenant ID keeps pseudonyms stable across runs (see README).
      redactKey: settings.redactKey ?? report.run.tenantId ?? 'mailwarden',
      dashboard: true,
      ...(settings.tenantName !== undefined ? { tenant: tenantLabel(report.run.tenantId, settings.tenantName) } : {}),
    },
    { logger: deps.logger, now: deps.now },
  );
}

async function writeOutput(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text);
}

/** Exit 3 when every source the run needed failed: nothing was judged at all. */
function everySourceFailed(manifest: Manifest): boolean {
  const statuses = Object.values(manifest.sources);
  return statuses.length > 0 && statuses.every((s) => s.status === 'failed');
}

/**
 * The pipeline, one way: policy → collect → snapshot → evaluate → report. Both the Action and
 * the CLI call this with their own settings, logger and clients.
 */
export async function run(settings: Settings, deps: RunDeps): Promise<RunOutcome> {
  const scratch: { dir?: string } = {};
  try {
    return await runPipeline(settings, deps, scratch);
  } finally {
    // The scratch copy may hold unredacted personal data: never leave it behind.
    if (scratch.dir) await rm(scratch.dir, { recursive: true, force: true });
  }
}

async function runPipeline(settings: Settings, deps: RunDeps, scratch: { dir?: string }): Promise<RunOutcome> {
  const { logger } = deps;
  const startedAt = deps.now();

  // A bad policy stops the run here, before any network call.
  const { policy, warnings: policyWarnings } = await loadPolicy(settings.policyPath, startedAt);
  for (const warning of policyWarnings) logger.warning(warning);
  const warnings = [...policyWarnings];

  const controls = selectControls(policy, settings.only, settings.shard);
  const sources = collectedSources(policy, settings.only, settings.shard);
  logger.info(`Policy ${policy.id} ${policy.version}: ${controls.length} controls, ${sources.size} data sources`);

  // Without a folder to write, the sign-in folds start as soon as the sources they read are in,
  // while DNS and hidden inbox rules are still collected. A saved snapshot (or evidence pack)
  // must copy every stream first, so it keeps the one-after-the-other order.
  const overlap = !settings.saveSnapshotDir && !settings.evidence;
  let started: StartedStream | undefined;
  const onEarly = (early: Snapshot, pending: ReadonlySet<SourceId>): void => {
    started = startEarlyStream(
      early,
      policy,
      { now: new Date(early.manifest.capturedAt), only: settings.only, domains: early.manifest.domains ?? [] },
      pending,
    );
    if (started) logger.info(`Reading the sign-in log while ${[...pending].join(', ') || 'nothing'} is collected`);
  };
  let snapshot = await deps.collector.collect({
    sources,
    policy,
    logger,
    ...(settings.shard ? { shard: settings.shard } : {}),
    ...(overlap ? { onEarly } : {}),
  });
  if (settings.saveSnapshotDir) {
    await writeSnapshotFolder(settings.saveSnapshotDir, snapshot);
    logger.info(`Snapshot saved to ${settings.saveSnapshotDir}`);
    // Evaluate what was saved, so a replay of the folder gives exactly these verdicts.
    snapshot = await readSnapshotFolder(settings.saveSnapshotDir);
  } else if (settings.evidence) {
    // The pack needs the snapshot twice (to evaluate and to copy, maybe redacted), and live
    // streams can be read only once: go through a folder, as --save-snapshot does.
    scratch.dir = await mkdtemp(path.join(tmpdir(), 'mailwarden-snapshot-'));
    await writeSnapshotFolder(scratch.dir, snapshot);
    snapshot = await readSnapshotFolder(scratch.dir);
  }

  // "Now" is the capture time, so replaying a snapshot later reproduces every verdict.
  const now = new Date(snapshot.manifest.capturedAt);
  const evaluation = await evaluate(snapshot, policy, {
    now,
    only: settings.only,
    domains: snapshot.manifest.domains ?? [],
    ...(started ? { started } : {}),
    // Nothing reads the snapshot's data after this unless it is written to a folder or a pack.
    release: overlap,
  });
  for (const exception of evaluation.unusedExceptions) {
    const warning = `exception for ${exception.control} on "${exception.target}" matches no result; remove it or correct its target`;
    logger.warning(warning);
    warnings.push(warning);
  }

  const report = buildReport({
    tool: TOOL,
    run: {
      startedAt: startedAt.toISOString(),
      finishedAt: deps.now().toISOString(),
      mode: deps.collector.mode,
      tenantId: snapshot.manifest.tenantId,
      ...(settings.only ? { only: settings.only } : {}),
      ...deps.runContext,
    },
    policy,
    manifest: snapshot.manifest,
    evaluation,
  });
  let evidence: EvidenceOutcome | undefined;
  if (settings.evidence) {
    evidence = await writeEvidencePack({ settings: settings.evidence, report, policy, snapshot, logger });
    for (const id of evidence.redactionChanged) warnings.push(`evidence: redaction changed the verdicts of ${id}`);
  }
  const published = await publishReport(report, policy, settings, deps, { warnings, now });
  return { ...published, policy, ...(evidence ? { evidence } : {}) };
}

/** What a run or a merge writes besides the report object: the outputs and the issues. */
export interface PublishSettings {
  readonly reportJsonPath: string | undefined;
  readonly summaryMarkdownPath: string | undefined;
  readonly sarifPath?: string | undefined;
  readonly failOn: Settings['failOn'];
  readonly issues?: IssuesSettings;
}

/**
 * The tail shared by an audit and by `merge-reports`: the JSON report, SARIF, the issues stage
 * (dashboard and pin included), the job summary and the exit code. A sharded run's partial report
 * never comes here with issues on: only the merged report is synced.
 */
export type PublishOutcome = Omit<RunOutcome, 'evidence' | 'policy'>;

export async function publishReport(
  report: Report,
  policy: Policy | undefined,
  settings: PublishSettings,
  deps: Pick<RunDeps, 'logger' | 'now' | 'issuesClient' | 'workspace'>,
  context: { readonly warnings: readonly string[]; readonly now: Date },
): Promise<PublishOutcome> {
  const warnings = [...context.warnings];
  const now = context.now;
  // The evidence report is written before the issues stage, so it exists whatever GitHub does.
  if (settings.reportJsonPath) await writeOutput(settings.reportJsonPath, `${JSON.stringify(report, null, 2)}\n`);
  if (settings.sarifPath) {
    if (!policy) throw new Error('SARIF needs the policy');
    await writeOutput(
      settings.sarifPath,
      `${JSON.stringify(renderSarif(report, policy, deps.workspace ?? process.cwd()), null, 2)}\n`,
    );
  }

  let issues: SyncOutcome | undefined;
  let issuesError: string | undefined;
  const sections: string[] = policy ? [...renderExpiringExceptions(expiringExceptions(policy.exceptions, now))] : [];
  if (settings.issues && settings.issues.mode !== 'off') {
    if (!policy) throw new Error('the issues stage needs the policy');
    try {
      issues = await issuesStage(settings.issues, report, policy, deps);
      sections.push(renderSyncSummary(issues, settings.issues.mode === 'on' ? 'on' : 'dry-run'));
      for (const failure of issues.outcome.failures) warnings.push(`GitHub issues: ${failure}`);
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
      sections.push(`### GitHub issues\n\n**Not synced:** ${escapeMarkdown(issuesError)}\n`);
    }
  }
  const history = issues?.dashboard?.history;
  const summaryMarkdown = renderSummaryMarkdown(report, { warnings, sections, ...(history ? { history } : {}) });
  if (settings.summaryMarkdownPath) await writeOutput(settings.summaryMarkdownPath, summaryMarkdown);

  let exitCode: number = EXIT.done;
  if (everySourceFailed(report.snapshot)) {
    exitCode = EXIT.allSourcesFailed;
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
    summaryMarkdown,
    warnings,
    exitCode,
    ...(issues ? { issues } : {}),
    ...(issuesError !== undefined ? { issuesError } : {}),
  };
}
