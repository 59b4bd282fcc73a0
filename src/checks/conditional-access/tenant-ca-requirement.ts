import { EVIDENCE_CAP } from '../../model/cap.js';
import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { ConditionalAccessPolicy } from '../../snapshot/graph-types.js';
import type { CheckInput } from '../check.js';
import { closestReasons, exclusionSet, verdict } from './conditional-access.js';

/**
 * A requirement the tenant meets either with security defaults on or with one enforced
 * Conditional Access policy that has no problem (learn.microsoft.com/entra/fundamentals/security-defaults):
 * `mfa.enforcement` and `legacy-auth.blocked` are both of this kind.
 */
export interface TenantCaRequirement {
  /** The reasons a policy does not meet the requirement, given the allowed exclusions. */
  readonly problems: (policy: ConditionalAccessPolicy, allowedExclusions: ReadonlySet<string>) => readonly string[];
  /** Policies that attempt the requirement; only they explain a failure. */
  readonly isCandidate: (policy: ConditionalAccessPolicy) => boolean;
  readonly securityDefaultsMessage: string;
  readonly satisfiedMessage: (policyName: string) => string;
  readonly failureMessage: (closestReasons: string) => string;
}

/** The single tenant-wide finding of a {@link TenantCaRequirement}, with the policies weighed as evidence. */
export function tenantCaRequirementFindings(
  { snapshot, params }: CheckInput,
  requirement: TenantCaRequirement,
): readonly Finding[] {
  const defaults = snapshot.data('graph.securityDefaults');
  const policies = snapshot.data('graph.conditionalAccessPolicies');
  const allowed = exclusionSet(params.strings('allowedExclusions'));
  const verdicts = policies.map((p) => verdict(p, [...requirement.problems(p, allowed)]));
  const satisfying = verdicts.filter((v) => v.problems.length === 0);
  const candidates = verdicts.filter((_v, i) => {
    const policy = policies[i];
    return policy !== undefined && requirement.isCandidate(policy);
  });
  const evidence = {
    securityDefaultsEnabled: defaults.isEnabled,
    satisfiedBy: satisfying.map((v) => ({ id: v.id, displayName: v.displayName })),
    candidates: candidates.slice(0, EVIDENCE_CAP).map((v) => ({ ...v, problems: [...v.problems] })),
    candidatesTotal: candidates.length,
    allowedExclusions: [...allowed],
  };
  if (defaults.isEnabled) {
    return [{ target: TENANT_TARGET, status: 'pass', message: requirement.securityDefaultsMessage, evidence }];
  }
  const first = satisfying[0];
  if (first) {
    return [
      { target: TENANT_TARGET, status: 'pass', message: requirement.satisfiedMessage(first.displayName), evidence },
    ];
  }
  return [
    {
      target: TENANT_TARGET,
      status: 'fail',
      message: requirement.failureMessage(closestReasons(candidates)),
      evidence,
    },
  ];
}
