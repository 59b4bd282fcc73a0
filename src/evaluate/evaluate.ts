import type { Finding } from '../model/finding.js';
import type { Policy } from '../policy/policy.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { applyExceptions } from './apply-exceptions.js';
import type { Evaluation } from './evaluation.js';
import type { EvaluateOptions } from './options.js';
import { runChecks } from './run-checks.js';
import { selectControls } from './selection.js';

/**
 * Runs every selected control's pure check over the snapshot, in three steps: gating on the
 * sources' status (a control whose source failed gets `error`; a missing licence or permission
 * gives `not_evaluable`; neither is a pass), running the checks (run-checks.ts), and applying
 * the policy's exceptions, which turn `fail` into `excepted` until they expire
 * (apply-exceptions.ts).
 */
export async function evaluate(snapshot: Snapshot, policy: Policy, options: EvaluateOptions): Promise<Evaluation> {
  const selected = selectControls(policy, options.only, snapshot.manifest.shard);
  const findings: ReadonlyMap<string, readonly Finding[]> = await runChecks(snapshot, policy, selected, options);
  return applyExceptions(selected, findings, policy, { now: options.now, tenantId: snapshot.manifest.tenantId });
}
