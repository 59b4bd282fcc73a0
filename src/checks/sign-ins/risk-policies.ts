import { EVIDENCE_CAP } from '../../model/cap.js';
import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { ConditionalAccessPolicy } from '../../snapshot/graph-types.js';
import type { CheckInput } from '../check.js';
import {
  allAppsProblems,
  allUsersProblems,
  blockGrantProblems,
  closestReasons,
  exclusionSet,
  stateProblems,
  verdict,
} from '../conditional-access/conditional-access.js';

type RiskKind = 'userRiskLevels' | 'signInRiskLevels';

function riskProblems(policy: ConditionalAccessPolicy, kind: RiskKind): string[] {
  return (policy.conditions[kind] ?? []).includes('high') ? [] : [`does not include high in ${kind}`];
}

/**
 * `sign-ins.risk-policies`: enforced CA policies block high user risk and high sign-in risk (SCuBA
 * MS.AAD.2.1, 2.3).
 */
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
  const policies = snapshot.data('graph.conditionalAccessPolicies');
  const allowed = exclusionSet(params.strings('allowedExclusions'));
  const judge = (kind: RiskKind) => {
    const verdicts = policies.map((p) =>
      verdict(p, [
        ...stateProblems(p),
        ...allUsersProblems(p, allowed),
        ...allAppsProblems(p),
        ...riskProblems(p, kind),
        ...blockGrantProblems(p),
      ]),
    );
    const candidates = verdicts.filter((_v, i) => (policies[i]?.conditions[kind] ?? []).length > 0);
    return { satisfiedBy: verdicts.filter((v) => v.problems.length === 0), candidates };
  };
  const user = judge('userRiskLevels');
  const signIn = judge('signInRiskLevels');
  const missing: string[] = [];
  if (user.satisfiedBy.length === 0) missing.push(`high user risk is not blocked (${closestReasons(user.candidates)})`);
  if (signIn.satisfiedBy.length === 0)
    missing.push(`high sign-in risk is not blocked (${closestReasons(signIn.candidates)})`);
  const summary = (r: ReturnType<typeof judge>) => ({
    satisfiedBy: r.satisfiedBy.map((v) => ({ id: v.id, displayName: v.displayName })),
    candidates: r.candidates.slice(0, EVIDENCE_CAP).map((v) => ({ ...v, problems: [...v.problems] })),
  });
  const evidence = { userRisk: summary(user), signInRisk: summary(signIn), allowedExclusions: [...allowed] };
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
