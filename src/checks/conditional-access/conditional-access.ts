import type { ConditionalAccessPolicy } from '../../snapshot/graph-types.js';

/*
 * Small helpers shared by the Conditional Access checks: whether a policy's state is enforced, the
 * allowed-exclusion set of a control's parameters, and the words a failing control uses for the policies that came closest.
 * The coverage itself is judged in ca-requirement.ts (learn.microsoft.com/graph/api/resources/conditionalaccesspolicy).
 */

/** Only `enabled` is enforced; `enabledForReportingButNotEnforced` (report-only) only logs. */
export function stateProblems(policy: ConditionalAccessPolicy): string[] {
  if (policy.state === 'enabled') return [];
  if (policy.state === 'enabledForReportingButNotEnforced') return ['is report-only, so it is not enforced'];
  if (policy.state === 'disabled') return ['is disabled'];
  return [`is in state "${policy.state}", which is not enforced`];
}

/** A lower-cased set of the `allowedExclusions` parameter. */
export function exclusionSet(ids: readonly string[]): ReadonlySet<string> {
  return new Set(ids.map((id) => id.trim().toLowerCase()));
}

/** What closestReasons() needs of a policy's verdict. */
export interface NamedProblems {
  readonly displayName: string;
  readonly problems: readonly string[];
}

/**
 * The message part naming why the closest policies did not count: up to three, those with the
 * fewest problems first.
 */
export function closestReasons(verdicts: readonly NamedProblems[]): string {
  const failing = verdicts.filter((v) => v.problems.length > 0);
  if (failing.length === 0) return 'no Conditional Access policy comes close';
  return [...failing]
    .sort((a, b) => a.problems.length - b.problems.length)
    .slice(0, 3)
    .map((v) => `"${v.displayName}" ${v.problems.join('; ')}`)
    .join('. ');
}
