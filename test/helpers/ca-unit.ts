import { policyConditions } from '../../src/checks/conditional-access/ca-conditions.js';
import { type CaDirectory, caDirectory } from '../../src/checks/conditional-access/ca-directory.js';
import { blockGrantProblems, mfaGrantProblems } from '../../src/checks/conditional-access/ca-grant.js';
import {
  type CaRequirement,
  judgeRequirement,
  type RequirementInput,
  type RequirementVerdict,
} from '../../src/checks/conditional-access/ca-requirement.js';
import type { Box } from '../../src/checks/conditional-access/ca-space.js';
import { goldenTenant, type IdentityTenant, tenantSnapshot } from './identity-tenant.js';

/*
 * Unit-level helpers for the Conditional Access modules: the golden tenant's directory and
 * policies, fed straight to the exported functions (no evaluator, no simulator), so that a test
 * is cheap enough to run under mutation testing.
 */

export type Policy = IdentityTenant['policies'][number];

/** The golden tenant's names and trust (groups, roles, named locations all read). */
export function goldenNames(): CaDirectory {
  return caDirectory(tenantSnapshot(goldenTenant()));
}

/** A fresh copy of the golden "Require MFA for all users" policy (All users, All apps, grant MFA). */
export function mfaForAll(id = 'ca-0001', displayName = 'Require MFA for all users'): Policy {
  return { ...(goldenTenant().policies[0] as Policy), id, displayName };
}

/** A fresh copy of the golden legacy-authentication block (exchangeActiveSync and other, grant block). */
export function legacyBlock(id = 'ca-0002', displayName = 'Block legacy authentication'): Policy {
  return { ...(goldenTenant().policies[1] as Policy), id, displayName };
}

/** MFA for every modern-client sign-in, as `mfa.enforcement` asks. */
export const MFA_REQUIREMENT: CaRequirement = {
  slice: [['clientApp', ['browser', 'mobileAppsAndDesktopClients']]],
  grantProblems: (p) => mfaGrantProblems(p, undefined),
  isCandidate: () => true,
  everyFlow: true,
};

/** A block of every high-user-risk sign-in, with flow-limited policies allowed to count. */
export const USER_RISK_BLOCK: CaRequirement = {
  slice: [['userRisk', ['high']]],
  grantProblems: blockGrantProblems,
  isCandidate: () => true,
  everyFlow: false,
};

/** Judges a requirement over some policies with the golden names and no allowances unless given. */
export function judge(
  requirement: CaRequirement,
  policies: readonly Policy[],
  extra: Partial<RequirementInput> = {},
): RequirementVerdict {
  return judgeRequirement(requirement, {
    policies,
    names: goldenNames(),
    allowedExclusions: [],
    allowedNarrowing: [],
    ...extra,
  });
}

/** A box as a plain object, for `toEqual`. */
export function plainBox(b: Box): Record<string, string[]> {
  return Object.fromEntries([...b].map(([dim, atoms]) => [dim, [...atoms]]));
}

/** One condition of a policy as plain data: the boxes it holds and the words that say how it narrows the policy. */
export interface ConditionScope {
  readonly boxes: Record<string, string[]>[];
  readonly narrowing?: string;
}

/** Reads one condition of a policy with the golden names (and the exclusions the policy file allows). */
export function conditionScope(p: Policy, condition: string, allowed: ReadonlySet<string> = new Set()): ConditionScope {
  const c = policyConditions(p, goldenNames(), allowed).find((x) => x.condition === condition);
  if (!c) throw new Error(`no ${condition} among the conditions`);
  return { boxes: c.boxes.map(plainBox), narrowing: c.narrowing };
}

/** The golden "MFA for all" policy with some of its conditions replaced. */
export function mfaForAllWith(patch: Partial<Policy['conditions']>): Policy {
  const p = mfaForAll();
  p.conditions = { ...p.conditions, ...patch };
  return p;
}

/** The descriptions of a verdict's gaps. */
export function gapWords(v: RequirementVerdict): string[] {
  return v.gaps.map((g) => g.description);
}
