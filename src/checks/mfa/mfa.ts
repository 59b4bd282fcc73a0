import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import { EVIDENCE_CAP } from '../../model/cap.js';
import type { Check, CheckInput } from '../check.js';
import {
  HIGHLY_PRIVILEGED_ROLES,
  PHISHING_RESISTANT_COMBINATIONS,
  PHISHING_RESISTANT_METHODS,
  PHISHING_RESISTANT_STRENGTH_ID,
} from '../../controls/privileged-roles.js';
import type {
  AuthenticationStrengthPolicy,
  ConditionalAccessPolicy,
  UserRegistrationDetails,
} from '../../snapshot/graph-types.js';
import {
  allAppsProblems,
  allUsersProblems,
  exclusionSet,
  mfaGrantProblems,
  narrowingProblems,
  stateProblems,
} from '../conditional-access/conditional-access.js';
import { tenantCaRequirementFindings, type TenantCaRequirement } from '../conditional-access/tenant-ca-requirement.js';

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
  const percent = counted === 0 ? 100 : Math.floor(((counted - unregistered.length) / counted) * 10_000) / 100;
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
 * `mfa.enforcement`: an enforced CA policy requires MFA for All users and All cloud apps, or security
 * defaults are on.
 */
const mfaEnforcement: TenantCaRequirement = {
  problems: (p, allowed) => [
    ...stateProblems(p),
    ...allUsersProblems(p, allowed),
    ...allAppsProblems(p),
    ...narrowingProblems(p, { allClientApps: true }),
    ...mfaGrantProblems(p),
  ],
  // Only policies that ask for MFA in some form explain a failure.
  isCandidate: (p) =>
    (p.grantControls?.builtInControls ?? []).includes('mfa') || Boolean(p.grantControls?.authenticationStrength),
  securityDefaultsMessage: 'Security defaults are on: every user must register for and use MFA.',
  satisfiedMessage: (name) => `Conditional Access policy "${name}" requires MFA for All users and All cloud apps.`,
  failureMessage: (reasons) =>
    `No enforced Conditional Access policy requires MFA for All users and All cloud apps, and security defaults are off: ${reasons}.`,
};

function isPhishingResistant(
  strengthId: string,
  strengths: ReadonlyMap<string, AuthenticationStrengthPolicy>,
): { ok: boolean; reason?: string } {
  if (strengthId === PHISHING_RESISTANT_STRENGTH_ID) return { ok: true };
  const strength = strengths.get(strengthId);
  if (!strength)
    return { ok: false, reason: `requires authentication strength ${strengthId}, which is not in the tenant's list` };
  const weak = strength.allowedCombinations.filter(
    (c) => !c.split(',').every((m) => PHISHING_RESISTANT_COMBINATIONS.has(m.trim())),
  );
  if (strength.allowedCombinations.length === 0)
    return { ok: false, reason: `strength "${strength.displayName}" allows no method` };
  if (weak.length > 0)
    return { ok: false, reason: `strength "${strength.displayName}" also allows ${weak.join('; ')}` };
  return { ok: true };
}

interface Holder {
  readonly id: string;
  readonly upn: string;
  readonly displayName: string | null;
  readonly enabled: boolean;
  readonly roles: Set<string>;
  /** Role-assignable groups through which the user holds a role. */
  readonly groups: Set<string>;
}

/**
 * `mfa.admins-phishing-resistant`: every privileged role holder is covered by a phishing-resistant CA
 * policy and has such a method.
 */
function adminsPhishingResistant({ snapshot, params }: CheckInput): readonly Finding[] {
  const privileged = new Set(params.strings('privilegedRoles').map((r) => r.toLowerCase()));
  const allowed = exclusionSet(params.strings('allowedExclusions'));
  const policies = snapshot.data('graph.conditionalAccessPolicies');
  const strengths = new Map(snapshot.data('graph.authenticationStrengthPolicies').map((s) => [s.id, s]));
  const holders = new Map<string, Holder>();
  const unresolved: string[] = [];
  const add = (
    user: {
      id: string;
      userPrincipalName?: string | null;
      displayName?: string | null;
      accountEnabled?: boolean | null;
    },
    role: string,
    group?: string,
  ) => {
    let holder = holders.get(user.id);
    if (!holder) {
      holder = {
        id: user.id,
        upn: user.userPrincipalName ?? user.id,
        displayName: user.displayName ?? null,
        enabled: user.accountEnabled !== false,
        roles: new Set(),
        groups: new Set(),
      };
      holders.set(user.id, holder);
    }
    holder.roles.add(role);
    if (group) holder.groups.add(group);
  };
  for (const assignment of snapshot.data('graph.roleAssignments')) {
    const role = assignment.roleDefinitionId.toLowerCase();
    if (!privileged.has(role)) continue;
    const principal = assignment.principal;
    const type = principal?.['@odata.type'] ?? '';
    if (!principal) unresolved.push(assignment.principalId);
    else if (type === '#microsoft.graph.user') add(principal, role);
    else if (type === '#microsoft.graph.group') {
      if (!principal.members) unresolved.push(principal.id);
      for (const member of principal.members ?? [])
        if (member['@odata.type'] === '#microsoft.graph.user') add(member, role, principal.id);
    }
    // Service principals sign in with credentials, not MFA; they are out of this control's scope.
  }
  if (unresolved.length > 0) {
    return [
      {
        target: TENANT_TARGET,
        status: 'error',
        message: `${unresolved.length} privileged role assignments have a principal or group membership that was not read, so their holders are unknown.`,
        evidence: { unresolvedPrincipals: unresolved.slice(0, EVIDENCE_CAP), unresolvedTotal: unresolved.length },
      },
    ];
  }
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
  const strengthOf = (p: ConditionalAccessPolicy) => p.grantControls?.authenticationStrength?.id;
  const findings: Finding[] = [];
  for (const holder of enabled.sort((a, b) => a.upn.localeCompare(b.upn))) {
    if (allowed.has(holder.id.toLowerCase())) continue;
    const problems: string[] = [];
    const covering: string[] = [];
    for (const p of policies) {
      const users = p.conditions.users;
      const included =
        (users?.includeUsers ?? []).some((u) => u === 'All' || u.toLowerCase() === holder.id.toLowerCase()) ||
        (users?.includeRoles ?? []).some((r) => holder.roles.has(r.toLowerCase())) ||
        (users?.includeGroups ?? []).some((g) => holder.groups.has(g));
      const strength = strengthOf(p);
      if (!included || strength === undefined) continue;
      const reasons = [...stateProblems(p), ...allAppsProblems(p)];
      const excluded =
        (users?.excludeUsers ?? []).some((u) => u.toLowerCase() === holder.id.toLowerCase()) ||
        (users?.excludeRoles ?? []).some((r) => holder.roles.has(r.toLowerCase())) ||
        (users?.excludeGroups ?? []).some((g) => holder.groups.has(g));
      if (excluded) reasons.push('excludes this user, a role or a group they hold it through');
      const pr = isPhishingResistant(strength, strengths);
      if (!pr.ok && pr.reason) reasons.push(pr.reason);
      const others = (p.grantControls?.builtInControls ?? []).filter((c) => c !== 'mfa');
      if ((p.grantControls?.operator ?? 'AND').toUpperCase() === 'OR' && others.length > 0)
        reasons.push(`ORs the strength with ${others.join(', ')}`);
      if (reasons.length === 0) covering.push(p.displayName);
      else problems.push(`"${p.displayName}" ${reasons.join('; ')}`);
    }
    const methods = registration.get(holder.id)?.methodsRegistered ?? [];
    const strongMethods = methods.filter((m) => PHISHING_RESISTANT_METHODS.has(m));
    const failures: string[] = [];
    if (covering.length === 0)
      failures.push(
        problems.length > 0
          ? problems.join('. ')
          : 'no Conditional Access policy requires a phishing-resistant strength for this user',
      );
    if (strongMethods.length === 0) failures.push('no phishing-resistant method is registered');
    findings.push({
      target: holder.upn,
      status: failures.length === 0 ? 'pass' : 'fail',
      message:
        failures.length === 0
          ? `Covered by "${covering[0] ?? ''}" and has ${strongMethods.join(', ')} registered.`
          : `Privileged user is not held to phishing-resistant MFA: ${failures.join('; ')}.`,
      evidence: {
        userId: holder.id,
        displayName: holder.displayName,
        roles: [...holder.roles].map((r) => HIGHLY_PRIVILEGED_ROLES[r] ?? r),
        viaGroups: [...holder.groups],
        coveringPolicies: covering,
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
        evidence: { holders: enabled.length },
      },
    ];
  }
  return findings;
}

/** Checks of the MFA controls, keyed by control ID. */
export const mfaChecks: Readonly<Record<string, Check>> = {
  'mfa.registration': { kind: 'snapshot', evaluate: mfaRegistration },
  'mfa.enforcement': { kind: 'snapshot', evaluate: (input) => tenantCaRequirementFindings(input, mfaEnforcement) },
  'mfa.admins-phishing-resistant': { kind: 'snapshot', evaluate: adminsPhishingResistant },
};
