import type { ControlParams } from '../../controls/params.js';
import { EVIDENCE_CAP } from '../../model/cap.js';
import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import type { ConditionalAccessPolicy } from '../../snapshot/graph-types.js';
import type { Snapshot } from '../../snapshot/snapshot.js';
import type { CheckInput } from '../check.js';
import { caDirectory } from './ca-directory.js';
import {
  type AllowedNarrowing,
  type CaRequirement,
  judgeRequirement,
  type PolicyVerdict,
  type RequirementVerdict,
} from './ca-requirement.js';
import { closestReasons } from './conditional-access.js';

/**
 * A requirement the tenant meets with security defaults on, or with enabled Conditional Access
 * policies that cover it alone or together (learn.microsoft.com/entra/fundamentals/security-defaults):
 * `mfa.enforcement` and `legacy-auth.blocked` are of this kind; `sign-ins.risk-policies` judges
 * two such requirements without the security-defaults shortcut.
 */
export interface TenantCaRequirement extends CaRequirement {
  /** What the policies must do, for messages: "require MFA for All users and All cloud apps". */
  readonly doing: string;
  readonly securityDefaultsMessage?: string;
}

const NARROWING_CONDITIONS = new Set([
  'location',
  'application',
  'platform',
  'guestOrExternalUserType',
  'deviceFilter',
]);

/** The control's `allowedNarrowing` parameter (schema-validated), or none when the control has no such parameter. */
export function allowedNarrowingOf(params: ControlParams): AllowedNarrowing[] {
  const raw = params.toJson().allowedNarrowing;
  if (!Array.isArray(raw)) return [];
  const out: AllowedNarrowing[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
    const { condition, value, reason } = item as Record<string, unknown>;
    if (
      typeof condition === 'string' &&
      NARROWING_CONDITIONS.has(condition) &&
      typeof value === 'string' &&
      typeof reason === 'string'
    )
      out.push({ condition: condition as AllowedNarrowing['condition'], value, reason });
  }
  return out;
}

function narrowingText(allowed: readonly AllowedNarrowing[]): string {
  if (allowed.length === 0) return '';
  return ` Allowed narrowing: ${allowed.map((n) => `${n.condition} ${n.value} (${n.reason})`).join('; ')}.`;
}

function names(list: readonly { readonly displayName: string }[]): string {
  return list.map((p) => `"${p.displayName}"`).join(', ');
}

/** The policies that explain a verdict: those that attempt the requirement, and those counted. */
export function candidatesOf(
  verdict: RequirementVerdict,
  requirement: CaRequirement,
  policies: readonly ConditionalAccessPolicy[],
): PolicyVerdict[] {
  const counted = new Set(verdict.satisfiedBy.map((p) => p.id));
  return verdict.verdicts.filter((v, i) => {
    const policy = policies[i];
    return counted.has(v.id) || (policy !== undefined && requirement.isCandidate(policy));
  });
}

/** The evidence of one judged requirement. */
export function requirementEvidence(verdict: RequirementVerdict, candidates: readonly PolicyVerdict[]): JsonObject {
  return {
    coverage: verdict.coverage,
    satisfiedBy: verdict.satisfiedBy.map((p) => ({ ...p })),
    gaps: verdict.gaps.map((g) => ({ description: g.description, where: { ...g.where } })),
    candidates: candidates.slice(0, EVIDENCE_CAP).map((v) => ({ ...v, problems: [...v.problems] })),
    candidatesTotal: candidates.length,
    sessionNotes: verdict.sessionNotes.map((n) => ({ id: n.id, notes: [...n.notes] })),
  };
}

/** Judges a requirement over the snapshot's policies with the control's allowed exclusions and narrowing. */
export function judgeTenantRequirement(
  snapshot: Snapshot,
  params: ControlParams,
  requirement: CaRequirement,
): {
  verdict: RequirementVerdict;
  candidates: PolicyVerdict[];
  evidence: JsonObject;
  allowedNarrowing: AllowedNarrowing[];
} {
  const policies = snapshot.data('graph.conditionalAccessPolicies');
  const directory = caDirectory(snapshot);
  const allowedExclusions = [...params.strings('allowedExclusions')];
  const allowedNarrowing = allowedNarrowingOf(params);
  const verdict = judgeRequirement(requirement, { policies, names: directory, allowedExclusions, allowedNarrowing });
  const candidates = candidatesOf(verdict, requirement, policies);
  return {
    verdict,
    candidates,
    allowedNarrowing,
    evidence: {
      ...requirementEvidence(verdict, candidates),
      policiesRead: policies.length,
      allowedExclusions: allowedExclusions.map((id) => id.trim().toLowerCase()),
      allowedNarrowing: allowedNarrowing.map((n) => ({ ...n })),
      names: directory.status,
    },
  };
}

/** The finding of one requirement, from its verdict. */
export function requirementFinding(
  verdict: RequirementVerdict,
  candidates: readonly PolicyVerdict[],
  requirement: TenantCaRequirement,
  evidence: JsonObject,
  allowedNarrowing: readonly AllowedNarrowing[],
  extra = '',
): Finding {
  if (verdict.undecided) {
    return {
      target: TENANT_TARGET,
      status: 'error',
      message: `Whether enforced Conditional Access policies ${requirement.doing} could not be decided: the policies' conditions combine into too many cases.`,
      evidence,
    };
  }
  if (verdict.covered) {
    const first = verdict.satisfiedBy[0];
    const message =
      verdict.coverage === 'single' && first
        ? `Conditional Access policy "${first.displayName}" alone is enough to ${requirement.doing}.`
        : `Conditional Access policies ${names(verdict.satisfiedBy)} together ${requirement.doing}.`;
    return { target: TENANT_TARGET, status: 'pass', message: `${message}${narrowingText(allowedNarrowing)}`, evidence };
  }
  // Neither covered nor undecided means the cover check found a gap, so there is at least one.
  const gaps = verdict.gaps.map((g) => g.description).join('; ');
  return {
    target: TENANT_TARGET,
    status: 'fail',
    message: `No enforced Conditional Access policy, alone or with others, is enough to ${requirement.doing}${extra}. Not covered: ${gaps}. ${sentenceStart(closestReasons(candidates))}.`,
    evidence,
  };
}

/** The single tenant-wide finding of a requirement that security defaults also meet. */
export function tenantCaRequirementFindings(
  { snapshot, params }: CheckInput,
  requirement: TenantCaRequirement,
): readonly Finding[] {
  const defaults = snapshot.data('graph.securityDefaults');
  const { verdict, candidates, evidence, allowedNarrowing } = judgeTenantRequirement(snapshot, params, requirement);
  const withDefaults = { securityDefaultsEnabled: defaults.isEnabled, ...evidence };
  if (defaults.isEnabled && requirement.securityDefaultsMessage) {
    return [
      { target: TENANT_TARGET, status: 'pass', message: requirement.securityDefaultsMessage, evidence: withDefaults },
    ];
  }
  return [
    requirementFinding(
      verdict,
      candidates,
      requirement,
      withDefaults,
      allowedNarrowing,
      ', and security defaults are off',
    ),
  ];
}

/** The reasons begin a sentence here, so "no … comes close" needs its capital. */
function sentenceStart(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
