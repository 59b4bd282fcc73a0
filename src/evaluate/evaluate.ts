import type { Policy } from '../policy/policy.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { applyExceptions } from './apply-exceptions.js';
import type { Evaluation } from './evaluation.js';
import type { EvaluateOptions } from './options.js';
import { runChecks } from './run-checks.js';
import { scopeOf, selectControls } from './selection.js';
import { withTargetCoverage } from './target-coverage.js';

/**
 * Runs every selected control's pure check over the snapshot, in four steps: gating on the
 * sources' status (a control whose source failed gets `error`; a missing licence or permission
 * gives `not_evaluable`; neither is a pass), running the checks (run-checks.ts), weighing what
 * of each control's target set was seen (target-coverage.ts: a target source not read turns a
 * tenant-wide pass into `error` or `not_evaluable`, and the control closes no issue), and
 * applying the policy's exceptions, which turn `fail` into `excepted` until they expire
 * (apply-exceptions.ts).
 */
export async function evaluate(snapshot: Snapshot, policy: Policy, options: EvaluateOptions): Promise<Evaluation> {
  const scope = scopeOf(snapshot.manifest);
  const selected = selectControls(policy, { only: options.only, shard: snapshot.manifest.shard, scope });
  const ran = await runChecks(snapshot, policy, selected, options);
  const covered = withTargetCoverage(snapshot, selected, ran.findings, scope);
  const applied = applyExceptions(selected, covered.findings, policy, {
    now: options.now,
    tenantId: snapshot.manifest.tenantId,
    coverage: covered.coverage,
  });
  return { ...applied, streamFailures: ran.streamFailures, ...(ran.carried ? { carried: ran.carried } : {}) };
}
