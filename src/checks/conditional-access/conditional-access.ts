import type { ConditionalAccessPolicy } from '../../snapshot/graph-types.js';

/*
 * Reading Conditional Access policies (learn.microsoft.com/graph/api/resources/conditionalaccesspolicy).
 * Each helper returns the reasons a policy falls short, so a failing control can say why the
 * closest policy did not count. Unknown enum values never match anything.
 */

/** Only `enabled` is enforced; `enabledForReportingButNotEnforced` (report-only) only logs. */
export function stateProblems(policy: ConditionalAccessPolicy): string[] {
  if (policy.state === 'enabled') return [];
  if (policy.state === 'enabledForReportingButNotEnforced') return ['is report-only, so it is not enforced'];
  if (policy.state === 'disabled') return ['is disabled'];
  return [`is in state "${policy.state}", which is not enforced`];
}

/**
 * The policy applies to All users, and its only exclusions are the object IDs the control's
 * `allowedExclusions` parameter lists (break-glass accounts, documented in the policy file).
 */
export function allUsersProblems(policy: ConditionalAccessPolicy, allowedExclusions: ReadonlySet<string>): string[] {
  const users = policy.conditions.users;
  if (!users) return ['has no user condition'];
  const problems: string[] = [];
  if (!(users.includeUsers ?? []).includes('All')) problems.push('does not include All users');
  const excluded = [
    ...(users.excludeUsers ?? []).map((id) => ({ kind: 'user', id })),
    ...(users.excludeGroups ?? []).map((id) => ({ kind: 'group', id })),
    ...(users.excludeRoles ?? []).map((id) => ({ kind: 'role', id })),
  ].filter((e) => !allowedExclusions.has(e.id.toLowerCase()));
  if (excluded.length > 0) {
    problems.push(`excludes ${excluded.map((e) => `${e.kind} ${e.id}`).join(', ')}, not listed in allowedExclusions`);
  }
  return problems;
}

/** The policy targets All cloud apps with no app excluded. */
export function allAppsProblems(policy: ConditionalAccessPolicy): string[] {
  const apps = policy.conditions.applications;
  const problems: string[] = [];
  if (!(apps?.includeApplications ?? []).includes('All')) problems.push('does not target All cloud apps');
  const excluded = apps?.excludeApplications ?? [];
  if (excluded.length > 0) problems.push(`excludes applications ${excluded.join(', ')}`);
  return problems;
}

/**
 * Conditions that make a policy apply only sometimes: at a risk level, or for some client apps.
 * A policy meant for everyone must not have them (locations and platforms are not read).
 */
export function narrowingProblems(
  policy: ConditionalAccessPolicy,
  options: { readonly allClientApps: boolean },
): string[] {
  const c = policy.conditions;
  const problems: string[] = [];
  if ((c.userRiskLevels ?? []).length > 0)
    problems.push(`applies only at user risk ${(c.userRiskLevels ?? []).join(', ')}`);
  if ((c.signInRiskLevels ?? []).length > 0)
    problems.push(`applies only at sign-in risk ${(c.signInRiskLevels ?? []).join(', ')}`);
  const types = c.clientAppTypes ?? [];
  if (
    options.allClientApps &&
    !types.includes('all') &&
    !(types.includes('browser') && types.includes('mobileAppsAndDesktopClients'))
  ) {
    problems.push(`applies only to client app types ${types.join(', ') || '(none)'}`);
  }
  return problems;
}

/**
 * The grant requires MFA (built-in `mfa` or any authentication strength). With operator OR, any
 * other control (a compliant device, an approved app…) lets a user in without MFA.
 */
export function mfaGrantProblems(policy: ConditionalAccessPolicy): string[] {
  const grant = policy.grantControls;
  if (!grant) return ['has no grant controls'];
  const controls = grant.builtInControls ?? [];
  if (controls.includes('block')) return ['blocks access instead of requiring MFA'];
  const mfa =
    controls.includes('mfa') || (grant.authenticationStrength !== null && grant.authenticationStrength !== undefined);
  if (!mfa) return ['does not require MFA or an authentication strength'];
  const others = controls.filter((c) => c !== 'mfa');
  if ((grant.operator ?? 'AND').toUpperCase() === 'OR' && others.length > 0) {
    return [`ORs MFA with ${others.join(', ')}, so a user can satisfy it without MFA`];
  }
  return [];
}

/** The grant blocks access. */
export function blockGrantProblems(policy: ConditionalAccessPolicy): string[] {
  return (policy.grantControls?.builtInControls ?? []).includes('block') ? [] : ['does not block access'];
}

/** A lower-cased set of the `allowedExclusions` parameter. */
export function exclusionSet(ids: readonly string[]): ReadonlySet<string> {
  return new Set(ids.map((id) => id.trim().toLowerCase()));
}

export interface PolicyVerdict {
  readonly id: string;
  readonly displayName: string;
  readonly state: string;
  readonly problems: readonly string[];
}

export function verdict(policy: ConditionalAccessPolicy, problems: readonly string[]): PolicyVerdict {
  return { id: policy.id, displayName: policy.displayName, state: policy.state, problems };
}

/**
 * The message part naming why the closest policies did not count: up to three, those with the
 * fewest problems first.
 */
export function closestReasons(verdicts: readonly PolicyVerdict[]): string {
  const failing = verdicts.filter((v) => v.problems.length > 0);
  if (failing.length === 0) return 'no Conditional Access policy comes close';
  return [...failing]
    .sort((a, b) => a.problems.length - b.problems.length)
    .slice(0, 3)
    .map((v) => `"${v.displayName}" ${v.problems.join('; ')}`)
    .join('. ');
}
