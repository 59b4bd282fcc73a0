import { EVIDENCE_CAP } from '../../model/cap.js';
import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { DirectoryPrincipal, RoleEligibilityScheduleInstance } from '../../snapshot/graph-types.js';
import type { Snapshot } from '../../snapshot/snapshot.js';
import { parseGraphTime } from '../sign-ins/sign-in-event.js';

/*
 * Who holds a highly privileged role: active assignments (roleAssignments) and PIM-eligible
 * ones (roleEligibilityScheduleInstances), each held directly or through a role-assignable
 * group. An eligible holder can activate the role at any moment, with the methods registered
 * then, so both are judged alike.
 */

export interface Holder {
  readonly id: string;
  readonly upn: string;
  readonly displayName: string | null;
  readonly enabled: boolean;
  /** Roles (lower-case template IDs) held now. */
  readonly roles: Set<string>;
  /** Roles the user may activate through PIM and does not hold now. */
  readonly eligibleRoles: Set<string>;
  /** Role-assignable groups through which the user holds or may activate a role. */
  readonly groups: Set<string>;
}

interface HeldRole {
  readonly principalId: string;
  readonly roleDefinitionId: string;
  readonly principal?: DirectoryPrincipal | null;
}

/** What reading the holders found. */
export interface PrivilegedHolders {
  readonly holders: ReadonlyMap<string, Holder>;
  /** Assignments whose principal, or whose group's members, were not read. */
  readonly unresolved: readonly string[];
  /**
   * Whether PIM eligibility was read. When it was not (no P2, no permission), the eligible holders
   * are unknown: the control declares the source among those that list its targets, so the
   * engine says so in a not_evaluable or error result and closes none of its issues.
   */
  readonly eligibility: { readonly read: boolean; readonly instances: number; readonly ended: number };
}

/** The holders of the given roles, active and (when read) eligible, by user object ID. */
export function privilegedHolders(snapshot: Snapshot, privileged: ReadonlySet<string>, now: Date): PrivilegedHolders {
  const holders = new Map<string, Holder>();
  const unresolved: string[] = [];
  const add = (user: DirectoryPrincipal, role: string, eligible: boolean, group?: string) => {
    let holder = holders.get(user.id);
    if (!holder) {
      holder = {
        id: user.id,
        upn: user.userPrincipalName ?? user.id,
        displayName: user.displayName ?? null,
        enabled: user.accountEnabled !== false,
        roles: new Set(),
        eligibleRoles: new Set(),
        groups: new Set(),
      };
      holders.set(user.id, holder);
    }
    (eligible ? holder.eligibleRoles : holder.roles).add(role);
    if (group) holder.groups.add(group);
  };
  const read = (held: readonly HeldRole[], eligible: boolean) => {
    for (const assignment of held) {
      const role = assignment.roleDefinitionId.toLowerCase();
      if (!privileged.has(role)) continue;
      const principal = assignment.principal;
      const type = principal?.['@odata.type'] ?? '';
      if (!principal) unresolved.push(assignment.principalId);
      else if (type === '#microsoft.graph.user') add(principal, role, eligible);
      else if (type === '#microsoft.graph.group') {
        if (!principal.members) unresolved.push(principal.id);
        for (const member of principal.members ?? [])
          if (member['@odata.type'] === '#microsoft.graph.user') add(member, role, eligible, principal.id);
      }
      // Service principals sign in with credentials, not MFA; they are out of this control's scope.
    }
  };
  read(snapshot.data('graph.roleAssignments'), false);
  const current = currentEligibility(snapshot, now);
  if (current === undefined) return { holders, unresolved, eligibility: { read: false, instances: 0, ended: 0 } };
  const instances = snapshot.data('graph.roleEligibilityScheduleInstances');
  read(current, true);
  // A role both held and eligible (an activated eligibility) is held.
  for (const holder of holders.values()) for (const role of holder.roles) holder.eligibleRoles.delete(role);
  return {
    holders,
    unresolved,
    eligibility: { read: true, instances: instances.length, ended: instances.length - current.length },
  };
}

/**
 * The PIM eligibilities that can still be activated, or undefined when eligibility was not read.
 * One whose end has passed can no longer be activated; one not yet started soon can.
 */
export function currentEligibility(
  snapshot: Snapshot,
  now: Date,
): readonly RoleEligibilityScheduleInstance[] | undefined {
  if (snapshot.status('graph.roleEligibilityScheduleInstances')?.status !== 'ok') return undefined;
  return snapshot.data('graph.roleEligibilityScheduleInstances').filter((i) => {
    // No end (null) is undefined here too: an eligibility that never ends.
    const end = parseGraphTime(i.endDateTime);
    return end === undefined || end > now.getTime();
  });
}

/** The tenant-level error when some holders could not be resolved. */
export function unresolvedFinding(unresolved: readonly string[]): Finding {
  return {
    target: TENANT_TARGET,
    status: 'error',
    message: `${unresolved.length} privileged role assignments have a principal or group membership that was not read, so their holders are unknown.`,
    evidence: { unresolvedPrincipals: unresolved.slice(0, EVIDENCE_CAP), unresolvedTotal: unresolved.length },
  };
}
