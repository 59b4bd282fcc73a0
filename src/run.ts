import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Collector } from './collect/collector.js';
import { evaluate } from './evaluate/evaluate.js';
import { writeEvidencePack, type EvidenceOutcome } from './evidence/write-evidence.js';
import { collectedSources, selectControls } from './evaluate/selection.js';
import type { Logger } from './logger.js';
import { severityRank } from './model/severity.js';
import { loadPolicy } from './policy/load-policy.js';
import type { Policy } from './policy/policy.js';
import { buildReport, type Report, type RunInfo } from './report/report.js';
import { renderSummaryMarkdown } from './report/summary-markdown.js';
import { expiringExceptions, renderExpiringExceptions } from './report/expiring-exceptions.js';
import type { Settings } from './settings.js';
import { readSnapshotFolder } from './snapshot/read-folder.js';
import type { Snapshot } from './snapshot/snapshot.js';
import { writeSnapshotFolder } from './snapshot/write-folder.js';
import { TOOL } from './version.js';

/** Process exit codes, shared by the CLI and the Action. */
export const EXIT = {
  done: 0,
  findings: 1,
  configuration: 2,
  allSourcesFailed: 3,
} as const;

/** What the entry points pass in: the logger, the clock and the clients. */
export interface RunDeps {
  readonly logger: Logger;
  readonly now: () => Date;
  readonly collector: Collector;
  /** Facts about the CI run (repository, commit, run URL), when there is one. */
  readonly runContext?: Pick<RunInfo, 'repository' | 'gitSha' | 'runUrl'>;
}

export interface RunOutcome {
  readonly report: Report;
  readonly policy: Policy;
  readonly summaryMarkdown: string;
  readonly warnings: readonly string[];
  readonly exitCode: number;
  /** The evidence pack's report, when `--evidence-dir` was given. */
  readonly evidence?: EvidenceOutcome;
}

async function writeOutput(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text);
}

/** Exit 3 when every source the run needed failed: nothing was judged at all. */
function everySourceFailed(snapshot: Snapshot): boolean {
  const statuses = Object.values(snapshot.manifest.sources);
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

  let snapshot = await deps.collector.collect({ sources, policy, logger, ...(settings.shard ? { shard: settings.shard } : {}) });
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
  const summaryMarkdown = renderSummaryMarkdown(report, {
    warnings,
    sections: renderExpiringExceptions(expiringExceptions(policy.exceptions, now)),
  });
  if (settings.reportJsonPath) await writeOutput(settings.reportJsonPath, `${JSON.stringify(report, null, 2)}\n`);
  if (settings.summaryMarkdownPath) await writeOutput(settings.summaryMarkdownPath, summaryMarkdown);

  let exitCode: number = EXIT.done;
  if (everySourceFailed(snapshot)) {
    exitCode = EXIT.allSourcesFailed;
  } else if (
    settings.failOn !== 'none' &&
    report.results.some((r) => r.status === 'fail' && severityRank(r.severity) >= severityRank(settings.failOn as Exclude<typeof settings.failOn, 'none'>))
  ) {
    exitCode = EXIT.findings;
  }
  return { report, policy, summaryMarkdown, warnings, exitCode, ...(evidence ? { evidence } : {}) };
}
