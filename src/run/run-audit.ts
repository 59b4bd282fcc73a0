import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Collector } from '../collect/collector.js';
import { evaluate } from '../evaluate/evaluate.js';
import { startEarlyStream } from '../evaluate/run-checks.js';
import type { StartedStream } from '../evaluate/options.js';
import { collectedSources, selectControls } from '../evaluate/selection.js';
import { type EvidenceOutcome, writeEvidencePack } from '../evidence/write-evidence.js';
import { loadPolicy } from '../policy/load-policy.js';
import type { Policy } from '../policy/policy.js';
import { buildReport, type RunInfo } from '../report/report.js';
import { readSnapshotFolder } from '../snapshot/read-folder.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { SourceId } from '../snapshot/source-id.js';
import { writeSnapshotFolder } from '../snapshot/write-folder.js';
import { TOOL } from '../version.js';
import { type PublishDeps, type PublishOutcome, publishReport } from './publish-report.js';
import type { Settings } from './settings.js';

/** What the entry points pass in: the logger, the clock and the clients. */
export interface RunDeps extends PublishDeps {
  readonly collector: Collector;
  /** Facts about the CI run (repository, commit, run URL), when there is one. */
  readonly runContext?: Pick<RunInfo, 'repository' | 'gitSha' | 'runUrl'>;
}

export interface RunOutcome extends PublishOutcome {
  readonly policy: Policy;
  /** The evidence pack's report, when `--evidence-dir` was given. */
  readonly evidence?: EvidenceOutcome;
}

/**
 * The pipeline, one way: policy → collect → snapshot → evaluate → report. Both the Action and
 * the CLI call this with their own settings, logger and clients.
 */
export async function runAudit(settings: Settings, deps: RunDeps): Promise<RunOutcome> {
  const scratch: { dir?: string } = {};
  try {
    return await auditWithScratch(settings, deps, scratch);
  } finally {
    // The scratch copy may hold unredacted personal data: never leave it behind.
    if (scratch.dir) await rm(scratch.dir, { recursive: true, force: true });
  }
}

async function auditWithScratch(settings: Settings, deps: RunDeps, scratch: { dir?: string }): Promise<RunOutcome> {
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
