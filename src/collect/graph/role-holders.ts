import type { DirectoryPrincipal } from '../../snapshot/graph-types.js';
import type { GraphSourceId } from '../../snapshot/source-id.js';
import type { GraphApi } from './graph-api.js';
import { readCollection } from './graph-source.js';
import { itemReader, principalReader } from './item-reader.js';

/*
 * Directory role holders, active (roleAssignments) or eligible (roleEligibilityScheduleInstances):
 * both are read with `$expand=principal`, and a group principal (a role-assignable group, which
 * cannot nest: learn.microsoft.com/entra/identity/role-based-access-control/groups-concept) gets
 * its transitive members in `principal.members`, so roles held through groups are seen.
 */

type Item = Readonly<Record<string, unknown>>;

export const groupMembersPath = (groupId: string): string =>
  `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id,userPrincipalName,displayName,accountEnabled`;

function endpoint(path: string): string {
  return path.split('?')[0] ?? path;
}

const optional = <T>(value: unknown): T | null => (value as T | undefined) ?? null;

export function projectPrincipal(o: Item): DirectoryPrincipal {
  return {
    '@odata.type': o['@odata.type'] as string,
    id: o.id as string,
    displayName: optional<string>(o.displayName),
    userPrincipalName: optional<string>(o.userPrincipalName),
    accountEnabled: optional<boolean>(o.accountEnabled),
  };
}

/**
 * Graph omits `@odata.type` in some directoryObject collections (a group's transitive members);
 * a UPN marks a user. Filled in before the item is checked, so what is saved is complete.
 */
export function withType(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const o = item as Item;
  if (o['@odata.type'] !== undefined) return item;
  const type = typeof o.userPrincipalName === 'string' ? '#microsoft.graph.user' : '#microsoft.graph.directoryObject';
  return { ...o, '@odata.type': type };
}

interface HeldRole {
  readonly principalId: string;
  readonly principal?: DirectoryPrincipal | null;
}

/**
 * Reads a role-holder collection whose items carry an expanded `principal`, then each group
 * principal's transitive members (once per group).
 */
export async function readRoleHolders<T extends HeldRole>(
  graph: GraphApi,
  id: GraphSourceId,
  path: string,
  project: (o: Item) => T,
): Promise<readonly T[]> {
  const read = itemReader(id, endpoint(path), project);
  const holders = await readCollection(graph, path, (item, index) => {
    const principal = (item as Item | null)?.principal;
    return read(principal ? { ...(item as Item), principal: withType(principal) } : item, index);
  });
  const groupIds = [
    ...new Set(
      holders.filter((h) => h.principal?.['@odata.type'] === '#microsoft.graph.group').map((h) => h.principalId),
    ),
  ];
  const members = new Map<string, DirectoryPrincipal[]>();
  await Promise.all(
    groupIds.map(async (groupId) => {
      const membersPath = groupMembersPath(groupId);
      const member = principalReader(endpoint(membersPath));
      members.set(groupId, await readCollection(graph, membersPath, (item, index) => member(withType(item), index)));
    }),
  );
  return holders.map((h) => {
    const groupMembers = members.get(h.principalId);
    return groupMembers && h.principal ? { ...h, principal: { ...h.principal, members: groupMembers } } : h;
  });
}
