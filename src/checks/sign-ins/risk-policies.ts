import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { CheckInput } from '../check.js';
import { blockGrantProblems } from '../conditional-access/ca-grant.js';
import type { CaRequirement } from '../conditional-access/ca-requirement.js';
import { closestReasons } from '../conditional-access/conditional-access.js';
import { judgeTenantRequirement } from '../conditional-access/tenant-ca-requirement.js';

/**
 * One half of the control: block sign-ins at high user risk, or at high sign-in risk, for every
 * other condition. The two are judged apart: a policy that needs high user risk AND high sign-in
 * risk applies only when both are high, so it blocks neither risk alone.
 */
function riskBlock(dim: 'userRisk' | 'signInRisk', key: 'userRiskLevels' | 'signInRiskLevels'): CaRequirement {
  return {
    slice: [[dim, ['high']]],
    grantProblems: blockGrantProblems,
    isCandidate: (p) => (p.conditions[key] ?? []).length > 0,
    everyFlow: true,
  };
}

const USER_RISK = riskBlock('userRisk', 'userRiskLevels');
const SIGN_IN_RISK = riskBlock('signInRisk', 'signInRiskLevels');

/** `sign-ins.risk-policies`: enforced CA policies block high user risk and high sign-in risk (SCuBA MS.AAD.2.1, 2.3). */
export function riskPolicies({ snapshot, params }: CheckInput): readonly Finding[] {
  if (snapshot.manifest.licences['entra-id-p2'] === false) {
    return [
      {
        target: TENANT_TARGET,
        status: 'not_evaluable',
        message: 'Needs Microsoft Entra ID P2: risk-based Conditional Access does nothing without it.',
        evidence: { licence: 'entra-id-p2' },
      },
    ];
  }
  const user = judgeTenantRequirement(snapshot, params, USER_RISK);
  const signIn = judgeTenantRequirement(snapshot, params, SIGN_IN_RISK);
  const missing: string[] = [];
  const gaps = (r: typeof user) =>
    r.verdict.gaps.length > 0 ? `; not covered: ${r.verdict.gaps.map((g) => g.description).join('; ')}` : '';
  if (user.verdict.undecided || signIn.verdict.undecided) {
    return [
      {
        target: TENANT_TARGET,
        status: 'error',
        message:
          "Whether enforced Conditional Access policies block high risk could not be decided: the policies' conditions combine into too many cases.",
        evidence: { userRisk: user.evidence, signInRisk: signIn.evidence },
      },
    ];
  }
  if (!user.verdict.covered)
    missing.push(`high user risk is not blocked everywhere${gaps(user)} (${closestReasons(user.candidates)})`);
  if (!signIn.verdict.covered)
    missing.push(`high sign-in risk is not blocked everywhere${gaps(signIn)} (${closestReasons(signIn.candidates)})`);
  const { names, allowedExclusions, allowedNarrowing, policiesRead } = user.evidence;
  const half = ({ evidence }: typeof user) => {
    const { names: _n, allowedExclusions: _a, allowedNarrowing: _w, policiesRead: _p, ...rest } = evidence;
    return rest;
  };
  const evidence = {
    userRisk: half(user),
    signInRisk: half(signIn),
    policiesRead: policiesRead ?? null,
    allowedExclusions: allowedExclusions ?? [],
    allowedNarrowing: allowedNarrowing ?? [],
    names: names ?? null,
  };
  return [
    missing.length === 0
      ? {
          target: TENANT_TARGET,
          status: 'pass',
          message: 'High user risk and high sign-in risk are both blocked by enforced policies.',
          evidence,
        }
      : {
          target: TENANT_TARGET,
          status: 'fail',
          message: `Risk policies fall short: ${missing.join('; ')}.`,
          evidence,
        },
  ];
}
