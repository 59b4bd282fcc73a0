import { ConfigurationError } from '../errors.js';
import { loadPolicy } from '../policy/load-policy.js';
import type { Policy } from '../policy/policy.js';
import { createDisclosure, type Disclosure } from '../report/disclosure.js';
import { mergeReports } from '../report/merge-reports.js';
import { decideDisclosure } from './disclosure-decision.js';
import { checkOutputPaths } from './output-paths.js';
import { type PublishDeps, type PublishOutcome, publishOutputs, publishReport } from './publish-report.js';
import type { MergeSettings } from './settings.js';
import { expandReportPaths, readReport } from '../report/read-report.js';

/**
 * The merge job of a sharded audit: read the partial reports, merge them (a missing or duplicate
 * shard, or reports of different policies, tenants or versions, stop here before any GitHub call),
 * then publish the merged report exactly as an unsharded audit does, issues included.
 */
export async function runMerge(
  settings: MergeSettings,
  deps: PublishDeps & { readonly disclosure?: Disclosure },
): Promise<PublishOutcome> {
  if (settings.reports.length === 0) throw new ConfigurationError('merge-reports needs the partial report files');
  const disclosure = deps.disclosure ?? createDisclosure();
  const logger = disclosure.logger(deps.logger);
  if (settings.issues?.token) logger.secret(settings.issues.token);
  await checkOutputPaths(publishOutputs(settings));
  const files = await expandReportPaths(settings.reports);
  const merged = mergeReports(await Promise.all(files.map(readReport)));
  const access = await decideDisclosure(disclosure, settings.issues, deps, merged.run.tenantId);
  logger.info(`Redaction: ${disclosure.redacting ? 'on' : 'off'} (${disclosure.decision?.why ?? 'undecided'})`);
  logger.info(
    `Merged ${files.length} partial report${files.length === 1 ? '' : 's'}: ${merged.results.length} results`,
  );

  // SARIF and issues render from the policy; it must be the one every shard ran.
  const needsPolicy =
    settings.sarifPath !== undefined || (settings.issues !== undefined && settings.issues.mode !== 'off');
  let policy: Policy | undefined;
  const warnings: string[] = [];
  if (needsPolicy || settings.policyPath !== undefined) {
    const loaded = await loadPolicy(settings.policyPath, deps.now());
    for (const warning of loaded.warnings) logger.warning(warning);
    warnings.push(...loaded.warnings);
    if (loaded.policy.sha256 !== merged.policy.sha256) {
      throw new ConfigurationError(
        `merge-reports: the policy ${loaded.policy.path} (sha256 ${loaded.policy.sha256.slice(0, 12)}…) is not the one the shards ran (${merged.policy.path}, sha256 ${merged.policy.sha256.slice(0, 12)}…)`,
        ['Pass the same policy file to merge-reports (--policy, Action input `policy`) as to the shard jobs.'],
      );
    }
    policy = loaded.policy;
  }
  return publishReport(
    merged,
    policy,
    settings,
    { ...deps, logger },
    {
      warnings,
      now: new Date(merged.snapshot.capturedAt),
      disclosure,
      access,
    },
  );
}
