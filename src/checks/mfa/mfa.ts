import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import { EVIDENCE_CAP } from '../../model/cap.js';
import type { Check, CheckInput } from '../check.js';
import { nothingRead } from '../nothing-read.js';
import {
  HIGHLY_PRIVILEGED_ROLES,
  PHISHING_RESISTANT_COMBINATIONS,
  PHISHING_RESISTANT_METHODS,
  PHISHING_RESISTANT_STRENGTH_ID,
} from '../../controls/privileged-roles.js';
import type {
  AuthenticationStrengthPolicy,
  ConditionalAccessPolicy,
  DirectoryPrincipal,
  UserRegistrationDetails,
} from '../../snapshot/graph-types.js';
import { caDirectory } from '../conditional-access/ca-directory.js';
import { type CaRequirement, judgeRequirement } from '../conditional-access/ca-requirement.js';
import { IN, OUT } from '../conditional-access/ca-space.js';
import { exclusionSet } from '../conditional-access/conditional-access.js';
import { mfaGrantProblems } from '../conditional-access/ca-grant.js';
import {
  allowedNarrowingOf,
  tenantCaRequirementFindings,
  type TenantCaRequirement,
} from '../conditional-access/tenant-ca-requirement.js';
import { currentEligibility, privilegedHolders, unresolvedFinding } from './privileged-holders.js';
import { weakMethods } from './weak-methods.js';

/** `mfa.registration`: share of enabled member users registered for MFA. */
function mfaRegistration({ snapshot, params, context }: CheckInput): readonly Finding[] {
  const users = snapshot.data('graph.users');
  const details = new Map<string, UserRegistrationDetails>();
  for (const d of snapshot.data('graph.userRegistrationDetails')) details.set(d.id, d);
  const requireCapable = params.boolean('requireCapable');
  const minPercent = params.number('minPercent');
  const excepted = new Set(context.exceptions.map((e) => e.target.toLowerCase()));

  const honoured: string[] = [];
  const unregistered: { upn: string; displayName: string | null; reason: string }[] = [];
  let counted = 0;
  for (const user of users) {
    // Guests authenticate at their home tenant and disabled accounts cannot sign in.
    if (user.accountEnabled !== true || user.userType?.toLowerCase() !== 'member') continue;
    const upn = user.userPrincipalName.toLowerCase();
    if (excepted.has(upn)) {
      honoured.push(upn);
      continue;
    }
    counted += 1;
    const detail = details.get(user.id);
    const covered = detail ? (requireCapable ? detail.isMfaCapable : detail.isMfaRegistered) : false;
    if (!covered) {
      unregistered.push({
        upn: user.userPrincipalName,
        displayName: user.displayName ?? null,
        reason: detail ? (requireCapable ? 'not MFA capable' : 'not registered') : 'no registration record',
      });
    }
  }
  if (users.length === 0)
    return [nothingRead('graph.users listed no user', 'every tenant has at least the administrators who run it')];
  if (counted === 0) {
    // Everyone disabled, a guest or excepted: no share of nobody is a pass.
    return [
      nothingRead(
        `No enabled member user to measure among ${users.length} users (${honoured.length} excepted)`,
        'a tenant in use has enabled members',
        { usersRead: users.length, excludedByException: honoured },
      ),
    ];
  }
  const percent = Math.floor(((counted - unregistered.length) / counted) * 10_000) / 100;
  const pass = percent >= minPercent && (minPercent < 100 || unregistered.length === 0);
  return [
    {
      target: TENANT_TARGET,
      status: pass ? 'pass' : 'fail',
      message: pass
        ? `${percent}% of ${counted} enabled member users are registered for MFA (minimum ${minPercent}%).`
        : `${unregistered.length} of ${counted} enabled member users are not registered for MFA (${percent}%, minimum ${minPercent}%).`,
      evidence: {
        coveragePercent: percent,
        minPercent,
        counted,
        unregisteredTotal: unregistered.length,
        unregistered: unregistered.slice(0, EVIDENCE_CAP),
        excludedByException: honoured,
        measure: requireCapable ? 'isMfaCapable' : 'isMfaRegistered',
      },
      honouredExceptions: honoured,
    },
  ];
}

/**
 * `mfa.enforcement`: enabled CA policies require MFA (or block) for every sign-in of All users to
 * All cloud apps from modern clients, alone or together, or security defaults are on. Legacy
 * clients cannot do MFA and are `legacy-auth.blocked`'s concern.
 */
function mfaEnforcementRequirement(
  strengths: ReadonlyMap<string, AuthenticationStrengthPolicy> | undefined,
): TenantCaRequirement {
  return {
    slice: [['clientApp', ['browser', 'mobileAppsAndDesktopClients']]],
    grantProblems: (p) => mfaGrantProblems(p, strengths),
    // Policies that ask for MFA in some form, or for terms of use or a custom control instead, explain a failure.
    isCandidate: (p) =>
      (p.grantControls?.builtInControls ?? []).includes('mfa') ||
      Boolean(p.grantControls?.authenticationStrength) ||
      (p.grantControls?.termsOfUse ?? []).length > 0 ||
      (p.grantControls?.customAuthenticationFactors ?? []).length > 0,
    everyFlow: true,
    doing: 'require MFA for every sign-in of All users to All cloud apps',
    securityDefaultsMessage: 'Security defaults are on: every user must register for and use MFA.',
  };
}

function mfaEnforcement(input: CheckInput): readonly Finding[] {
  const { snapshot } = input;
  const strengths =
    snapshot.status('graph.authenticationStrengthPolicies')?.status === 'ok'
      ? new Map(snapshot.data('graph.authenticationStrengthPolicies').map((s) => [s.id, s]))
      : undefined;
  return tenantCaRequirementFindings(input, mfaEnforcementRequirement(strengths));
}

/** Why a strength is not phishing-resistant, or undefined when it is. */
function notPhishingResistant(
  strengthId: string,
  strengths: ReadonlyMap<string, AuthenticationStrengthPolicy>,
): string | undefined {
  if (strengthId === PHISHING_RESISTANT_STRENGTH_ID) return undefined;
  const strength = strengths.get(strengthId);
  if (!strength) return `requires authentication strength ${strengthId}, which is not in the tenant's list`;
  const weak = strength.allowedCombinations.filter(
    (c) => !c.split(',').every((m) => PHISHING_RESISTANT_COMBINATIONS.has(m.trim())),
  );
  if (strength.allowedCombinations.length === 0) return `strength "${strength.displayName}" allows no method`;
  if (weak.length > 0) return `strength "${strength.displayName}" also allows ${weak.join('; ')}`;
  return undefined;
}

/**
 * Why a grant does not hold a user to a phishing-resistant strength (none when it does). A block
 * counts; under OR every other alternative (MFA, a compliant device, terms of use…) is a way round.
 */
function phishingResistantGrantProblems(
  p: ConditionalAccessPolicy,
  strengths: ReadonlyMap<string, AuthenticationStrengthPolicy>,
): string[] {
  const g = p.grantControls;
  const builtIn = g?.builtInControls ?? [];
  const strength = g?.authenticationStrength;
  if (builtIn.includes('block') && builtIn.length === 1 && !strength) return [];
  if (!strength) return ['does not require an authentication strength'];
  const weakness = notPhishingResistant(strength.id, strengths);
  const reasons = weakness === undefined ? [] : [weakness];
  const ways = [
    ...builtIn.filter((c) => c !== 'block'),
    ...(g?.termsOfUse ?? []),
    ...(g?.customAuthenticationFactors ?? []),
  ];
  if ((g?.operator ?? 'AND').toUpperCase() === 'OR' && ways.length > 0)
    reasons.push(`ORs the strength with ${ways.join(', ')}`);
  return reasons;
}

/** Every sign-in of one privileged user, from modern clients, held to a phishing-resistant strength. */
function phishingResistantRequirement(strengths: ReadonlyMap<string, AuthenticationStrengthPolicy>): CaRequirement {
  return {
    slice: [['clientApp', ['browser', 'mobileAppsAndDesktopClients']]],
    grantProblems: (p) => phishingResistantGrantProblems(p, strengths),
    isCandidate: (p) => Boolean(p.grantControls?.authenticationStrength),
    everyFlow: true,
  };
}

interface HeldRole {
  readonly roleDefinitionId: string;
  readonly principal?: DirectoryPrincipal | null;
}

/** Every directory role each user holds (lower-case IDs), directly or through a role-assignable group. */
function everyRoleOf(assignments: readonly HeldRole[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const give = (userId: string, role: string) => {
    const roles = out.get(userId.toLowerCase()) ?? new Set<string>();
    roles.add(role.toLowerCase());
    out.set(userId.toLowerCase(), roles);
  };
  for (const a of assignments) {
    const principal = a.principal;
    if (principal?.['@odata.type'] === '#microsoft.graph.user') give(principal.id, a.roleDefinitionId);
    for (const member of principal?.members ?? []) give(member.id, a.roleDefinitionId);
  }
  return out;
}

/**
 * `mfa.admins-phishing-resistant`: every privileged role holder, active or PIM-eligible, is covered
 * by a phishing-resistant CA policy and has such a method. An eligible holder is judged as if the
 * role were active: it can be activated at any moment, and the policies then apply to it.
 */
function adminsPhishingResistant({ snapshot, params, context }: CheckInput): readonly Finding[] {
  const privileged = new Set(params.strings('privilegedRoles').map((r) => r.toLowerCase()));
  const allowed = exclusionSet(params.strings('allowedExclusions'));
  const policies = snapshot.data('graph.conditionalAccessPolicies');
  const strengths = new Map(snapshot.data('graph.authenticationStrengthPolicies').map((s) => [s.id, s]));
  const { holders, unresolved, eligibility } = privilegedHolders(snapshot, privileged, context.now);
  if (unresolved.length > 0) return [unresolvedFinding(unresolved)];
  const enabled = [...holders.values()].filter((h) => h.enabled);
  if (enabled.length === 0) {
    // Every tenant has a Global Administrator: none found means the role data is incomplete.
    return [
      {
        target: TENANT_TARGET,
        status: 'error',
        message: 'No enabled holder of a highly privileged role was found.',
        evidence: { privilegedRoles: [...privileged] },
      },
    ];
  }
  // Only the holders' registration records: the tenant's whole list can be 100,000 long.
  const registration = new Map<string, UserRegistrationDetails>();
  for (const d of snapshot.data('graph.userRegistrationDetails')) if (holders.has(d.id)) registration.set(d.id, d);
  const directory = caDirectory(snapshot);
  const allowedNarrowing = allowedNarrowingOf(params);
  const requirement = phishingResistantRequirement(strengths);
  const rolesOf = everyRoleOf(snapshot.data('graph.roleAssignments'));
  const eligibleRolesOf = everyRoleOf(currentEligibility(snapshot, context.now) ?? []);
  const findings: Finding[] = [];
  for (const holder of enabled.sort((a, b) => a.upn.localeCompare(b.upn))) {
    if (allowed.has(holder.id.toLowerCase())) continue;
    // Judged as once its privileged eligible roles are activated: Conditional Access targets a role
    // only then. Its other eligible roles may or may not be active, so both stay possible.
    const roles = new Set([...(rolesOf.get(holder.id.toLowerCase()) ?? []), ...holder.eligibleRoles]);
    const mayActivate = eligibleRolesOf.get(holder.id.toLowerCase()) ?? new Set<string>();
    const groups = new Set([...holder.groups].map((g) => g.toLowerCase()));
    const verdict = judgeRequirement(requirement, {
      policies,
      names: directory,
      allowedExclusions: [...allowed],
      allowedNarrowing,
      // Active role assignments are read in full, so the roles a holder does not hold are known;
      // other groups they may belong to are not, so every combination of those stays possible.
      subject: (dim) => {
        if (dim === `user:${holder.id.toLowerCase()}`) return [IN];
        if (dim.startsWith('user:')) return [OUT];
        if (dim.startsWith('role:')) {
          const role = dim.slice(5);
          return roles.has(role) ? [IN] : mayActivate.has(role) ? [IN, OUT] : [OUT];
        }
        if (dim.startsWith('group:') && groups.has(dim.slice(6))) return [IN];
        return undefined;
      },
    });
    const covering = verdict.covered ? verdict.satisfiedBy.map((p) => p.displayName) : [];
    const problems = verdict.verdicts
      .filter((v, i) => v.problems.length > 0 && requirement.isCandidate(policies[i] as ConditionalAccessPolicy))
      .map((v) => `"${v.displayName}" ${v.problems.join('; ')}`);
    const gaps = verdict.gaps.map((g) => g.description);
    const methods = registration.get(holder.id)?.methodsRegistered ?? [];
    const strongMethods = methods.filter((m) => PHISHING_RESISTANT_METHODS.has(m));
    const failures: string[] = [];
    if (verdict.undecided) failures.push('whether policies cover this user could not be decided');
    // Neither covered nor undecided means cover() found a gap, so `gaps` is never empty here.
    else if (covering.length === 0) failures.push([`not covered: ${gaps.join('; ')}`, ...problems].join('. '));
    if (strongMethods.length === 0) failures.push('no phishing-resistant method is registered');
    const eligibleOnly = holder.roles.size === 0;
    const who = eligibleOnly ? 'Eligible privileged user (PIM)' : 'Privileged user';
    findings.push({
      target: holder.upn,
      status: failures.length === 0 ? 'pass' : 'fail',
      message:
        failures.length === 0
          ? `${eligibleOnly ? 'Eligible (PIM); covered' : 'Covered'} by ${covering.map((c) => `"${c}"`).join(' and ')} and has ${strongMethods.join(', ')} registered.`
          : `${who} is not held to phishing-resistant MFA: ${failures.join('; ')}.`,
      evidence: {
        userId: holder.id,
        displayName: holder.displayName,
        roles: [...holder.roles].map((r) => HIGHLY_PRIVILEGED_ROLES[r] ?? r),
        eligibleRoles: [...holder.eligibleRoles].map((r) => HIGHLY_PRIVILEGED_ROLES[r] ?? r),
        viaGroups: [...holder.groups],
        coveringPolicies: covering,
        coverage: verdict.coverage,
        gaps: verdict.gaps.map((g) => ({ description: g.description, where: { ...g.where } })),
        policyProblems: problems.slice(0, EVIDENCE_CAP),
        methodsRegistered: [...methods],
        phishingResistantMethods: strongMethods,
      },
    });
  }
  if (findings.length === 0) {
    return [
      {
        target: TENANT_TARGET,
        status: 'pass',
        message: 'Every privileged role holder is listed in allowedExclusions.',
        evidence: { holders: enabled.length, eligibility: { ...eligibility } },
      },
    ];
  }
  return findings;
}

/** Checks of the MFA controls, keyed by control ID. */
export const mfaChecks: Readonly<Record<string, Check>> = {
  'mfa.registration': { kind: 'snapshot', evaluate: mfaRegistration },
  'mfa.enforcement': { kind: 'snapshot', evaluate: mfaEnforcement },
  'mfa.admins-phishing-resistant': { kind: 'snapshot', evaluate: adminsPhishingResistant },
  'mfa.weak-methods': { kind: 'snapshot', evaluate: weakMethods },
};
