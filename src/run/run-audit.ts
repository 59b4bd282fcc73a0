import { ConfigurationError } from '../errors.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Collector } from '../collect/collector.js';
import { evaluate } from '../evaluate/evaluate.js';
import { startEarlyStream } from '../evaluate/run-checks.js';
import type { StartedStream } from '../evaluate/options.js';
import { collectedSources, type RunScope, selectControls } from '../evaluate/selection.js';
import { type EvidenceOutcome, writeEvidencePack } from '../evidence/write-evidence.js';
import { loadPolicy } from '../policy/load-policy.js';
import type { Policy } from '../policy/policy.js';
import { createDisclosure, type Disclosure } from '../report/disclosure.js';
import { buildReport, type RunInfo } from '../report/report.js';
import { sourceProblems } from '../report/source-problems.js';
import { readSnapshotFolder } from '../snapshot/read-folder.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { recordStreamFailures } from '../snapshot/manifest.js';
import { checkOutputPaths, folderOutput, writingTo } from './output-paths.js';
import type { SourceId } from '../snapshot/source-id.js';
import { writeSnapshotFolder } from '../snapshot/write-folder.js';
import { TOOL } from '../version.js';
import { decideDisclosure } from './disclosure-decision.js';
import { type PublishDeps, type PublishOutcome, publishOutputs, publishReport } from './publish-report.js';
import type { Settings } from './settings.js';
import {
  attachCarried,
  beginIncremental,
  finishIncremental,
  type IncrementalRun,
  incrementalHorizon,
  incrementalNow,
} from './incremental/incremental-run.js';

/** What the entry points pass in: the logger, the clock and the clients. */
export interface RunDeps extends PublishDeps {
  readonly collector: Collector;
  /** Facts about the CI run (repository, commit, run URL), when there is one. */
  readonly runContext?: Pick<RunInfo, 'repository' | 'gitSha' | 'runUrl'>;
  /**
   * The one redaction step. The entry makes it when it wraps its own log (and the clients' logs)
   * in it, so every line goes through it; absent, the run makes its own.
   */
  readonly disclosure?: Disclosure;
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

/**
 * Why a run would judge no control although the policy enables some (a policy that enables none
 * is refused when it is read): the areas asked for, DNS-only mode, or a later shard.
 */
function nothingSelected(policy: Policy, settings: Settings): string {
  const enabled = [...policy.controls.values()].filter((c) => c.enabled).length;
  const what = `${policy.path} enables ${enabled} control${enabled === 1 ? '' : 's'}`;
  if (settings.target.kind === 'dns-only')
    return `${what}, but none in email-auth, the only area a DNS-only audit (domains without a tenant) can judge`;
  if (settings.only)
    return `${what}, but none in the areas asked for (${settings.only.join(', ')}); nothing would be audited`;
  if (settings.shard)
    return `${what}, but none that shard ${settings.shard.index}/${settings.shard.count} judges (later shards judge only per-mailbox controls); run one job`;
  return `${what}, but none can run; nothing would be audited`;
}

async function auditWithScratch(settings: Settings, deps: RunDeps, scratch: { dir?: string }): Promise<RunOutcome> {
  const startedAt = deps.now();
  // Redaction is decided before anything is collected, logged or written.
  const disclosure = deps.disclosure ?? createDisclosure();
  const logger = disclosure.logger(deps.logger);
  if (settings.issues?.token) logger.secret(settings.issues.token);
  if (settings.incremental) logger.secret(settings.incremental.key);
  const access = await decideDisclosure(
    disclosure,
    settings.issues,
    deps,
    settings.target.kind === 'tenant' ? settings.target.tenantId : null,
  );
  logger.info(`Redaction: ${disclosure.redacting ? 'on' : 'off'} (${disclosure.decision?.why ?? 'undecided'})`);

  // A bad policy stops the run here, before any network call.
  logger.stage?.('Policy');
  const { policy, warnings: policyWarnings } = await loadPolicy(settings.policyPath, startedAt);
  for (const warning of policyWarnings) logger.warning(warning);
  const warnings = [...policyWarnings];
  // So does an output that cannot be written: found now, not after the whole collection.
  const snapshotOutput = folderOutput(settings.saveSnapshotDir, 'the snapshot');
  const evidenceOutput = folderOutput(settings.evidence?.dir, 'the evidence pack');
  await checkOutputPaths([...publishOutputs(settings), snapshotOutput, evidenceOutput]);

  // A DNS-only run judges only what DNS can tell; the controls that need a tenant are absent.
  const scope: RunScope = settings.target.kind === 'dns-only' ? 'dns-only' : 'tenant';
  const selection = { only: settings.only, shard: settings.shard, scope };
  const controls = selectControls(policy, selection);
  if (controls.length === 0) throw new ConfigurationError(nothingSelected(policy, settings));
  const sources = collectedSources(policy, selection);
  logger.info(`Policy ${policy.id} ${policy.version}: ${controls.length} controls, ${sources.size} data sources`);
  const selected = new Set(controls.map((c) => c.definition.id));
  let incremental: IncrementalRun | undefined;
  if (settings.incremental) {
    if (!sources.has('graph.signIns')) {
      throw new ConfigurationError(
        `--incremental carries the sign-in detectors' state, but none of the controls this run judges reads the sign-in log; run it with --only sign-ins`,
      );
    }
    // A tenant ID given as a GUID is checked now; a domain name only once the snapshot names the tenant.
    const target = settings.target.kind === 'tenant' ? settings.target.tenantId.toLowerCase() : undefined;
    incremental = await beginIncremental(settings.incremental, {
      now: startedAt,
      policy,
      tenantId: target && /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(target) ? target : undefined,
      selected,
      logger,
    });
  }

  // Without a folder to write, the sign-in folds start as soon as the sources they read are in,
  // while DNS and hidden inbox rules are still collected. A saved snapshot (or evidence pack)
  // must copy every stream first, so it keeps the one-after-the-other order.
  // An incremental run attaches its carried part to the snapshot after collection, so it waits for it.
  const overlap = !settings.saveSnapshotDir && !settings.evidence && !settings.incremental;
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
  logger.stage?.(`Collect: ${sources.size} data sources`);
  let snapshot = await deps.collector.collect({
    sources,
    policy,
    logger,
    ...(settings.shard ? { shard: settings.shard } : {}),
    ...(overlap ? { onEarly } : {}),
    ...(incremental?.signInsFrom ? { signInsFrom: incremental.signInsFrom } : {}),
  });
  if (settings.saveSnapshotDir) {
    const dir = settings.saveSnapshotDir;
    await writingTo(snapshotOutput ?? { path: dir, kind: 'folder', what: 'the snapshot' }, () =>
      writeSnapshotFolder(dir, snapshot),
    );
    logger.info(`Snapshot saved to ${settings.saveSnapshotDir}`);
    // Evaluate what was saved, so a replay of the folder gives exactly these verdicts.
    snapshot = await readSnapshotFolder(settings.saveSnapshotDir, { now: deps.now() });
  } else if (settings.evidence) {
    // The pack needs the snapshot twice (to evaluate and to copy, maybe redacted), and live
    // streams can be read only once: go through a folder, as --save-snapshot does.
    scratch.dir = await mkdtemp(path.join(tmpdir(), 'mailwarden-snapshot-'));
    await writeSnapshotFolder(scratch.dir, snapshot);
    snapshot = await readSnapshotFolder(scratch.dir, { now: deps.now() });
  }

  if (incremental && settings.incremental) snapshot = attachCarried(incremental, snapshot, settings.incremental);

  logger.stage?.(undefined);
  // One line per cause of a source that could not be read, not one per request (annotations are few).
  for (const problem of sourceProblems(snapshot.manifest)) logger[problem.level](problem.message);
  // Pseudonyms are keyed as before this step existed: MAILWARDEN_REDACT_KEY, else the tenant ID.
  disclosure.rekey(settings.issues?.redactKey ?? snapshot.manifest.tenantId ?? 'mailwarden');
  // "Now" is the capture time, so replaying a snapshot later reproduces every verdict.
  // An incremental run's clock is a whole minute (plan-incremental.ts).
  const now = incremental ? incrementalNow(snapshot) : new Date(snapshot.manifest.capturedAt);
  logger.stage?.('Evaluate');
  const evaluation = await evaluate(snapshot, policy, {
    now,
    only: settings.only,
    domains: snapshot.manifest.domains ?? [],
    ...(started ? { started } : {}),
    // Nothing reads the snapshot's data after this unless it is written to a folder or a pack.
    release: overlap,
    ...(incremental ? { incremental: { horizon: incrementalHorizon(now, policy, selected) } } : {}),
  });
  // A stream cut while the checks read it (after the lines above): one line each, with its span.
  for (const failure of evaluation.streamFailures)
    logger.error(
      `Source ${failure.source} was cut after ${failure.covered.records} records: ${failure.reason}. Its controls are error, never pass.`,
    );
  if (settings.incremental) {
    await finishIncremental(settings.incremental, evaluation, {
      now,
      policy,
      tenantId: snapshot.manifest.tenantId ?? '',
      selected,
      logger,
    });
  }
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
    // A stream cut while the checks read it is `failed` here too, with what it covered.
    manifest: recordStreamFailures(snapshot.manifest, evaluation.streamFailures),
    evaluation,
  });
  let evidence: EvidenceOutcome | undefined;
  const evidenceSettings = settings.evidence;
  if (evidenceSettings) {
    logger.stage?.('Evidence pack');
    const pack = { path: evidenceSettings.dir, kind: 'folder', what: 'the evidence pack' } as const;
    evidence = await writingTo(pack, () =>
      writeEvidencePack({
        settings: evidenceSettings,
        report,
        policy,
        snapshot,
        logger,
        now: deps.now(),
      }),
    );
    for (const id of evidence.redactionChanged) warnings.push(`evidence: redaction changed the verdicts of ${id}`);
  }
  const published = await publishReport(
    report,
    policy,
    settings,
    { ...deps, logger },
    {
      warnings,
      now,
      disclosure,
      access,
    },
  );
  return { ...published, policy, ...(evidence ? { evidence } : {}) };
}
